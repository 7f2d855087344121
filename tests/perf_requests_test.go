package tests

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/oapi-codegen/nullable"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/gen"
)

// The facade builds its requests itself, from a base URL resolved once per
// client, rather than through gen's New*Request builders (which parse the
// server URL and re-parse the operation URL on every call). This test keeps
// the two in step: for every operation, awkward hashes, every list
// parameter and several server URLs, the request the facade hands to the
// transport must equal the one gen's builder makes from the same input:
// method, URL, Host, Content-Type, Content-Length and body. If the spec
// changes a path or a parameter, gen changes and this test fails.

// recordingTransport keeps the last request and answers 200 or 201 with a
// small valid body for the operation.
type recordingTransport struct {
	req  *http.Request
	body []byte
}

func (rt *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	rt.req, rt.body = req, nil
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		rt.body = b
	}
	status, body := http.StatusOK, `{"data":{}}`
	switch {
	case req.Method == http.MethodPost:
		status, body = http.StatusCreated, `{"data":{},"key":"sk-or-v1-x"}`
	case req.Method == http.MethodDelete:
		body = `{"deleted":true}`
	case req.Method == http.MethodGet && strings.HasSuffix(req.URL.Path, "/keys"):
		body = `{"data":[]}`
	}
	return &http.Response{
		StatusCode:    status,
		Header:        http.Header{"Content-Type": {"application/json"}},
		Body:          io.NopCloser(strings.NewReader(body)),
		ContentLength: int64(len(body)),
		Request:       req,
	}, nil
}

type wireRequest struct {
	Method, URL, RequestURI, Host, ContentType string
	ContentLength                              int64
	Body                                       string
	Replayable                                 bool
}

func wireOf(req *http.Request, body []byte) wireRequest {
	return wireRequest{
		Method: req.Method, URL: req.URL.String(), RequestURI: req.URL.RequestURI(), Host: req.Host,
		ContentType: req.Header.Get("Content-Type"), ContentLength: req.ContentLength,
		Body: string(body), Replayable: req.Body == nil || req.GetBody != nil,
	}
}

func genWire(t *testing.T, req *http.Request, err error) wireRequest {
	t.Helper()
	if err != nil {
		t.Fatalf("gen builder: %v", err)
	}
	var body []byte
	if req.Body != nil {
		body, err = io.ReadAll(req.Body)
		if err != nil {
			t.Fatal(err)
		}
	}
	return wireOf(req, body)
}

func TestFacadeRequestsMatchGenBuilders(t *testing.T) {
	servers := []string{
		"https://openrouter.ai/api/v1",
		"https://openrouter.ai/api/v1/",
		"https://example.com",
		"https://example.com/",
		"https://example.com:8443/a/./b/../v1",
		"https://example.com/sp%20ace/v%2F1/",
		"http://127.0.0.1:8080/api/v1",
		"http://[::1]:9/x//y/",
	}
	hashes := []string{
		"f01d52606dc8f0a8303a7b5cc3fa07109c2e346cec7c0a16b40de462992ce943",
		"a/b", "a b", "a%2Fb", "%", "ü", "a?b#c", "..a", "a..", ".a", "...",
		"a;b,c", "a+b=c&d", "~$@:!'()*", "[x]", "\x00\x7f",
	}
	ws := "0DF9E665-D932-5740-B2C7-B52AF166BC11" // upper case: both send it canonical
	off, zero := 300, 0
	yes, no := true, false
	lists := []facade.ListRequest{
		{},
		{Offset: &zero},
		{Offset: &off},
		{IncludeDisabled: &yes},
		{IncludeDisabled: &no, Offset: &off, WorkspaceID: &ws},
		{WorkspaceID: &ws},
	}
	limit := 12.5
	create := facade.CreateKeysRequestBody{
		Name:       "customer 42 / ü",
		Limit:      nullable.NewNullableWithValue(limit),
		LimitReset: nullable.NewNullableWithValue(facade.LimitResetMonthly),
		ExpiresAt:  nullable.NewNullableWithValue(time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)),
	}
	name := "renamed"
	update := facade.UpdateKeysRequestBody{Name: &name, Limit: nullable.NewNullNullable[float64]()}

	ctx := context.Background()
	for _, server := range servers {
		rt := &recordingTransport{}
		c, err := facade.New(facade.WithAPIKey(benchAPIKey), facade.WithServerURL(server),
			facade.WithHTTPClient(&http.Client{Transport: rt}))
		if err != nil {
			t.Fatalf("%s: %v", server, err)
		}
		// What the facade handed gen before: its normalised server URL,
		// with the trailing slash gen's builders need.
		base := c.ServerURL() + "/"

		check := func(what string, callErr error, want wireRequest) {
			t.Helper()
			if callErr != nil {
				t.Errorf("%s %s: %v", server, what, callErr)
				return
			}
			if got := wireOf(rt.req, rt.body); got != want {
				t.Errorf("%s %s:\nfacade %+v\ngen    %+v", server, what, got, want)
			}
		}

		for _, h := range hashes {
			_, err := c.APIKeys.Get(ctx, facade.GetKeyRequest{Hash: h})
			r, gerr := gen.NewGetKeyRequest(base, h)
			check(fmt.Sprintf("get %q", h), err, genWire(t, r, gerr))

			_, err = c.APIKeys.Delete(ctx, facade.DeleteKeysRequest{Hash: h})
			r, gerr = gen.NewDeleteKeysRequest(base, h)
			check(fmt.Sprintf("delete %q", h), err, genWire(t, r, gerr))

			_, err = c.APIKeys.Update(ctx, facade.UpdateKeysRequest{Hash: h, RequestBody: update})
			r, gerr = gen.NewUpdateKeysRequest(base, h, update)
			check(fmt.Sprintf("update %q", h), err, genWire(t, r, gerr))
		}
		for _, l := range lists {
			_, err := c.APIKeys.List(ctx, l)
			p := &gen.ListKeysParams{}
			if l.IncludeDisabled != nil {
				v := gen.ListKeysParamsIncludeDisabled(fmt.Sprint(*l.IncludeDisabled))
				p.IncludeDisabled = &v
			}
			p.Offset = l.Offset
			if l.WorkspaceID != nil {
				id := uuid.MustParse(*l.WorkspaceID)
				p.WorkspaceID = &id
			}
			r, gerr := gen.NewListKeysRequest(base, p)
			check(fmt.Sprintf("list %+v", p), err, genWire(t, r, gerr))
		}
		_, err = c.APIKeys.Create(ctx, facade.CreateKeysRequest{RequestBody: create})
		r, gerr := gen.NewCreateKeysRequest(base, create)
		check("create", err, genWire(t, r, gerr))

		_, err = c.APIKeys.GetCurrentKeyMetadata(ctx)
		r, gerr = gen.NewGetCurrentKeyRequest(base)
		check("current key", err, genWire(t, r, gerr))
	}
}

// A body sent once must be sent again, byte for byte, by a retry: the
// request is built once per call and its body replayed through GetBody.
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
		_, _ = w.Write([]byte(`{"data":{}}`))
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
			Body: io.NopCloser(strings.NewReader(`{"data":{}}`)), ContentLength: 11, Request: req,
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
			_, _ = w.Write([]byte(`{"data":{}}`))
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
