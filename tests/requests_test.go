package tests

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/orkeys/orkeys/facade"
)

// A body sent once must be sent again, byte for byte, by a retry: gen
// builds the request once per call and the doer replays its body through
// GetBody.
func TestRetriedUpdateResendsTheSameBody(t *testing.T) {
	var mu sync.Mutex
	var bodies []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		first := len(bodies) == 1
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if first {
			w.Header().Set("Retry-After-Ms", "1")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(`{"error":{"code":503,"message":"busy"}}`))
			return
		}
		_, _ = w.Write([]byte(`{"data":{"hash":"h"}}`))
	}))
	defer srv.Close()
	c, err := facade.New(facade.WithAPIKey(benchAPIKey), facade.WithServerURL(srv.URL),
		facade.WithRetryConfig(facade.RetryConfig{Backoff: &facade.BackoffStrategy{InitialInterval: time.Millisecond, MaxInterval: time.Millisecond}}))
	if err != nil {
		t.Fatal(err)
	}
	name := "again"
	if _, err := c.APIKeys.Update(context.Background(), facade.UpdateKeysRequest{Hash: "h", RequestBody: facade.UpdateKeysRequestBody{Name: &name}}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(bodies) != 2 || bodies[0] != bodies[1] || !bytes.Contains([]byte(bodies[0]), []byte(`"again"`)) {
		t.Errorf("bodies sent: %q, want the same update twice", bodies)
	}
}

// The facade shares header value slices between requests (built once per
// config). A per-call option must change only that call, and a transport
// that appends to a request's header values must not reach the next one.
func TestSharedHeaderValuesStayPerCall(t *testing.T) {
	var seen []http.Header
	rt := roundTripFunc(func(req *http.Request) (*http.Response, error) {
		seen = append(seen, req.Header.Clone())
		// A misbehaving transport: RoundTrip should not touch the request.
		req.Header.Add("Accept", "text/plain")
		req.Header.Add("User-Agent", "mangled")
		req.Header.Add("Authorization", "mangled")
		return &http.Response{
			StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(strings.NewReader(`{"data":{"hash":"h"}}`)), ContentLength: 21, Request: req,
		}, nil
	})
	const keyA, keyB = "sk-or-v1-aaaaaaaaaaaaaaaa", "sk-or-v1-bbbbbbbbbbbbbbbb"
	c, err := facade.New(facade.WithAPIKey(keyA), facade.WithServerURL("https://example.com/api/v1"),
		facade.WithHTTPClient(&http.Client{Transport: rt}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	get := func(opts ...facade.Option) {
		t.Helper()
		if _, err := c.APIKeys.Get(ctx, facade.GetKeyRequest{Hash: "h"}, opts...); err != nil {
			t.Fatal(err)
		}
	}
	get()
	get(facade.WithAPIKey(keyB), facade.WithUserAgent("per-call/1"))
	get()
	get(facade.WithUserAgent("per-call/2"))
	get()

	want := []struct{ auth, ua string }{
		{"Bearer " + keyA, benchUserAgent},
		{"Bearer " + keyB, "per-call/1"},
		{"Bearer " + keyA, benchUserAgent},
		{"Bearer " + keyA, "per-call/2"},
		{"Bearer " + keyA, benchUserAgent},
	}
	for i, h := range seen {
		w := want[i]
		if got := h["Authorization"]; len(got) != 1 || got[0] != w.auth {
			t.Errorf("call %d: Authorization has %d value(s) or the wrong key", i, len(got))
		}
		if got := h["User-Agent"]; len(got) != 1 || got[0] != w.ua {
			t.Errorf("call %d: User-Agent %q, want [%q]", i, got, w.ua)
		}
		if got := h["Accept"]; len(got) != 1 || got[0] != "application/json" {
			t.Errorf("call %d: Accept %q, want [application/json]", i, got)
		}
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }

// uncomparableCtx is a context whose dynamic type cannot be compared with
// ==, and hiddenCtx one that looks comparable but holds it; the facade
// must neither panic on them nor lose their deadline.
type uncomparableCtx struct {
	context.Context
	tags []string
}

type hiddenCtx struct{ context.Context }

// The request carries the call's context from the moment it is built (and
// is only copied per attempt when an attempt needs its own): a deadline
// must still end a call whose server never answers.
func TestCallContextEndsAHungRequest(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		case <-time.After(5 * time.Second):
			// A client that lost the deadline gets an answer, and the
			// test sees a success where it wants an error.
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"data":{"hash":"h"}}`))
		}
	}))
	defer srv.Close()
	defer close(release)
	c, err := facade.New(facade.WithAPIKey(benchAPIKey), facade.WithServerURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		wrap func(context.Context) context.Context
	}{
		{"plain", func(ctx context.Context) context.Context { return ctx }},
		{"uncomparable", func(ctx context.Context) context.Context { return uncomparableCtx{ctx, []string{"x"}} }},
		{"hidden uncomparable", func(ctx context.Context) context.Context { return hiddenCtx{uncomparableCtx{ctx, nil}} }},
		{"struct value", func(ctx context.Context) context.Context { return hiddenCtx{ctx} }},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		_, err := c.APIKeys.Get(tc.wrap(ctx), facade.GetKeyRequest{Hash: "h"})
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s: err = %v, want context.DeadlineExceeded", tc.name, err)
		}
	}
}
