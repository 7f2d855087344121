package secret_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/orkeys/orkeys/secret"
)

// escapeAll spells every character of s as a \u escape (surrogate pairs
// beyond the BMP), upper-case hex when upper.
func escapeAll(s string, upper bool) string {
	var b strings.Builder
	format := `\u%04x`
	if upper {
		format = `\u%04X`
	}
	for _, r := range s {
		if r > 0xFFFF {
			r1, r2 := utf16.EncodeRune(r)
			fmt.Fprintf(&b, format+format, r1, r2)
			continue
		}
		fmt.Fprintf(&b, format, r)
	}
	return b.String()
}

// jsonQuote returns s as the inside of a JSON string, the way a server that
// echoes s in a JSON body writes it.
func jsonQuote(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	return string(b[1 : len(b)-1])
}

// unescapeOnce is the test's own JSON unescaper, written apart from the
// package's so that the two check each other. It decodes one layer; what is
// not a valid escape stays as it is, and a lone surrogate becomes U+FFFD.
func unescapeOnce(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		if c := s[i+1]; strings.IndexByte(`"\/bfnrt`, c) >= 0 {
			b.WriteByte(map[byte]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}[c])
			i++
			continue
		}
		u1, ok1 := parseU(s[i:])
		if !ok1 {
			b.WriteByte(s[i])
			continue
		}
		if utf16.IsSurrogate(u1) {
			if u2, ok2 := parseU(s[i+6:]); ok2 && utf16.DecodeRune(u1, u2) != utf8.RuneError {
				b.WriteRune(utf16.DecodeRune(u1, u2))
				i += 11
				continue
			}
			u1 = utf8.RuneError
		}
		b.WriteRune(u1)
		i += 5
	}
	return b.String()
}

// parseU parses a \uXXXX escape at the start of s.
func parseU(s string) (rune, bool) {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' || strings.ContainsAny(s[2:6], "+-_") {
		return 0, false
	}
	n, err := strconv.ParseUint(s[2:6], 16, 16)
	return rune(n), err == nil
}

// layers returns s and each layer of JSON unescaping under it, down to the
// first that decodes no further.
func layers(s string) []string {
	out := []string{s}
	for {
		next := unescapeOnce(s)
		if next == s {
			return out
		}
		out = append(out, next)
		s = next
	}
}

var tokenRE = regexp.MustCompile(`sk-or-(?:v1|mgmt)-[A-Za-z0-9_-]+`)

// exposed returns what in out a reader could still take for a secret: a
// secret, or a key-shaped token other than a redacted form, in out or in any
// layer of unescaping it.
func exposed(out string, secrets ...string) string {
	for _, l := range layers(out) {
		for _, s := range secrets {
			if s != "" && strings.Contains(l, s) {
				return fmt.Sprintf("secret %q in %q", s, l)
			}
		}
		for _, loc := range tokenRE.FindAllStringIndex(l, -1) {
			tok := l[loc[0]:loc[1]]
			body := tok[len(secret.Prefix(tok)):]
			if len(body) != 3 || !strings.HasPrefix(l[loc[1]:], "…") {
				return fmt.Sprintf("token %q in %q", tok, l)
			}
		}
	}
	return ""
}

func TestScrub(t *testing.T) {
	const other = "sk-or-v1-0000111122223333444455556666777788889999aaaabbbbccccdddd7777"
	const otherRedacted = "sk-or-v1-000…7777"
	const password = "hunter2/correct+horse"
	const emojiSecret = "tok🔑en-ünïcode-secret"
	pwEscaped := strings.ReplaceAll(password, "/", `\/`) // encoding/json leaves "/" alone
	for _, tc := range []struct {
		name    string
		text    string
		secrets []string
		want    string
	}{
		{"empty", "", []string{plain}, ""},
		{"nothing to cut", "status 401: invalid credentials", []string{plain}, "status 401: invalid credentials"},
		{"no secrets given", "key " + plain + " rejected", nil, "key " + redacted + " rejected"},
		{"raw v1", "key " + plain + " rejected", []string{plain}, "key " + redacted + " rejected"},
		{"raw mgmt", "key " + mgmtPlain + " rejected", nil, "key " + mgmtRedacted + " rejected"},
		{"unknown key not given", "a " + other + " b", []string{plain}, "a " + otherRedacted + " b"},
		{"twice", plain + " " + plain[:9] + "x " + plain, []string{plain}, redacted + " [redacted] " + redacted},
		{"joined", plain + plain, nil, "sk-or-v1-d35…855d"},
		{"empty secret ignored", "a b", []string{"", ""}, "a b"},
		{"non-key secret", "password " + password + " rejected", []string{"", password}, "password [redacted] rejected"},
		{"key run on", "k=" + plain + "EXTRA", []string{plain}, "k=sk-or-v1-d35…XTRA"},
		{"header value", "Bearer " + plain, nil, "Bearer " + redacted},
		{"header name", "X-Echo-" + mgmtPlain, nil, "X-Echo-" + mgmtRedacted},
		{"json body", `{"error":{"message":"bad key ` + plain + `","code":401}}`, []string{plain},
			`{"error":{"message":"bad key ` + redacted + `","code":401}}`},
		{"fully escaped", `{"m":"` + escapeAll(plain, false) + `"}`, []string{plain}, `{"m":"` + redacted + `"}`},
		{"fully escaped, upper-case hex, not given", `{"m":"` + escapeAll(mgmtPlain, true) + `"}`, nil, `{"m":"` + mgmtRedacted + `"}`},
		{"first letter escaped", `"\u0073` + plain[1:] + `"`, nil, `"` + redacted + `"`},
		{"middle escaped", `"` + plain[:13] + `\u0037` + plain[14:] + `"`, []string{plain}, `"` + redacted + `"`},
		{"prefix escaped only", `"` + escapeAll(secret.PrefixMgmt, false) + mgmtPlain[11:] + `"`, nil, `"` + mgmtRedacted + `"`},
		{"escaped dash", `sk\u002dor\u002dv1\u002d` + plain[9:], nil, redacted},
		{"slash escape", `{"p":"` + pwEscaped + `"}`, []string{password}, `{"p":"[redacted]"}`},
		{"slash escaped and not", `hunter2\/correct+horse and hunter2/correct+horse`, []string{password}, `[redacted] and [redacted]`},
		{"surrogate pair", `{"s":"` + escapeAll(emojiSecret, false) + `"}`, []string{emojiSecret}, `{"s":"[redacted]"}`},
		{"mixed escapes", `{"s":"tok\ud83d\udd11en-\u00fcn\u00efcode-secret"}`, []string{emojiSecret}, `{"s":"[redacted]"}`},
		{"escapes around kept", `{"m":"line\none \"` + escapeAll(plain, false) + `\" \/ end"}`, nil,
			`{"m":"line\none \"` + redacted + `\" \/ end"}`},
		{"raw and escaped", plain + ` \n ` + escapeAll(other, false), nil, redacted + ` \n ` + otherRedacted},
		{"double escaped", `{"raw":"{\"error\":\"` + jsonQuote(escapeAll(plain, false)) + `\"}"}`, nil,
			`{"raw":"{\"error\":\"` + redacted + `\"}"}`},
		{"double escaped secret", `{"raw":"{\"p\":\"` + jsonQuote(pwEscaped) + `\"}"}`, []string{password},
			`{"raw":"{\"p\":\"[redacted]\"}"}`},
		{"invalid escapes around", `C:\temp\` + plain + `\x\u12`, nil, `C:\temp\` + redacted + `\x\u12`},
		{"lone surrogate", `\ud800` + plain + `\udc00x`, nil, `\ud800` + redacted + `\udc00x`},
		{"redacted form kept", "key " + redacted + " and " + mgmtRedacted, []string{plain}, "key " + redacted + " and " + mgmtRedacted},
		{"escaped redacted form", `key sk-or-v1-d35\u2026855d`, nil, `key [redacted]\u2026855d`},
		{"short token", "key sk-or-v1-short rejected", nil, "key [redacted] rejected"},
		{"dashed token", "key sk-or-v1-per-call-key-0000000000000000000000.", nil, "key sk-or-v1-per…0000."},
		{"bare prefixes", "prefixes sk-or-v1- and sk-or-mgmt- and sk-or-v2-abc", nil, "prefixes sk-or-v1- and sk-or-mgmt- and sk-or-v2-abc"},
		{"overlapping secret", "xaaaaay", []string{"aaa"}, "x[redacted]y"},
		{"secret inside the placeholder", "red alert", []string{"red"}, ""},
		{"too deep", strings.Repeat(`\u005c`, 1) + strings.Repeat(`u005c`, 9) + "u0041", nil, "[redacted]"},
		{"deep but not too deep", `\\\\\\\\` + "u0041", nil, `\\\\\\\\` + "u0041"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := secret.Scrub(tc.text, tc.secrets...)
			if got != tc.want {
				t.Errorf("Scrub(%q)\n got %q\nwant %q", tc.text, got, tc.want)
			}
			if e := exposed(got, tc.secrets...); e != "" {
				t.Errorf("Scrub(%q) = %q exposes %s", tc.text, got, e)
			}
			if b := secret.ScrubBytes([]byte(tc.text), tc.secrets...); string(b) != got {
				t.Errorf("ScrubBytes = %q, Scrub = %q", b, got)
			}
			if json.Valid([]byte(tc.text)) && !json.Valid([]byte(got)) {
				t.Errorf("Scrub(%s) = %s is no longer JSON", tc.text, got)
			}
		})
	}
}

// ScrubBytes hands back the very slice it got when there was nothing to cut,
// and never writes to it.
func TestScrubBytes(t *testing.T) {
	for _, text := range []string{
		"plain text",
		`{"m":"escapes \n \" \u0041 but no key"}`,
		"a redacted form " + redacted,
		"sk-or-v2-not-a-key",
	} {
		in := []byte(text)
		out := secret.ScrubBytes(in, plain)
		if len(out) != len(in) || &out[0] != &in[0] {
			t.Errorf("ScrubBytes(%q) returned a different slice", text)
		}
	}
	if out := secret.ScrubBytes(nil, plain); out != nil {
		t.Errorf("ScrubBytes(nil) = %q", out)
	}
	in := []byte(`{"key":"` + plain + `"}`)
	orig := string(in)
	out := secret.ScrubBytes(in, plain)
	if string(out) != `{"key":"`+redacted+`"}` {
		t.Errorf("ScrubBytes = %s", out)
	}
	if string(in) != orig {
		t.Errorf("ScrubBytes changed its input to %s", in)
	}
}

func TestScrubHeader(t *testing.T) {
	if secret.ScrubHeader(nil, plain) != nil {
		t.Error("ScrubHeader(nil) is not nil")
	}
	empty := http.Header{}
	if got := secret.ScrubHeader(empty); got == nil || len(got) != 0 {
		t.Errorf("ScrubHeader(empty) = %#v", got)
	}

	const pw1, pw2 = "first-password", "second-password"
	h := http.Header{
		"Authorization":      {"Bearer " + plain},
		"X-Echo-" + plain:    {"1"},
		"X-Escaped":          {`{"k":"` + escapeAll(mgmtPlain, false) + `"}`},
		"X-Pw-" + pw2:        {"b1", "b2"},
		"X-Pw-" + pw1:        {"a"},
		"Content-Type":       {"application/json"},
		"X-Nil":              nil,
		"X-Unrelated-Secret": {pw1},
	}
	before := fmt.Sprint(h)
	got := secret.ScrubHeader(h, plain, pw1, pw2)
	want := http.Header{
		"Authorization":      {"Bearer " + redacted},
		"X-Echo-" + redacted: {"1"},
		"X-Escaped":          {`{"k":"` + mgmtRedacted + `"}`},
		// Merged in the order of the original names: X-Pw-first… sorts first.
		"X-Pw-[redacted]":    {"a", "b1", "b2"},
		"Content-Type":       {"application/json"},
		"X-Nil":              nil,
		"X-Unrelated-Secret": {"[redacted]"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ScrubHeader =\n%#v\nwant\n%#v", got, want)
	}
	if fmt.Sprint(h) != before {
		t.Errorf("ScrubHeader changed its input to %v", h)
	}
	for name, vs := range got {
		for _, s := range append(vs, name) {
			if e := exposed(s, plain, mgmtPlain, pw1, pw2); e != "" {
				t.Errorf("ScrubHeader left %s", e)
			}
		}
	}
	// The copy shares nothing with h.
	got["Content-Type"][0] = "changed"
	if h.Get("Content-Type") != "application/json" {
		t.Error("the copy shares values with the input")
	}
}

// The common path, text with no backslash, no "sk-or-" and no secret,
// costs no allocation.
func TestScrubCleanTextDoesNotAllocate(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's bookkeeping can count as allocations")
	}
	text := strings.Repeat("status 401: invalid credentials; ", 20)
	b := []byte(text)
	secrets := []string{plain, mgmtPlain}
	if n := testing.AllocsPerRun(100, func() {
		_ = secret.Scrub(text, secrets...)
		_ = secret.ScrubBytes(b, secrets...)
	}); n != 0 {
		t.Errorf("Scrub of clean text: %v allocations", n)
	}
}

func BenchmarkScrub(b *testing.B) {
	for _, bc := range []struct{ name, text string }{
		{"clean", strings.Repeat("status 401: invalid credentials; ", 30)},
		{"escapes, no key", strings.Repeat(`{\"message\":\"invalid\\n credentials\"} `, 30)},
		{"raw key", strings.Repeat("x", 500) + plain + strings.Repeat("y", 500)},
		{"escaped key", strings.Repeat("x", 500) + escapeAll(plain, false) + strings.Repeat(`\n`, 250)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = secret.Scrub(bc.text, plain)
			}
		})
	}
}
