package tests

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"iter"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/oapi-codegen/nullable"

	"github.com/orkeys/orkeys/facade"
)

const managementKey = "sk-or-v1-0000management0000key0000for0000the0000lifecycle0000test00"

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

// The whole life of a key, create → list → get → update → current → delete,
// through the standalone functions and through the methods, against a
// server that checks every request and response against api/openapi.yaml.
func TestLifecycle(t *testing.T) {
	for name, ops := range map[string]func(*facade.Client) api{"functions": standalone, "methods": methods} {
		t.Run(name, func(t *testing.T) {
			for _, v := range []string{"OPENROUTER_API_KEY", "OPENROUTER_BASE_URL", "OPENROUTER_HTTP_REFERER", "OPENROUTER_APP_TITLE", "OPENROUTER_APP_CATEGORIES"} {
				t.Setenv(v, "")
			}
			v := validating(t, newMemoryAPI(managementKey).handler())
			srv := httptest.NewServer(v)
			t.Cleanup(srv.Close)
			c, err := facade.New(
				facade.WithServerURL(srv.URL+"/api/v1"),
				facade.WithAPIKey(managementKey),
				facade.WithXTitle("orkeys lifecycle test"),
				facade.WithHTTPReferer("https://github.com/orkeys/orkeys"),
				facade.WithAppCategories("cli-agent"),
				facade.WithRetryConfig(facade.RetryConfig{Strategy: facade.StrategyNone}),
			)
			if err != nil {
				t.Fatal(err)
			}
			lifecycle(t, ops(c))
			v.requireAllValid(t)
		})
	}
}

func lifecycle(t *testing.T, a api) {
	ctx := t.Context()
	expires := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)

	// Create, with every field the request has.
	created, err := a.create(ctx, facade.CreateKeysRequest{RequestBody: facade.CreateKeysRequestBody{
		Name:               "ci-runner",
		Limit:              nullable.NewNullableWithValue(25.0),
		LimitReset:         nullable.NewNullableWithValue(facade.LimitResetMonthly),
		IncludeByokInLimit: ptr(true),
		ExpiresAt:          nullable.NewNullableWithValue(expires),
		CreatorUserID:      nullable.NewNullableWithValue("user_2dHF"),
	}})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	plaintext := created.Key.Reveal()
	sum := sha256.Sum256([]byte(plaintext))
	hash := created.Data.Hash
	if !strings.HasPrefix(plaintext, "sk-or-v1-") || hash != hex.EncodeToString(sum[:]) {
		t.Fatalf("create: key %s, hash %s", created.Key, hash)
	}
	d := created.Data
	if d.Name != "ci-runner" || d.Limit == nil || *d.Limit != 25 || d.LimitReset == nil || *d.LimitReset != facade.LimitResetMonthly ||
		!d.IncludeByokInLimit || d.ExpiresAt == nil || !d.ExpiresAt.Equal(expires) || d.CreatorUserID == nil || d.Disabled {
		t.Errorf("create: data %+v", d)
	}
	// A second key, so that lists hold more than the one under test.
	if _, err := a.create(ctx, facade.CreateKeysRequest{RequestBody: facade.CreateKeysRequestBody{Name: "other"}}); err != nil {
		t.Fatalf("create other: %v", err)
	}

	// List: the new key is there, newest first.
	page, err := a.list(ctx, facade.ListRequest{})
	if err != nil {
		t.Fatalf("list: %v", err)
	}
	if len(page.Data) != 2 || page.Data[1].Hash != hash || page.Data[0].Name != "other" {
		t.Errorf("list: %+v", page.Data)
	}

	// Get.
	got, err := a.get(ctx, facade.GetKeyRequest{Hash: hash})
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	if !reflect.DeepEqual(got.Data, created.Data) {
		t.Errorf("get: %+v\nwant %+v", got.Data, created.Data)
	}

	// Update: rename, clear the limit and its reset, leave the rest.
	upd, err := a.update(ctx, facade.UpdateKeysRequest{Hash: hash, RequestBody: facade.UpdateKeysRequestBody{
		Name:       ptr("ci-runner-2"),
		Limit:      nullable.NewNullNullable[float64](),
		LimitReset: nullable.NewNullNullable[facade.LimitReset](),
	}})
	if err != nil {
		t.Fatalf("update: %v", err)
	}
	if u := upd.Data; u.Name != "ci-runner-2" || u.Limit != nil || u.LimitRemaining != nil || u.LimitReset != nil ||
		!u.IncludeByokInLimit || u.UpdatedAt == nil || u.Disabled {
		t.Errorf("update: %+v", u)
	}

	// Current key: the management key, and the new key through a per-call
	// key option.
	cur, err := a.current(ctx)
	if err != nil {
		t.Fatalf("current: %v", err)
	}
	if !cur.Data.IsManagementKey {
		t.Errorf("current (management): %+v", cur.Data)
	}
	own, err := a.current(ctx, facade.WithAPIKey(plaintext))
	if err != nil {
		t.Fatalf("current (new key): %v", err)
	}
	if own.Data.IsManagementKey || own.Data.Label != created.Data.Label || own.Data.Limit != nil {
		t.Errorf("current (new key): %+v", own.Data)
	}
	// The new key is not a management key: it may not create keys.
	_, err = a.create(ctx, facade.CreateKeysRequest{RequestBody: facade.CreateKeysRequestBody{Name: "x"}}, facade.WithAPIKey(plaintext))
	var forbidden *facade.ForbiddenResponseError
	if !errors.As(err, &forbidden) {
		t.Errorf("create with a regular key: %v, want ForbiddenResponseError", err)
	}

	// Disable: the key drops out of the default list but not out of one
	// that includes disabled keys.
	if _, err := a.update(ctx, facade.UpdateKeysRequest{Hash: hash, RequestBody: facade.UpdateKeysRequestBody{Disabled: ptr(true)}}); err != nil {
		t.Fatalf("disable: %v", err)
	}
	if n := count(t, a.all(ctx, facade.ListRequest{}), hash); n != 0 {
		t.Errorf("default list shows the disabled key %d times", n)
	}
	if n := count(t, a.all(ctx, facade.ListRequest{IncludeDisabled: ptr(true)}), hash); n != 1 {
		t.Errorf("list with disabled keys shows it %d times, want 1", n)
	}

	// Delete, then every operation on it is a 404.
	del, err := a.delete(ctx, facade.DeleteKeysRequest{Hash: hash})
	if err != nil || !del.Deleted {
		t.Fatalf("delete: %+v, %v", del, err)
	}
	var nf *facade.NotFoundResponseError
	if _, err := a.get(ctx, facade.GetKeyRequest{Hash: hash}); !errors.As(err, &nf) {
		t.Errorf("get after delete: %v, want NotFoundResponseError", err)
	}
	if _, err := a.update(ctx, facade.UpdateKeysRequest{Hash: hash, RequestBody: facade.UpdateKeysRequestBody{Name: ptr("x")}}); !errors.As(err, &nf) {
		t.Errorf("update after delete: %v, want NotFoundResponseError", err)
	}
	if _, err := a.delete(ctx, facade.DeleteKeysRequest{Hash: hash}); !errors.As(err, &nf) {
		t.Errorf("delete after delete: %v, want NotFoundResponseError", err)
	}
	var unauthorized *facade.UnauthorizedResponseError
	if _, err := a.current(ctx, facade.WithAPIKey(plaintext)); !errors.As(err, &unauthorized) {
		t.Errorf("current with the deleted key: %v, want UnauthorizedResponseError", err)
	}
	if n := count(t, a.all(ctx, facade.ListRequest{IncludeDisabled: ptr(true)}), hash); n != 0 {
		t.Errorf("list after delete shows the key %d times", n)
	}
}

// Many keys: the walk crosses pages and the validator sees offset queries.
func TestLifecyclePaging(t *testing.T) {
	v := validating(t, newMemoryAPI(managementKey).handler())
	srv := httptest.NewServer(v)
	t.Cleanup(srv.Close)
	c, err := facade.New(facade.WithServerURL(srv.URL+"/api/v1"), facade.WithAPIKey(managementKey),
		facade.WithRetryConfig(facade.RetryConfig{Strategy: facade.StrategyNone}))
	if err != nil {
		t.Fatal(err)
	}
	const n = 205
	for i := range n {
		if _, err := c.APIKeys.Create(t.Context(), facade.CreateKeysRequest{RequestBody: facade.CreateKeysRequestBody{Name: "bulk"}}); err != nil {
			t.Fatalf("create %d: %v", i, err)
		}
	}
	seen := map[string]bool{}
	for key, err := range c.APIKeys.All(t.Context(), facade.ListRequest{}) {
		if err != nil {
			t.Fatal(err)
		}
		seen[key.Hash] = true
	}
	if len(seen) != n {
		t.Errorf("walk saw %d distinct keys, want %d", len(seen), n)
	}
	_, requests, _ := v.counts()
	if requests != n+3 {
		t.Errorf("validator passed %d requests, want %d creates and 3 pages", requests, n)
	}
	v.requireAllValid(t)
}

func count(t *testing.T, seq iter.Seq2[facade.APIKey, error], hash string) int {
	t.Helper()
	n := 0
	for k, err := range seq {
		if err != nil {
			t.Fatalf("list: %v", err)
		}
		if k.Hash == hash {
			n++
		}
	}
	return n
}

func ptr[T any](v T) *T { return &v }
