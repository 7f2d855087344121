// Package secret holds the string type orkeys uses for plaintext API keys.
//
// It lives in its own package so that the generated models in gen can name it
// (gen cannot import facade, which imports gen).
package secret

import (
	"fmt"
	"log/slog"
)

// Key is a plaintext OpenRouter API key. It redacts itself wherever Go's
// printing or logging would show it (fmt verbs, %#v, slog); the full value
// comes out only through Reveal and JSON marshalling, which the API itself
// needs.
type Key string

// Reveal returns the full plaintext key. Call it only where the key must
// leave the program: to store it in a secret manager or hand it to its owner.
func (k Key) Reveal() string { return string(k) }

// String returns a redacted form such as "sk-or-v1-d35…855d".
func (k Key) String() string { return Redact(string(k)) }

// GoString redacts %#v output too.
func (k Key) GoString() string { return fmt.Sprintf("secret.Key(%q)", k.String()) }

// Format makes every fmt verb (%s, %v, %+v, %q, %x, …) print the redacted form.
func (k Key) Format(f fmt.State, verb rune) {
	switch verb {
	case 'v':
		if f.Flag('#') {
			fmt.Fprint(f, k.GoString())
			return
		}
		fmt.Fprint(f, k.String())
	case 'q':
		fmt.Fprintf(f, "%q", k.String())
	default:
		fmt.Fprint(f, k.String())
	}
}

// LogValue keeps slog from printing the key.
func (k Key) LogValue() slog.Value { return slog.StringValue(k.String()) }

// Redact shortens a key to a form that identifies it to a person without
// revealing it: the "sk-or-v1-" prefix and three characters, an ellipsis,
// and the last four characters. Short or unknown shapes become "[redacted]".
func Redact(s string) string {
	const prefix = "sk-or-v1-"
	if len(s) < len(prefix)+3+4+8 || s[:len(prefix)] != prefix {
		if s == "" {
			return ""
		}
		return "[redacted]"
	}
	return s[:len(prefix)+3] + "…" + s[len(s)-4:]
}
