package tests

import (
	"context"
	"errors"
	"iter"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/fake"
)

// apiEnv is the end-to-end tests' OpenRouter: package fake's handler, which
// holds the API's behaviour, behind the spec validator, which checks every
// request the client sends and every answer it gets against
// api/openapi.yaml, on a loopback httptest server.
type apiEnv struct {
	fake  *fake.Server
	spec  *specValidator
	clock *clock
	url   string // base URL ending in /api/v1
}

// newAPIEnv starts a fake behind the validator, with a clock that moves only
// when the test says. When the test ends, every exchange must have passed
// the validator.
func newAPIEnv(t *testing.T) *apiEnv {
	t.Helper()
	for _, v := range []string{"OPENROUTER_API_KEY", "OPENROUTER_BASE_URL", "OPENROUTER_HTTP_REFERER", "OPENROUTER_APP_TITLE", "OPENROUTER_APP_CATEGORIES"} {
		t.Setenv(v, "")
	}
	clk := &clock{now: time.Date(2025, 8, 24, 10, 0, 0, 0, time.UTC)}
	f := fake.NewServer(fake.WithClock(clk.Now))
	t.Cleanup(f.Close)
	v := validating(t, f.Handler())
	srv := httptest.NewServer(v)
	// Cleanups run last-registered first: the check runs after the
	// listener is closed, so nothing arrives after it.
	t.Cleanup(func() { v.requireAllValid(t) })
	t.Cleanup(srv.Close)
	return &apiEnv{fake: f, spec: v, clock: clk, url: srv.URL + "/api/v1"}
}

// client is a facade client for the env with the management key, the
// attribution headers set and no retries, so each call is one request.
func (e *apiEnv) client(t *testing.T, opts ...facade.Option) *facade.Client {
	t.Helper()
	c, err := facade.New(append([]facade.Option{
		facade.WithServerURL(e.url),
		facade.WithAPIKey(e.fake.ManagementKey),
		facade.WithXTitle("orkeys end-to-end test"),
		facade.WithHTTPReferer("https://github.com/orkeys/orkeys"),
		facade.WithAppCategories("cli-agent"),
		facade.WithRetryConfig(facade.RetryConfig{Strategy: facade.StrategyNone}),
	}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// clock is the fake's time, moved by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// api is the six operations plus paging, reached one of two ways.
type api struct {
	list    func(context.Context, facade.ListRequest, ...facade.Option) (*facade.ListResponse, error)
	create  func(context.Context, facade.CreateKeysRequest, ...facade.Option) (*facade.CreateKeysResponse, error)
	get     func(context.Context, facade.GetKeyRequest, ...facade.Option) (*facade.GetKeyResponse, error)
	update  func(context.Context, facade.UpdateKeysRequest, ...facade.Option) (*facade.UpdateKeysResponse, error)
	delete  func(context.Context, facade.DeleteKeysRequest, ...facade.Option) (*facade.DeleteKeysResponse, error)
	current func(context.Context, ...facade.Option) (*facade.GetCurrentKeyResponse, error)
	all     func(context.Context, facade.ListRequest, ...facade.Option) iter.Seq2[facade.APIKey, error]
}

// standalone reaches the operations through the package functions.
func standalone(c *facade.Client) api {
	return api{
		list: func(ctx context.Context, r facade.ListRequest, o ...facade.Option) (*facade.ListResponse, error) {
			return facade.APIKeysList(ctx, c, r, o...)
		},
		create: func(ctx context.Context, r facade.CreateKeysRequest, o ...facade.Option) (*facade.CreateKeysResponse, error) {
			return facade.APIKeysCreate(ctx, c, r, o...)
		},
		get: func(ctx context.Context, r facade.GetKeyRequest, o ...facade.Option) (*facade.GetKeyResponse, error) {
			return facade.APIKeysGet(ctx, c, r, o...)
		},
		update: func(ctx context.Context, r facade.UpdateKeysRequest, o ...facade.Option) (*facade.UpdateKeysResponse, error) {
			return facade.APIKeysUpdate(ctx, c, r, o...)
		},
		delete: func(ctx context.Context, r facade.DeleteKeysRequest, o ...facade.Option) (*facade.DeleteKeysResponse, error) {
			return facade.APIKeysDelete(ctx, c, r, o...)
		},
		current: func(ctx context.Context, o ...facade.Option) (*facade.GetCurrentKeyResponse, error) {
			return facade.APIKeysGetCurrentKeyMetadata(ctx, c, o...)
		},
		all: func(ctx context.Context, r facade.ListRequest, o ...facade.Option) iter.Seq2[facade.APIKey, error] {
			return facade.APIKeysListAll(ctx, c, r, o...)
		},
	}
}

// methods reaches them through c.APIKeys.
func methods(c *facade.Client) api {
	return api{
		list: c.APIKeys.List, create: c.APIKeys.Create, get: c.APIKeys.Get,
		update: c.APIKeys.Update, delete: c.APIKeys.Delete,
		current: c.APIKeys.GetCurrentKeyMetadata, all: c.APIKeys.All,
	}
}

// bothWays runs test twice, through the standalone functions and through
// the methods, each time against a fresh env.
func bothWays(t *testing.T, test func(t *testing.T, e *apiEnv, a api)) {
	t.Helper()
	for _, way := range []struct {
		name string
		ops  func(*facade.Client) api
	}{{"functions", standalone}, {"methods", methods}} {
		t.Run(way.name, func(t *testing.T) {
			e := newAPIEnv(t)
			test(t, e, way.ops(e.client(t)))
		})
	}
}

// mustCreate creates a key as the management key.
func mustCreate(t *testing.T, a api, body facade.CreateKeysRequestBody) *facade.CreateKeysResponse {
	t.Helper()
	created, err := a.create(t.Context(), facade.CreateKeysRequest{RequestBody: body})
	if err != nil {
		t.Fatalf("create %q: %v", body.Name, err)
	}
	return created
}

// mustGet reads a key's stored state as the management key.
func mustGet(t *testing.T, a api, hash string) facade.APIKey {
	t.Helper()
	got, err := a.get(t.Context(), facade.GetKeyRequest{Hash: hash})
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	return got.Data
}

// names walks every page of req and returns the keys' names in order.
func names(t *testing.T, a api, req facade.ListRequest) []string {
	t.Helper()
	var out []string
	for k, err := range a.all(t.Context(), req) {
		if err != nil {
			t.Fatalf("list after %d keys: %v", len(out), err)
		}
		out = append(out, k.Name)
	}
	return out
}

// wantAPIError checks that err is the typed error T, whose status is
// status and whose message is message (the fake's words).
func wantAPIError[T error](t *testing.T, what string, err error, status int, message string) {
	t.Helper()
	_, typed := errors.AsType[T](err)
	apiErr, isAPI := errors.AsType[*facade.APIError](err)
	switch {
	case err == nil:
		t.Errorf("%s: no error, want %d", what, status)
	case !typed || !isAPI:
		t.Errorf("%s: %v (%T), want %T", what, err, err, *new(T))
	case apiErr.StatusCode != status || apiErr.Message != message:
		t.Errorf("%s: %d %q, want %d %q", what, apiErr.StatusCode, apiErr.Message, status, message)
	}
}

func ptr[T any](v T) *T { return &v }
