// Package timestamp is the type of every instant in the API's answers:
// created_at, updated_at, expires_at and their kind.
//
// OpenRouter documents these as strings, and its own SDKs keep them as
// strings; orkeys parses them, so that callers compare instants rather than
// text. Parsing is lenient, because one odd field must not cost a whole
// answer (a create's plaintext above all): a value that does not parse
// decodes without error into a zero Time that keeps the text in Raw.
//
//	var k facade.APIKey // after a call
//	switch {
//	case k.CreatedAt.Parsed():  // k.CreatedAt.Time is the instant
//	case k.CreatedAt.Raw != "": // the server sent text that is no instant
//	default:                    // absent, or null
//	}
package timestamp

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"
)

// Time is an instant as the API sent it. The embedded time.Time is the
// instant, in UTC, when the text parsed, and zero otherwise; Raw keeps the
// text when it did not parse, so that nothing the server said is lost.
type Time struct {
	time.Time
	// Raw is the value as sent when it is not an instant orkeys reads: ""
	// whenever Time holds the instant, or the field was absent or null.
	Raw string
}

// Of wraps an instant, for code (the fake, tests) that builds answers.
func Of(t time.Time) Time { return Time{Time: t.UTC()} }

// Parsed reports whether the value was read as an instant.
func (t Time) Parsed() bool { return !t.Time.IsZero() }

// layouts are the forms of ISO 8601 the API could send: a T or a space
// between date and time, any zone form or none (UTC then). Fractional
// seconds need no layout of their own: time.Parse accepts them after the
// seconds.
var layouts = []string{
	time.RFC3339,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05Z07",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	time.DateOnly,
}

// Parse reads s in any form of layouts, with a space or a lowercase t in
// place of T and a lowercase z for Z. ok is false when s is none of them.
func Parse(s string) (t time.Time, ok bool) {
	s = strings.TrimSpace(s)
	if len(s) < len(time.DateOnly) {
		return time.Time{}, false
	}
	if len(s) > len(time.DateOnly) && (s[10] == ' ' || s[10] == 't') {
		s = s[:10] + "T" + s[11:]
	}
	if strings.HasSuffix(s, "z") {
		s = s[:len(s)-1] + "Z"
	}
	for _, l := range layouts {
		if v, err := time.Parse(l, s); err == nil {
			return v.UTC(), true
		}
	}
	return time.Time{}, false
}

// UnmarshalJSON never fails: null leaves t zero, a string is parsed or kept
// in Raw, and any other JSON value is kept in Raw as written.
func (t *Time) UnmarshalJSON(b []byte) error {
	*t = Time{}
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		return nil
	}
	// The common case first, without allocating: strict RFC 3339, which
	// time.Time reads from the bytes (a page of 100 keys has 300 of these).
	var strict time.Time
	if strict.UnmarshalJSON(b) == nil && !strict.IsZero() {
		t.Time = strict.UTC()
		return nil
	}
	var s string
	if b[0] != '"' || json.Unmarshal(b, &s) != nil {
		t.Raw = string(b)
		return nil
	}
	if v, ok := Parse(s); ok {
		t.Time = v
		return nil
	}
	t.Raw = s
	return nil
}

// MarshalJSON writes the instant in RFC 3339 (nanoseconds where there are
// any), the text as it came when it did not parse, and null for a zero Time.
func (t Time) MarshalJSON() ([]byte, error) {
	switch {
	case t.Parsed():
		return t.Time.MarshalJSON()
	case t.Raw != "":
		return json.Marshal(t.Raw)
	}
	return []byte("null"), nil
}

// String is the instant in RFC 3339, the raw text when it did not parse,
// and "" for a zero Time.
func (t Time) String() string {
	switch {
	case t.Parsed():
		return t.Time.Format(time.RFC3339Nano)
	case t.Raw != "":
		return t.Raw
	}
	return ""
}

// Instant is the instant of a nullable field: nil when t is nil (the API
// sent null or nothing) or did not parse, so that an unreadable expiry is
// never taken for one in the past.
func (t *Time) Instant() *time.Time {
	if t == nil || !t.Parsed() {
		return nil
	}
	v := t.Time
	return &v
}
