package facade

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// A decode error quoting a key (as time.Parse's errors quote their input)
// is scrubbed, and the unscrubbed cause is not reachable by unwrapping.
func TestDecodeErrorScrubsQuotedKey(t *testing.T) {
	const key = "sk-or-v1-0d3f5a7c9e1b2d4f6a8c0e2b4d6f8a1c3e5b7d9f0a2c4e6b8d1f3a5c7e9b2d4f6"
	_, cause := time.Parse(time.RFC3339, key)
	err := decodeError(fmt.Errorf("wrapped: %w", cause), shield{key: key})
	for e := err; e != nil; e = errors.Unwrap(e) {
		if strings.Contains(fmt.Sprintf("%v %+v", e, e), key[10:]) {
			t.Fatalf("shows the key: %v", e)
		}
	}
	var pe *time.ParseError
	if errors.As(err, &pe) {
		t.Errorf("the unscrubbed cause is reachable: %v", pe)
	}
	if !strings.HasPrefix(err.Error(), "decoding body: wrapped: parsing time") {
		t.Errorf("err = %q, want the scrubbed text kept", err)
	}
}
