package facade_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/orkeys/orkeys/facade"
)

// testKey looks like a real key so that redaction treats it as one.
const testKey = "sk-or-v1-0d3f5a7c9e1b2d4f6a8c0e2b4d6f8a1c3e5b7d9f0a2c4e6b8d1f3a5c7e9b2d4f6"

// testHash is a well-formed key hash.
const testHash = "f01d52606dc8f0a8303a7b5cc3fa07109c2e346cec7c0a16b40de462992ce943"

// seen is one request as the test server received it.
type seen struct {
	Method     string
	RequestURI string // as sent on the wire: escaped path and query
	Path       string // decoded path
	Query      string
	Header     http.Header
	Body       []byte
}

// recorder is a loopback server that keeps every request it receives and
// answers with reply.
type recorder struct {
	t   testing.TB
	srv *httptest.Server

	mu    sync.Mutex
	reqs  []seen
	reply http.HandlerFunc
}

// newRecorder starts a server that records requests and answers with reply
// (okFor when reply is nil).
func newRecorder(t testing.TB, reply http.HandlerFunc) *recorder {
	t.Helper()
	if reply == nil {
		reply = okFor
	}
	r := &recorder{t: t, reply: reply}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.reqs = append(r.reqs, seen{
			Method:     req.Method,
			RequestURI: req.RequestURI,
			Path:       req.URL.Path,
			Query:      req.URL.RawQuery,
			Header:     req.Header.Clone(),
			Body:       body,
		})
		reply := r.reply
		r.mu.Unlock()
		req.Body = io.NopCloser(bytes.NewReader(body))
		reply(w, req)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

// base is the server's API base URL, shaped like OpenRouter's.
func (r *recorder) base() string { return r.srv.URL + "/api/v1" }

// setReply changes how the server answers from the next request on.
func (r *recorder) setReply(h http.HandlerFunc) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reply = h
}

func (r *recorder) requests() []seen {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.reqs)
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.reqs)
}

// only returns the only request the server saw, failing if it saw another
// number.
func (r *recorder) only() seen {
	r.t.Helper()
	reqs := r.requests()
	if len(reqs) != 1 {
		r.t.Fatalf("server saw %d requests, want 1: %+v", len(reqs), reqs)
	}
	return reqs[0]
}

// client makes a Client for r with the test key and no retries, so every
// call is exactly one request. opts come last and can override all of it.
func (r *recorder) client(t testing.TB, opts ...facade.Option) *facade.Client {
	t.Helper()
	base := []facade.Option{
		facade.WithServerURL(r.base()),
		facade.WithAPIKey(testKey),
		facade.WithRetryConfig(facade.RetryConfig{Strategy: facade.StrategyNone}),
	}
	c, err := facade.New(append(base, opts...)...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// clearEnv blanks the variables New reads, so that the machine's
// environment cannot change what a test sees.
func clearEnv(t *testing.T) {
	for _, name := range []string{
		"OPENROUTER_API_KEY", "OPENROUTER_BASE_URL", "OPENROUTER_HTTP_REFERER",
		"OPENROUTER_APP_TITLE", "OPENROUTER_APP_CATEGORIES",
	} {
		t.Setenv(name, "")
	}
}

// keyJSON is an APIKey object with every required field.
func keyJSON(hash, name string) string {
	return fmt.Sprintf(`{"hash":%q,"name":%q,"label":"sk-or-v1-abc...1234","disabled":false,`+
		`"limit":null,"limit_remaining":null,"limit_reset":null,"include_byok_in_limit":false,`+
		`"usage":0,"usage_daily":0,"usage_weekly":0,"usage_monthly":0,`+
		`"byok_usage":0,"byok_usage_daily":0,"byok_usage_weekly":0,"byok_usage_monthly":0,`+
		`"created_at":"2025-08-24T10:30:00Z","updated_at":null,"creator_user_id":null,`+
		`"workspace_id":"0df9e665-d932-5740-b2c7-b52af166bc11"}`, hash, name)
}

const currentKeyJSON = `{"data":{"label":"sk-or-v1-abc...1234","limit":null,"limit_remaining":null,` +
	`"limit_reset":null,"include_byok_in_limit":false,"usage":1.5,"usage_daily":0,"usage_weekly":0,` +
	`"usage_monthly":0,"byok_usage":0,"byok_usage_daily":0,"byok_usage_weekly":0,"byok_usage_monthly":0,` +
	`"is_free_tier":false,"is_management_key":true,"is_provisioning_key":true,"creator_user_id":null,` +
	`"rate_limit":{"requests":1000,"interval":"1h","note":"ignore"}}}`

// okFor answers each operation with a minimal valid 2XX body.
func okFor(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	switch {
	case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/key"):
		io.WriteString(w, currentKeyJSON)
	case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/keys"):
		io.WriteString(w, `{"data":[`+keyJSON(testHash, "one")+`]}`)
	case r.Method == http.MethodPost:
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, `{"data":`+keyJSON(testHash, "new")+`,"key":"`+testKey+`"}`)
	case r.Method == http.MethodDelete:
		io.WriteString(w, `{"deleted":true}`)
	default: // GET and PATCH /keys/{hash}
		io.WriteString(w, `{"data":`+keyJSON(testHash, "one")+`}`)
	}
}

// replyWith answers every request with status and body.
func replyWith(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

// call is one operation, made through the standalone function or the method.
type call struct {
	name       string
	method     string // HTTP method the call must use
	path       string // decoded path it must reach
	standalone func(context.Context, *facade.Client, ...facade.Option) error
	viaMethod  func(context.Context, *facade.Client, ...facade.Option) error
}

func boolPtr(b bool) *bool               { return &b }
func intPtr(n int) *int                  { return &n }
func strPtr(s string) *string            { return &s }
func ignore[T any](_ T, err error) error { return err }

// sixCalls covers every operation twice over, with inputs that exercise
// each request's query and body.
func sixCalls() []call {
	ws := "0df9e665-d932-5740-b2c7-b52af166bc11"
	list := facade.ListRequest{IncludeDisabled: true, Offset: intPtr(100), WorkspaceID: &ws}
	create := facade.CreateKeysRequest{RequestBody: facade.CreateKeysRequestBody{Name: "new", IncludeByokInLimit: boolPtr(true)}}
	update := facade.UpdateKeysRequest{Hash: testHash, RequestBody: facade.UpdateKeysRequestBody{Name: strPtr("renamed"), Disabled: boolPtr(true)}}
	return []call{
		{"List", "GET", "/api/v1/keys",
			func(ctx context.Context, c *facade.Client, o ...facade.Option) error {
				return ignore(facade.APIKeysList(ctx, c, list, o...))
			},
			func(ctx context.Context, c *facade.Client, o ...facade.Option) error {
				return ignore(c.APIKeys.List(ctx, list, o...))
			}},
		{"Create", "POST", "/api/v1/keys",
			func(ctx context.Context, c *facade.Client, o ...facade.Option) error {
				return ignore(facade.APIKeysCreate(ctx, c, create, o...))
			},
			func(ctx context.Context, c *facade.Client, o ...facade.Option) error {
				return ignore(c.APIKeys.Create(ctx, create, o...))
			}},
		{"Get", "GET", "/api/v1/keys/" + testHash,
			func(ctx context.Context, c *facade.Client, o ...facade.Option) error {
				return ignore(facade.APIKeysGet(ctx, c, facade.GetKeyRequest{Hash: testHash}, o...))
			},
			func(ctx context.Context, c *facade.Client, o ...facade.Option) error {
				return ignore(c.APIKeys.Get(ctx, facade.GetKeyRequest{Hash: testHash}, o...))
			}},
		{"Update", "PATCH", "/api/v1/keys/" + testHash,
			func(ctx context.Context, c *facade.Client, o ...facade.Option) error {
				return ignore(facade.APIKeysUpdate(ctx, c, update, o...))
			},
			func(ctx context.Context, c *facade.Client, o ...facade.Option) error {
				return ignore(c.APIKeys.Update(ctx, update, o...))
			}},
		{"Delete", "DELETE", "/api/v1/keys/" + testHash,
			func(ctx context.Context, c *facade.Client, o ...facade.Option) error {
				return ignore(facade.APIKeysDelete(ctx, c, facade.DeleteKeysRequest{Hash: testHash}, o...))
			},
			func(ctx context.Context, c *facade.Client, o ...facade.Option) error {
				return ignore(c.APIKeys.Delete(ctx, facade.DeleteKeysRequest{Hash: testHash}, o...))
			}},
		{"GetCurrentKeyMetadata", "GET", "/api/v1/key",
			func(ctx context.Context, c *facade.Client, o ...facade.Option) error {
				return ignore(facade.APIKeysGetCurrentKeyMetadata(ctx, c, o...))
			},
			func(ctx context.Context, c *facade.Client, o ...facade.Option) error {
				return ignore(c.APIKeys.GetCurrentKeyMetadata(ctx, o...))
			}},
	}
}

// The six methods are twins of the six functions: same request on the wire,
// same result.
func TestMethodsMatchStandaloneFunctions(t *testing.T) {
	clearEnv(t)
	for _, tc := range sixCalls() {
		t.Run(tc.name, func(t *testing.T) {
			srv := newRecorder(t, nil)
			c := srv.client(t, facade.WithHeader("X-Trace", "t1"))
			if err := tc.standalone(t.Context(), c); err != nil {
				t.Fatalf("standalone: %v", err)
			}
			if err := tc.viaMethod(t.Context(), c); err != nil {
				t.Fatalf("method: %v", err)
			}
			reqs := srv.requests()
			if len(reqs) != 2 {
				t.Fatalf("server saw %d requests, want 2", len(reqs))
			}
			fn, m := reqs[0], reqs[1]
			if fn.Method != tc.method || fn.Path != tc.path {
				t.Errorf("standalone sent %s %s, want %s %s", fn.Method, fn.Path, tc.method, tc.path)
			}
			if m.Method != fn.Method || m.RequestURI != fn.RequestURI || !bytes.Equal(m.Body, fn.Body) {
				t.Errorf("method sent %s %s %s, standalone sent %s %s %s", m.Method, m.RequestURI, m.Body, fn.Method, fn.RequestURI, fn.Body)
			}
			for _, h := range []string{"Authorization", "Accept", "User-Agent", "Content-Type", "X-Trace"} {
				if m.Header.Get(h) != fn.Header.Get(h) {
					t.Errorf("%s: method sent %q, standalone sent %q", h, m.Header.Get(h), fn.Header.Get(h))
				}
			}
		})
	}
}

// Every request carries the bearer key, Accept: application/json and a
// User-Agent naming orkeys and its version; bodies are JSON.
func TestEveryRequestCarriesStandardHeaders(t *testing.T) {
	clearEnv(t)
	srv := newRecorder(t, nil)
	c := srv.client(t)
	for _, tc := range sixCalls() {
		if err := tc.standalone(t.Context(), c); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
	}
	for _, r := range srv.requests() {
		if got := r.Header.Get("Authorization"); got != "Bearer "+testKey {
			t.Errorf("%s %s: Authorization = %q", r.Method, r.Path, got)
		}
		if got := r.Header.Get("Accept"); got != "application/json" {
			t.Errorf("%s %s: Accept = %q", r.Method, r.Path, got)
		}
		ua := r.Header.Get("User-Agent")
		if !strings.HasPrefix(ua, "orkeys-go/"+facade.Version+" ") {
			t.Errorf("%s %s: User-Agent = %q, want orkeys-go/%s …", r.Method, r.Path, ua, facade.Version)
		}
		hasBody := r.Method == http.MethodPost || r.Method == http.MethodPatch
		if ct := r.Header.Get("Content-Type"); hasBody && ct != "application/json" {
			t.Errorf("%s %s: Content-Type = %q", r.Method, r.Path, ct)
		}
		for _, h := range []string{"Http-Referer", "X-Openrouter-Title", "X-Title", "X-Openrouter-Categories"} {
			if v, ok := r.Header[h]; ok {
				t.Errorf("%s %s: %s = %q sent although never set", r.Method, r.Path, h, v)
			}
		}
	}
}

func TestNewDefaults(t *testing.T) {
	clearEnv(t)
	c, err := facade.New()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if got := c.ServerURL(); got != "https://openrouter.ai/api/v1" {
		t.Errorf("ServerURL = %q, want https://openrouter.ai/api/v1", got)
	}
	if facade.DefaultServerURL != "https://openrouter.ai/api/v1" {
		t.Errorf("DefaultServerURL = %q", facade.DefaultServerURL)
	}
}

// A client without a key may exist (a key can come per call), but a call
// without one fails before anything is sent.
func TestCallWithoutKeyFailsBeforeSending(t *testing.T) {
	clearEnv(t)
	srv := newRecorder(t, nil)
	c, err := facade.New(facade.WithServerURL(srv.base()))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	_, err = c.APIKeys.GetCurrentKeyMetadata(t.Context())
	if err == nil || !strings.Contains(err.Error(), "OPENROUTER_API_KEY") {
		t.Errorf("err = %v, want one pointing at OPENROUTER_API_KEY", err)
	}
	if n := srv.count(); n != 0 {
		t.Errorf("server saw %d requests, want 0", n)
	}
	// The same client works once a call brings its own key.
	if _, err := c.APIKeys.GetCurrentKeyMetadata(t.Context(), facade.WithAPIKey(testKey)); err != nil {
		t.Errorf("with a per-call key: %v", err)
	}
}

func TestNewReadsEnvironment(t *testing.T) {
	srv := newRecorder(t, nil)
	t.Setenv("OPENROUTER_API_KEY", " "+testKey+"\n") // stray whitespace from a .env file
	t.Setenv("OPENROUTER_BASE_URL", srv.base())
	t.Setenv("OPENROUTER_HTTP_REFERER", "https://app.example")
	t.Setenv("OPENROUTER_APP_TITLE", "Key Rotator")
	t.Setenv("OPENROUTER_APP_CATEGORIES", "cli-agent, programming-app")
	c, err := facade.New(facade.WithRetryConfig(facade.RetryConfig{Strategy: facade.StrategyNone}))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if got := c.ServerURL(); got != srv.base() {
		t.Errorf("ServerURL = %q, want %q", got, srv.base())
	}
	if _, err := c.APIKeys.GetCurrentKeyMetadata(t.Context()); err != nil {
		t.Fatalf("call: %v", err)
	}
	r := srv.only()
	want := map[string]string{
		"Authorization":           "Bearer " + testKey,
		"Http-Referer":            "https://app.example",
		"X-Openrouter-Title":      "Key Rotator",
		"X-Title":                 "Key Rotator",
		"X-Openrouter-Categories": "cli-agent,programming-app",
	}
	for h, v := range want {
		if got := r.Header.Get(h); got != v {
			t.Errorf("%s = %q, want %q", h, got, v)
		}
	}
	if r.Path != "/api/v1/key" {
		t.Errorf("path = %q, want /api/v1/key", r.Path)
	}
}

// Options given to New beat the environment.
func TestOptionsOverrideEnvironment(t *testing.T) {
	srv := newRecorder(t, nil)
	t.Setenv("OPENROUTER_API_KEY", "sk-or-v1-from-the-environment-0000000000")
	t.Setenv("OPENROUTER_BASE_URL", "https://openrouter.invalid/api/v1")
	t.Setenv("OPENROUTER_HTTP_REFERER", "https://env.example")
	t.Setenv("OPENROUTER_APP_TITLE", "env title")
	t.Setenv("OPENROUTER_APP_CATEGORIES", "env")
	c := srv.client(t,
		facade.WithHTTPReferer("https://opt.example"),
		facade.WithXTitle("opt title"),
		facade.WithAppCategories("opt"))
	if _, err := c.APIKeys.GetCurrentKeyMetadata(t.Context()); err != nil {
		t.Fatalf("call: %v", err)
	}
	r := srv.only()
	for h, v := range map[string]string{
		"Authorization":           "Bearer " + testKey,
		"Http-Referer":            "https://opt.example",
		"X-Openrouter-Title":      "opt title",
		"X-Title":                 "opt title",
		"X-Openrouter-Categories": "opt",
	} {
		if got := r.Header.Get(h); got != v {
			t.Errorf("%s = %q, want %q", h, got, v)
		}
	}
}

// A bad variable is an error that names it, not a silently ignored value.
func TestNewRejectsBadEnvironment(t *testing.T) {
	for _, tc := range []struct{ name, value string }{
		{"OPENROUTER_BASE_URL", "ftp://openrouter.ai/api/v1"},
		{"OPENROUTER_BASE_URL", "https://user:pw@openrouter.ai/api/v1"},
		{"OPENROUTER_API_KEY", "sk-or-v1-has a space"},
		{"OPENROUTER_HTTP_REFERER", "https://a.example\r\nX-Evil: 1"},
		{"OPENROUTER_APP_TITLE", "title\nX-Evil: 1"},
		{"OPENROUTER_APP_CATEGORIES", "a,,b"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clearEnv(t)
			t.Setenv(tc.name, tc.value)
			_, err := facade.New()
			if err == nil {
				t.Fatalf("New accepted %s=%q", tc.name, tc.value)
			}
			if !strings.Contains(err.Error(), "$"+tc.name) {
				t.Errorf("error %q does not name $%s", err, tc.name)
			}
			if strings.Contains(err.Error(), "pw@") || strings.Contains(err.Error(), "sk-or-v1-has") {
				t.Errorf("error %q echoes a secret", err)
			}
			if !errors.Is(err, facade.ErrInvalidInput) {
				t.Errorf("error %q does not match ErrInvalidInput", err)
			}
		})
	}
}

// An option that replaces what a bad variable feeds makes the variable
// irrelevant: New succeeds and uses the option.
func TestOptionOverridesBadEnvironment(t *testing.T) {
	srv := newRecorder(t, nil)
	override := map[string]facade.Option{
		"OPENROUTER_BASE_URL":       facade.WithServerURL(srv.base()),
		"OPENROUTER_API_KEY":        facade.WithAPIKey(testKey),
		"OPENROUTER_HTTP_REFERER":   facade.WithHTTPReferer("https://app.example"),
		"OPENROUTER_APP_TITLE":      facade.WithXTitle("App"),
		"OPENROUTER_APP_CATEGORIES": facade.WithAppCategories("cli"),
	}
	bad := map[string]string{
		"OPENROUTER_BASE_URL":       "ftp://openrouter.ai/api/v1",
		"OPENROUTER_API_KEY":        "sk-or-v1-has a space",
		"OPENROUTER_HTTP_REFERER":   "https://a.example\r\nX-Evil: 1",
		"OPENROUTER_APP_TITLE":      "title\nX-Evil: 1",
		"OPENROUTER_APP_CATEGORIES": "a,,b",
	}
	for name, opt := range override {
		t.Run(name, func(t *testing.T) {
			clearEnv(t)
			t.Setenv(name, bad[name])
			opts := []facade.Option{facade.WithServerURL(srv.base()), facade.WithAPIKey(testKey), opt}
			if _, err := facade.New(opts...); err != nil {
				t.Fatalf("New with an overriding option: %v", err)
			}
			// Another option does not excuse the variable.
			other := facade.WithUserAgent("ua/1")
			if name == "OPENROUTER_BASE_URL" || name == "OPENROUTER_API_KEY" {
				if _, err := facade.New(other); err == nil {
					t.Fatalf("New accepted bad $%s without an option replacing it", name)
				}
			} else if _, err := facade.New(facade.WithServerURL(srv.base()), other); err == nil {
				t.Fatalf("New accepted bad $%s without an option replacing it", name)
			}
		})
	}
}

// Input refused before sending matches ErrInvalidInput; API and transport
// errors do not, so a caller can tell "fix your input" from a failure.
func TestErrInvalidInputMarksOnlyInputErrors(t *testing.T) {
	clearEnv(t)
	srv := newRecorder(t, replyWith(http.StatusNotFound, `{"error":{"code":404,"message":"Resource not found"}}`))
	c := srv.client(t)
	ctx := context.Background()
	for name, err := range map[string]error{
		"option":       ignore(facade.New(facade.WithTimeout(-1))),
		"retry config": ignore(facade.New(facade.WithRetryConfig(facade.RetryConfig{Strategy: "sometimes"}))),
		"server url":   ignore(facade.New(facade.WithServerURL("https://user:pw@[bad"))),
		"request":      ignore(c.APIKeys.Create(ctx, facade.CreateKeysRequest{})),
		"hash":         ignore(c.APIKeys.Get(ctx, facade.GetKeyRequest{})),
		"call option":  ignore(c.APIKeys.Get(ctx, facade.GetKeyRequest{Hash: testHash}, facade.WithHeader("Bad Name", "v"))),
	} {
		if !errors.Is(err, facade.ErrInvalidInput) {
			t.Errorf("%s: %v does not match ErrInvalidInput", name, err)
		}
		if err != nil && strings.Contains(err.Error(), "pw@") {
			t.Errorf("%s: %q echoes credentials", name, err)
		}
	}
	if srv.count() != 0 {
		t.Fatalf("input errors sent %d requests", srv.count())
	}
	_, err := c.APIKeys.Get(ctx, facade.GetKeyRequest{Hash: testHash})
	if err == nil || errors.Is(err, facade.ErrInvalidInput) {
		t.Fatalf("404 = %v; must be an error that is not ErrInvalidInput", err)
	}
}

// No fmt verb shows the key of a Client, whether printed as a pointer, as a
// value or inside another struct.
func TestClientFormattingHidesKey(t *testing.T) {
	clearEnv(t)
	c, err := facade.New(facade.WithAPIKey(testKey), facade.WithHeader("X-Custom", "v"))
	if err != nil {
		t.Fatal(err)
	}
	// fmt calls no methods on unexported fields, so value holds the
	// hardest case: a Client printed field by field.
	type holder struct {
		Client  *facade.Client
		Value   facade.Client
		APIKeys *facade.APIKeys
		value   facade.Client
	}
	h := holder{c, *c, c.APIKeys, *c}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		for name, v := range map[string]any{"*Client": c, "Client": *c, "holder": h, "&holder": &h, "APIKeys": c.APIKeys} {
			out := fmt.Sprintf(verb, v)
			if strings.Contains(out, testKey) || strings.Contains(out, testKey[12:]) {
				t.Errorf("%s of %s shows the key: %s", verb, name, out)
			}
		}
	}
	if got := fmt.Sprint(c); !strings.Contains(got, "openrouter.ai") {
		t.Errorf("fmt.Sprint(c) = %q, want the server named", got)
	}
}
