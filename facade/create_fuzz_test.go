package facade

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// FuzzDecodeCreated holds the create rule on any answer: whenever the body
// carries the plaintext and the hash (as a lone decode of those two reads
// them), the create succeeds with exactly those; otherwise it is a
// MaybeCreatedError; and no error text holds the plaintext.
func FuzzDecodeCreated(f *testing.F) {
	const key = "sk-or-v1-0d3f5a7c9e1b2d4f6a8c0e2b4d6f8a1c3e5b7d9f0a2c4e6b8d1f3a5c7e9b2d4f6"
	for _, s := range []string{
		`{"data":{"hash":"h","usage":"x"},"key":"` + key + `"}`,
		`{"data":{"hash":"h","created_at":"` + key + `"},"key":"` + key + `"}`,
		`{"data":{"hash":"h","name":{"a":1}},"key":"` + key + `"}`,
		`{"data":{"hash":"","created_at":12},"key":"` + key + `"}`,
		`{"data":{"hash":"h"}}`,
		`{"key":"` + key + `"}`,
		`{"data":"` + key + `"}`,
		`{"data":{"hash":"h"},"key":"` + key,
		`null`, `[]`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		buf := new(bytes.Buffer)
		buf.Write(body)
		a := &answer{op: opCreate, name: "ci", status: 201, attempts: 1, sh: shield{key: key}, body: buf}
		v, err := decodeCreated(a)

		var want createdKey
		complete := json.Unmarshal(body, &want) == nil && !want.Key.IsZero() && want.Data.Hash != ""
		switch {
		case complete && (err != nil || !v.Key.Equal(want.Key) || v.Data.Hash != want.Data.Hash):
			t.Fatalf("body with plaintext and hash: %+v, %v", v, err)
		case !complete && !errors.As(err, new(*MaybeCreatedError)):
			t.Fatalf("body without them: err = %v, want a MaybeCreatedError", err)
		}
		if err != nil {
			s := fmt.Sprintf("%v %+v", err, err)
			if strings.Contains(s, key) || (len(want.Key.Reveal()) > 20 && strings.Contains(s, want.Key.Reveal())) {
				t.Fatalf("the error shows the plaintext: %s", s)
			}
		}
	})
}
