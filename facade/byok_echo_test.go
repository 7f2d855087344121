package facade_test

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/fake"
	"github.com/orkeys/orkeys/secret"
)

// uEscape is a JSON \u escape of an ASCII character.
var uEscape = regexp.MustCompile(`\\u00([0-9a-fA-F]{2})`)

// holdsFragment reports whether s, or s with JSON escapes, percent escapes
// and NUL bytes undone, holds FragmentLen or more consecutive characters of
// key, its hex or its base64 at any alignment, in any letter case.
func holdsFragment(s, key string) bool {
	unescaped := uEscape.ReplaceAllStringFunc(s, func(m string) string {
		b, _ := hex.DecodeString(m[4:])
		return string(b)
	})
	if u, err := url.PathUnescape(unescaped); err == nil {
		unescaped = u
	}
	lower := strings.ToLower(s + "\n" + strings.ReplaceAll(unescaped, "\x00", ""))
	forms := []string{key, hex.EncodeToString([]byte(key))}
	for shift := range 3 {
		forms = append(forms, base64.StdEncoding.EncodeToString(append(make([]byte, shift), key...))[4*min(shift, 1):])
	}
	for _, form := range forms {
		form = strings.ToLower(form)
		for i := 0; i+secret.FragmentLen <= len(form); i++ {
			if strings.Contains(lower, form[i:i+secret.FragmentLen]) {
				return true
			}
		}
	}
	return false
}

// A server that echoes the provider key changed (cut short by the error
// excerpt, upper-cased, in base64, split in two, in metadata, the code or
// a header) or in a successful answer's fields gets none of it into any
// value the caller holds: the error's text and fields, the decoded answer,
// the raw body of WithResponseBodyInto.
func TestProviderKeyEchoInAnyForm(t *testing.T) {
	clearEnv(t)
	pad := strings.Repeat("x", 170)
	echoes := map[string]fake.Fault{
		"excerpt cuts it": {Status: 400, Header: http.Header{"Content-Type": {"text/plain"}}, Body: pad + " " + providerKey},
		"upper-cased":     {Status: 400, Body: `{"error":{"code":400,"message":"bad key ` + strings.ToUpper(providerKey) + `"}}`},
		"base64":          {Status: 400, Body: `{"error":{"code":400,"message":"bad key ` + base64.StdEncoding.EncodeToString([]byte(providerKey)) + `"}}`},
		"split":           {Status: 400, Body: `{"error":{"code":400,"message":"part1=` + providerKey[:16] + ` part2=` + providerKey[16:] + `"}}`},
		"metadata":        {Status: 400, Body: `{"error":{"code":400,"message":"no","metadata":{"provider_key":"` + providerKey + `"}}}`},
		"code":            {Status: 400, Body: `{"error":{"code":"` + providerKey + `","message":"no"}}`},
		"header":          {Status: 400, Header: http.Header{"X-Echo": {providerKey}}},
		"upper-cased in \\u escapes, in the label":  {Status: 200, Body: `{"data":{"id":"11111111-2222-4333-8444-555555555555","provider":"openai","label":"` + uEscapeAll(strings.ToUpper(providerKey)) + `"}}`},
		"a fragment in \\u escapes":                 {Status: 400, Body: `{"error":{"code":400,"message":"no","metadata":{"k":"` + uEscapeAll(providerKey[3:19]) + `"}}}`},
		"percent-encoded upper-cased":               {Status: 400, Body: `{"error":{"code":400,"message":"bad key ` + percentAll(strings.ToUpper(providerKey)) + `"}}`},
		"percent-encoded fragment":                  {Status: 400, Body: `{"error":{"code":400,"message":"bad key ` + percentAll(providerKey[5:22]) + `"}}`},
		"hex":                                       {Status: 400, Body: `{"error":{"code":400,"message":"bad key ` + strings.ToUpper(hex.EncodeToString([]byte(providerKey))) + `"}}`},
		"base64 shifted by a byte":                  {Status: 400, Body: `{"error":{"code":400,"message":"body was ` + base64.StdEncoding.EncodeToString([]byte("{"+providerKey)) + `"}}`},
		"upper-cased in \\u escapes, in plain text": {Status: 400, Header: http.Header{"Content-Type": {"text/plain"}}, Body: "bad key " + uEscapeAll(strings.ToUpper(providerKey))},
		"UTF-16":       {Status: 400, Header: http.Header{"Content-Type": {"text/plain"}}, Body: utf16(providerKey)},
		"in the label": {Status: 200, Body: `{"data":{"id":"11111111-2222-4333-8444-555555555555","provider":"openai","label":"` + providerKey + `","name":"` + providerKey[:20] + `"}}`},
	}
	for name, fault := range echoes {
		t.Run(name, func(t *testing.T) {
			f := newPlaneFixture(t)
			c := f.client(t, facade.WithRetryConfig(facade.RetryConfig{Strategy: "none"}))
			var shown []string
			for _, op := range []string{"create", "update"} {
				echo := fault
				echo.Method, echo.Path = http.MethodPost, "/byok"
				if op == "update" {
					echo.Method, echo.Path = http.MethodPatch, "/byok/{id}"
				}
				if echo.Status == 200 && op == "create" {
					echo.Status = 201
				}
				f.srv.Inject(echo)
				var raw []byte
				var got any
				var err error
				if op == "create" {
					got, err = c.BYOK.Create(t.Context(), facade.CreateBYOKKeyRequest{RequestBody: facade.CreateBYOKKeyRequestBody{
						Provider: "openai", Key: secret.New(providerKey)}}, facade.WithResponseBodyInto(&raw))
				} else {
					got, err = c.BYOK.Update(t.Context(), facade.UpdateBYOKKeyRequest{ID: f.byok.ID, RequestBody: facade.UpdateBYOKKeyRequestBody{
						Key: facade.Ptr(secret.New(providerKey))}}, facade.WithResponseBodyInto(&raw))
				}
				shown = append(shown, fmt.Sprintf("%+v", got), string(raw))
				if fault.Status >= 400 {
					e, ok := errors.AsType[*facade.APIError](err)
					if !ok {
						t.Fatalf("%s: err = %v, want an *APIError", op, err)
					}
					shown = append(shown, err.Error(), fmt.Sprintf("%#v", *e), e.Message, e.CodeText, string(e.Body), fmt.Sprint(e.Metadata), fmt.Sprint(e.Header))
				} else if err != nil {
					t.Fatalf("%s: %v", op, err)
				}
			}
			for i, s := range shown {
				if holdsFragment(s, providerKey) {
					t.Errorf("value %d holds part of the provider key: %s", i, s)
				}
			}
		})
	}
}

// The cut is made in place: a create whose answer was lost is still a
// *MaybeCreatedError, with its message, when the server's error (here a
// redirect's Location) echoes the provider key.
func TestProviderKeyEchoKeepsTheErrorsType(t *testing.T) {
	clearEnv(t)
	f := newPlaneFixture(t)
	c := f.client(t, facade.WithRetryConfig(facade.RetryConfig{Strategy: "none"}))
	f.srv.Inject(fake.Fault{Method: http.MethodPost, Path: "/byok", Status: 503, Body: `{"error":{"code":503,"message":"down for ` + providerKey + `"}}`})
	_, err := c.BYOK.Create(t.Context(), facade.CreateBYOKKeyRequest{RequestBody: facade.CreateBYOKKeyRequestBody{Provider: "openai", Name: facade.Ptr("prod"), Key: secret.New(providerKey)}})
	if _, ok := errors.AsType[*facade.MaybeCreatedError](err); !ok || err.Error() == "" || holdsFragment(err.Error(), providerKey) {
		t.Fatalf("err = %v (%T), want a *MaybeCreatedError without the key", err, err)
	}
	if _, ok := errors.AsType[*facade.APIError](err); !ok || !strings.Contains(err.Error(), "503") {
		t.Errorf("the 503 is gone from %v", err)
	}

	// A redirect elsewhere, its Location holding the key: refused, and
	// still a create that may have happened.
	f.srv.Inject(fake.Fault{Method: http.MethodPost, Path: "/byok", Status: 307,
		Header: http.Header{"Location": {"http://127.0.0.2:9/steal?k=" + providerKey + "&u=" + strings.ToUpper(providerKey)}}})
	_, err = c.BYOK.Create(t.Context(), facade.CreateBYOKKeyRequest{RequestBody: facade.CreateBYOKKeyRequestBody{Provider: "openai", Name: facade.Ptr("prod"), Key: secret.New(providerKey)}})
	if _, ok := errors.AsType[*facade.MaybeCreatedError](err); !ok || holdsFragment(err.Error(), providerKey) || holdsFragment(fmt.Sprintf("%#v", err), providerKey) {
		t.Fatalf("redirect: err = %v (%T), want a *MaybeCreatedError without the key", err, err)
	}
}

func uEscapeAll(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		fmt.Fprintf(&b, `\u%04X`, c)
	}
	return b.String()
}

func percentAll(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

func utf16(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		b.WriteByte(c)
		b.WriteByte(0)
	}
	return b.String()
}
