package secret_test

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
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

// FuzzKeyRoundTrip checks Key's promises for any plaintext: the API's JSON
// (a string) and text read the plaintext in whole; every way of writing a
// Key out (JSON, text, fmt, slog, inside a struct) gives the redacted form
// and never the plaintext, so a Key written out and read back holds the
// redacted form; and a malformed JSON value's error does not echo it.
func FuzzKeyRoundTrip(f *testing.F) {
	f.Add("sk-or-v1-d35c0ffee0123456789abcdef0123456789abcdef0123456789ab855d", uint8(0))
	f.Add("sk-or-mgmt-abc0123456789abcdef0123456789abcdef0123456789abcdefwxyz", uint8(2))
	f.Add("", uint8(1))
	f.Add("not-a-key", uint8(3))
	f.Add("sk-or-v1-\u00e9\"\\</script>\x00", uint8(1))
	f.Add("\xff\xfe", uint8(0))
	f.Fuzz(func(t *testing.T, plain string, mode uint8) {
		// Reading: the API's JSON string and text give the plaintext.
		var k secret.Key
		if utf8.ValidString(plain) {
			in, _ := json.Marshal(plain)
			if err := json.Unmarshal(in, &k); err != nil || k.Reveal() != plain {
				t.Fatalf("Unmarshal(%s) = %q, %v", in, k.Reveal(), err)
			}
		}
		if err := k.UnmarshalText([]byte(plain)); err != nil || k.Reveal() != plain {
			t.Fatalf("UnmarshalText(%q) = %q, %v", plain, k.Reveal(), err)
		}
		if k.IsZero() != (plain == "") {
			t.Fatalf("IsZero() = %v for %q", k.IsZero(), plain)
		}

		// Writing: only ever the redacted form, which reads back as itself.
		k = secret.New(plain)
		red := secret.Redact(plain)
		out, err := json.Marshal(k)
		if want, _ := json.Marshal(red); err != nil || string(out) != string(want) {
			t.Fatalf("Marshal = %s, %v; want %s", out, err, want)
		}
		var back secret.Key
		if err := json.Unmarshal(out, &back); err != nil || back.Reveal() != red {
			t.Fatalf("a marshalled Key read back as %q, %v; want the redacted %q", back.Reveal(), err, red)
		}
		if text, err := k.MarshalText(); err != nil || string(text) != red {
			t.Fatalf("MarshalText = %q, %v; want %q", text, err, red)
		}

		// No output holds a key-shaped plaintext made from the input.
		key := fuzzSecret(plain, mode|1)
		k = secret.New(key)
		var logged strings.Builder
		slog.New(slog.NewJSONHandler(&logged, nil)).Info("m", "k", k, "s", struct{ K secret.Key }{k})
		slog.New(slog.NewTextHandler(&logged, nil)).Info("m", "k", k, "p", &k)
		js, _ := json.Marshal(map[string]any{"k": k, "s": struct{ K secret.Key }{k}, "p": &k, "m": map[secret.Key]int{k: 1}})
		for _, s := range []string{
			logged.String(), string(js),
			fmt.Sprintf("%v %+v %#v %s %q %x %X %d %10.3s %p", k, k, k, k, k, k, k, k, k, k),
			fmt.Sprint([]secret.Key{k}, &k, struct{ k secret.Key }{k}),
		} {
			if strings.Contains(s, key[len(secret.Prefix(key)):]) {
				t.Fatalf("output holds the plaintext %q: %s", key, s)
			}
		}

		// A JSON value that is not a string fails without echoing it.
		var bad secret.Key
		for _, in := range []string{`{"k":"` + key + `"}`, `["` + key + `"]`, `"` + key} {
			if err := json.Unmarshal([]byte(in), &bad); err == nil || strings.Contains(err.Error(), key[len(secret.Prefix(key)):]) {
				t.Fatalf("Unmarshal(%s) error = %v; want one that does not echo the key", in, err)
			}
		}
	})
}

// FuzzScrubURL hides a key in a URL in a form the fuzzer picks: each byte
// of the key percent-encoded or not, up to three layers deep, with
// malformed escapes and other text around it. No lenient decoding of what
// ScrubURL returns may spell the key.
func FuzzScrubURL(f *testing.F) {
	f.Add("http://127.0.0.1:8080/", "/api/v1?x=%zz", uint64(1), uint8(1))
	f.Add("https://h/", "", uint64(0xffffffffffffffff), uint8(2))
	f.Add("%", "%%7", uint64(0x5555), uint8(3))
	f.Add("", "", uint64(0), uint8(0))
	const key = "sk-or-v1-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	f.Fuzz(func(t *testing.T, before, after string, mask uint64, layers uint8) {
		hidden := key
		for layer := range int(layers % 4) {
			var b strings.Builder
			for i := 0; i < len(hidden); i++ {
				if mask>>((i+layer*7)%64)&1 == 1 {
					fmt.Fprintf(&b, "%%%02X", hidden[i])
				} else {
					b.WriteByte(hidden[i])
				}
			}
			hidden = b.String()
		}
		out := secret.ScrubURL(before + hidden + after)
		d := out
		for range 8 {
			if strings.Contains(d, key) || secret.Scrub(d) != d {
				t.Fatalf("ScrubURL(%q) = %q: a decoding spells a key (%q)", before+hidden+after, out, d)
			}
			next := lenientDecode(d)
			if next == d {
				break
			}
			d = next
		}
	})
}

// lenientDecode decodes every valid %XX of s, as a browser or a log viewer
// might, independently of the package's own decoder.
func lenientDecode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
				b.WriteByte(byte(v))
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// FuzzScrubURLMixed is FuzzScrubURL with JSON escapes in the mix: each byte
// of the key, on each of up to three layers, is kept, percent-encoded or
// written as a JSON \u00XX escape, as the fuzzer picks, so that a % may
// itself be JSON-escaped ("\u002573k-or-…") and a backslash
// percent-encoded. No chain of lenient decodings (percent, JSON, or both
// at each step) of what ScrubURL returns may spell the key.
func FuzzScrubURLMixed(f *testing.F) {
	f.Add("http://127.0.0.1:8080/", "?x=%zz", uint64(0b1001), uint8(2))
	f.Add(`{"location":"`, `"}`, uint64(0xaaaaaaaaaaaaaaaa), uint8(3))
	f.Add("", "", uint64(0x5555555555555555), uint8(1))
	const key = "sk-or-v1-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	f.Fuzz(func(t *testing.T, before, after string, mask uint64, layers uint8) {
		hidden := key
		for layer := range int(layers % 4) {
			var b strings.Builder
			for i := 0; i < len(hidden); i++ {
				switch mask >> ((2*i + layer*5) % 63) & 3 {
				case 1:
					fmt.Fprintf(&b, "%%%02X", hidden[i])
				case 2:
					fmt.Fprintf(&b, `\u%04x`, hidden[i])
				default:
					b.WriteByte(hidden[i])
				}
			}
			hidden = b.String()
		}
		in := before + hidden + after
		out := secret.ScrubURL(in)
		for _, step := range []func(string) string{
			lenientDecode,
			lenientJSONDecode,
			func(s string) string { return lenientDecode(lenientJSONDecode(s)) },
		} {
			d := out
			for range 8 {
				if strings.Contains(d, key) || secret.Scrub(d) != d {
					t.Fatalf("ScrubURL(%q) = %q: a decoding spells a key (%q)", in, out, d)
				}
				next := step(d)
				if next == d {
					break
				}
				d = next
			}
		}
	})
}

// lenientJSONDecode decodes every \uXXXX of s below 0x80, \/ and \\, as a
// reader of JSON might, independently of the package's own decoder.
func lenientJSONDecode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			if s[i+1] == '\\' || s[i+1] == '/' {
				b.WriteByte(s[i+1])
				i++
				continue
			}
			if s[i+1] == 'u' && i+5 < len(s) {
				if v, err := strconv.ParseUint(s[i+2:i+6], 16, 16); err == nil && v < 0x80 {
					b.WriteByte(byte(v))
					i += 5
					continue
				}
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
