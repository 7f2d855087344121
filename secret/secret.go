// Package secret holds the type orkeys uses for plaintext API keys and the
// functions that keep keys out of everything orkeys prints, logs or returns
// in an error.
//
// It lives in its own package so that the generated models in gen can name
// Key (gen cannot import facade, which imports gen).
//
// Key redacts itself wherever Go lets a type choose how it is shown or
// encoded: fmt (every verb; %p and wrong-verb output find only an address),
// slog, encoding/json, encoding/xml and whatever else uses
// encoding.TextMarshaler. The plaintext comes out only through [Key.Reveal].
// [Redact], [Scrub], [ScrubBytes] and [ScrubHeader] cut keys out of text the
// program did not build itself, such as error bodies and headers a server
// echoed.
//
// None of this is a security boundary inside the process: unsafe code, or a
// reflection-based dumper that follows pointers into unexported fields, can
// still read a Key. It stops keys from reaching output by accident, not code
// that sets out to read them.
package secret

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Key is a plaintext OpenRouter API key. The zero Key holds no key.
//
// The plaintext sits behind a pointer so that the printing paths that do not
// ask the type (fmt's %p, its wrong-verb output, unexported struct fields)
// find only an address. Every path that does ask (fmt verbs, slog, JSON,
// XML, text marshalling) gets the redacted form from [Redact]; only
// [Key.Reveal] returns the plaintext.
//
// Compare keys with [Key.Equal]: == compares the pointers, so two Keys made
// from the same plaintext by separate calls to [New] are not ==. A Key used
// as a map key is therefore keyed by identity too.
//
// encoding/gob refuses a Key (see [Key.GobEncode]); a value that must travel
// must be sent as [Key.Reveal] on purpose.
type Key struct {
	p *string
}

// New returns a Key holding plaintext. New("") returns the zero Key.
func New(plaintext string) Key {
	if plaintext == "" {
		return Key{}
	}
	return Key{p: &plaintext}
}

// Reveal returns the full plaintext key, or "" for the zero Key. Call it only
// where the key must leave the program: to send it to the API, store it in a
// secret manager or hand it to its owner.
func (k Key) Reveal() string {
	if k.p == nil {
		return ""
	}
	return *k.p
}

// IsZero reports whether k holds no key. encoding/json's omitzero option
// calls it.
func (k Key) IsZero() bool { return k.Reveal() == "" }

// Equal reports whether k and o hold the same plaintext. It takes the same
// time wherever the keys first differ, so it does not leak how much of a
// guess was right. go-cmp uses it as well.
func (k Key) Equal(o Key) bool {
	a, b := k.Reveal(), o.Reveal()
	if len(a) != len(b) {
		return false
	}
	var diff byte
	for i := range len(a) {
		diff |= a[i] ^ b[i]
	}
	return diff == 0
}

// String returns the redacted form, such as "sk-or-v1-d35…855d"; see
// [Redact].
func (k Key) String() string { return Redact(k.Reveal()) }

// GoString returns the %#v form, secret.Key("sk-or-v1-d35…855d"). It is not
// Go that rebuilds the key: the plaintext is never part of it.
func (k Key) GoString() string { return "secret.Key(" + strconv.Quote(k.String()) + ")" }

// Format prints the redacted form for every verb: %q quotes it, %#v prints
// GoString, and any other verb (%s, %v, %x, %d, …) prints it as %s would.
// A width pads it with spaces, on the right with the - flag. Precision is
// ignored: cutting the redacted form short would only lose the part that
// tells keys apart.
func (k Key) Format(f fmt.State, verb rune) {
	var s string
	switch {
	case verb == 'v' && f.Flag('#'):
		s = k.GoString()
	case verb == 'q':
		s = strconv.Quote(k.String())
	default:
		s = k.String()
	}
	pad := ""
	if w, ok := f.Width(); ok {
		if n := w - utf8.RuneCountInString(s); n > 0 {
			pad = strings.Repeat(" ", n)
		}
	}
	// fmt ignores write errors on its State, and so do its own formatters.
	if f.Flag('-') {
		_, _ = io.WriteString(f, s+pad)
	} else {
		_, _ = io.WriteString(f, pad+s)
	}
}

// LogValue makes slog log the redacted form with every handler.
func (k Key) LogValue() slog.Value { return slog.StringValue(k.String()) }

// MarshalJSON encodes the redacted form as a JSON string ("" for the zero
// Key), so that a struct holding a Key never puts the plaintext into JSON. A
// program that must write the plaintext (to store a new key, say) has to
// marshal Reveal() itself.
func (k Key) MarshalJSON() ([]byte, error) { return json.Marshal(k.String()) }

// MarshalText returns the redacted form. encoding/xml, JSON map keys and
// slog's text output use it.
func (k Key) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// errGob is what gob gets instead of the plaintext.
var errGob = errors.New("secret: a Key does not gob-encode; send Reveal() explicitly if the plaintext must travel")

// GobEncode refuses: gob would otherwise use MarshalText and send the
// redacted form, which decodes into a Key that silently fails every API
// call.
func (k Key) GobEncode() ([]byte, error) { return nil, errGob }

// GobDecode refuses, as GobEncode does.
func (k *Key) GobDecode([]byte) error { return errGob }

// UnmarshalJSON reads a JSON string as the plaintext key, which is how the
// API sends a new key. JSON null gives the zero Key. Any other JSON value is
// an error whose text names only the kind of value, never the input, which
// may hold a key in the wrong place.
func (k *Key) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return errors.New("secret: a key must be a JSON string, got nothing")
	}
	switch b[0] {
	case '"':
		var s string
		if json.Unmarshal(b, &s) != nil {
			return errors.New("secret: a key must be a JSON string, got a malformed one")
		}
		*k = New(s)
		return nil
	case 'n':
		if string(b) == "null" {
			*k = Key{}
			return nil
		}
	}
	return fmt.Errorf("secret: a key must be a JSON string, got %s", jsonKind(b[0]))
}

// jsonKind names the kind of JSON value that starts with c.
func jsonKind(c byte) string {
	switch {
	case c == '{':
		return "an object"
	case c == '[':
		return "an array"
	case c == 't' || c == 'f':
		return "a boolean"
	case c == '-' || '0' <= c && c <= '9':
		return "a number"
	default:
		return "something that is not JSON"
	}
}

// UnmarshalText takes text as the plaintext key; empty text gives the zero
// Key. It is the counterpart of encoding/xml's and JSON map keys' use of
// MarshalText, so such a round trip turns a key into its redacted form:
// only JSON string values carry the plaintext in.
func (k *Key) UnmarshalText(text []byte) error {
	*k = New(string(text))
	return nil
}
