package facade

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode"
)

// The seeds below run in every `go test`; `make fuzz` explores further.

func FuzzParseRetryAfter(f *testing.F) {
	for _, seed := range []struct{ ms, secs string }{
		{"", "1"}, {"", "0"}, {"", "-1"}, {"", "2e299"}, {"", "1e999"}, {"", "NaN"},
		{"", "Inf"}, {"", "0x10"}, {"", "1_000"}, {"", " 3 "}, {"", "soon"},
		{"", "Sun, 06 Nov 1994 08:49:37 GMT"}, {"", "Sunday, 06-Nov-94 08:49:37 GMT"},
		{"", "Sun Nov  6 08:49:37 1994"}, {"", "Fri, 31 Dec 9999 23:59:59 GMT"},
		{"150", ""}, {"-150", "2"}, {"2e299", ""}, {"1e-9", ""}, {"+Inf", "1"}, {"9223372036854775807", ""},
	} {
		f.Add(seed.ms, seed.secs)
	}
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, ms, secs string) {
		h := http.Header{}
		if ms != "" {
			h.Set("Retry-After-Ms", ms)
		}
		if secs != "" {
			h.Set("Retry-After", secs)
		}
		got := parseRetryAfter(h, now)
		if got < 0 || got > maxHint {
			t.Fatalf("parseRetryAfter(ms=%q, secs=%q) = %v, outside [0, %v]", ms, secs, got, maxHint)
		}
		if ms == "" && secs == "" && got != 0 {
			t.Fatalf("no header gave %v", got)
		}
	})
}

// fuzzSecret is the key a fuzzed server might echo back.
const fuzzSecret = "sk-or-v1-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

func FuzzDecodeAPIError(f *testing.F) {
	seeds := []struct {
		status int
		body   string
	}{
		{404, `{"error":{"code":404,"message":"Resource not found"}}`},
		{400, `{"error":{"code":"400","message":"name is required","metadata":{"field":"name"}}}`},
		{429, `{"error":{"code":429.5,"message":"slow down"}}`},
		{500, `{"error":"plain string error"}`},
		{502, `<html><body>Bad gateway</body></html>`},
		{503, "line one\nline two\r\n\tline three"},
		{500, `{"error":{"message":"multi\nline\u2028message\u0085here\u000bend"}}`},
		{401, `{"error":{"message":"bad key ` + fuzzSecret + `"}}`},
		{401, `{"error":{"message":"bad key \u0073k-or-v1-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}}`},
		{401, `{"error":{"message":"x","metadata":{"key":"` + fuzzSecret + `"}}}`},
		{401, `{"error":{"code":"\u0073k-or-v1-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","message":"x"}}`},
		{401, `{"error":{"message":"x","metadata":{"\u0073k-or-v1-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef":[{"\u0073k-or-v1-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef":1}]}}}`},
		{400, `{"error":null}`},
		{400, `{"error":{"code":null,"message":""}}`},
		{418, ``},
		{999, "\xff\xfe\x00garbage"},
		{0, `{}`},
		{-1, `[`},
		{500, strings.Repeat("é", 300)},
		{500, `{"error":{"message":"only\u2028separator"}}`},
		{500, "\x1b[31mred\x1b[0m \u2029"},
	}
	for _, s := range seeds {
		f.Add(s.status, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		header := http.Header{"Content-Type": {"application/json"}}
		e := decodeAPIError(status, header, bytes.Clone(body), shield{key: fuzzSecret})
		if e.StatusCode != status {
			t.Fatalf("status %d became %d", status, e.StatusCode)
		}
		msg := e.Error()
		for _, r := range msg {
			if r == '\n' || r == '\r' || r == '\v' || r == '\f' || r == 0x85 || r == 0x2028 || r == 0x2029 || (unicode.IsControl(r) && r != ' ') {
				t.Fatalf("Error() is not one printable line: %q", msg)
			}
		}
		for name, s := range map[string]string{
			"Error()":  msg,
			"Message":  e.Message,
			"Body":     string(e.Body),
			"CodeText": e.CodeText,
			"Metadata": fmt.Sprint(e.Metadata),
			"%+v":      fmt.Sprintf("%+v", e),
		} {
			if strings.Contains(s, fuzzSecret) {
				t.Fatalf("%s holds the secret: %q", name, s)
			}
		}
		if t := e.typed(); t.Error() != msg {
			panic("typed error changed the message")
		}
	})
}

func FuzzDecodeKey(f *testing.F) {
	seeds := []string{
		`{"data":{"hash":"abc","name":"k","label":"sk-or-v1-012...cdef"},"key":"` + fuzzSecret + `"}`,
		`{"key":"sk-or-v1-short"}`,
		`{"key":"not-an-openrouter-key-but-long-enough"}`,
		`{"key":"` + strings.Repeat("x", 200) + `"}`,
		`{"key":"sk-or-v1-\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9"}`,
		`{"key":"sk-or-v1-0123456789abcdef0123456789abcdef0123456789abcdef012345678\ud800"}`,
		`{"key":null}`,
		`{"key":123}`,
		`{"key":""}`,
		`{}`,
		`[`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var resp CreateKeysResponse
		if err := json.Unmarshal(data, &resp); err != nil {
			if raw := resp.Key.Reveal(); len(raw) > 19 && strings.Contains(err.Error(), raw) {
				t.Fatalf("decode error holds the key: %v", err)
			}
			return
		}
		k := resp.Key
		raw := k.Reveal()
		// Printed or encoded, the key is shortened to at most 20 bytes, so
		// a key longer than that can never show in full.
		if len(raw) <= 20 {
			return
		}
		out, err := json.Marshal(resp)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		var logged bytes.Buffer
		slog.New(slog.NewTextHandler(&logged, nil)).Info("created", "key", k, "resp", struct{ Key SecretKey }{k})
		slog.New(slog.NewJSONHandler(&logged, nil)).Info("created", "key", k)
		printed := []string{
			fmt.Sprint(k), fmt.Sprintf("%s|%v|%+v|%#v|%q|%x|%X|%10s|%d", k, k, k, k, k, k, k, k, k),
			fmt.Sprintf("%v %+v %#v", struct{ Key SecretKey }{k}, &struct{ Key SecretKey }{k}, []SecretKey{k}),
			logged.String(), string(out), fmt.Sprintf("%p", &k),
		}
		for _, s := range printed {
			if strings.Contains(s, raw) {
				t.Fatalf("printed form holds the key %q: %q", raw, s)
			}
		}
	})
}

// FuzzDecodeAPIErrorEcho hides a key (either prefix, not the request's own)
// in an error body, JSON-escaped character by character as mask says, and
// in a header name and value: none of the APIError's fields shows it, raw or
// once the body's JSON is decoded.
func FuzzDecodeAPIErrorEcho(f *testing.F) {
	f.Add(401, `{"error":{"code":401,"message":"bad key: %s"}}`, "d35c0ffee0123456789abcdef", uint64(0), false)
	f.Add(401, `{"error":{"code":401,"message":"bad key: %s"}}`, "abc0123456789abcdefwxyz", uint64(1), true)
	f.Add(403, `{"error":{"message":"x","metadata":{"%s":["%s"]}}}`, "0123456789abcdef0123", ^uint64(0), false)
	f.Add(500, `<html>%s</html>`, "fedcba98765432100123", uint64(0xaaaa), true)
	f.Add(400, `{"error":"%s"}`, "k3yk3yk3yk3yk3yk3yk3y", uint64(0x0f0f), false)
	f.Fuzz(func(t *testing.T, status int, template, seed string, mask uint64, mgmt bool) {
		key := "sk-or-v1-"
		if mgmt {
			key = "sk-or-mgmt-"
		}
		for i := range max(len(seed), 16) {
			c := byte('a')
			if i < len(seed) {
				c = seed[i]
			}
			key += string("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"[int(c)%62])
		}
		var esc strings.Builder
		for i, r := range key {
			if mask&(1<<(i%64)) != 0 {
				fmt.Fprintf(&esc, `\u%04x`, r)
			} else {
				esc.WriteRune(r)
			}
		}
		body := strings.ReplaceAll(template, "%s", esc.String())
		if !strings.Contains(template, "%s") {
			body += esc.String()
		}
		header := http.Header{"X-" + key: {key}, "Content-Type": {"application/json"}}
		e := decodeAPIError(status, header, []byte(body), shield{key: fuzzSecret})

		fields := []string{e.Error(), e.Message, e.CodeText, string(e.Body), fmt.Sprint(e.Metadata), fmt.Sprint(e.Header)}
		var decoded any
		if json.Unmarshal(e.Body, &decoded) == nil {
			fields = append(fields, fmt.Sprint(decoded))
		}
		tail := strings.ToLower(key[len(key)-16:])
		if strings.Contains(strings.ToLower(template), tail) {
			return // the template spells the key's body by itself, prefix-less
		}
		for _, s := range fields {
			if strings.Contains(s, key) || strings.Contains(strings.ToLower(s), tail) {
				t.Fatalf("the echoed key %s shows in %q (body %q)", key, s, body)
			}
		}
	})
}
