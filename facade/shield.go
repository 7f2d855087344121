package facade

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/orkeys/orkeys/secret"
)

// shield is what one attempt's answer and errors are cleaned of: the API
// key the attempt carried, found whole in every spelling (secret.ScrubURL),
// and the call's own secrets (a provider key in the forms of forms), whose
// fragments are cut too (secret.ScrubFragments), under percent and \u
// escapes as well: a server may echo a provider key cut short, upper-cased
// or split, and an error excerpt cuts bodies where it likes.
type shield struct {
	key     string
	secrets []string
}

// withSecret makes k one of the call's own secrets (config.secrets).
func withSecret(k secret.Key) Option {
	return func(c *config) error {
		if !k.IsZero() {
			c.secrets = append(slices.Clip(c.secrets), forms(k.Reveal())...)
		}
		return nil
	}
}

// forms are the spellings of v a server may echo: itself, its hex, and
// its base64 at each of the three alignments a longer text can put it at
// (for the shifted ones, the part past the first group, which depends on
// v alone), in both alphabets. Letter case is ScrubFragments' to ignore.
func forms(v string) []string {
	out := []string{v, hex.EncodeToString([]byte(v))}
	for shift := range 3 {
		raw := append(make([]byte, shift), v...)
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
			e := enc.EncodeToString(raw)
			if shift > 0 {
				e = e[4:]
			}
			out = append(out, e)
		}
	}
	return out
}

func (s shield) all() []string { return append([]string{s.key}, s.secrets...) }

// text is v without the shield's secrets, percent-escaped ones included.
func (s shield) text(v string) string {
	v = secret.ScrubURL(v, s.all()...)
	if len(s.secrets) > 0 {
		v = secret.ScrubFragments(v, s.secrets...)
		if s.hidden(v) {
			return secret.Placeholder
		}
	}
	return v
}

// hidden reports whether v holds a fragment of the call's secrets under
// percent or \u escapes the other scrubs do not undo (upper-cased, or cut
// short): such text cannot be cut in place, so it is replaced whole.
func (s shield) hidden(v string) bool {
	if strings.Contains(v, "%") {
		if u, err := url.PathUnescape(v); err == nil && secret.ScrubFragments(u, s.secrets...) != u {
			return true
		}
	}
	if strings.Contains(v, `\u`) || strings.Contains(v, `\U`) {
		u := undoUEscapes(v)
		return secret.ScrubFragments(u, s.secrets...) != u
	}
	return false
}

// body is b without the shield's secrets, raw, JSON-escaped or
// percent-escaped. Without secrets of the call's own it is b itself when
// nothing was cut; with them, a JSON body comes back written again from
// its cleaned strings.
func (s shield) body(b []byte) []byte {
	all := s.all()
	b = secret.ScrubBytes(b, all...)
	if bytes.ContainsAny(b, `%\`) {
		// A key may also be percent-escaped inside a string (a URL in a
		// message).
		if clean := secret.ScrubURL(string(b), all...); clean != string(b) {
			b = []byte(clean)
		}
	}
	if len(s.secrets) == 0 {
		return b
	}
	if clean := secret.ScrubFragments(string(b), s.secrets...); clean != string(b) {
		b = []byte(clean)
	}
	if bytes.IndexByte(b, 0) >= 0 {
		// UTF-16 text of ASCII reads as the key once its NULs go; kept
		// without them when that is so.
		plain := string(bytes.ReplaceAll(b, []byte{0}, nil))
		if clean := secret.ScrubFragments(plain, s.secrets...); clean != plain {
			b = []byte(clean)
		}
	}
	// JSON escapes (\u0053…) hide a changed form from the text scrubs: clean
	// every decoded string and write the JSON again.
	var v any
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if d.Decode(&v) != nil || d.More() {
		if s.hidden(string(b)) {
			return []byte(secret.Placeholder)
		}
		return b
	}
	if out, err := json.Marshal(s.strings(v)); err == nil {
		return out
	}
	return b
}

// strings is v, a decoded JSON value, with text cleaned in every string
// and member name.
func (s shield) strings(v any) any {
	switch v := v.(type) {
	case string:
		return s.text(v)
	case map[string]any:
		clean := make(map[string]any, len(v))
		for k, x := range v {
			clean[s.text(k)] = s.strings(x)
		}
		return clean
	case []any:
		for i, x := range v {
			v[i] = s.strings(x)
		}
	}
	return v
}

// header is a copy of h without the shield's secrets in names or values.
func (s shield) header(h http.Header) http.Header {
	out := secret.ScrubHeader(h, s.all()...)
	if len(s.secrets) == 0 {
		return out
	}
	// In sorted order, as ScrubHeader does, so that names cleaned to one
	// merge their values the same way every time.
	clean := make(http.Header, len(out))
	for _, name := range slices.Sorted(maps.Keys(out)) {
		to := http.CanonicalHeaderKey(s.text(name))
		if _, ok := clean[to]; !ok {
			clean[to] = nil
		}
		for _, v := range out[name] {
			clean[to] = append(clean[to], s.text(v))
		}
	}
	return clean
}

// undoUEscapes replaces every \uXXXX (or \UXXXX) escape in v with its
// character. (No regexp: it would weigh on every binary that links the
// facade.)
func undoUEscapes(v string) string {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] == '\\' && i+5 < len(v) && (v[i+1] == 'u' || v[i+1] == 'U') {
			if r, err := strconv.ParseUint(v[i+2:i+6], 16, 32); err == nil {
				b.WriteRune(rune(r))
				i += 5
				continue
			}
		}
		b.WriteByte(v[i])
	}
	return b.String()
}
