package facade_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/orkeys/orkeys/facade"
)

// typedAs reports which of the status types err reaches with errors.As.
func typedAs(err error) []string {
	var (
		bad *facade.BadRequestResponseError
		una *facade.UnauthorizedResponseError
		frb *facade.ForbiddenResponseError
		nf  *facade.NotFoundResponseError
		tmr *facade.TooManyRequestsResponseError
		ise *facade.InternalServerResponseError
		def *facade.OpenRouterDefaultError
	)
	var got []string
	for name, target := range map[string]any{
		"BadRequestResponseError": &bad, "UnauthorizedResponseError": &una,
		"ForbiddenResponseError": &frb, "NotFoundResponseError": &nf,
		"TooManyRequestsResponseError": &tmr, "InternalServerResponseError": &ise,
		"OpenRouterDefaultError": &def,
	} {
		if errors.As(err, target) {
			got = append(got, name)
		}
	}
	return got
}

// Every non-2XX is an error that errors.As turns into *APIError and into
// exactly one status type: the documented ones have their own, the rest are
// OpenRouterDefaultError.
func TestErrorTypePerStatus(t *testing.T) {
	clearEnv(t)
	for _, tc := range []struct {
		status int
		typ    string
	}{
		{400, "BadRequestResponseError"},
		{401, "UnauthorizedResponseError"},
		{403, "ForbiddenResponseError"},
		{404, "NotFoundResponseError"},
		{429, "TooManyRequestsResponseError"},
		{500, "InternalServerResponseError"},
		{402, "OpenRouterDefaultError"},
		{409, "OpenRouterDefaultError"},
		{418, "OpenRouterDefaultError"},
		{502, "OpenRouterDefaultError"},
		{503, "OpenRouterDefaultError"},
	} {
		t.Run(fmt.Sprint(tc.status), func(t *testing.T) {
			body := fmt.Sprintf(`{"error":{"code":%d,"message":"status %d"}}`, tc.status, tc.status)
			srv := newRecorder(t, replyWith(tc.status, body))
			c := srv.client(t)
			for _, op := range sixCalls() {
				err := op.standalone(t.Context(), c)
				// POST /keys wraps 5XX in MaybeCreatedError; the types
				// must still be reachable through it.
				var apiErr *facade.APIError
				if !errors.As(err, &apiErr) {
					t.Fatalf("%s: errors.As(*APIError) failed for %T %v", op.name, err, err)
				}
				if apiErr.StatusCode != tc.status {
					t.Errorf("%s: StatusCode = %d, want %d", op.name, apiErr.StatusCode, tc.status)
				}
				if got := typedAs(err); len(got) != 1 || got[0] != tc.typ {
					t.Errorf("%s: reaches %v, want only %s", op.name, got, tc.typ)
				}
			}
		})
	}
}

// The typed error and the *APIError it wraps are the same error: one
// Error() string, shared fields.
func TestTypedErrorWrapsAPIError(t *testing.T) {
	clearEnv(t)
	srv := newRecorder(t, replyWith(404, `{"error":{"code":404,"message":"Resource not found"}}`))
	c := srv.client(t)
	_, err := c.APIKeys.Get(t.Context(), facade.GetKeyRequest{Hash: testHash})
	var nf *facade.NotFoundResponseError
	var apiErr *facade.APIError
	if !errors.As(err, &nf) || !errors.As(err, &apiErr) {
		t.Fatalf("err = %T %v", err, err)
	}
	if nf.APIError != apiErr || nf.Error() != apiErr.Error() || err.Error() != apiErr.Error() {
		t.Errorf("typed %q and APIError %q differ", nf.Error(), apiErr.Error())
	}
	if errors.Unwrap(nf) != error(apiErr) {
		t.Errorf("Unwrap(%T) = %v", nf, errors.Unwrap(nf))
	}
}

// The documented one-line format, for each operation's path template.
func TestErrorString(t *testing.T) {
	clearEnv(t)
	srv := newRecorder(t, replyWith(404, `{"error":{"code":404,"message":"Resource not found"}}`))
	c := srv.client(t)
	want := map[string]string{
		"List":                  "openrouter: 404 Not Found: Resource not found (GET /keys)",
		"Create":                "openrouter: 404 Not Found: Resource not found (POST /keys)",
		"Get":                   "openrouter: 404 Not Found: Resource not found (GET /keys/{hash})",
		"Update":                "openrouter: 404 Not Found: Resource not found (PATCH /keys/{hash})",
		"Delete":                "openrouter: 404 Not Found: Resource not found (DELETE /keys/{hash})",
		"GetCurrentKeyMetadata": "openrouter: 404 Not Found: Resource not found (GET /key)",
	}
	for _, op := range sixCalls() {
		err := op.standalone(t.Context(), c)
		if err == nil || err.Error() != want[op.name] {
			t.Errorf("%s: Error() = %q, want %q", op.name, err, want[op.name])
		}
	}

	// A status Go has no text for, and no message.
	e := &facade.APIError{StatusCode: 599}
	if got := e.Error(); got != "openrouter: 599" {
		t.Errorf("bare APIError: %q", got)
	}
}

// Every field of the envelope, and the response's header and raw body, are
// on the error.
func TestAPIErrorFields(t *testing.T) {
	clearEnv(t)
	const body = `{"error":{"code":429,"message":"Rate limit exceeded","metadata":{"limit":"10/s","retry":true}},` +
		`"openrouter_metadata":null,"user_id":"user_1"}`
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "req-42")
		replyWith(429, body)(w, r)
	})
	c := srv.client(t)
	_, err := c.APIKeys.List(t.Context(), facade.ListRequest{})
	var e *facade.TooManyRequestsResponseError
	if !errors.As(err, &e) {
		t.Fatalf("err = %T %v", err, err)
	}
	if e.StatusCode != 429 || e.Code != 429 || e.CodeText != "429" || e.Message != "Rate limit exceeded" {
		t.Errorf("StatusCode, Code, CodeText, Message = %d, %d, %q, %q", e.StatusCode, e.Code, e.CodeText, e.Message)
	}
	if want := map[string]any{"limit": "10/s", "retry": true}; !reflect.DeepEqual(e.Metadata, want) {
		t.Errorf("Metadata = %#v, want %#v", e.Metadata, want)
	}
	if got := e.Header.Get("X-Request-Id"); got != "req-42" {
		t.Errorf("Header X-Request-Id = %q", got)
	}
	if string(e.Body) != body {
		t.Errorf("Body = %q, want %q", e.Body, body)
	}
	if e.Method != http.MethodGet || e.Path != "/keys" {
		t.Errorf("Method, Path = %q, %q", e.Method, e.Path)
	}
}

// Bodies that are not the documented envelope still give the typed error
// with its status and a short one-line excerpt, never a decode error.
func TestUndocumentedErrorBodies(t *testing.T) {
	clearEnv(t)
	html := "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\n<center><h1>502 Bad Gateway</h1></center>\n" +
		"<hr><center>cloudflare</center>\n" + strings.Repeat("<!-- padding -->\n", 50) + "</body>\n</html>\n"
	for _, tc := range []struct {
		name        string
		status      int
		contentType string
		body        string
		typ         string
		code        int
		codeText    string
		message     string // exact, or a prefix when it ends in …
	}{
		{"HTML 502", 502, "text/html", html, "OpenRouterDefaultError", 0, "",
			"<html> <head><title>502 Bad Gateway</title></head> <body> <center><h1>502 Bad Gateway</h1></center> <hr><center>cloudflare</center> …"},
		{"empty 500", 500, "", "", "InternalServerResponseError", 0, "", ""},
		{"empty 401", 401, "application/json", "", "UnauthorizedResponseError", 0, "", ""},
		{"code as string", 404, "application/json", `{"error":{"code":"not_found","message":"No such key"}}`,
			"NotFoundResponseError", 0, "not_found", "No such key"},
		{"numeric code as string", 400, "application/json", `{"error":{"code":"400","message":"Bad limit"}}`,
			"BadRequestResponseError", 400, "400", "Bad limit"},
		{"error as plain string", 403, "application/json", `{"error":"Only management keys can do this"}`,
			"ForbiddenResponseError", 0, "", "Only management keys can do this"},
		{"plain text", 429, "text/plain", "slow down\n", "TooManyRequestsResponseError", 0, "", "slow down"},
		{"JSON null", 500, "application/json", "null", "InternalServerResponseError", 0, "", "null"},
		{"metadata null", 400, "application/json", `{"error":{"code":400,"message":"x","metadata":null}}`,
			"BadRequestResponseError", 400, "400", "x"},
		{"message with newlines", 400, "application/json", `{"error":{"code":400,"message":"line one\nline two\r\n"}}`,
			"BadRequestResponseError", 400, "400", "line one line two"},
		{"truncated JSON", 500, "application/json", `{"error":{"code":500,"mess`, "InternalServerResponseError", 0, "", `{"error":{"code":500,"mess`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
				if tc.contentType != "" {
					w.Header().Set("Content-Type", tc.contentType)
				}
				w.WriteHeader(tc.status)
				io.WriteString(w, tc.body)
			})
			c := srv.client(t)
			_, err := c.APIKeys.Get(t.Context(), facade.GetKeyRequest{Hash: testHash})
			var e *facade.APIError
			if !errors.As(err, &e) {
				t.Fatalf("err = %T %v, want an *APIError", err, err)
			}
			var syn *json.SyntaxError
			if errors.As(err, &syn) {
				t.Errorf("a decode error leaks out: %v", err)
			}
			if got := typedAs(err); len(got) != 1 || got[0] != tc.typ {
				t.Errorf("reaches %v, want %s", got, tc.typ)
			}
			if e.StatusCode != tc.status || e.Code != tc.code || e.CodeText != tc.codeText {
				t.Errorf("StatusCode, Code, CodeText = %d, %d, %q; want %d, %d, %q", e.StatusCode, e.Code, e.CodeText, tc.status, tc.code, tc.codeText)
			}
			if strings.HasSuffix(tc.message, "…") {
				if !strings.HasPrefix(e.Message, strings.TrimSuffix(tc.message, "…")) || !strings.HasSuffix(e.Message, "…") {
					t.Errorf("Message = %q, want an excerpt starting %q", e.Message, tc.message)
				}
			} else if e.Message != tc.message {
				t.Errorf("Message = %q, want %q", e.Message, tc.message)
			}
			if len(e.Message) > 300 {
				t.Errorf("Message is %d bytes, want a short excerpt", len(e.Message))
			}
			if s := err.Error(); strings.ContainsAny(s, "\r\n") || !strings.HasPrefix(s, fmt.Sprintf("openrouter: %d ", tc.status)) {
				t.Errorf("Error() = %q, want one line starting with the status", s)
			}
			if string(e.Body) != tc.body {
				t.Errorf("Body = %q, want the raw body", e.Body)
			}
		})
	}
}

// An excerpt cut inside a multi-byte character stays valid UTF-8.
func TestErrorExcerptIsValidUTF8(t *testing.T) {
	clearEnv(t)
	body := strings.Repeat("é", 300) // 600 bytes of 2-byte runes
	for _, shift := range []string{"", "x"} {
		srv := newRecorder(t, replyWith(500, shift+body))
		_, err := srv.client(t).APIKeys.List(t.Context(), facade.ListRequest{})
		var e *facade.APIError
		if !errors.As(err, &e) {
			t.Fatal(err)
		}
		if !strings.HasPrefix(e.Message, shift+"éé") || !strings.HasSuffix(e.Message, "…") || !isUTF8(e.Message) {
			t.Errorf("excerpt %q", e.Message)
		}
	}
}

func isUTF8(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

// The raw body is kept up to 1 MiB, however much the server sends.
func TestErrorBodyCappedAt1MiB(t *testing.T) {
	clearEnv(t)
	big := `{"error":{"code":500,"message":"` + strings.Repeat("x", 3<<20) + `"}}`
	srv := newRecorder(t, replyWith(500, big))
	_, err := srv.client(t).APIKeys.List(t.Context(), facade.ListRequest{})
	var e *facade.InternalServerResponseError
	if !errors.As(err, &e) {
		t.Fatalf("err = %T %v", err, err)
	}
	if len(e.Body) != 1<<20 {
		t.Errorf("len(Body) = %d, want %d", len(e.Body), 1<<20)
	}
	if !bytes.Equal(e.Body, []byte(big[:1<<20])) {
		t.Error("Body is not the first MiB of the response")
	}
	if len(err.Error()) > 400 {
		t.Errorf("Error() is %d bytes long", len(err.Error()))
	}
}

// A server that echoes the key back (in the message, the metadata or
// anywhere in the body) does not get it into Error() or the error's fields.
func TestErrorNeverShowsKey(t *testing.T) {
	clearEnv(t)
	echo := func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		key := strings.TrimPrefix(auth, "Bearer ")
		body, _ := json.Marshal(map[string]any{"error": map[string]any{
			"code": 401, "message": "Invalid key " + key + " (header " + auth + ")",
			"metadata": map[string]any{"key": key},
		}})
		replyWith(401, string(body))(w, r)
	}
	plain := func(w http.ResponseWriter, r *http.Request) {
		replyWith(401, "bad key: "+r.Header.Get("Authorization"))(w, r)
	}
	const fnKey = "sk-or-v1-from-function-111111111111111111111111"
	for name, handler := range map[string]http.HandlerFunc{"json": echo, "text": plain} {
		for source, opt := range map[string]facade.Option{
			"WithAPIKey":     facade.WithAPIKey(testKey),
			"WithAPIKeyFunc": facade.WithAPIKeyFunc(func(context.Context) (string, error) { return fnKey, nil }),
		} {
			t.Run(name+"/"+source, func(t *testing.T) {
				srv := newRecorder(t, handler)
				c := srv.client(t, opt)
				for _, op := range sixCalls() {
					err := op.standalone(t.Context(), c)
					var e *facade.APIError
					if !errors.As(err, &e) {
						t.Fatalf("%s: err = %T %v", op.name, err, err)
					}
					for _, k := range []string{testKey, fnKey} {
						if s := fmt.Sprintf("%v|%+v|%s|%#v", err, err, e.Body, e.Metadata); strings.Contains(s, k) {
							t.Errorf("%s: the key shows in %s", op.name, s)
						}
					}
					if !strings.Contains(e.Message, "…") { // the redacted form, sk-or-v1-abc…wxyz
						t.Errorf("%s: Message %q does not mark the cut", op.name, e.Message)
					}
				}
			})
		}
	}
}

// Transport failures come back wrapped with %w: errors.Is and errors.As
// reach the cause.
func TestTransportErrorsAreWrapped(t *testing.T) {
	clearEnv(t)
	t.Run("connection refused", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close() // nothing listens there now
		c, err := facade.New(facade.WithServerURL("http://"+addr+"/api/v1"), facade.WithAPIKey(testKey),
			facade.WithRetryConfig(facade.RetryConfig{Strategy: facade.StrategyNone}))
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.APIKeys.Get(t.Context(), facade.GetKeyRequest{Hash: testHash})
		var urlErr *url.Error
		var opErr *net.OpError
		if !errors.As(err, &urlErr) || !errors.As(err, &opErr) {
			t.Errorf("err = %T %v, want a wrapped *url.Error and *net.OpError", err, err)
		}
		var apiErr *facade.APIError
		if errors.As(err, &apiErr) {
			t.Errorf("a transport error reads as an API error: %v", err)
		}
		if err != nil && !strings.Contains(err.Error(), "GET /keys/{hash}") {
			t.Errorf("err %q does not name the operation", err)
		}
	})
	t.Run("cancelled context", func(t *testing.T) {
		srv := newRecorder(t, hang)
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		_, err := srv.client(t).APIKeys.List(ctx, facade.ListRequest{})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	})
	t.Run("dropped connection", func(t *testing.T) {
		srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
		})
		_, err := srv.client(t).APIKeys.Get(t.Context(), facade.GetKeyRequest{Hash: testHash})
		var urlErr *url.Error
		if !errors.As(err, &urlErr) {
			t.Errorf("err = %T %v, want a wrapped *url.Error", err, err)
		}
	})
}

// A 2XX whose body does not decode is an error naming the operation and
// status, with the decoder's error wrapped.
func TestUndecodableSuccessBody(t *testing.T) {
	clearEnv(t)
	srv := newRecorder(t, replyWith(200, `{"data":[{"hash":`))
	_, err := srv.client(t).APIKeys.List(t.Context(), facade.ListRequest{})
	var syn *json.SyntaxError
	var unexpected = errors.Is(err, io.ErrUnexpectedEOF)
	if err == nil || !strings.Contains(err.Error(), "GET /keys: 200 response: decoding body") || !(errors.As(err, &syn) || unexpected) {
		t.Errorf("err = %v", err)
	}
	srv = newRecorder(t, replyWith(200, `{"data":"not a list"}`))
	_, err = srv.client(t).APIKeys.List(t.Context(), facade.ListRequest{})
	var typ *json.UnmarshalTypeError
	if !errors.As(err, &typ) {
		t.Errorf("err = %T %v, want a wrapped *json.UnmarshalTypeError", err, err)
	}
}
