//go:build live

// Live tests run against the real OpenRouter API:
//
//	OPENROUTER_MANAGEMENT_KEY=sk-or-v1-… go test -tags live -run Live ./tests
//
// They skip without the key. CI only compiles them (go vet -tags live).
// OPENROUTER_BASE_URL, if set, points them at another deployment.
package tests

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/oapi-codegen/nullable"

	"github.com/orkeys/orkeys/facade"
)

func liveClient(t *testing.T) *facade.Client {
	t.Helper()
	key := os.Getenv("OPENROUTER_MANAGEMENT_KEY")
	if key == "" {
		t.Skip("OPENROUTER_MANAGEMENT_KEY is not set")
	}
	c, err := facade.New(facade.WithAPIKey(key), facade.WithXTitle("orkeys live test"))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The whole lifecycle on the real API with a throwaway key that is always
// deleted, even when the test fails half way.
func TestLiveLifecycle(t *testing.T) {
	c := liveClient(t)
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()

	suffix := make([]byte, 6)
	rand.Read(suffix)
	name := "orkeys-live-" + time.Now().UTC().Format("20060102T150405") + "-" + hex.EncodeToString(suffix)

	created, err := c.APIKeys.Create(ctx, facade.CreateKeysRequest{RequestBody: facade.CreateKeysRequestBody{
		Name:       name,
		Limit:      facade.Ptr(0.01),
		LimitReset: facade.Ptr(facade.LimitResetDaily),
	}})
	if err != nil {
		var maybe *facade.MaybeCreatedError
		if errors.As(err, &maybe) {
			t.Errorf("create may have left a key named %q behind: delete it by hand", name)
		}
		t.Fatalf("create: %v", err)
	}
	hash := created.Data.Hash
	deleted := false
	t.Cleanup(func() {
		if deleted {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := c.APIKeys.Delete(ctx, facade.DeleteKeysRequest{Hash: hash}); err != nil {
			t.Errorf("cleanup: deleting %q (%s): %v", name, hash, err)
		}
	})
	if created.Data.Name != name || created.Key.Reveal() == "" {
		t.Errorf("create: %+v", created.Data)
	}
	if l := created.Data.Limit; l == nil || *l != 0.01 {
		t.Errorf("create: limit %v, want 0.01", l)
	}

	got, err := c.APIKeys.Get(ctx, facade.GetKeyRequest{Hash: hash})
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	if got.Data.Name != name {
		t.Errorf("get: name %q, want %q", got.Data.Name, name)
	}

	upd, err := c.APIKeys.Update(ctx, facade.UpdateKeysRequest{Hash: hash, RequestBody: facade.UpdateKeysRequestBody{
		Name:       ptr(name + "-renamed"),
		Disabled:   ptr(true),
		Limit:      nullable.NewNullNullable[float64](),
		LimitReset: nullable.NewNullNullable[facade.LimitReset](),
	}})
	if err != nil {
		t.Fatalf("update: %v", err)
	}
	if u := upd.Data; u.Name != name+"-renamed" || !u.Disabled || u.Limit != nil || u.LimitReset != nil {
		t.Errorf("update: %+v", u)
	}

	found := false
	for k, err := range c.APIKeys.All(ctx, facade.ListRequest{IncludeDisabled: true}) {
		if err != nil {
			t.Fatalf("list: %v", err)
		}
		if k.Hash == hash {
			found = true
			break
		}
	}
	if !found {
		t.Errorf("list: key %s not found", hash)
	}

	cur, err := c.APIKeys.GetCurrentKeyMetadata(ctx)
	if err != nil {
		t.Fatalf("current: %v", err)
	}
	if !cur.Data.IsManagementKey {
		t.Errorf("current: the management key is not reported as one: %+v", cur.Data)
	}

	if _, err := c.APIKeys.Delete(ctx, facade.DeleteKeysRequest{Hash: hash}); err != nil {
		t.Fatalf("delete: %v", err)
	}
	deleted = true
	var nf *facade.NotFoundResponseError
	if _, err := c.APIKeys.Get(ctx, facade.GetKeyRequest{Hash: hash}); !errors.As(err, &nf) {
		t.Errorf("get after delete: %v, want NotFoundResponseError", err)
	}
}

// A key the API does not know is a typed 401, and its error does not show
// the key.
func TestLiveUnauthorized(t *testing.T) {
	c := liveClient(t)
	bogus := "sk-or-v1-0000000000000000000000000000000000000000000000000000000000000000"
	_, err := c.APIKeys.GetCurrentKeyMetadata(t.Context(), facade.WithAPIKey(bogus))
	var una *facade.UnauthorizedResponseError
	if !errors.As(err, &una) {
		t.Fatalf("err = %v, want UnauthorizedResponseError", err)
	}
	if s := err.Error(); s == "" || strings.Contains(s, bogus) {
		t.Errorf("error %q", s)
	}
}
