// Package rules holds the input rules that the facade (before sending), the
// fake (when answering) and the CLI (when parsing flags) all enforce, so
// that each rule is written once. Messages name the value, not the field:
// callers add their own field or flag name.
package rules

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// UUID checks a workspace ID: a canonical UUID of any version, as
// OpenRouter writes them (RFC 9562's textual form, either case). It is
// checked by hand rather than with a regexp so that programs using the
// facade do not link package regexp for one pattern.
func UUID(s string) error {
	if !isUUID(s) {
		return fmt.Errorf("%q is not a UUID (like 5d0f3c2e-8a41-4b7e-9c16-0e2f4a6b8d10)", s)
	}
	return nil
}

func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// Limit checks a spending limit in USD.
func Limit(v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return fmt.Errorf("%v: must be a finite amount of USD, 0 or more", v)
	}
	return nil
}

// PlainZero returns v with negative zero made 0. The two compare equal and
// pass Limit, but print apart ("-0", "$-0.00"), so a limit is made plain
// before it is sent, stored or shown.
func PlainZero(v float64) float64 {
	if v == 0 {
		return 0
	}
	return v
}

// LimitResets are the periods a limit can reset on, in the API's spelling.
var LimitResets = []string{"daily", "weekly", "monthly"}

// LimitReset checks a limit reset period.
func LimitReset(s string) error {
	for _, r := range LimitResets {
		if s == r {
			return nil
		}
	}
	return fmt.Errorf("%q: want daily, weekly or monthly (or none for no reset)", s)
}

// Hash checks a key hash before it becomes a path segment: empty names no
// key, and a dot segment would move the request to another path. Anything
// else is escaped as one segment.
func Hash(h string) error {
	switch h {
	case "":
		return errors.New("empty key hash")
	case ".", "..":
		return fmt.Errorf("%q is not a key hash", h)
	}
	return nil
}

// Name checks a key name: the API refuses an empty one.
func Name(s string) error {
	if s == "" {
		return errors.New("must not be empty")
	}
	return nil
}

// ExpiresAt checks a create's expiry: the API wants an instant in the future.
// Callers convert to UTC first; the API refuses other zones.
func ExpiresAt(t, now time.Time) error {
	if t.IsZero() {
		return errors.New("must not be the zero time")
	}
	if !t.After(now) {
		return fmt.Errorf("must be in the future, not %s", t.UTC().Format(time.RFC3339))
	}
	return nil
}

// MinExternalAPIKey is the shortest partner-supplied external.api_key the API
// accepts.
const MinExternalAPIKey = 32

// ExternalAPIKey checks a partner-supplied key's length without echoing it.
func ExternalAPIKey(s string) error {
	if len(s) < MinExternalAPIKey {
		return fmt.Errorf("is %d characters; the API needs at least %d", len(s), MinExternalAPIKey)
	}
	return nil
}

// Date checks a UTC day as the API writes it, YYYY-MM-DD.
func Date(s string) error {
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return fmt.Errorf("%q is not a YYYY-MM-DD date", s)
	}
	return nil
}
