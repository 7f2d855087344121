package secret_test

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/orkeys/orkeys/secret"
)

// fuzzSecret makes the secret for one FuzzScrub run: key-shaped from seed
// when mode says so, else seed itself.
func fuzzSecret(seed string, mode uint8) string {
	if mode&1 == 0 {
		return seed
	}
	const alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	prefix := secret.PrefixV1
	if mode&2 != 0 {
		prefix = secret.PrefixMgmt
	}
	body := []byte(seed)
	for i, c := range body {
		body[i] = alnum[int(c)%len(alnum)]
	}
	for len(body) < 16 {
		body = append(body, alnum[len(body)])
	}
	return prefix + string(body)
}

// fuzzEscape spells s with JSON escapes: the i-th character escaped when bit
// i%64 of mask is set, and the whole escaped once more (as when a JSON
// document is quoted inside a JSON string) when mode says so.
func fuzzEscape(s string, mask uint64, mode uint8) string {
	var b strings.Builder
	format := `\u%04x`
	if mode&4 != 0 {
		format = `\u%04X`
	}
	for i := 0; len(s) > 0; i++ {
		r, n := utf8.DecodeRuneInString(s)
		c := s[:n]
		s = s[n:]
		switch {
		case mask&(1<<(i%64)) == 0 || r == utf8.RuneError && n == 1:
			// Plain, or a byte that is not UTF-8 and so has no escape.
			b.WriteString(c)
		case r == '/' && mode&8 != 0:
			b.WriteString(`\/`)
		case r > 0xFFFF:
			r1, r2 := utf16.EncodeRune(r)
			fmt.Fprintf(&b, format+format, r1, r2)
		default:
			fmt.Fprintf(&b, format, r)
		}
	}
	out := b.String()
	if mode&16 != 0 {
		out = strings.ReplaceAll(out, `\`, `\\`)
	}
	return out
}

// FuzzScrub checks Scrub's promise: whatever the text, and however a secret
// is escaped in it, the output holds neither the secret nor a key-shaped
// token, as it is or after JSON unescaping; and text with nothing to cut
// comes back unchanged.
func FuzzScrub(f *testing.F) {
	f.Add("", "", uint64(0), uint8(0))
	f.Add("status 401", "d35a7c9e1b2d4f6a8c0e2b4d6f8a1c3e", uint64(0), uint8(1))
	f.Add(`{"error":{"message":"bad key: "}}`, "d35a7c9e1b2d4f6a8c0e2b4d6f8a1c3e", ^uint64(0), uint8(1))
	f.Add(`{"error":{"message":"bad key: "}}`, "mgmt0123456789abcdef", uint64(0x5555), uint8(3|4))
	f.Add(`{"raw":"{\"k\":\"\"}"}`, "d35a7c9e1b2d4f6a8c0e2b4d6f8a1c3e", uint64(1), uint8(1|16))
	f.Add(`line\nnext \"q\" `, "pass/word/1234567", uint64(0xf0f0), uint8(8))
	f.Add(`x`, "tok🔑en-ünïcode-secret", ^uint64(0), uint8(0))
	f.Add(`\u005cu005c \\\\ sk-or-v1-`, "abc", uint64(2), uint8(16))
	f.Add("sk-or-v1-abc…wxyz sk-or-mgmt-", "red", uint64(0), uint8(0))
	f.Add(`\ud800\`, "\xff\xfe-invalid", uint64(3), uint8(0))
	f.Fuzz(func(t *testing.T, text, seed string, mask uint64, mode uint8) {
		sec := fuzzSecret(seed, mode)
		if sec == "" {
			// Nothing to hide but key-shaped tokens.
			out := secret.Scrub(text)
			if e := exposed(out); e != "" {
				t.Fatalf("Scrub(%q) = %q exposes %s", text, out, e)
			}
			return
		}
		// Hide the secret in the middle of the text.
		mid := len(text) / 2
		in := text[:mid] + fuzzEscape(sec, mask, mode) + text[mid:]

		out := secret.Scrub(in, sec)
		if e := exposed(out, sec); e != "" {
			t.Fatalf("Scrub(%q, %q) = %q exposes %s", in, sec, out, e)
		}
		if b := secret.ScrubBytes([]byte(in), sec); string(b) != out {
			t.Fatalf("ScrubBytes = %q, Scrub = %q", b, out)
		}
		// Text with nothing to cut comes back as it was, unless its escaping
		// nests deeper than Scrub looks (it replaces such text whole).
		if exposed(text, sec) == "" && len(layers(text)) <= 9 {
			if got := secret.Scrub(text, sec); got != text {
				t.Fatalf("Scrub(%q, %q) = %q, want it unchanged", text, sec, got)
			}
		}
	})
}
