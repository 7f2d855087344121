package provision

import (
	"os"
	"testing"
)

// FuzzParse: no input makes the loader panic, and whatever it accepts is
// valid and requires a receiver for every key.
func FuzzParse(f *testing.F) {
	if b, err := os.ReadFile("testdata/example.yaml"); err == nil {
		f.Add(b)
	}
	for _, tc := range badFiles {
		f.Add([]byte(tc.file))
	}
	f.Add([]byte("version: 1\nkeys: {a: {name: a, deliver: {stdout: true}, expires_at: '2030-01-01T00:00:00+02:00'}}\n"))
	f.Add([]byte("version: 1\nkeys: &x {a: *x}\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := Parse(b, "/cfg")
		if err != nil {
			return
		}
		if err := d.Validate(); err != nil {
			t.Fatalf("accepted an invalid file: %v", err)
		}
		for addr, k := range d.Keys {
			if k.Deliver == nil {
				t.Fatalf("accepted key %s without a receiver", addr)
			}
		}
	})
}
