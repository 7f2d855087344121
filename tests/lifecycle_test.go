package tests

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/oapi-codegen/nullable"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/fake"
	"github.com/orkeys/orkeys/secret"
)

var keyShape = regexp.MustCompile(`^sk-or-v1-[0-9a-f]{64}$`)

// The whole life of a key, create → list → get → current → update → delete,
// through the standalone functions and through the methods, against package
// fake behind a server that checks every request and response against
// api/openapi.yaml.
func TestLifecycle(t *testing.T) { bothWays(t, lifecycle) }

func lifecycle(t *testing.T, e *apiEnv, a api) {
	ctx := t.Context()
	createdAt := e.clock.Now()
	expires := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)

	// Create, with every field the request has but the workspace.
	created := mustCreate(t, a, facade.CreateKeysRequestBody{
		Name:               "ci-runner",
		Limit:              facade.Ptr(25.0),
		LimitReset:         facade.Ptr(facade.LimitResetMonthly),
		IncludeByokInLimit: ptr(true),
		ExpiresAt:          facade.Ptr(expires),
		CreatorUserID:      facade.Ptr("user_2dHF"),
	})
	plaintext := created.Key.Reveal()
	sum := sha256.Sum256([]byte(plaintext))
	hash := created.Data.Hash
	if !keyShape.MatchString(plaintext) || hash != hex.EncodeToString(sum[:]) {
		t.Fatalf("create: key %s, hash %s: want sk-or-v1- and 64 hex, hashed with SHA-256", created.Key, hash)
	}
	d := created.Data
	if want := plaintext[:12] + "..." + plaintext[len(plaintext)-4:]; d.Label != want {
		t.Errorf("create: label %q, want %q", d.Label, want)
	}
	if d.Name != "ci-runner" || d.Limit == nil || *d.Limit != 25 || d.LimitRemaining == nil || *d.LimitRemaining != 25 ||
		d.LimitReset == nil || *d.LimitReset != facade.LimitResetMonthly || !d.IncludeByokInLimit ||
		d.ExpiresAt == nil || !d.ExpiresAt.Equal(expires) || d.CreatorUserID == nil || *d.CreatorUserID != "user_2dHF" ||
		d.Disabled || d.Usage != 0 || d.UpdatedAt != nil || d.WorkspaceID != fake.DefaultWorkspaceID {
		t.Errorf("create: data %+v", d)
	}
	if !d.CreatedAt.Equal(createdAt) {
		t.Errorf("create: created_at %q, want %v", d.CreatedAt, createdAt)
	}
	// A second key, so that lists hold more than the one under test.
	e.clock.Advance(time.Second)
	mustCreate(t, a, facade.CreateKeysRequestBody{Name: "other"})

	// List: both keys, newest first, the first as created.
	page, err := a.list(ctx, facade.ListRequest{})
	if err != nil {
		t.Fatalf("list: %v", err)
	}
	if len(page.Data) != 2 || page.Data[0].Name != "other" || !reflect.DeepEqual(page.Data[1], created.Data) {
		t.Errorf("list: %+v", page.Data)
	}

	// Get: what create said.
	if got := mustGet(t, a, hash); !reflect.DeepEqual(got, created.Data) {
		t.Errorf("get: %+v\nwant %+v", got, created.Data)
	}

	// Current key: the management key, and the new key through a per-call
	// key option, which sees its own cap.
	cur, err := a.current(ctx)
	if err != nil {
		t.Fatalf("current: %v", err)
	}
	mk := e.fake.ManagementKey
	head := len(secret.Prefix(mk)) + 3 // the fake's management key is sk-or-mgmt-
	if !cur.Data.IsManagementKey || cur.Data.Label != mk[:head]+"..."+mk[len(mk)-4:] {
		t.Errorf("current (management): %+v", cur.Data)
	}
	own, err := a.current(ctx, facade.WithAPIKey(plaintext))
	if err != nil {
		t.Fatalf("current (new key): %v", err)
	}
	if o := own.Data; o.IsManagementKey || o.Label != d.Label || o.Limit == nil || *o.Limit != 25 ||
		o.LimitReset == nil || *o.LimitReset != facade.LimitResetMonthly || o.ExpiresAt == nil || !o.ExpiresAt.Equal(expires) {
		t.Errorf("current (new key): %+v", o)
	}

	// Update: rename, clear the limit and its reset with null, leave the
	// rest alone.
	e.clock.Advance(time.Minute)
	upd, err := a.update(ctx, facade.UpdateKeysRequest{Hash: hash, RequestBody: facade.UpdateKeysRequestBody{
		Name:       ptr("ci-runner-2"),
		Limit:      nullable.NewNullNullable[float64](),
		LimitReset: nullable.NewNullNullable[facade.LimitReset](),
	}})
	if err != nil {
		t.Fatalf("update: %v", err)
	}
	u := upd.Data
	if u.Name != "ci-runner-2" || u.Limit != nil || u.LimitRemaining != nil || u.LimitReset != nil ||
		!u.IncludeByokInLimit || u.ExpiresAt == nil || !u.ExpiresAt.Equal(expires) ||
		u.CreatorUserID == nil || *u.CreatorUserID != "user_2dHF" || u.Disabled || u.CreatedAt != d.CreatedAt {
		t.Errorf("update: %+v", u)
	}
	if u.UpdatedAt == nil {
		t.Errorf("update: updated_at is null")
	} else if !u.UpdatedAt.Equal(e.clock.Now()) {
		t.Errorf("update: updated_at %q, want %v", *u.UpdatedAt, e.clock.Now())
	}
	// The server stored the clears, not just echoed them.
	if got := mustGet(t, a, hash); !reflect.DeepEqual(got, u) {
		t.Errorf("get after update: %+v\nwant %+v", got, u)
	}
	own, err = a.current(ctx, facade.WithAPIKey(plaintext))
	if err != nil {
		t.Fatalf("current (new key) after update: %v", err)
	}
	if own.Data.Limit != nil || own.Data.LimitRemaining != nil || own.Data.LimitReset != nil {
		t.Errorf("current (new key) after update: %+v, want no cap", own.Data)
	}

	// Delete: gone for every operation, and the key no longer works.
	del, err := a.delete(ctx, facade.DeleteKeysRequest{Hash: hash})
	if err != nil || !del.Deleted {
		t.Fatalf("delete: %+v, %v", del, err)
	}
	_, err = a.get(ctx, facade.GetKeyRequest{Hash: hash})
	wantAPIError[*facade.NotFoundResponseError](t, "get after delete", err, http.StatusNotFound, "Resource not found")
	_, err = a.update(ctx, facade.UpdateKeysRequest{Hash: hash, RequestBody: facade.UpdateKeysRequestBody{Name: ptr("x")}})
	wantAPIError[*facade.NotFoundResponseError](t, "update after delete", err, http.StatusNotFound, "Resource not found")
	_, err = a.delete(ctx, facade.DeleteKeysRequest{Hash: hash})
	wantAPIError[*facade.NotFoundResponseError](t, "delete after delete", err, http.StatusNotFound, "Resource not found")
	_, err = a.current(ctx, facade.WithAPIKey(plaintext))
	wantAPIError[*facade.UnauthorizedResponseError](t, "current with the deleted key", err, http.StatusUnauthorized, "User not found.")
	if got := names(t, a, facade.ListRequest{IncludeDisabled: true}); !slices.Equal(got, []string{"other"}) {
		t.Errorf("list after delete: %q, want only the other key", got)
	}
}
