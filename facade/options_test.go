package facade_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/orkeys/orkeys/facade"
)

// Each option rejects bad input with an error naming what was wrong, both in
// New and per call, and a rejected call sends nothing.
func TestOptionsRejectBadInput(t *testing.T) {
	clearEnv(t)
	for _, tc := range []struct {
		name string
		opt  facade.Option
		want string // part of the error
	}{
		{"server URL unparsable", facade.WithServerURL("http://[::1"), "server URL"},
		{"server URL scheme", facade.WithServerURL("ftp://openrouter.ai/api/v1"), "scheme must be http or https"},
		{"server URL no host", facade.WithServerURL("https:///api/v1"), "no host"},
		{"server URL relative", facade.WithServerURL("/api/v1"), "server URL"},
		{"server URL credentials", facade.WithServerURL("https://user:hunter2@openrouter.ai/api/v1"), "credentials"},
		{"server URL query", facade.WithServerURL("https://openrouter.ai/api/v1?x=1"), "query"},
		{"server URL plain http", facade.WithServerURL("http://openrouter.ai/api/v1"), "plain http"},
		{"nil HTTP client", facade.WithHTTPClient(nil), "WithHTTPClient: nil client"},
		{"empty API key", facade.WithAPIKey(""), "empty API key"},
		{"API key with newline", facade.WithAPIKey("sk-or-v1-abc\r\nX-Evil: 1"), "API key has a space or control character"},
		{"nil API key func", facade.WithAPIKeyFunc(nil), "WithAPIKeyFunc: nil function"},
		{"header value CRLF", facade.WithHeader("X-Trace", "a\r\nX-Evil: 1"), "header X-Trace: control character"},
		{"header value LF", facade.WithHeader("X-Trace", "a\nb"), "control character"},
		{"header name CRLF", facade.WithHeader("X-Trace\r\nX-Evil", "1"), "invalid header name"},
		{"header name space", facade.WithHeader("X Trace", "1"), "invalid header name"},
		{"header name empty", facade.WithHeader("", "1"), "invalid header name"},
		{"header managed Authorization", facade.WithHeader("authorization", "Bearer x"), "Authorization is set by orkeys"},
		{"header managed User-Agent", facade.WithHeader("User-Agent", "x"), "User-Agent is set by orkeys"},
		{"header managed Host", facade.WithHeader("Host", "evil.example"), "Host is set by orkeys"},
		{"referer CRLF", facade.WithHTTPReferer("https://a.example\r\nX-Evil: 1"), "header HTTP-Referer"},
		{"title CRLF", facade.WithXTitle("App\r\nX-Evil: 1"), "header X-OpenRouter-Title"},
		{"category empty", facade.WithAppCategories("cli", ""), "category 1"},
		{"category comma", facade.WithAppCategories("a,b"), "contain no comma"},
		{"category CRLF", facade.WithAppCategories("a\r\nX-Evil: 1"), "X-OpenRouter-Categories"},
		{"negative timeout", facade.WithTimeout(-time.Second), "WithTimeout: negative duration"},
		{"negative attempt timeout", facade.WithAttemptTimeout(-time.Second), "WithAttemptTimeout: negative duration"},
		{"retry strategy", facade.WithRetryConfig(facade.RetryConfig{Strategy: "sometimes"}), `RetryConfig.Strategy "sometimes"`},
		{"retry negative interval", facade.WithRetryConfig(facade.RetryConfig{Backoff: &facade.BackoffStrategy{InitialInterval: -1}}), "Backoff.InitialInterval is negative"},
		{"retry negative max interval", facade.WithRetryConfig(facade.RetryConfig{Backoff: &facade.BackoffStrategy{MaxInterval: -1}}), "Backoff.MaxInterval is negative"},
		{"retry negative elapsed", facade.WithRetryConfig(facade.RetryConfig{Backoff: &facade.BackoffStrategy{MaxElapsedTime: -1}}), "Backoff.MaxElapsedTime is negative"},
		{"retry exponent below 1", facade.WithRetryConfig(facade.RetryConfig{Backoff: &facade.BackoffStrategy{Exponent: 0.5}}), "Backoff.Exponent"},
		{"retry exponent NaN", facade.WithRetryConfig(facade.RetryConfig{Backoff: &facade.BackoffStrategy{Exponent: math.NaN()}}), "Backoff.Exponent"},
		{"retry initial above max", facade.WithRetryConfig(facade.RetryConfig{Backoff: &facade.BackoffStrategy{InitialInterval: time.Minute, MaxInterval: time.Second}}), "exceeds MaxInterval"},
		{"empty user agent", facade.WithUserAgent(" "), "WithUserAgent: empty"},
		{"user agent CRLF", facade.WithUserAgent("ua\r\nX-Evil: 1"), "header User-Agent"},
		{"nil response destination", facade.WithResponseInto(nil), "WithResponseInto: nil destination"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := facade.New(tc.opt)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("New: err = %v, want one containing %q", err, tc.want)
			}
			if err != nil && strings.Contains(err.Error(), "hunter2") {
				t.Errorf("New: error %q shows the URL's password", err)
			}

			srv := newRecorder(t, nil)
			c := srv.client(t)
			for _, op := range sixCalls() {
				err := op.standalone(t.Context(), c, tc.opt)
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("per-call %s: err = %v, want one containing %q", op.name, err, tc.want)
				}
			}
			if n := srv.count(); n != 0 {
				t.Errorf("server saw %d requests after rejected options, want 0", n)
			}
		})
	}
}

// An API key error never repeats the key.
func TestAPIKeyErrorHidesKey(t *testing.T) {
	clearEnv(t)
	bad := "sk-or-v1-secretpart secondhalf"
	_, err := facade.New(facade.WithAPIKey(bad))
	if err == nil {
		t.Fatal("New accepted a key with a space")
	}
	if strings.Contains(err.Error(), "secretpart") || strings.Contains(err.Error(), "secondhalf") {
		t.Errorf("error %q shows the key", err)
	}
}

// A server URL refused for what it holds never repeats its user info, query
// or fragment: a token is often put there, for example as a bare user name
// ("https://TOKEN@host"), which url.URL.Redacted leaves in clear. The same
// goes for OPENROUTER_BASE_URL.
func TestServerURLErrorMasksTokens(t *testing.T) {
	clearEnv(t)
	const token = "sk-or-v1-userinfo0c0ffee5ec7e7c0ffee5ec7e7c0ffee5ec7e7c0ffee5ec7e7"
	for _, raw := range []string{
		"https://" + token + "@openrouter.ai/api/v1",
		"https://" + token + ":pw@openrouter.ai/api/v1",
		"https://user:" + token + "@openrouter.ai/api/v1",
		"ftp://" + token + "@openrouter.ai/api/v1",
		"https://" + token + "@/api/v1",
		"https://openrouter.ai/api/v1?api_key=" + token,
		"https://openrouter.ai/api/v1#" + token,
	} {
		_, err := facade.New(facade.WithServerURL(raw))
		if err == nil {
			t.Errorf("New accepted %s", raw)
			continue
		}
		if strings.Contains(err.Error(), token[9:]) {
			t.Errorf("error %q shows the token", err)
		}
		t.Setenv("OPENROUTER_BASE_URL", raw)
		if _, err := facade.New(); err == nil || strings.Contains(err.Error(), token[9:]) {
			t.Errorf("$OPENROUTER_BASE_URL error %v shows the token", err)
		}
		t.Setenv("OPENROUTER_BASE_URL", "")
	}
}

// A trailing slash on the server URL, or its absence, reaches the same path.
func TestServerURLWithOrWithoutSlash(t *testing.T) {
	clearEnv(t)
	for _, suffix := range []string{"", "/"} {
		srv := newRecorder(t, nil)
		c := srv.client(t, facade.WithServerURL(srv.base()+suffix))
		if _, err := c.APIKeys.List(t.Context(), facade.ListRequest{}); err != nil {
			t.Fatal(err)
		}
		if p := srv.only().Path; p != "/api/v1/keys" {
			t.Errorf("base %q: path = %q, want /api/v1/keys", srv.base()+suffix, p)
		}
	}
}

// WithInsecureHTTP is what permits plain http to a host that is not
// loopback.
func TestInsecureHTTPOptIn(t *testing.T) {
	clearEnv(t)
	if _, err := facade.New(facade.WithServerURL("http://keys.internal.example/api/v1")); err == nil {
		t.Error("plain http to a remote host accepted without WithInsecureHTTP")
	}
	if _, err := facade.New(facade.WithServerURL("http://keys.internal.example/api/v1"), facade.WithInsecureHTTP()); err != nil {
		t.Errorf("with WithInsecureHTTP: %v", err)
	}
	if _, err := facade.New(facade.WithServerURL("http://localhost:8080/api/v1")); err != nil {
		t.Errorf("plain http to localhost: %v", err)
	}
}

// Per-call options are applied after the client's: they win for that call,
// and the next call sees the client's settings again.
func TestPerCallOptionsOverrideForOneCall(t *testing.T) {
	clearEnv(t)
	srv := newRecorder(t, nil)
	c := srv.client(t,
		facade.WithHeader("X-Team", "client"),
		facade.WithHTTPReferer("https://client.example"),
		facade.WithXTitle("client title"),
		facade.WithAppCategories("client"),
		facade.WithUserAgent("client-ua/1"))
	const callKey = "sk-or-v1-per-call-key-0000000000000000000000"
	_, err := c.APIKeys.GetCurrentKeyMetadata(t.Context(),
		facade.WithHeader("X-Team", "call"),
		facade.WithHeader("X-Only-Call", "yes"),
		facade.WithHTTPReferer("https://call.example"),
		facade.WithXTitle("call title"),
		facade.WithAppCategories("call"),
		facade.WithUserAgent("call-ua/1"),
		facade.WithAPIKey(callKey))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.APIKeys.GetCurrentKeyMetadata(t.Context()); err != nil {
		t.Fatal(err)
	}
	reqs := srv.requests()
	want := []map[string]string{{
		"X-Team": "call", "X-Only-Call": "yes", "Http-Referer": "https://call.example",
		"X-Openrouter-Title": "call title", "X-Title": "call title", "X-Openrouter-Categories": "call",
		"User-Agent": "call-ua/1", "Authorization": "Bearer " + callKey,
	}, {
		"X-Team": "client", "X-Only-Call": "", "Http-Referer": "https://client.example",
		"X-Openrouter-Title": "client title", "X-Title": "client title", "X-Openrouter-Categories": "client",
		"User-Agent": "client-ua/1", "Authorization": "Bearer " + testKey,
	}}
	for i, w := range want {
		for h, v := range w {
			if got := reqs[i].Header.Get(h); got != v {
				t.Errorf("call %d: %s = %q, want %q", i+1, h, got, v)
			}
		}
	}
}

// A per-call WithServerURL sends that call elsewhere, and only that call.
func TestPerCallServerURL(t *testing.T) {
	clearEnv(t)
	home := newRecorder(t, nil)
	other := newRecorder(t, nil)
	c := home.client(t)
	if _, err := c.APIKeys.Get(t.Context(), facade.GetKeyRequest{Hash: testHash}, facade.WithServerURL(other.base())); err != nil {
		t.Fatal(err)
	}
	if other.count() != 1 || home.count() != 0 {
		t.Fatalf("per-call server: other saw %d, home saw %d; want 1 and 0", other.count(), home.count())
	}
	if _, err := c.APIKeys.Get(t.Context(), facade.GetKeyRequest{Hash: testHash}); err != nil {
		t.Fatal(err)
	}
	if other.count() != 1 || home.count() != 1 {
		t.Errorf("next call: other saw %d, home saw %d; want 1 and 1", other.count(), home.count())
	}
}

// failFirst answers 503 to the first n requests, then behaves like okFor.
func failFirst(n int32) http.HandlerFunc {
	var seen atomic.Int32
	return func(w http.ResponseWriter, r *http.Request) {
		if seen.Add(1) <= n {
			replyWith(http.StatusServiceUnavailable, `{"error":{"code":503,"message":"busy"}}`)(w, r)
			return
		}
		okFor(w, r)
	}
}

// quickRetry retries at once-ish, so tests that need a second attempt take
// milliseconds.
var quickRetry = facade.RetryConfig{
	Strategy: facade.StrategyBackoff,
	Backoff: &facade.BackoffStrategy{
		InitialInterval: time.Millisecond, MaxInterval: time.Millisecond,
		MaxElapsedTime: 5 * time.Second, Exponent: 1,
	},
}

// The retry policy is per call too: a client without retries can retry one
// call, and a retrying client can make one call without.
func TestPerCallRetryConfig(t *testing.T) {
	clearEnv(t)
	t.Run("enable for one call", func(t *testing.T) {
		srv := newRecorder(t, failFirst(1))
		c := srv.client(t) // Strategy none
		if _, err := c.APIKeys.GetCurrentKeyMetadata(t.Context(), facade.WithRetryConfig(quickRetry)); err != nil {
			t.Fatalf("retrying call: %v", err)
		}
		if n := srv.count(); n != 2 {
			t.Errorf("retrying call made %d requests, want 2", n)
		}
		srv.setReply(failFirst(1))
		_, err := c.APIKeys.GetCurrentKeyMetadata(t.Context())
		var apiErr *facade.APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("next call: err = %v, want the 503 unretried", err)
		}
		if n := srv.count(); n != 3 {
			t.Errorf("next call made %d requests, want 1", n-2)
		}
	})
	t.Run("disable for one call", func(t *testing.T) {
		srv := newRecorder(t, failFirst(1))
		c := srv.client(t, facade.WithRetryConfig(quickRetry))
		if _, err := c.APIKeys.GetCurrentKeyMetadata(t.Context(), facade.WithRetryConfig(facade.RetryConfig{Strategy: facade.StrategyNone})); err == nil {
			t.Fatal("call with retries off succeeded on a 503")
		}
		if n := srv.count(); n != 1 {
			t.Errorf("call with retries off made %d requests, want 1", n)
		}
		srv.setReply(failFirst(1))
		if _, err := c.APIKeys.GetCurrentKeyMetadata(t.Context()); err != nil {
			t.Errorf("next call (client retries): %v", err)
		}
		if n := srv.count(); n != 3 {
			t.Errorf("next call made %d requests, want 2", n-1)
		}
	})
}

// Per-call headers must not leak into the client or into concurrent calls,
// even when the client already holds several headers (an append to a shared
// backing array would hand one call's header to another).
func TestPerCallHeadersDoNotLeak(t *testing.T) {
	clearEnv(t)
	echo := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Echo-Call", r.Header.Get("X-Call"))
		w.Header().Set("X-Echo-A", r.Header.Get("X-A"))
		okFor(w, r)
	}
	srv := newRecorder(t, echo)
	c := srv.client(t, facade.WithHeader("X-A", "client"), facade.WithHeader("X-B", "b"), facade.WithHeader("X-C", "c"))

	const n = 32
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := strconv.Itoa(i)
			var resp *http.Response
			opts := []facade.Option{facade.WithHeader("X-Call", id), facade.WithResponseInto(&resp)}
			if i%2 == 0 {
				// Replacing a client header, before any append gives the
				// call its own copy of the slice.
				opts = append([]facade.Option{facade.WithHeader("X-A", "call-"+id)}, opts...)
			}
			if _, err := c.APIKeys.GetCurrentKeyMetadata(context.Background(), opts...); err != nil {
				errs <- err
				return
			}
			if got := resp.Header.Get("X-Echo-Call"); got != id {
				errs <- fmt.Errorf("call %s: server saw X-Call %q", id, got)
			}
			wantA := "client"
			if i%2 == 0 {
				wantA = "call-" + id
			}
			if got := resp.Header.Get("X-Echo-A"); got != wantA {
				errs <- fmt.Errorf("call %s: server saw X-A %q, want %q", id, got, wantA)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	// The client itself is unchanged.
	before := srv.count()
	if _, err := c.APIKeys.GetCurrentKeyMetadata(t.Context()); err != nil {
		t.Fatal(err)
	}
	last := srv.requests()[before]
	if v, ok := last.Header["X-Call"]; ok {
		t.Errorf("a later call still sends X-Call %q", v)
	}
	for h, v := range map[string]string{"X-A": "client", "X-B": "b", "X-C": "c"} {
		if got := last.Header.Get(h); got != v {
			t.Errorf("a later call sends %s = %q, want %q", h, got, v)
		}
	}
}

// WithHeader replaces an earlier value of the same header rather than
// sending both.
func TestWithHeaderReplaces(t *testing.T) {
	clearEnv(t)
	srv := newRecorder(t, nil)
	c := srv.client(t, facade.WithHeader("x-trace", "one"), facade.WithHeader("X-Trace", "two"))
	if _, err := c.APIKeys.GetCurrentKeyMetadata(t.Context(), facade.WithHeader("X-TRACE", "three")); err != nil {
		t.Fatal(err)
	}
	if got := srv.only().Header.Values("X-Trace"); len(got) != 1 || got[0] != "three" {
		t.Errorf("X-Trace = %q, want [three]", got)
	}
}

// WithAPIKeyFunc is asked for the key before every attempt, so a rotated key
// is picked up even between the attempts of one call.
func TestAPIKeyFuncCalledPerAttempt(t *testing.T) {
	clearEnv(t)
	srv := newRecorder(t, failFirst(1))
	var n atomic.Int32
	rotating := func(context.Context) (string, error) {
		return fmt.Sprintf("sk-or-v1-rotated-%02d-000000000000000000000", n.Add(1)), nil
	}
	c := srv.client(t, facade.WithAPIKeyFunc(rotating), facade.WithRetryConfig(quickRetry))
	if _, err := c.APIKeys.GetCurrentKeyMetadata(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := c.APIKeys.GetCurrentKeyMetadata(t.Context()); err != nil {
		t.Fatal(err)
	}
	reqs := srv.requests()
	if len(reqs) != 3 {
		t.Fatalf("server saw %d requests, want 3 (a retried call and a plain one)", len(reqs))
	}
	for i, r := range reqs {
		want := fmt.Sprintf("Bearer sk-or-v1-rotated-%02d-000000000000000000000", i+1)
		if got := r.Header.Get("Authorization"); got != want {
			t.Errorf("attempt %d: Authorization = %q, want %q", i+1, got, want)
		}
	}
}

// An error from the key function fails the call before anything is sent,
// and stays reachable with errors.Is. A bad key from it fails the same way.
func TestAPIKeyFuncErrorStopsCall(t *testing.T) {
	clearEnv(t)
	vault := errors.New("vault sealed")
	for _, tc := range []struct {
		name string
		fn   func(context.Context) (string, error)
		is   error
		want string
	}{
		{"error", func(context.Context) (string, error) { return "", vault }, vault, "vault sealed"},
		{"empty key", func(context.Context) (string, error) { return "", nil }, nil, "empty API key (from the API key function)"},
		{"key with newline", func(context.Context) (string, error) { return "sk-or-v1-a\nb", nil }, nil, "control character"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newRecorder(t, nil)
			c := srv.client(t, facade.WithAPIKeyFunc(tc.fn), facade.WithRetryConfig(quickRetry))
			for _, op := range sixCalls() {
				err := op.standalone(t.Context(), c)
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("%s: err = %v, want one containing %q", op.name, err, tc.want)
				}
				if tc.is != nil && !errors.Is(err, tc.is) {
					t.Errorf("%s: errors.Is(err, %v) = false for %v", op.name, tc.is, err)
				}
			}
			if n := srv.count(); n != 0 {
				t.Errorf("server saw %d requests, want 0", n)
			}
		})
	}
}

// A per-call WithAPIKey replaces a client-level key function for that call,
// and a per-call key function replaces a client-level key.
func TestPerCallKeySourceOverridesClient(t *testing.T) {
	clearEnv(t)
	srv := newRecorder(t, nil)
	const fnKey = "sk-or-v1-from-function-000000000000000000000"
	fn := func(context.Context) (string, error) { return fnKey, nil }

	withFn := srv.client(t, facade.WithAPIKeyFunc(fn))
	if _, err := withFn.APIKeys.GetCurrentKeyMetadata(t.Context(), facade.WithAPIKey(testKey)); err != nil {
		t.Fatal(err)
	}
	withKey := srv.client(t)
	if _, err := withKey.APIKeys.GetCurrentKeyMetadata(t.Context(), facade.WithAPIKeyFunc(fn)); err != nil {
		t.Fatal(err)
	}
	reqs := srv.requests()
	if got := reqs[0].Header.Get("Authorization"); got != "Bearer "+testKey {
		t.Errorf("per-call key over client function: %q", got)
	}
	if got := reqs[1].Header.Get("Authorization"); got != "Bearer "+fnKey {
		t.Errorf("per-call function over client key: %q", got)
	}
}

// WithResponseInto hands back the raw response, for successes and for API
// errors alike.
func TestWithResponseInto(t *testing.T) {
	clearEnv(t)
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "req-"+r.Method)
		if r.Method == http.MethodDelete {
			replyWith(http.StatusNotFound, `{"error":{"code":404,"message":"Resource not found"}}`)(w, r)
			return
		}
		okFor(w, r)
	})
	c := srv.client(t)

	var resp *http.Response
	if _, err := c.APIKeys.Get(t.Context(), facade.GetKeyRequest{Hash: testHash}, facade.WithResponseInto(&resp)); err != nil {
		t.Fatal(err)
	}
	if resp == nil || resp.StatusCode != http.StatusOK || resp.Header.Get("X-Request-Id") != "req-GET" {
		t.Fatalf("success: response = %+v", resp)
	}

	resp = nil
	if _, err := c.APIKeys.Delete(t.Context(), facade.DeleteKeysRequest{Hash: testHash}, facade.WithResponseInto(&resp)); err == nil {
		t.Fatal("404 returned no error")
	}
	if resp == nil || resp.StatusCode != http.StatusNotFound || resp.Header.Get("X-Request-Id") != "req-DELETE" {
		t.Errorf("error: response = %+v", resp)
	}

	// A client-level destination would be written by every call at once:
	// New refuses it, naming it.
	var clientResp *http.Response
	for _, o := range []facade.Option{facade.WithResponseInto(&clientResp), facade.WithResponseBodyInto(new([]byte))} {
		_, err := facade.New(facade.WithAPIKey(testKey), o)
		var in *facade.InputError
		if !errors.As(err, &in) || !errors.Is(err, facade.ErrInvalidInput) || !strings.Contains(in.Setting, "WithResponse") || !strings.Contains(err.Error(), "per call") {
			t.Errorf("New(per-call option) = %v, want an InputError naming it", err)
		}
	}
}

// WithResponseBodyInto hands back the API's own bytes, fields orkeys does
// not model included, and leaves the destination alone on failure.
func TestWithResponseBodyInto(t *testing.T) {
	clearEnv(t)
	body := `{"data":` + strings.Replace(keyJSON(testHash, "n"), `"name"`, `"future_field":{"x":1},"name"`, 1) + `}`
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodDelete {
			replyWith(http.StatusNotFound, `{"error":{"code":404,"message":"Resource not found"}}`)(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, body)
	})
	c := srv.client(t)

	var raw []byte
	if _, err := c.APIKeys.Get(t.Context(), facade.GetKeyRequest{Hash: testHash}, facade.WithResponseBodyInto(&raw)); err != nil {
		t.Fatal(err)
	}
	if string(raw) != body {
		t.Fatalf("raw body = %s, want %s", raw, body)
	}

	kept := []byte("untouched")
	raw = kept
	if _, err := c.APIKeys.Delete(t.Context(), facade.DeleteKeysRequest{Hash: testHash}, facade.WithResponseBodyInto(&raw)); err == nil {
		t.Fatal("404 returned no error")
	}
	if string(raw) != "untouched" {
		t.Errorf("failed call changed the destination to %q", raw)
	}
	if _, err := facade.New(facade.WithResponseBodyInto(nil)); err == nil {
		t.Error("nil destination accepted")
	}
}

// hang answers only when the request's context ends (or after a long
// while), so a call against it ends only through a timeout.
func hang(w http.ResponseWriter, r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-time.After(10 * time.Second):
		okFor(w, r)
	}
}

// WithTimeout bounds a call, at client level and per call.
func TestWithTimeout(t *testing.T) {
	clearEnv(t)
	srv := newRecorder(t, hang)
	for name, c := range map[string]*facade.Client{
		"client": srv.client(t, facade.WithTimeout(50*time.Millisecond)),
		"call":   srv.client(t),
	} {
		t.Run(name, func(t *testing.T) {
			var opts []facade.Option
			if name == "call" {
				opts = append(opts, facade.WithTimeout(50*time.Millisecond))
			}
			_, err := c.APIKeys.Get(t.Context(), facade.GetKeyRequest{Hash: testHash}, opts...)
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("err = %v, want context.DeadlineExceeded", err)
			}
		})
	}
}

// WithXTitle sends both header names; WithAppCategories joins with commas.
func TestAttributionHeaders(t *testing.T) {
	clearEnv(t)
	srv := newRecorder(t, nil)
	c := srv.client(t,
		facade.WithHTTPReferer("https://keys.example"),
		facade.WithXTitle("Key Rotator"),
		facade.WithAppCategories("cli-agent", " programming-app "))
	if _, err := c.APIKeys.List(t.Context(), facade.ListRequest{}); err != nil {
		t.Fatal(err)
	}
	r := srv.only()
	for h, v := range map[string]string{
		"HTTP-Referer":            "https://keys.example",
		"X-OpenRouter-Title":      "Key Rotator",
		"X-Title":                 "Key Rotator",
		"X-OpenRouter-Categories": "cli-agent,programming-app",
	} {
		if got := r.Header.Values(h); len(got) != 1 || got[0] != v {
			t.Errorf("%s = %q, want [%q]", h, got, v)
		}
	}
}

// WithHTTPClient's client is the one that sends.
func TestWithHTTPClient(t *testing.T) {
	clearEnv(t)
	srv := newRecorder(t, nil)
	var used atomic.Int32
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		used.Add(1)
		return http.DefaultTransport.RoundTrip(r)
	})}
	c := srv.client(t, facade.WithHTTPClient(hc))
	if _, err := c.APIKeys.GetCurrentKeyMetadata(t.Context()); err != nil {
		t.Fatal(err)
	}
	// Per call, too.
	other := srv.client(t)
	if _, err := other.APIKeys.GetCurrentKeyMetadata(t.Context(), facade.WithHTTPClient(hc)); err != nil {
		t.Fatal(err)
	}
	if n := used.Load(); n != 2 {
		t.Errorf("custom client sent %d requests, want 2", n)
	}
}

// roundTripFunc is an http.RoundTripper made of a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// WithEnv replaces the process environment as New's source of OPENROUTER_*
// defaults: what the lookup says is used, what the process says is not,
// and a bad value from the lookup is named by its variable.
func TestWithEnv(t *testing.T) {
	t.Setenv(facade.EnvAPIKey, "sk-or-v1-process0000000000000000000000000000000000000000000000000000")
	t.Setenv(facade.EnvBaseURL, "https://process.invalid/api/v1")
	srv := newRecorder(t, nil)
	vars := map[string]string{facade.EnvAPIKey: testKey, facade.EnvBaseURL: srv.base(), facade.EnvAppTitle: "from-lookup"}
	lookup := func(name string) string { return vars[name] }

	c, err := facade.New(facade.WithEnv(lookup), facade.WithRetryConfig(facade.RetryConfig{Strategy: facade.StrategyNone}))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.ServerURL(); got != srv.base() {
		t.Errorf("ServerURL = %s, want the lookup's %s", got, srv.base())
	}
	if _, err := c.APIKeys.GetCurrentKeyMetadata(t.Context()); err != nil {
		t.Fatal(err)
	}
	r := srv.only()
	if got := r.Header.Get("Authorization"); got != "Bearer "+testKey {
		t.Errorf("Authorization = %q, want the lookup's key", got)
	}
	if got := r.Header.Get("X-OpenRouter-Title"); got != "from-lookup" {
		t.Errorf("X-OpenRouter-Title = %q", got)
	}

	vars[facade.EnvBaseURL] = "ftp://nope"
	if _, err := facade.New(facade.WithEnv(lookup)); !errors.Is(err, facade.ErrInvalidInput) || !strings.Contains(err.Error(), "$"+facade.EnvBaseURL) {
		t.Errorf("bad base URL from the lookup: err = %v, want ErrInvalidInput naming $%s", err, facade.EnvBaseURL)
	}
	// An option wins over the variable, which is then not even parsed.
	if _, err := facade.New(facade.WithEnv(lookup), facade.WithServerURL(srv.base())); err != nil {
		t.Errorf("WithServerURL over a bad variable: %v", err)
	}
}
