package secret

import (
	"encoding/base64"
	"strings"
	"testing"
)

func TestScrubFragments(t *testing.T) {
	const key = "sk-proj-AbCdEf0123456789SECRETxyz"
	for _, tc := range []struct{ name, in, want string }{
		{"cut short", "invalid key sk-proj-AbCdEf0123 (truncated)", "invalid key [redacted] (truncated)"},
		{"upper-cased", "bad key SK-PROJ-ABCDEF0123456789SECRETXYZ!", "bad key [redacted]!"},
		{"split in two", "part1=sk-proj-AbCdEf01 part2=23456789SECRETxyz", "[redacted] [redacted]"},
		{"the tail alone", `"key":"…6789SECRETxyz"`, `"key":"…[redacted]"`},
		{"inside a longer token", "x" + key + "y", "[redacted]"},
		{"too short a stretch", "sk-proj-AbC and 9SECRETxyz", "sk-proj-AbC and 9SECRETxyz"},
		{"nothing of it", "provider refused the request", "provider refused the request"},
	} {
		if got := ScrubFragments(tc.in, key); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
	b64 := base64.StdEncoding.EncodeToString([]byte(key))
	if got := ScrubFragments("echo "+b64[:20], key, b64); strings.Contains(got, b64[:FragmentLen]) {
		t.Errorf("a cut base64 form survives: %q", got)
	}
	// A secret shorter than a fragment is Scrub's to find.
	if got := ScrubFragments("the key abc was refused", "abc"); got != "the key abc was refused" {
		t.Errorf("short secret: %q", got)
	}
}
