package facade

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// authRecorder is a server that remembers the Authorization header of every
// request it gets.
type authRecorder struct {
	*httptest.Server
	mu   sync.Mutex
	seen []string
}

func newAuthRecorder(t *testing.T, h http.HandlerFunc) *authRecorder {
	rec := &authRecorder{}
	rec.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.mu.Lock()
		rec.seen = append(rec.seen, r.Header.Get("Authorization"))
		rec.mu.Unlock()
		h(w, r)
	}))
	t.Cleanup(rec.Close)
	return rec
}

func (r *authRecorder) auths() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.seen...)
}

const currentKeyJSON = `{"data":{"label":"l","limit":null,"limit_remaining":null,"limit_reset":null,"usage":0,"usage_daily":0,"usage_weekly":0,"usage_monthly":0,"byok_usage":0,"byok_usage_daily":0,"byok_usage_weekly":0,"byok_usage_monthly":0,"is_free_tier":false,"is_management_key":false,"is_provisioning_key":false,"include_byok_in_limit":false,"expires_at":null}}`

func redirectTo(target string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target, http.StatusTemporaryRedirect)
	}
}

func okCurrentKey(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(currentKeyJSON))
}

func TestRedirectToAnotherPortLosesAuthorization(t *testing.T) {
	const key = "sk-or-v1-redirect-test-key-0000000000000000"
	other := newAuthRecorder(t, okCurrentKey)
	// Same host (127.0.0.1), another port.
	home := newAuthRecorder(t, redirectTo(other.URL+"/api/v1/key"))
	if hu, ou := mustURL(t, home.URL), mustURL(t, other.URL); hu.Hostname() != ou.Hostname() || hu.Port() == ou.Port() {
		t.Fatalf("servers %s and %s should differ in port only", home.URL, other.URL)
	}

	// Control: Go's own client keeps the header on a port change, which
	// is why orkeys guards redirects.
	req, _ := http.NewRequest(http.MethodGet, home.URL+"/api/v1/key", nil)
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := other.auths(); len(got) != 1 || got[0] == "" {
		t.Fatalf("control: Go's client sent Authorization %q to the other port; the test premise changed", got)
	}

	c, err := New(WithAPIKey(key), WithServerURL(home.URL+"/api/v1"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.APIKeys.GetCurrentKeyMetadata(t.Context()); err != nil {
		t.Fatalf("call through redirect: %v", err)
	}
	got := other.auths()
	if len(got) != 2 || got[1] != "" {
		t.Errorf("other port received Authorization %q, want none", got[1:])
	}
	if h := home.auths(); len(h) != 2 || h[1] != "Bearer "+key {
		t.Errorf("configured server received Authorization %q, want the key", h)
	}
}

func TestRedirectToAnotherHostLosesAuthorization(t *testing.T) {
	const key = "sk-or-v1-redirect-test-key-1111111111111111"
	other := newAuthRecorder(t, okCurrentKey)
	// "localhost" is another host name for the same machine.
	target := strings.Replace(other.URL, "127.0.0.1", "localhost", 1) + "/api/v1/key"
	home := newAuthRecorder(t, redirectTo(target))
	c, err := New(WithAPIKey(key), WithServerURL(home.URL+"/api/v1"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.APIKeys.GetCurrentKeyMetadata(t.Context()); err != nil {
		t.Fatalf("call through redirect: %v", err)
	}
	if got := other.auths(); len(got) != 1 || got[0] != "" {
		t.Errorf("other host received Authorization %q, want none", got)
	}
}

func TestSameOriginRedirectKeepsAuthorization(t *testing.T) {
	const key = "sk-or-v1-redirect-test-key-2222222222222222"
	srv := newAuthRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/v1/key" {
			http.Redirect(w, r, "/api/v2/key", http.StatusFound)
			return
		}
		okCurrentKey(w, r)
	})
	c, err := New(WithAPIKey(key), WithServerURL(srv.URL+"/api/v1"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.APIKeys.GetCurrentKeyMetadata(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := srv.auths(); len(got) != 2 || got[0] != "Bearer "+key || got[1] != "Bearer "+key {
		t.Errorf("Authorization over a same-origin redirect = %q, want the key twice", got)
	}
}

func TestGuardRedirectsKeepsCallersPolicy(t *testing.T) {
	const key = "sk-or-v1-redirect-test-key-3333333333333333"
	other := newAuthRecorder(t, okCurrentKey)
	home := newAuthRecorder(t, redirectTo(other.URL+"/api/v1/key"))
	calls := 0
	hc := &http.Client{CheckRedirect: func(req *http.Request, via []*http.Request) error {
		calls++
		if req.Header.Get("Authorization") != "" {
			t.Errorf("caller's CheckRedirect saw Authorization on a cross-origin redirect")
		}
		return http.ErrUseLastResponse
	}}
	c, err := New(WithAPIKey(key), WithServerURL(home.URL+"/api/v1"), WithHTTPClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.APIKeys.GetCurrentKeyMetadata(t.Context())
	if err == nil || !strings.Contains(err.Error(), "307") {
		t.Errorf("err = %v, want the 307 the caller's policy stopped at", err)
	}
	if calls != 1 || len(other.auths()) != 0 {
		t.Errorf("caller's policy ran %d times, other server got %d requests; want 1 and 0", calls, len(other.auths()))
	}
	if hc.CheckRedirect == nil || c.cfg.client() == hc {
		t.Error("the caller's *http.Client must be copied, not changed")
	}
}

func TestRedirectLimit(t *testing.T) {
	srv := newAuthRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.Path, http.StatusFound)
	})
	// A fake clock, so that a regression that retries the loop fails fast
	// instead of waiting out real backoff.
	c, err := New(WithAPIKey("sk-or-v1-k"), WithServerURL(srv.URL+"/api/v1"), WithTestClock(&TestClock{}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.APIKeys.GetCurrentKeyMetadata(t.Context())
	if err == nil || !strings.Contains(err.Error(), "stopped after 10 redirects") {
		t.Fatalf("err = %v, want the redirect limit", err)
	}
	// Retrying a redirect loop cannot help: one attempt of 10 requests.
	if n := len(srv.auths()); n != 10 {
		t.Errorf("server saw %d requests, want 10 (no retry of a redirect loop)", n)
	}
}

func TestSameOrigin(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"https://openrouter.ai/api/v1", "https://openrouter.ai/other", true},
		{"https://openrouter.ai/api/v1", "https://OpenRouter.AI:443/x", true},
		{"http://127.0.0.1/x", "http://127.0.0.1:80/y", true},
		{"https://openrouter.ai/x", "http://openrouter.ai/x", false},
		{"https://openrouter.ai/x", "https://openrouter.ai:8443/x", false},
		{"http://127.0.0.1:1000/x", "http://127.0.0.1:1001/x", false},
		{"https://openrouter.ai/x", "https://evil.example/x", false},
		{"https://openrouter.ai/x", "https://api.openrouter.ai/x", false},
	}
	for _, tt := range tests {
		if got := sameOrigin(mustURL(t, tt.a), mustURL(t, tt.b)); got != tt.want {
			t.Errorf("sameOrigin(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
