package facade_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/oapi-codegen/nullable"
	"go.uber.org/goleak"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/fake"
)

// harness is one fake server and one client with its own transport (so that
// connection counts and keep-alive state belong to this test alone) and a
// fake clock that records the retry waits instead of sleeping.
type harness struct {
	t     *testing.T
	srv   *fake.Server
	clock *facade.TestClock
	tr    *http.Transport
	c     *facade.Client
}

// bounded is t.Context(), cancelled after 20s: a regression that makes a
// call hang fails its test with context.Canceled instead of stalling the
// run. (Cancelled, not timed out, so that it cannot pass for a
// context.DeadlineExceeded the test expects.)
func bounded(t *testing.T) context.Context {
	ctx, cancel := context.WithCancel(t.Context())
	stop := time.AfterFunc(20*time.Second, cancel)
	t.Cleanup(func() { stop.Stop(); cancel() })
	return ctx
}

func newHarness(t *testing.T, opts ...facade.Option) *harness {
	t.Helper()
	h := &harness{t: t, srv: fake.NewServer(), clock: &facade.TestClock{}}
	h.tr = http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(func() {
		h.srv.Close()
		h.tr.CloseIdleConnections()
	})
	base := []facade.Option{
		facade.WithAPIKey(h.srv.ManagementKey),
		facade.WithServerURL(h.srv.URL),
		facade.WithHTTPClient(&http.Client{Transport: h.tr}),
		facade.WithTestClock(h.clock),
	}
	c, err := facade.New(append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	h.c = c
	return h
}

// count is how many requests with this method reached the server on a path
// matching pattern ("/keys", "/keys/{hash}", "/key").
func (h *harness) count(method, pattern string) int {
	n := 0
	for _, r := range h.srv.Requests() {
		if r.Method == method && pathMatches(pattern, strings.TrimPrefix(r.Path, "/api/v1")) {
			n++
		}
	}
	return n
}

func (h *harness) requests(method, pattern string) []fake.Request {
	var out []fake.Request
	for _, r := range h.srv.Requests() {
		if r.Method == method && pathMatches(pattern, strings.TrimPrefix(r.Path, "/api/v1")) {
			out = append(out, r)
		}
	}
	return out
}

func pathMatches(pattern, path string) bool {
	ps, xs := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(ps) != len(xs) {
		return false
	}
	for i := range ps {
		if !strings.HasPrefix(ps[i], "{") && ps[i] != xs[i] {
			return false
		}
	}
	return true
}

func (h *harness) seed(name string) facade.CreateKeysResponse {
	h.t.Helper()
	k, err := h.srv.AddKey(facade.CreateKeysRequestBody{Name: name})
	if err != nil {
		h.t.Fatal(err)
	}
	return k
}

// fast is a retry policy with short waits, so that a test can afford real
// sleeps where it needs them.
func fast(connErrors bool) facade.Option {
	return facade.WithRetryConfig(facade.RetryConfig{
		Strategy: facade.StrategyBackoff,
		Backoff: &facade.BackoffStrategy{
			InitialInterval: 10 * time.Millisecond, MaxInterval: 40 * time.Millisecond,
			MaxElapsedTime: 10 * time.Second, Exponent: 2,
		},
		RetryConnectionErrors: facade.Ptr(connErrors),
	})
}

// jitterBounds is the documented range of the wait before retry n under
// the default policy.
func jitterBounds(n int) (lo, hi time.Duration) {
	d := min(float64(facade.DefaultInitialInterval)*math.Pow(facade.DefaultExponent, float64(n)), float64(facade.DefaultMaxInterval))
	return time.Duration(d*0.75) - 2, min(time.Duration(d*1.25), facade.DefaultMaxInterval) + 2
}

func status(code int, header ...string) fake.Fault {
	f := fake.Fault{Status: code}
	if len(header) > 0 {
		f.Header = http.Header{}
		for i := 0; i+1 < len(header); i += 2 {
			f.Header.Set(header[i], header[i+1])
		}
	}
	return f
}

func on(method, path string, f fake.Fault) fake.Fault {
	f.Method, f.Path = method, path
	return f
}

func repeat(n int, f fake.Fault) []fake.Fault {
	out := make([]fake.Fault, n)
	for i := range out {
		out[i] = f
	}
	return out
}

func listKeys(ctx context.Context, h *harness, opts ...facade.Option) error {
	_, err := h.c.APIKeys.List(ctx, facade.ListRequest{}, opts...)
	return err
}

func currentKey(ctx context.Context, h *harness, opts ...facade.Option) error {
	_, err := h.c.APIKeys.GetCurrentKeyMetadata(ctx, opts...)
	return err
}

func createKey(name string) func(context.Context, *harness, ...facade.Option) error {
	return func(ctx context.Context, h *harness, opts ...facade.Option) error {
		res, err := h.c.APIKeys.Create(ctx, facade.CreateKeysRequest{RequestBody: facade.CreateKeysRequestBody{Name: name}}, opts...)
		if err == nil && (res.Data.Name != name || !strings.HasPrefix(res.Key.Reveal(), "sk-or-v1-")) {
			return fmt.Errorf("created %q with key %v, want %q", res.Data.Name, res.Key, name)
		}
		return err
	}
}

func wantNoError(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("err = %v, want success", err)
	}
}

func wantAPIError(code int) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var api *facade.APIError
		if !errors.As(err, &api) || api.StatusCode != code {
			t.Fatalf("err = %v, want an *APIError with status %d", err, code)
		}
	}
}

// wantMaybeCreated checks the error of a create that must not be retried.
func wantMaybeCreated(name string, also func(*testing.T, error)) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var mc *facade.MaybeCreatedError
		if !errors.As(err, &mc) || mc.Name != name {
			t.Fatalf("err = %v, want a *MaybeCreatedError for %q", err, name)
		}
		if want := fmt.Sprintf("list keys named %q to check", name); !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
		if also != nil {
			also(t, err)
		}
	}
}

func wantSleeps(n int) func(*testing.T, []time.Duration) {
	return func(t *testing.T, sleeps []time.Duration) {
		t.Helper()
		if len(sleeps) != n {
			t.Fatalf("slept %v, want %d waits", sleeps, n)
		}
	}
}

// wantBackoffSleeps checks that each wait lies in its documented jitter band.
func wantBackoffSleeps(n int) func(*testing.T, []time.Duration) {
	return func(t *testing.T, sleeps []time.Duration) {
		t.Helper()
		wantSleeps(n)(t, sleeps)
		for i, d := range sleeps {
			if lo, hi := jitterBounds(i); d < lo || d > hi {
				t.Errorf("wait %d = %v, want within [%v, %v]", i, d, lo, hi)
			}
		}
	}
}

func TestRetryScenarios(t *testing.T) {
	type scenario struct {
		name    string
		opts    []facade.Option // the client's, after the harness's
		faults  []fake.Fault
		call    func(context.Context, *harness, ...facade.Option) error
		method  string // the requests counted as attempts
		path    string
		want    int // attempts
		sleeps  func(*testing.T, []time.Duration)
		outcome func(*testing.T, error)
	}
	noCap := facade.WithRetryConfig(facade.RetryConfig{Backoff: &facade.BackoffStrategy{InitialInterval: 10 * time.Millisecond}, RetryConnectionErrors: facade.Ptr(true)})
	scenarios := []scenario{
		{
			name:   "503, 503, 200 takes 3 attempts",
			faults: repeat(2, on("GET", "/keys", status(503))),
			call:   listKeys, method: "GET", path: "/keys", want: 3,
			sleeps: wantBackoffSleeps(2), outcome: wantNoError,
		},
		{
			name:   "408, 500, 502, 504 are all retried",
			faults: []fake.Fault{on("GET", "/key", status(408)), on("GET", "/key", status(500)), on("GET", "/key", status(502)), on("GET", "/key", status(504))},
			call:   currentKey, method: "GET", path: "/key", want: 5,
			sleeps: wantBackoffSleeps(4), outcome: wantNoError,
		},
		{
			name:   "429 with Retry-After: 1 waits at least 1s",
			opts:   []facade.Option{noCap},
			faults: []fake.Fault{on("GET", "/key", status(429, "Retry-After", "1"))},
			call:   currentKey, method: "GET", path: "/key", want: 2,
			sleeps: func(t *testing.T, s []time.Duration) {
				wantSleeps(1)(t, s)
				if s[0] < time.Second {
					t.Errorf("waited %v, want at least the 1s hint", s[0])
				}
			},
			outcome: wantNoError,
		},
		{
			name:   "retry-after-ms: 150 waits at least 150ms",
			opts:   []facade.Option{noCap},
			faults: []fake.Fault{on("GET", "/keys", status(503, "retry-after-ms", "150"))},
			call:   listKeys, method: "GET", path: "/keys", want: 2,
			sleeps: func(t *testing.T, s []time.Duration) {
				wantSleeps(1)(t, s)
				if s[0] < 150*time.Millisecond {
					t.Errorf("waited %v, want at least the 150ms hint", s[0])
				}
			},
			outcome: wantNoError,
		},
		{
			name:   "Retry-After as an HTTP-date",
			opts:   []facade.Option{noCap},
			faults: []fake.Fault{on("GET", "/keys", status(503, "Retry-After", time.Now().Add(20*time.Second).UTC().Format(http.TimeFormat)))},
			call:   listKeys, method: "GET", path: "/keys", want: 2,
			sleeps: func(t *testing.T, s []time.Duration) {
				wantSleeps(1)(t, s)
				if s[0] < 18*time.Second || s[0] > 21*time.Second {
					t.Errorf("waited %v, want about the 20s the date says", s[0])
				}
			},
			outcome: wantNoError,
		},
		{
			name:   "hint above MaxInterval ends the call at once",
			faults: []fake.Fault{on("GET", "/keys", status(429, "Retry-After", "45"))},
			call:   listKeys, method: "GET", path: "/keys", want: 1,
			sleeps: wantSleeps(0),
			outcome: func(t *testing.T, err error) {
				var tm *facade.TooManyRequestsResponseError
				if !errors.As(err, &tm) || tm.RetryAfter != 45*time.Second {
					t.Fatalf("err = %v, want a TooManyRequestsResponseError with RetryAfter 45s", err)
				}
				var api *facade.APIError
				if !errors.As(err, &api) || api.RetryAfter != 45*time.Second {
					t.Fatalf("*APIError RetryAfter = %v, want 45s", api.RetryAfter)
				}
			},
		},
		{
			name:   "hint beyond MaxElapsedTime ends the call at once",
			opts:   []facade.Option{facade.WithRetryConfig(facade.RetryConfig{Backoff: &facade.BackoffStrategy{MaxElapsedTime: 5 * time.Second}})},
			faults: []fake.Fault{on("GET", "/key", status(503, "Retry-After", "10"))},
			call:   currentKey, method: "GET", path: "/key", want: 1,
			sleeps: wantSleeps(0),
			outcome: func(t *testing.T, err error) {
				var api *facade.APIError
				if !errors.As(err, &api) || api.StatusCode != 503 || api.RetryAfter != 10*time.Second {
					t.Fatalf("err = %v, want the 503 with RetryAfter 10s", err)
				}
			},
		},
		{
			name:   "hint beyond the context deadline ends the call at once",
			opts:   []facade.Option{facade.WithTimeout(5 * time.Second)},
			faults: []fake.Fault{on("GET", "/key", status(429, "Retry-After", "20"))},
			call:   currentKey, method: "GET", path: "/key", want: 1,
			sleeps: wantSleeps(0),
			outcome: func(t *testing.T, err error) {
				wantAPIError(429)(t, err)
				if errors.Is(err, context.DeadlineExceeded) {
					t.Errorf("err = %v: returned at the deadline instead of at once", err)
				}
			},
		},
		{
			name:   "negative Retry-After is ignored: plain backoff",
			faults: []fake.Fault{on("GET", "/keys", status(503, "Retry-After", "-5"))},
			call:   listKeys, method: "GET", path: "/keys", want: 2,
			sleeps: wantBackoffSleeps(1), outcome: wantNoError,
		},
		{
			name:   "malformed Retry-After is ignored: plain backoff",
			faults: []fake.Fault{on("GET", "/keys", status(429, "Retry-After", "soon"))},
			call:   listKeys, method: "GET", path: "/keys", want: 2,
			sleeps: wantBackoffSleeps(1), outcome: wantNoError,
		},
		{
			name:   "absurd Retry-After 2e299 ends the call at once",
			faults: []fake.Fault{on("GET", "/keys", status(503, "Retry-After", "2e299"))},
			call:   listKeys, method: "GET", path: "/keys", want: 1,
			sleeps: wantSleeps(0),
			outcome: func(t *testing.T, err error) {
				var api *facade.APIError
				if !errors.As(err, &api) || api.RetryAfter < time.Hour {
					t.Fatalf("err = %v, want the 503 with a huge, positive RetryAfter", err)
				}
			},
		},
		{
			name:   "Strategy none makes exactly one attempt",
			opts:   []facade.Option{facade.WithRetryConfig(facade.RetryConfig{Strategy: facade.StrategyNone, RetryConnectionErrors: facade.Ptr(true)})},
			faults: []fake.Fault{on("GET", "/keys", status(503))},
			call:   listKeys, method: "GET", path: "/keys", want: 1,
			sleeps: wantSleeps(0), outcome: wantAPIError(503),
		},
		{
			name:   "POST create on 500 is sent exactly once",
			faults: []fake.Fault{on("POST", "/keys", status(500))},
			call:   createKey("ci-500"), method: "POST", path: "/keys", want: 1,
			sleeps: wantSleeps(0),
			outcome: wantMaybeCreated("ci-500", func(t *testing.T, err error) {
				var ise *facade.InternalServerResponseError
				if !errors.As(err, &ise) {
					t.Errorf("err = %v, want it to unwrap to *InternalServerResponseError", err)
				}
			}),
		},
		{
			name:   "POST create on 503 with Retry-After is sent exactly once",
			faults: []fake.Fault{on("POST", "/keys", status(503, "Retry-After", "1"))},
			call:   createKey("ci-503"), method: "POST", path: "/keys", want: 1,
			sleeps: wantSleeps(0), outcome: wantMaybeCreated("ci-503", wantAPIError(503)),
		},
		{
			name:   "POST create on a connection dropped after sending is sent exactly once",
			faults: []fake.Fault{on("POST", "/keys", fake.Fault{Drop: true})},
			call:   createKey("ci-drop"), method: "POST", path: "/keys", want: 1,
			sleeps: wantSleeps(0), outcome: wantMaybeCreated("ci-drop", nil),
		},
		{
			name:   "POST create that times out is sent exactly once",
			opts:   []facade.Option{facade.WithAttemptTimeout(100 * time.Millisecond)},
			faults: []fake.Fault{on("POST", "/keys", fake.Fault{Hang: true})},
			call:   createKey("ci-hang"), method: "POST", path: "/keys", want: 1,
			sleeps: wantSleeps(0),
			outcome: wantMaybeCreated("ci-hang", func(t *testing.T, err error) {
				if !errors.Is(err, context.DeadlineExceeded) {
					t.Errorf("err = %v, want it to unwrap to context.DeadlineExceeded", err)
				}
			}),
		},
		{
			name:   "POST create under WithTimeout that expires is sent exactly once",
			opts:   []facade.Option{facade.WithTimeout(100 * time.Millisecond)},
			faults: []fake.Fault{on("POST", "/keys", fake.Fault{Hang: true})},
			call:   createKey("ci-deadline"), method: "POST", path: "/keys", want: 1,
			sleeps: wantSleeps(0),
			outcome: wantMaybeCreated("ci-deadline", func(t *testing.T, err error) {
				if !errors.Is(err, context.DeadlineExceeded) {
					t.Errorf("err = %v, want it to unwrap to context.DeadlineExceeded", err)
				}
			}),
		},
		{
			name:   "POST create answered 201 with an unreadable body is sent exactly once",
			faults: []fake.Fault{on("POST", "/keys", fake.Fault{Status: 201, Body: `{"data": {"name": "ci-201"`})},
			call:   createKey("ci-201"), method: "POST", path: "/keys", want: 1,
			sleeps: wantSleeps(0), outcome: wantMaybeCreated("ci-201", nil),
		},
		{
			name:   "POST create on 429 is retried",
			faults: repeat(2, on("POST", "/keys", status(429))),
			call:   createKey("ci-429"), method: "POST", path: "/keys", want: 3,
			sleeps: wantBackoffSleeps(2), outcome: wantNoError,
		},
		{
			name:   "POST create on 408 is not retried",
			faults: []fake.Fault{on("POST", "/keys", status(408))},
			call:   createKey("ci-408"), method: "POST", path: "/keys", want: 1,
			sleeps: wantSleeps(0), outcome: wantAPIError(408),
		},
		{
			name:   "PATCH is retried",
			faults: repeat(2, on("PATCH", "/keys/{hash}", status(502))),
			call: func(ctx context.Context, h *harness, opts ...facade.Option) error {
				k := h.seed("to-update")
				_, err := h.c.APIKeys.Update(ctx, facade.UpdateKeysRequest{Hash: k.Data.Hash, RequestBody: facade.UpdateKeysRequestBody{
					Name: ptr("updated"), Limit: nullable.NewNullableWithValue(12.5),
				}}, opts...)
				return err
			},
			method: "PATCH", path: "/keys/{hash}", want: 3,
			sleeps: wantBackoffSleeps(2), outcome: wantNoError,
		},
		{
			name:   "DELETE is retried",
			faults: []fake.Fault{on("DELETE", "/keys/{hash}", status(500))},
			call: func(ctx context.Context, h *harness, opts ...facade.Option) error {
				k := h.seed("to-delete")
				_, err := h.c.APIKeys.Delete(ctx, facade.DeleteKeysRequest{Hash: k.Data.Hash}, opts...)
				return err
			},
			method: "DELETE", path: "/keys/{hash}", want: 2,
			sleeps: wantBackoffSleeps(1), outcome: wantNoError,
		},
		{
			name:   "dropped connection on GET is retried with RetryConnectionErrors",
			faults: []fake.Fault{on("GET", "/keys", fake.Fault{Drop: true})},
			call:   listKeys, method: "GET", path: "/keys", want: 2,
			sleeps: wantBackoffSleeps(1), outcome: wantNoError,
		},
		{
			name:   "dropped connection on GET is not retried without RetryConnectionErrors",
			opts:   []facade.Option{facade.WithRetryConfig(facade.RetryConfig{Strategy: facade.StrategyBackoff, RetryConnectionErrors: facade.Ptr(false)})},
			faults: []fake.Fault{on("GET", "/keys", fake.Fault{Drop: true})},
			call:   listKeys, method: "GET", path: "/keys", want: 1,
			sleeps: wantSleeps(0),
			outcome: func(t *testing.T, err error) {
				var ue *url.Error
				if !errors.As(err, &ue) {
					t.Fatalf("err = %v, want the transport's *url.Error", err)
				}
			},
		},
		{
			name:   "per-attempt timeout, then success",
			opts:   []facade.Option{facade.WithAttemptTimeout(100 * time.Millisecond)},
			faults: []fake.Fault{on("GET", "/key", fake.Fault{Hang: true})},
			call:   currentKey, method: "GET", path: "/key", want: 2,
			sleeps: wantBackoffSleeps(1), outcome: wantNoError,
		},
		{
			name:   "per-attempt timeout is not retried without RetryConnectionErrors",
			opts:   []facade.Option{facade.WithAttemptTimeout(100 * time.Millisecond), facade.WithRetryConfig(facade.RetryConfig{RetryConnectionErrors: facade.Ptr(false)})},
			faults: []fake.Fault{on("GET", "/key", fake.Fault{Hang: true})},
			call:   currentKey, method: "GET", path: "/key", want: 1,
			sleeps: wantSleeps(0),
			outcome: func(t *testing.T, err error) {
				if !errors.Is(err, context.DeadlineExceeded) {
					t.Fatalf("err = %v, want context.DeadlineExceeded", err)
				}
			},
		},
		{
			name:   "WithTimeout bounds a hanging call",
			opts:   []facade.Option{facade.WithTimeout(150 * time.Millisecond)},
			faults: []fake.Fault{on("GET", "/keys", fake.Fault{Hang: true})},
			call:   listKeys, method: "GET", path: "/keys", want: 1,
			sleeps: wantSleeps(0),
			outcome: func(t *testing.T, err error) {
				if !errors.Is(err, context.DeadlineExceeded) {
					t.Fatalf("err = %v, want context.DeadlineExceeded", err)
				}
			},
		},
		{
			name:   "WithTimeout bounds the waits: no retry past it",
			opts:   []facade.Option{facade.WithTimeout(2 * time.Second), facade.WithRetryConfig(facade.RetryConfig{Backoff: &facade.BackoffStrategy{InitialInterval: 5 * time.Second}})},
			faults: []fake.Fault{on("GET", "/keys", status(503))},
			call:   listKeys, method: "GET", path: "/keys", want: 1,
			sleeps: wantSleeps(0), outcome: wantAPIError(503),
		},
	}
	for _, s := range []int{400, 401, 403, 404, 409, 422, 501} {
		scenarios = append(scenarios, scenario{
			name:   fmt.Sprintf("%d is not retried", s),
			faults: []fake.Fault{on("GET", "/keys", status(s))},
			call:   listKeys, method: "GET", path: "/keys", want: 1,
			sleeps: wantSleeps(0), outcome: wantAPIError(s),
		})
	}

	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			h := newHarness(t, sc.opts...)
			h.srv.Inject(sc.faults...)
			err := sc.call(bounded(t), h)
			if got := h.count(sc.method, sc.path); got != sc.want {
				t.Errorf("%s %s reached the server %d times, want %d (err = %v)", sc.method, sc.path, got, sc.want, err)
			}
			sc.sleeps(t, h.clock.Sleeps())
			sc.outcome(t, err)
			if strings.Contains(fmt.Sprint(err), h.srv.ManagementKey) {
				t.Errorf("error holds the API key: %v", err)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// Every retry of a body-carrying request sends the same bytes with the
// right Content-Length.
func TestRetriedBodiesAreIdentical(t *testing.T) {
	h := newHarness(t)
	k := h.seed("patch-me")
	h.srv.Inject(on("PATCH", "/keys/{hash}", status(503)), on("PATCH", "/keys/{hash}", fake.Fault{Drop: true}), on("PATCH", "/keys/{hash}", status(500)))
	res, err := h.c.APIKeys.Update(t.Context(), facade.UpdateKeysRequest{Hash: k.Data.Hash, RequestBody: facade.UpdateKeysRequestBody{
		Name: ptr("patched"), Limit: nullable.NewNullableWithValue(7.25), LimitReset: nullable.NewNullNullable[facade.LimitReset](),
	}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Data.Name != "patched" || res.Data.Limit == nil || *res.Data.Limit != 7.25 {
		t.Errorf("update result = %+v", res.Data)
	}
	reqs := h.requests("PATCH", "/keys/{hash}")
	if len(reqs) != 4 {
		t.Fatalf("%d PATCH requests, want 4", len(reqs))
	}
	for i, r := range reqs {
		if len(r.Body) == 0 || !bytes.Equal(r.Body, reqs[0].Body) {
			t.Errorf("attempt %d body %q differs from attempt 1's %q", i+1, r.Body, reqs[0].Body)
		}
		if cl := r.Header.Get("Content-Length"); cl != strconv.Itoa(len(r.Body)) {
			t.Errorf("attempt %d Content-Length %q, body is %d bytes", i+1, cl, len(r.Body))
		}
	}
	if !bytes.Contains(reqs[0].Body, []byte(`"limit_reset":null`)) {
		t.Errorf("body %s lost the explicit null", reqs[0].Body)
	}

	// The same for POST /keys retried on 429.
	h.srv.Inject(on("POST", "/keys", status(429)))
	if _, err := h.c.APIKeys.Create(t.Context(), facade.CreateKeysRequest{RequestBody: facade.CreateKeysRequestBody{Name: "posted", Limit: facade.Ptr(3.0)}}); err != nil {
		t.Fatal(err)
	}
	posts := h.requests("POST", "/keys")
	if len(posts) != 2 || !bytes.Equal(posts[0].Body, posts[1].Body) || posts[1].Header.Get("Content-Length") != strconv.Itoa(len(posts[1].Body)) {
		t.Errorf("POST attempts: %d, bodies %q and %q", len(posts), posts[0].Body, posts[len(posts)-1].Body)
	}
}

// A create whose connection is refused never reached a server, so it is
// retried; the retry then creates exactly one key.
func TestCreateRetriedOnRefusedConnection(t *testing.T) {
	srv := fake.NewServer()
	defer srv.Close()
	closed := closedPort(t)
	var dials atomic.Int32
	tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		if dials.Add(1) == 1 {
			addr = closed // the first dial hits a port nobody listens on
		}
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}}
	defer tr.CloseIdleConnections()
	clock := &facade.TestClock{}
	c, err := facade.New(facade.WithAPIKey(srv.ManagementKey), facade.WithServerURL(srv.URL),
		facade.WithHTTPClient(&http.Client{Transport: tr}), facade.WithTestClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.APIKeys.Create(t.Context(), facade.CreateKeysRequest{RequestBody: facade.CreateKeysRequestBody{Name: "after-refusal"}})
	if err != nil {
		t.Fatalf("create after a refused connection: %v", err)
	}
	if dials.Load() != 2 || len(srv.Requests()) != 1 || len(clock.Sleeps()) != 1 {
		t.Errorf("dials = %d, requests = %d, waits = %v; want 2, 1, one wait", dials.Load(), len(srv.Requests()), clock.Sleeps())
	}
	page, err := c.APIKeys.List(t.Context(), facade.ListRequest{})
	if err != nil || len(page.Data) != 1 || page.Data[0].Hash != res.Data.Hash {
		t.Errorf("keys after create: %+v, %v; want exactly the one created", page, err)
	}
}

// Without a server at all, a create keeps failing before anything is sent:
// it is retried until the budget runs out, and never becomes MaybeCreated.
func TestCreateGivesUpOnRefusedConnections(t *testing.T) {
	clock := &facade.TestClock{}
	c, err := facade.New(facade.WithAPIKey("sk-or-v1-refused"), facade.WithServerURL("http://"+closedPort(t)+"/api/v1"),
		facade.WithTestClock(clock), facade.WithRetryConfig(facade.RetryConfig{
			Backoff:               &facade.BackoffStrategy{InitialInterval: time.Second, MaxInterval: 2 * time.Second, MaxElapsedTime: 10 * time.Second},
			RetryConnectionErrors: facade.Ptr(true),
		}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.APIKeys.Create(t.Context(), facade.CreateKeysRequest{RequestBody: facade.CreateKeysRequestBody{Name: "nowhere"}})
	attempts := len(clock.Sleeps()) + 1
	if attempts < 4 {
		t.Fatalf("%d attempts, want several within a 10s budget of 1-2s waits", attempts)
	}
	if want := fmt.Sprintf("giving up after %d attempts", attempts); err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("err = %v, want it to start %q", err, want)
	}
	var mc *facade.MaybeCreatedError
	if errors.As(err, &mc) {
		t.Errorf("err = %v: a refused connection sent nothing, so it is not MaybeCreated", err)
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("err = %v, want it to unwrap to ECONNREFUSED", err)
	}
	var total time.Duration
	for _, d := range clock.Sleeps() {
		total += d
	}
	if total > 10*time.Second {
		t.Errorf("waited %v in all, past the 10s MaxElapsedTime", total)
	}
}

func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestGiveUpSaysHowManyAttemptsAndUnwraps(t *testing.T) {
	budget := facade.WithRetryConfig(facade.RetryConfig{
		Backoff:               &facade.BackoffStrategy{InitialInterval: time.Second, MaxInterval: 4 * time.Second, MaxElapsedTime: 20 * time.Second, Exponent: 2},
		RetryConnectionErrors: facade.Ptr(true),
	})
	t.Run("API error", func(t *testing.T) {
		h := newHarness(t, budget)
		h.srv.Inject(repeat(100, on("GET", "/keys", status(503)))...)
		err := listKeys(t.Context(), h)
		n := h.count("GET", "/keys")
		if n < 3 || n > 20 {
			t.Fatalf("%d attempts, want a handful within the budget", n)
		}
		if want := fmt.Sprintf("giving up after %d attempts: ", n); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Fatalf("err = %v, want it to start %q", err, want)
		}
		var re *facade.RetryError
		if !errors.As(err, &re) || re.Attempts != n {
			t.Errorf("RetryError = %+v, want Attempts %d", re, n)
		}
		var typed *facade.OpenRouterDefaultError
		if !errors.As(err, &typed) || typed.StatusCode != 503 {
			t.Errorf("err = %v, want it to unwrap to the typed 503", err)
		}
		var total time.Duration
		for _, d := range h.clock.Sleeps() {
			total += d
		}
		if len(h.clock.Sleeps()) != n-1 || total > 20*time.Second {
			t.Errorf("waits %v (total %v), want %d within the 20s budget", h.clock.Sleeps(), total, n-1)
		}
	})
	t.Run("transport error", func(t *testing.T) {
		h := newHarness(t, budget)
		h.srv.Inject(repeat(100, on("GET", "/key", fake.Fault{Drop: true}))...)
		err := currentKey(t.Context(), h)
		n := h.count("GET", "/key")
		if n < 3 {
			t.Fatalf("%d attempts, want several", n)
		}
		if want := fmt.Sprintf("giving up after %d attempts: ", n); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Fatalf("err = %v, want it to start %q", err, want)
		}
		var ue *url.Error
		if !errors.As(err, &ue) {
			t.Errorf("err = %v, want it to unwrap to the transport's *url.Error", err)
		}
	})
}

// Cancelling during a backoff wait ends the call at once and sends nothing
// more. This test sleeps for real: the wait is a minute long.
func TestCancelDuringBackoff(t *testing.T) {
	srv := fake.NewServer()
	defer srv.Close()
	c, err := facade.New(facade.WithAPIKey(srv.ManagementKey), facade.WithServerURL(srv.URL),
		facade.WithRetryConfig(facade.RetryConfig{Backoff: &facade.BackoffStrategy{InitialInterval: time.Minute, MaxInterval: time.Minute}, RetryConnectionErrors: facade.Ptr(true)}))
	if err != nil {
		t.Fatal(err)
	}
	srv.Inject(repeat(5, on("GET", "/keys", status(503)))...)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, err := c.APIKeys.List(ctx, facade.ListRequest{})
		done <- err
	}()
	// Wait until the first attempt has been answered; the loop is then in
	// its minute-long wait.
	deadline := time.Now().Add(10 * time.Second)
	for len(srv.Requests()) == 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond)
	cancelled := time.Now()
	cancel()
	select {
	case err = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("call did not return after cancel")
	}
	took := time.Since(cancelled)
	t.Logf("returned %v after cancel", took)
	// Returning at all within the select's 10s, against the minute-long
	// wait, shows that cancel ended it; the 50ms bound is checked without
	// the race detector, which can stall a goroutine past it.
	if took > 50*time.Millisecond && !raceEnabled {
		t.Errorf("returned %v after cancel, want within 50ms", took)
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	var api *facade.APIError
	if !errors.As(err, &api) || api.StatusCode != 503 {
		t.Errorf("err = %v, want it to carry the last attempt's 503 too", err)
	}
	time.Sleep(50 * time.Millisecond)
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("server got %d requests, want 1: nothing may be sent after cancel", n)
	}
}

// Cancelling while an attempt is in flight ends the call with
// context.Canceled and no further attempt.
func TestCancelDuringAttempt(t *testing.T) {
	h := newHarness(t)
	h.srv.Inject(on("GET", "/keys", fake.Fault{Hang: true}))
	ctx, cancel := context.WithCancel(t.Context())
	go func() {
		for h.count("GET", "/keys") == 0 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	err := listKeys(ctx, h)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if n := h.count("GET", "/keys"); n != 1 || len(h.clock.Sleeps()) != 0 {
		t.Errorf("%d requests and waits %v after cancel, want 1 and none", n, h.clock.Sleeps())
	}
}

// WithTimeout bounds the whole call, retries and waits included, on a real
// clock with short waits.
func TestWithTimeoutBoundsRetries(t *testing.T) {
	srv := fake.NewServer()
	defer srv.Close()
	srv.Inject(repeat(1000, on("GET", "/keys", status(503)))...)
	c, err := facade.New(facade.WithAPIKey(srv.ManagementKey), facade.WithServerURL(srv.URL), fast(true))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = c.APIKeys.List(bounded(t), facade.ListRequest{}, facade.WithTimeout(300*time.Millisecond))
	took := time.Since(start)
	if err == nil {
		t.Fatal("want an error")
	}
	n := len(srv.Requests())
	t.Logf("%d attempts in %v under a 300ms WithTimeout: %v", n, took, err)
	// The waits are at least 7.5ms (10ms less the jitter), so 300ms leave
	// room for at most 41 attempts, however slow the machine; the 10s
	// MaxElapsedTime, had it been what stopped the call, for about 250.
	if n > 50 {
		t.Errorf("%d attempts, more than 300ms of waits allow: WithTimeout did not bound the call", n)
	}
	if raceEnabled {
		return // the wall-clock bounds are checked without the race detector
	}
	if n < 2 {
		t.Errorf("%d attempts, want retries within the timeout", n)
	}
	// MaxElapsedTime is 10s; only WithTimeout can have stopped it this
	// early. (A generous bound: the machine is shared.)
	if took > 5*time.Second {
		t.Errorf("call took %v, want it bounded by the 300ms WithTimeout", took)
	}
}

// Before a retry the previous body is drained and closed, so retries reuse
// the keep-alive connection; a body too big to drain cheaply costs a new
// connection instead of a long read.
func TestRetriesReuseOneConnection(t *testing.T) {
	t.Run("five attempts with small error bodies", func(t *testing.T) {
		h := newHarness(t)
		h.srv.Inject(on("GET", "/keys", status(503)), on("GET", "/keys", status(502)), on("GET", "/keys", status(429)),
			on("GET", "/keys", fake.Fault{Status: 500, Body: strings.Repeat("e", 3000)}))
		wantNoError(t, listKeys(t.Context(), h))
		if n := h.count("GET", "/keys"); n != 5 {
			t.Fatalf("%d attempts, want 5", n)
		}
		t.Logf("5 attempts used %d TCP connection(s)", h.srv.Connections())
		if c := h.srv.Connections(); c != 1 {
			t.Errorf("5 attempts used %d TCP connections, want 1", c)
		}
		// Creates retried on 429 too, and the next call, on the same one.
		h.srv.Inject(repeat(4, on("POST", "/keys", status(429)))...)
		wantNoError(t, createKey("reuse")(t.Context(), h))
		if c := h.srv.Connections(); c != 1 {
			t.Errorf("after a retried create: %d TCP connections, want 1", c)
		}
	})
	t.Run("error body just past the 1 MiB cap is drained", func(t *testing.T) {
		h := newHarness(t)
		h.srv.Inject(on("GET", "/keys", fake.Fault{Status: 503, Body: strings.Repeat("x", facade.MaxErrorBody+2<<10)}))
		wantNoError(t, listKeys(t.Context(), h))
		if c := h.srv.Connections(); c != 1 {
			t.Errorf("%d TCP connections, want 1: a body 2 KiB past the cap should be drained", c)
		}
	})
	t.Run("error body far past the cap is not read to the end", func(t *testing.T) {
		h := newHarness(t)
		h.srv.Inject(on("GET", "/keys", fake.Fault{Status: 503, Body: strings.Repeat("x", 3<<20)}))
		wantNoError(t, listKeys(t.Context(), h))
		if c := h.srv.Connections(); c != 2 {
			t.Errorf("%d TCP connections, want 2: 2 MiB past the cap should be cut off, not drained", c)
		}
	})
}

// One client shared by 64 goroutines, with faults injected: every caller
// gets its own correct outcome, and no create is sent twice.
func TestSharedClientUnderFaults(t *testing.T) {
	const workers = 64
	h := newHarness(t)
	// One clock for 64 calls: keep it still, or every call's waits would
	// eat into every other call's MaxElapsedTime budget.
	h.clock.Still = true
	h.srv.Inject(repeat(16, on("POST", "/keys", status(429)))...)
	h.srv.Inject(repeat(32, on("GET", "/keys/{hash}", status(503)))...)
	h.srv.Inject(repeat(16, on("PATCH", "/keys/{hash}", fake.Fault{Drop: true}))...)
	h.srv.Inject(repeat(8, on("DELETE", "/keys/{hash}", status(502)))...)

	errs := make(chan error, workers)
	for i := range workers {
		go func() { errs <- lifecycle(t.Context(), h.c, i) }()
	}
	for range workers {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if n := h.count("POST", "/keys"); n != workers+16 {
		t.Errorf("%d POST /keys, want %d (64 creates + 16 answered 429): a create was sent twice", n, workers+16)
	}
	if p := h.srv.PendingFaults(); p != 0 {
		t.Errorf("%d injected faults were never hit", p)
	}
	page, err := h.c.APIKeys.List(t.Context(), facade.ListRequest{IncludeDisabled: true})
	if err != nil || len(page.Data) != 0 {
		t.Errorf("keys left: %d, %v; want none", len(page.Data), err)
	}
}

// lifecycle runs one worker's calls and checks each answer is its own.
func lifecycle(ctx context.Context, c *facade.Client, i int) error {
	name := fmt.Sprintf("worker-%02d", i)
	created, err := c.APIKeys.Create(ctx, facade.CreateKeysRequest{RequestBody: facade.CreateKeysRequestBody{Name: name}})
	if err != nil {
		return fmt.Errorf("%s: create: %w", name, err)
	}
	if created.Data.Name != name || !strings.HasPrefix(created.Key.Reveal(), "sk-or-v1-") {
		return fmt.Errorf("%s: create returned %q", name, created.Data.Name)
	}
	hash := created.Data.Hash
	got, err := c.APIKeys.Get(ctx, facade.GetKeyRequest{Hash: hash})
	if err != nil || got.Data.Name != name || got.Data.Hash != hash {
		return fmt.Errorf("%s: get: %+v, %w", name, got, err)
	}
	limit := float64(i) + 0.5
	upd, err := c.APIKeys.Update(ctx, facade.UpdateKeysRequest{Hash: hash, RequestBody: facade.UpdateKeysRequestBody{Limit: nullable.NewNullableWithValue(limit)}})
	if err != nil || upd.Data.Hash != hash || upd.Data.Limit == nil || *upd.Data.Limit != limit {
		return fmt.Errorf("%s: update: %+v, %w", name, upd, err)
	}
	_, err = c.APIKeys.Get(ctx, facade.GetKeyRequest{Hash: fmt.Sprintf("%064x", i)})
	var nf *facade.NotFoundResponseError
	if !errors.As(err, &nf) {
		return fmt.Errorf("%s: get of an unknown hash: %v, want a 404", name, err)
	}
	del, err := c.APIKeys.Delete(ctx, facade.DeleteKeysRequest{Hash: hash})
	if err != nil || !del.Deleted {
		return fmt.Errorf("%s: delete: %+v, %w", name, del, err)
	}
	return nil
}

// No goroutine of a call outlives it: not the retry wait, not a hung
// attempt, not a cancelled one. Only the transport's pooled connections
// stay, and they go with CloseIdleConnections.
func TestNoGoroutineOutlivesACall(t *testing.T) {
	h := newHarness(t)
	baseline := goleak.IgnoreCurrent()

	h.srv.Inject(on("GET", "/key", fake.Fault{Hang: true}), on("GET", "/keys", status(503)), on("POST", "/keys", fake.Fault{Drop: true}))
	wantNoError(t, currentKey(bounded(t), h, facade.WithAttemptTimeout(50*time.Millisecond)))
	wantNoError(t, listKeys(t.Context(), h))
	if err := createKey("leak-check")(t.Context(), h); err == nil {
		t.Fatal("create on a dropped connection succeeded")
	}
	h.srv.Inject(on("GET", "/keys", fake.Fault{Hang: true}))
	ctx, cancel := context.WithTimeout(bounded(t), 50*time.Millisecond)
	defer cancel()
	if err := listKeys(ctx, h); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want DeadlineExceeded", err)
	}

	h.tr.CloseIdleConnections()
	goleak.VerifyNone(t, baseline)
}

// A create that failed before a connection was made never reached the
// server: a failed name lookup, or a TLS handshake the peer cut off. It is
// retried, and exactly one key comes of it.
func TestCreateRetriedWhenNothingReachedTheServer(t *testing.T) {
	hangUp := hangUpListener(t)
	cases := []struct {
		name      string
		firstDial func(ctx context.Context, network string) (net.Conn, error)
	}{
		{"DNS failure", func(context.Context, string) (net.Conn, error) {
			return nil, &net.DNSError{Err: "server misbehaving", Name: "openrouter.ai", IsTemporary: true}
		}},
		{"TLS handshake cut off", func(ctx context.Context, network string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, hangUp)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := fake.NewServer()
			defer srv.Close()
			front := httptest.NewTLSServer(srv.Handler())
			defer front.Close()
			tr := front.Client().Transport.(*http.Transport).Clone() // trusts front's certificate
			defer tr.CloseIdleConnections()
			var dials atomic.Int32
			tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
				if dials.Add(1) == 1 {
					return tc.firstDial(ctx, network)
				}
				return (&net.Dialer{}).DialContext(ctx, network, addr)
			}
			clock := &facade.TestClock{}
			c, err := facade.New(facade.WithAPIKey(srv.ManagementKey), facade.WithServerURL(front.URL+"/api/v1"),
				facade.WithHTTPClient(&http.Client{Transport: tr}), facade.WithTestClock(clock))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.APIKeys.Create(bounded(t), facade.CreateKeysRequest{RequestBody: facade.CreateKeysRequestBody{Name: "once"}}); err != nil {
				t.Fatalf("create: %v", err)
			}
			if d, n := dials.Load(), len(srv.Requests()); d != 2 || n != 1 || len(clock.Sleeps()) != 1 {
				t.Errorf("dials = %d, requests = %d, waits = %v; want 2, 1, one wait", d, n, clock.Sleeps())
			}
		})
	}
}

// hangUpListener accepts TCP connections and closes them at once.
func hangUpListener(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			conn.Close()
		}
	}()
	t.Cleanup(func() { ln.Close(); <-done })
	return ln.Addr().String()
}

// A certificate the client does not trust will not become trusted by
// retrying: one handshake, no retry, and the x509 error unwraps.
func TestCertificateErrorNotRetried(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Error("request reached a server whose certificate is not trusted")
	}))
	srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the failed handshakes
	srv.StartTLS()
	defer srv.Close()
	clock := &facade.TestClock{}
	tr := &http.Transport{} // trusts the system roots, not the test certificate
	defer tr.CloseIdleConnections()
	c, err := facade.New(facade.WithAPIKey("sk-or-v1-tls"), facade.WithServerURL(srv.URL+"/api/v1"),
		facade.WithHTTPClient(&http.Client{Transport: tr}), facade.WithTestClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.APIKeys.List(bounded(t), facade.ListRequest{})
	var unknown x509.UnknownAuthorityError
	if !errors.As(err, &unknown) {
		t.Fatalf("err = %v, want an x509.UnknownAuthorityError", err)
	}
	if n := conns.Load(); n != 1 || len(clock.Sleeps()) != 0 {
		t.Errorf("%d connections and waits %v, want 1 and none", n, clock.Sleeps())
	}
}

// https:// aimed at a plain-http server fails the TLS handshake on every
// try; retrying for the whole budget would only delay the error. One
// attempt, no wait.
func TestHTTPSToPlainHTTPServerNotRetried(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Error("a TLS client's request reached the plain-http handler")
	}))
	srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.Start()
	defer srv.Close()
	clock := &facade.TestClock{}
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	c, err := facade.New(facade.WithAPIKey("sk-or-v1-tls"), facade.WithServerURL("https://"+srv.Listener.Addr().String()+"/api/v1"),
		facade.WithHTTPClient(&http.Client{Transport: tr}), facade.WithTestClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.APIKeys.List(bounded(t), facade.ListRequest{})
	if err == nil || !strings.Contains(err.Error(), "server gave HTTP response to HTTPS client") {
		t.Fatalf("err = %v, want net/http's plain-HTTP answer error", err)
	}
	if n := conns.Load(); n != 1 || len(clock.Sleeps()) != 0 {
		t.Errorf("%d connections and waits %v, want 1 and none", n, clock.Sleeps())
	}
}

// MaxRetries counts retries after the first attempt, whatever the time
// budget would allow: 2 makes exactly 3 attempts against a server that
// keeps failing, and 0 exactly one.
func TestMaxRetriesCountsAttempts(t *testing.T) {
	for _, n := range []int{0, 2} {
		var attempts atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			attempts.Add(1)
			w.WriteHeader(http.StatusServiceUnavailable)
		}))
		var logged bytes.Buffer
		c, err := facade.New(facade.WithServerURL(srv.URL), facade.WithAPIKey("sk-or-v1-test"),
			facade.WithLogger(slog.New(slog.NewTextHandler(&logged, &slog.HandlerOptions{Level: slog.LevelWarn}))),
			facade.WithRetryConfig(facade.RetryConfig{MaxRetries: facade.Ptr(n),
				Backoff: &facade.BackoffStrategy{InitialInterval: time.Millisecond, MaxInterval: time.Millisecond}}))
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.APIKeys.GetCurrentKeyMetadata(t.Context())
		srv.Close()
		var unavailable *facade.APIError
		if !errors.As(err, &unavailable) || unavailable.StatusCode != 503 {
			t.Errorf("MaxRetries %d: err = %v, want the last 503", n, err)
		}
		if got := int(attempts.Load()); got != n+1 {
			t.Errorf("MaxRetries %d: %d attempts, want %d", n, got, n+1)
		}
		// Giving up on a failure retrying could fix is worth a Warn.
		if !strings.Contains(logged.String(), "orkeys giving up") {
			t.Errorf("MaxRetries %d: no giving-up record: %q", n, logged.String())
		}
	}
}
