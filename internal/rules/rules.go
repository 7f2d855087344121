// Package rules holds the input rules that the facade (before sending), the
// fake (when answering) and the CLI (when parsing flags) all enforce, so
// that each rule is written once. Messages name the value, not the field:
// callers add their own field or flag name.
package rules

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/orkeys/orkeys/secret"
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

// MaxLimit is the largest spending limit accepted, in USD. The API
// documents no bound; a billion dollars is far beyond any real cap and keeps
// a typo such as 1e308 from being stored and from widening every table.
const MaxLimit = 1e9

// Limit checks a spending limit in USD.
func Limit(v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v > MaxLimit {
		return fmt.Errorf("%v: must be an amount of USD from 0 to %.0f", v, MaxLimit)
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
	return fmt.Errorf("%q: want daily, weekly or monthly", s)
}

// ResetNeedsLimit checks a request that sets a reset period: a period
// resets a limit, so a request that sets one while it also removes the
// limit (or, on a create, gives none) asks for nothing that can happen.
// hasLimit is whether the key ends up with a limit as far as the request
// says: a create's limit, an update's limit unless it sends null.
func ResetNeedsLimit(setsReset, hasLimit bool) error {
	if setsReset && !hasLimit {
		return errors.New("a reset period needs a limit to reset")
	}
	return nil
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

// KeyHash checks a key hash as the API writes them: hexadecimal digits
// (SHA-256, 64 of them, for OpenRouter's keys). It is stricter than Hash,
// for input a person typed: a hash that cannot exist is refused before a
// request is spent on it.
func KeyHash(h string) error {
	if h == "" {
		return errors.New(`"" is not a key hash: it is empty`)
	}
	if len(h) > 128 {
		return fmt.Errorf("%.16q… is not a key hash: too long", h)
	}
	for i := 0; i < len(h); i++ {
		if c := h[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return fmt.Errorf("%q is not a key hash: want hexadecimal digits", h)
		}
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

// MinProviderKey is the shortest provider key accepted: every provider's
// keys are far longer, and a shorter value is a wrong file or a typo.
const MinProviderKey = 16

// isAssignment reports whether s starts NAME=, as a .env file or a shell
// export writes a variable (a regexp would weigh on every binary that
// links the facade).
func isAssignment(s string) bool {
	s = strings.TrimPrefix(s, "export ")
	name, _, ok := strings.Cut(s, "=")
	if !ok || name == "" || '0' <= name[0] && name[0] <= '9' {
		return false
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; !(c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// ProviderKey checks a provider's key, as given, without echoing any of
// it. It refuses an OpenRouter key anywhere in it, in any case: BYOK
// stores the key OpenRouter calls the provider with, so an sk-or- key there
// is a mix-up, most likely the management key, that would store that key
// where nobody looks for it. It also refuses the shapes a copy picks up on
// the way: quotes, a NAME= assignment, white space, control and invisible
// characters (a byte-order mark, a zero-width space), and text that is not
// UTF-8.
func ProviderKey(s string) error {
	lower := strings.ToLower(s)
	for _, p := range []string{secret.PrefixMgmt, secret.PrefixV1, "sk-or-"} {
		if strings.Contains(lower, p) {
			return fmt.Errorf("holds %s, so it is an OpenRouter key, not a provider's: give the key the provider (OpenAI, Anthropic, …) issued", p)
		}
	}
	switch {
	case !utf8.ValidString(s):
		return errors.New("is not UTF-8 text: save the key alone, as plain text")
	case strings.ContainsAny(s, "\"'`"):
		return errors.New("holds a quote: give the key alone, without quotes")
	case isAssignment(s):
		return errors.New("is a NAME=value assignment: give the key alone, without its variable's name")
	}
	for _, r := range s {
		// Provider keys are printable ASCII: anything else is white space,
		// an invisible mark, a filler or a look-alike picked up on the way.
		if r <= ' ' || r > '~' {
			return fmt.Errorf("holds white space, an invisible or a non-ASCII character (%U): give the key alone, as plain text", r)
		}
	}
	if n := utf8.RuneCountInString(s); n < MinProviderKey {
		return fmt.Errorf("is %d characters, too short for a provider's key (%d or more): check that it is the whole key", n, MinProviderKey)
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
