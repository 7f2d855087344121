package facade_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/secret"
)

const testMgmtKey = "sk-or-mgmt-0d3f5a7c9e1b2d4f6a8c0e2b4d6f8a1c3e5b7d9f0a2c4e6b8d1f3a5c7e9b2d4f6"

// apiErr returns err's *APIError, failing the test without one.
func apiErr(t *testing.T, err error) *facade.APIError {
	t.Helper()
	var e *facade.APIError
	if !errors.As(err, &e) {
		t.Fatalf("err = %v, want an *APIError", err)
	}
	return e
}

// checkHint checks that the hint holds every part, is the end of the
// error's text, and shows no key.
func checkHint(t *testing.T, err error, parts ...string) {
	t.Helper()
	e := apiErr(t, err)
	for _, p := range parts {
		if !strings.Contains(e.Hint, p) {
			t.Errorf("Hint = %q, want it to say %q", e.Hint, p)
		}
	}
	if !strings.HasSuffix(err.Error(), e.Hint) {
		t.Errorf("err = %q, want it to end with the hint", err)
	}
	if strings.Contains(err.Error(), testKey) || strings.Contains(err.Error(), testMgmtKey) {
		t.Errorf("err shows the key: %q", err)
	}
}

// A 404 from a server URL without /api/v1 is almost always that path
// missing: the hint says so; with /api/v1 in place, or for a key that is
// not there, it says nothing.
func TestHintMissingAPIPath(t *testing.T) {
	clearEnv(t)
	srv := newRecorder(t, replyWith(http.StatusNotFound, `{"error":{"code":404,"message":"No operation at /keys"}}`))
	bare := srv.client(t, facade.WithServerURL(srv.srv.URL))
	_, err := bare.APIKeys.List(t.Context(), facade.ListRequest{})
	checkHint(t, err, "/api/v1", srv.srv.URL, facade.DefaultServerURL)

	_, err = srv.client(t).APIKeys.List(t.Context(), facade.ListRequest{})
	if e := apiErr(t, err); e.Hint != "" {
		t.Errorf("with /api/v1: Hint = %q, want none", e.Hint)
	}
	srv.setReply(replyWith(http.StatusNotFound, `{"error":{"code":404,"message":"Key not found"}}`))
	_, err = bare.APIKeys.Get(t.Context(), facade.GetKeyRequest{Hash: testHash})
	if e := apiErr(t, err); e.Hint != "" {
		t.Errorf("a missing key: Hint = %q, want none", e.Hint)
	}
	// A web site's own 404 page for /keys/{hash}: no API answered.
	srv.setReply(replyWith(http.StatusNotFound, `<html><body>Page not found</body></html>`))
	_, err = bare.APIKeys.Get(t.Context(), facade.GetKeyRequest{Hash: testHash})
	checkHint(t, err, "/api/v1")
}

// A 401 names the key's form, redacted, and where it came from.
func TestHintUnauthorizedNamesKeyAndSource(t *testing.T) {
	clearEnv(t)
	srv := newRecorder(t, replyWith(http.StatusUnauthorized, `{"error":{"code":401,"message":"User not found."}}`))
	_, err := srv.client(t).APIKeys.List(t.Context(), facade.ListRequest{})
	checkHint(t, err, "an sk-or-v1- key "+secret.Redact(testKey)+" (an ordinary key, or a management key older than the sk-or-mgmt- form)", "WithAPIKey")

	env := map[string]string{facade.EnvAPIKey: testMgmtKey}
	c, err := facade.New(facade.WithEnv(func(k string) string { return env[k] }), facade.WithServerURL(srv.base()),
		facade.WithRetryConfig(facade.RetryConfig{Strategy: facade.StrategyNone}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.APIKeys.List(t.Context(), facade.ListRequest{})
	checkHint(t, err, "a management key", secret.Redact(testMgmtKey), "$"+facade.EnvAPIKey)
	var un *facade.UnauthorizedResponseError
	if !errors.As(err, &un) || un.Hint == "" {
		t.Errorf("the typed error does not carry the hint: %v", err)
	}
}

// A 403 on a /keys call (or any other but GET /key, which takes any key)
// says a management key is needed.
func TestHintForbiddenNeedsManagementKey(t *testing.T) {
	clearEnv(t)
	srv := newRecorder(t, replyWith(http.StatusForbidden, `{"error":{"code":403,"message":"Forbidden"}}`))
	_, err := srv.client(t).APIKeys.Delete(t.Context(), facade.DeleteKeysRequest{Hash: testHash})
	checkHint(t, err, "DELETE /keys/{hash} needs a management key", secret.PrefixMgmt, secret.Redact(testKey))
	_, err = srv.client(t).Credits.GetCredits(t.Context())
	checkHint(t, err, "GET /credits needs a management key")
	_, err = srv.client(t).APIKeys.GetCurrentKeyMetadata(t.Context())
	if e := apiErr(t, err); e.Hint != "" {
		t.Errorf("GET /key: Hint = %q, want none", e.Hint)
	}
}

// A 403 for a management key does not say that one is needed: it says the
// right kind of key was refused, and why that may be.
func TestHintForbiddenManagementKey(t *testing.T) {
	clearEnv(t)
	srv := newRecorder(t, replyWith(http.StatusForbidden, `{"error":{"code":403,"message":"Forbidden"}}`))
	_, err := srv.client(t, facade.WithAPIKey(testMgmtKey)).BYOK.List(t.Context(), facade.ListBYOKKeysRequest{})
	checkHint(t, err, "GET /byok was refused though the key sent is a management key "+secret.Redact(testMgmtKey), "may lack this permission")
	if strings.Contains(err.Error(), "needs a management key") {
		t.Errorf("a management key is told it needs one: %v", err)
	}
}

// A 429 whose Retry-After is past the budget is not retried, and says so,
// with the wait and the time it points to.
func TestHintRetryAfterPastBudget(t *testing.T) {
	clearEnv(t)
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "600")
		replyWith(http.StatusTooManyRequests, `{"error":{"code":429,"message":"Rate limit exceeded"}}`)(w, r)
	})
	c := srv.client(t, facade.WithRetryConfig(facade.RetryConfig{}))
	before := time.Now().UTC()
	_, err := c.APIKeys.List(t.Context(), facade.ListRequest{})
	if srv.count() != 1 {
		t.Fatalf("%d requests, want 1: a 10-minute wait is past the budget", srv.count())
	}
	at := before.Add(10 * time.Minute).Format("2006-01-02T15:04")
	checkHint(t, err, "not retried", "10m0s", at, "30s")
	var tm *facade.TooManyRequestsResponseError
	if !errors.As(err, &tm) || tm.Hint == "" {
		t.Errorf("the typed error does not carry the hint: %v", err)
	}
}

// WithHeader refuses Authorization, naming WithAPIKey, in the text and in
// InputError.Hint.
func TestWithHeaderAuthorizationNamesWithAPIKey(t *testing.T) {
	for _, name := range []string{"Authorization", "authorization"} {
		_, err := facade.New(facade.WithAPIKey(testKey), facade.WithHeader(name, "Bearer "+testKey))
		var in *facade.InputError
		if !errors.As(err, &in) || !errors.Is(err, facade.ErrInvalidInput) {
			t.Fatalf("WithHeader(%q) = %v, want an InputError", name, err)
		}
		if !strings.Contains(in.Hint, "WithAPIKey") || !strings.Contains(err.Error(), "WithAPIKey") {
			t.Errorf("WithHeader(%q): %q (Hint %q), want WithAPIKey named", name, err, in.Hint)
		}
		if strings.Contains(err.Error(), testKey) {
			t.Errorf("the refusal shows the key: %q", err)
		}
	}
}

// Options that mean nothing at the level they are given are refused, named.
func TestOptionsRefusedWhereMeaningless(t *testing.T) {
	clearEnv(t)
	srv := newRecorder(t, okFor)
	_, err := srv.client(t).APIKeys.List(t.Context(), facade.ListRequest{}, facade.WithEnv(func(string) string { return "" }))
	var in *facade.InputError
	if !errors.As(err, &in) || in.Setting != "WithEnv" || !errors.Is(err, facade.ErrInvalidInput) {
		t.Errorf("WithEnv on a call = %v, want it refused by name", err)
	}
	_, err = srv.client(t).APIKeys.Get(t.Context(), facade.GetKeyRequest{Hash: testHash}, facade.WithPageConcurrency(2))
	if !errors.As(err, &in) || in.Setting != "WithPageConcurrency" {
		t.Errorf("WithPageConcurrency on a single call = %v, want it refused by name", err)
	}
	if srv.count() != 0 {
		t.Errorf("%d requests sent", srv.count())
	}
	// Where it means something, it is taken: on New, and on a walk.
	c := srv.client(t, facade.WithPageConcurrency(2))
	if _, err := c.APIKeys.Get(t.Context(), facade.GetKeyRequest{Hash: testHash}); err != nil {
		t.Errorf("client-level WithPageConcurrency, Get: %v", err)
	}
	for _, err := range c.APIKeys.All(t.Context(), facade.ListRequest{}, facade.WithPageConcurrency(1)) {
		if err != nil {
			t.Errorf("per-walk WithPageConcurrency: %v", err)
		}
	}
}
