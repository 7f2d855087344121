package facade

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"slices"

	"github.com/orkeys/orkeys/secret"
)

// shield is what one attempt's answer and errors are cleaned of: the API
// key the attempt carried, found whole in every spelling (secret.ScrubURL),
// and the call's own secrets (a provider key and its base64 forms), whose
// fragments are cut too (secret.ScrubFragments): a server may echo a
// provider key cut short, upper-cased or split, and an error excerpt cuts
// bodies where it likes.
type shield struct {
	key     string
	secrets []string
}

// withSecret makes k one of the call's own secrets (config.secrets).
func withSecret(k secret.Key) Option {
	return func(c *config) error {
		if !k.IsZero() {
			v := k.Reveal()
			c.secrets = append(slices.Clip(c.secrets), v,
				base64.StdEncoding.EncodeToString([]byte(v)), base64.URLEncoding.EncodeToString([]byte(v)))
		}
		return nil
	}
}

func (s shield) all() []string { return append([]string{s.key}, s.secrets...) }

// text is v without the shield's secrets.
func (s shield) text(v string) string {
	v = secret.ScrubURL(v, s.all()...)
	if len(s.secrets) > 0 {
		v = secret.ScrubFragments(v, s.secrets...)
	}
	return v
}

// body is b without the shield's secrets, raw, JSON-escaped or
// percent-escaped; b itself when nothing was cut.
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
	if len(s.secrets) > 0 {
		if clean := secret.ScrubFragments(string(b), s.secrets...); clean != string(b) {
			b = []byte(clean)
		}
	}
	return b
}

// header is a copy of h without the shield's secrets in names or values.
func (s shield) header(h http.Header) http.Header {
	out := secret.ScrubHeader(h, s.all()...)
	if len(s.secrets) == 0 {
		return out
	}
	clean := make(http.Header, len(out))
	for name, vs := range out {
		for _, v := range vs {
			clean[http.CanonicalHeaderKey(s.text(name))] = append(clean[http.CanonicalHeaderKey(s.text(name))], s.text(v))
		}
		if vs == nil {
			clean[s.text(name)] = nil
		}
	}
	return clean
}
