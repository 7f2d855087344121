package fake_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/orkeys/orkeys/fake"
	"github.com/orkeys/orkeys/gen"
)

// Every operation, for tests that try them all.
var allOps = []struct{ method, path, body string }{
	{"GET", "/key", ""},
	{"GET", "/keys", ""},
	{"POST", "/keys", `{"name":"x"}`},
	{"GET", "/keys/HASH", ""},
	{"PATCH", "/keys/HASH", `{"name":"y"}`},
	{"DELETE", "/keys/HASH", ""},
}

func opPath(path, hash string) string {
	if len(path) > 6 && path[:6] == "/keys/" {
		return "/keys/" + hash
	}
	return path
}

func TestMissingOrUnknownKeyIs401(t *testing.T) {
	e := newEnv(t)
	hash := e.create(`{"name":"target"}`).Data.Hash
	for _, op := range allOps {
		path := opPath(op.path, hash)
		t.Run(op.method+" "+op.path, func(t *testing.T) {
			e.do(op.method, path, "", op.body).wantError(t, http.StatusUnauthorized, "No auth credentials found")
			e.do(op.method, path, "sk-or-v1-"+hash, op.body).wantError(t, http.StatusUnauthorized, "User not found.")
		})
	}
	// Other ways of not sending a bearer key.
	for _, header := range []string{"Basic dXNlcjpwYXNz", "Bearer", "Bearer    ", e.srv.ManagementKey} {
		req, _ := http.NewRequest("GET", e.srv.URL+"/keys", nil)
		req.Header.Set("Authorization", header)
		resp, err := e.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("Authorization %q: status %d, want 401", header[:min(len(header), 12)], resp.StatusCode)
		}
	}
	// The scheme is case-insensitive, as in RFC 9110.
	req, _ := http.NewRequest("GET", e.srv.URL+"/keys", nil)
	req.Header.Set("Authorization", "bearer "+e.srv.ManagementKey)
	resp, err := e.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("lower-case bearer: status %d, want 200", resp.StatusCode)
	}
	// Nothing was changed by the refused calls.
	if got := decodeList(t, e.mgmt("GET", "/keys", "")); len(got) != 1 || got[0].Name != "target" {
		t.Errorf("keys after refused calls = %+v, want only target", got)
	}
}

func TestRegularKeyIsForbiddenOnKeys(t *testing.T) {
	e := newEnv(t)
	regular := e.create(`{"name":"regular"}`)
	key, hash := regular.Key.Reveal(), regular.Data.Hash
	for _, op := range allOps[1:] {
		t.Run(op.method+" "+op.path, func(t *testing.T) {
			e.do(op.method, opPath(op.path, hash), key, op.body).
				wantError(t, http.StatusForbidden, "Only management keys can perform this operation")
		})
	}
	// Its own key still exists, unchanged.
	if got := decode[gen.GetKeyResponse](t, e.mgmt("GET", "/keys/"+hash, "")).Data; got.Name != "regular" {
		t.Errorf("name = %q after forbidden PATCH, want regular", got.Name)
	}
}

func TestCurrentKeyForManagementKey(t *testing.T) {
	e := newEnv(t)
	resp, err := e.client(e.srv.ManagementKey).GetCurrentKeyWithResponse(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if resp.JSON200 == nil {
		t.Fatalf("status %d: %s", resp.StatusCode(), resp.Body)
	}
	d := resp.JSON200.Data
	k := e.srv.ManagementKey
	if !d.IsManagementKey || !d.IsProvisioningKey || d.IsFreeTier {
		t.Errorf("is_management_key %v is_provisioning_key %v is_free_tier %v, want true true false", d.IsManagementKey, d.IsProvisioningKey, d.IsFreeTier)
	}
	if want := "sk-or-mgmt-" + k[11:14] + "..." + k[len(k)-4:]; d.Label != want {
		t.Errorf("label = %q, want %q", d.Label, want)
	}
	if d.Limit != nil || d.LimitRemaining != nil || d.LimitReset != nil {
		t.Errorf("management key has a limit: %v %v %v", d.Limit, d.LimitRemaining, d.LimitReset)
	}
	if !mgmtKeyShape.MatchString(k) {
		t.Errorf("ManagementKey %q does not look like a management key", d.Label)
	}
}

func TestCurrentKeyForRegularKey(t *testing.T) {
	clock := newClock()
	e := newEnv(t, fake.WithClock(clock.Now))
	expires := clock.Now().Add(time.Hour)
	created, err := e.srv.AddKey(gen.CreateKeysRequestBody{
		Name:               "worker",
		Limit:              ptr(10.0),
		LimitReset:         ptr(gen.LimitResetDaily),
		IncludeByokInLimit: ptr(true),
		ExpiresAt:          ptr(expires),
		CreatorUserID:      ptr("user_9"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.srv.SetUsage(created.Data.Hash, fake.Usage{Usage: 7, Daily: 3, Weekly: 4, Monthly: 5, BYOK: 2, BYOKDaily: 1.5, BYOKWeekly: 1.75, BYOKMonthly: 1.9}); err != nil {
		t.Fatal(err)
	}
	resp, err := e.client(created.Key.Reveal()).GetCurrentKeyWithResponse(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if resp.JSON200 == nil {
		t.Fatalf("status %d: %s", resp.StatusCode(), resp.Body)
	}
	d := resp.JSON200.Data
	if d.IsManagementKey || d.IsProvisioningKey {
		t.Errorf("regular key says it is a management key")
	}
	if d.Label != created.Data.Label {
		t.Errorf("label = %q, want %q", d.Label, created.Data.Label)
	}
	if d.Limit == nil || *d.Limit != 10 || d.LimitReset == nil || *d.LimitReset != gen.LimitResetDaily || !d.IncludeByokInLimit {
		t.Errorf("limit %v reset %v byok %v, want 10 daily true", d.Limit, d.LimitReset, d.IncludeByokInLimit)
	}
	// Daily reset with BYOK included: 10 - (3 + 1.5).
	if d.LimitRemaining == nil || *d.LimitRemaining != 5.5 {
		t.Errorf("limit_remaining = %v, want 5.5", d.LimitRemaining)
	}
	if d.Usage != 7 || d.UsageDaily != 3 || d.UsageWeekly != 4 || d.UsageMonthly != 5 ||
		d.ByokUsage != 2 || d.ByokUsageDaily != 1.5 || d.ByokUsageWeekly != 1.75 || d.ByokUsageMonthly != 1.9 {
		t.Errorf("usage = %+v", d)
	}
	if d.ExpiresAt == nil || !d.ExpiresAt.Equal(expires) {
		t.Errorf("expires_at = %v, want %v", d.ExpiresAt, expires)
	}
	if d.CreatorUserID == nil || *d.CreatorUserID != "user_9" {
		t.Errorf("creator_user_id = %v, want user_9", d.CreatorUserID)
	}
}

func TestDisabledExpiredAndDeletedKeysAre401(t *testing.T) {
	clock := newClock()
	e := newEnv(t, fake.WithClock(clock.Now))

	disabled := e.create(`{"name":"d"}`)
	e.mgmt("PATCH", "/keys/"+disabled.Data.Hash, `{"disabled":true}`)
	e.do("GET", "/key", disabled.Key.Reveal(), "").wantError(t, http.StatusUnauthorized, "disabled")
	e.mgmt("PATCH", "/keys/"+disabled.Data.Hash, `{"disabled":false}`)
	if r := e.do("GET", "/key", disabled.Key.Reveal(), ""); r.Status != http.StatusOK {
		t.Errorf("re-enabled key: status %d, want 200", r.Status)
	}

	expiring := e.create(`{"name":"e","expires_at":"` + clock.Now().Add(time.Minute).Format(time.RFC3339) + `"}`)
	if r := e.do("GET", "/key", expiring.Key.Reveal(), ""); r.Status != http.StatusOK {
		t.Errorf("key before expiry: status %d, want 200", r.Status)
	}
	clock.Advance(time.Minute)
	e.do("GET", "/key", expiring.Key.Reveal(), "").wantError(t, http.StatusUnauthorized, "expired")
	// Expired keys are still keys: listed and readable.
	if r := e.mgmt("GET", "/keys/"+expiring.Data.Hash, ""); r.Status != http.StatusOK {
		t.Errorf("GET expired key: status %d, want 200", r.Status)
	}

	deleted := e.create(`{"name":"gone"}`)
	e.mgmt("DELETE", "/keys/"+deleted.Data.Hash, "")
	e.do("GET", "/key", deleted.Key.Reveal(), "").wantError(t, http.StatusUnauthorized, "User not found.")
}

func ptr[T any](v T) *T { return &v }
