package tests

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/oapi-codegen/nullable"

	"github.com/orkeys/orkeys/facade"
)

const msgManagementOnly = "Only management keys can perform this operation"

// A regular key, one created through the API, is refused with 403 on every
// /keys operation, changes nothing there, and reads its own data on /key.
func TestRegularKeyForbiddenOnKeys(t *testing.T) {
	bothWays(t, func(t *testing.T, e *apiEnv, a api) {
		ctx := t.Context()
		created := mustCreate(t, a, facade.CreateKeysRequestBody{
			Name:          "worker",
			Limit:         facade.Ptr(5.0),
			LimitReset:    facade.Ptr(facade.LimitResetDaily),
			CreatorUserID: facade.Ptr("user_worker"),
		})
		hash := created.Data.Hash
		as := facade.WithAPIKey(created.Key.Reveal())

		_, err := a.list(ctx, facade.ListRequest{}, as)
		wantAPIError[*facade.ForbiddenResponseError](t, "list", err, http.StatusForbidden, msgManagementOnly)
		_, err = a.create(ctx, facade.CreateKeysRequest{RequestBody: facade.CreateKeysRequestBody{Name: "sneaky"}}, as)
		wantAPIError[*facade.ForbiddenResponseError](t, "create", err, http.StatusForbidden, msgManagementOnly)
		_, err = a.get(ctx, facade.GetKeyRequest{Hash: hash}, as)
		wantAPIError[*facade.ForbiddenResponseError](t, "get of its own hash", err, http.StatusForbidden, msgManagementOnly)
		_, err = a.update(ctx, facade.UpdateKeysRequest{Hash: hash, RequestBody: facade.UpdateKeysRequestBody{
			Limit: nullable.NewNullNullable[float64](),
		}}, as)
		wantAPIError[*facade.ForbiddenResponseError](t, "update of its own cap", err, http.StatusForbidden, msgManagementOnly)
		_, err = a.delete(ctx, facade.DeleteKeysRequest{Hash: hash}, as)
		wantAPIError[*facade.ForbiddenResponseError](t, "delete of itself", err, http.StatusForbidden, msgManagementOnly)
		calls := 0
		for _, err := range a.all(ctx, facade.ListRequest{}, as) {
			calls++
			wantAPIError[*facade.ForbiddenResponseError](t, "all", err, http.StatusForbidden, msgManagementOnly)
		}
		if calls != 1 {
			t.Errorf("all yielded %d times, want the error once", calls)
		}

		// Nothing of it took effect.
		if got := mustGet(t, a, hash); got.Limit == nil || *got.Limit != 5 || got.UpdatedAt != nil {
			t.Errorf("the key after the refused update: %+v", got)
		}
		if got := names(t, a, facade.ListRequest{IncludeDisabled: true}); !slices.Equal(got, []string{"worker"}) {
			t.Errorf("keys after the refused create and delete: %q", got)
		}

		// GET /key answers with the key's own data.
		cur, err := a.current(ctx, as)
		if err != nil {
			t.Fatalf("current: %v", err)
		}
		c := cur.Data
		if c.IsManagementKey || c.IsProvisioningKey || c.Label != created.Data.Label ||
			c.Limit == nil || *c.Limit != 5 || c.LimitRemaining == nil || *c.LimitRemaining != 5 ||
			c.LimitReset == nil || *c.LimitReset != facade.LimitResetDaily ||
			c.CreatorUserID == nil || *c.CreatorUserID != "user_worker" || c.ExpiresAt != nil {
			t.Errorf("current: %+v", c)
		}
	})
}

// A key the server does not know, a disabled key and an expired key get 401
// everywhere; re-enabling a key lets it in again.
func TestKeysThatDoNotAuthenticate(t *testing.T) {
	bothWays(t, func(t *testing.T, e *apiEnv, a api) {
		ctx := t.Context()

		unknown := facade.WithAPIKey("sk-or-v1-" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
		_, err := a.current(ctx, unknown)
		wantAPIError[*facade.UnauthorizedResponseError](t, "current with an unknown key", err, http.StatusUnauthorized, "User not found.")
		_, err = a.list(ctx, facade.ListRequest{}, unknown)
		wantAPIError[*facade.UnauthorizedResponseError](t, "list with an unknown key", err, http.StatusUnauthorized, "User not found.")

		// Disabled: 401 until enabled again.
		created := mustCreate(t, a, facade.CreateKeysRequestBody{Name: "paused"})
		as := facade.WithAPIKey(created.Key.Reveal())
		setDisabled := func(disabled bool) {
			t.Helper()
			if _, err := a.update(ctx, facade.UpdateKeysRequest{Hash: created.Data.Hash,
				RequestBody: facade.UpdateKeysRequestBody{Disabled: ptr(disabled)}}); err != nil {
				t.Fatalf("set disabled %v: %v", disabled, err)
			}
		}
		setDisabled(true)
		_, err = a.current(ctx, as)
		wantAPIError[*facade.UnauthorizedResponseError](t, "current with a disabled key", err, http.StatusUnauthorized, "This API key is disabled")
		setDisabled(false)
		if _, err := a.current(ctx, as); err != nil {
			t.Errorf("current with the re-enabled key: %v", err)
		}

		// Expired: works until expires_at, 401 from then on, and stays
		// visible to the management key.
		expires := e.clock.Now().Add(time.Hour)
		short := mustCreate(t, a, facade.CreateKeysRequestBody{Name: "short-lived", ExpiresAt: facade.Ptr(expires)})
		as = facade.WithAPIKey(short.Key.Reveal())
		if _, err := a.current(ctx, as); err != nil {
			t.Errorf("current before expiry: %v", err)
		}
		e.clock.Advance(time.Hour)
		_, err = a.current(ctx, as)
		wantAPIError[*facade.UnauthorizedResponseError](t, "current after expiry", err, http.StatusUnauthorized, "This API key has expired")
		if got := mustGet(t, a, short.Data.Hash); got.ExpiresAt == nil || !got.ExpiresAt.Equal(expires) {
			t.Errorf("expired key: %+v", got)
		}

		// The server, not the client, knows its time: a key already expired
		// by the server's clock is refused with 400.
		_, err = a.create(ctx, facade.CreateKeysRequest{RequestBody: facade.CreateKeysRequestBody{
			Name: "stillborn", ExpiresAt: facade.Ptr(e.clock.Now()),
		}})
		wantAPIError[*facade.BadRequestResponseError](t, "create expiring now", err, http.StatusBadRequest, "expires_at must be in the future, not "+e.clock.Now().UTC().Format(time.RFC3339))
	})
}
