package fake_test

import (
	"context"
	"math"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/oapi-codegen/nullable"

	"github.com/orkeys/orkeys/fake"
	"github.com/orkeys/orkeys/gen"
)

func TestGetKey(t *testing.T) {
	e := newEnv(t)
	created := e.create(`{"name":"g","limit":3}`)
	resp, err := e.client(e.srv.ManagementKey).GetKeyWithResponse(context.Background(), created.Data.Hash)
	if err != nil {
		t.Fatal(err)
	}
	if resp.JSON200 == nil {
		t.Fatalf("status %d: %s", resp.StatusCode(), resp.Body)
	}
	if !reflect.DeepEqual(resp.JSON200.Data, created.Data) {
		t.Errorf("GET = %+v\nwant the create answer %+v", resp.JSON200.Data, created.Data)
	}
}

func TestUnknownHashIs404(t *testing.T) {
	e := newEnv(t)
	e.create(`{"name":"other"}`)
	for _, op := range allOps[3:] {
		t.Run(op.method, func(t *testing.T) {
			r := e.mgmt(op.method, "/keys/"+sha256Hex("nope"), op.body)
			r.wantError(t, http.StatusNotFound)
			if got := r.envelope(t).Error.Message; got != "Resource not found" {
				t.Errorf("message = %q, want Resource not found", got)
			}
		})
	}
}

func TestUpdateFieldSemantics(t *testing.T) {
	clock := newClock()
	e := newEnv(t, fake.WithClock(clock.Now))
	created := e.create(`{"name":"u","limit":50,"limit_reset":"weekly","include_byok_in_limit":true}`)
	hash := created.Data.Hash
	clock.Advance(90 * time.Second)

	patch := func(body string) gen.APIKey {
		t.Helper()
		r := e.mgmt("PATCH", "/keys/"+hash, body)
		if r.Status != http.StatusOK {
			t.Fatalf("PATCH %s: status %d: %s", body, r.Status, r.Body)
		}
		return decode[gen.UpdateKeysResponse](t, r).Data
	}

	// Absent: nothing changes but updated_at.
	d := patch(`{}`)
	if d.Name != "u" || d.Limit == nil || *d.Limit != 50 || d.LimitReset == nil || *d.LimitReset != "weekly" || !d.IncludeByokInLimit || d.Disabled {
		t.Errorf("after {}: %+v, want everything unchanged", d)
	}
	if d.UpdatedAt == nil {
		t.Fatal("updated_at is null after an update")
	}
	if at := *d.UpdatedAt; !at.Equal(clock.Now()) {
		t.Errorf("updated_at = %s, want %v", *d.UpdatedAt, clock.Now())
	}
	if d.CreatedAt != created.Data.CreatedAt {
		t.Errorf("created_at changed from %s to %s", created.Data.CreatedAt, d.CreatedAt)
	}

	// Values: set.
	d = patch(`{"name":"renamed","disabled":true,"limit":5,"limit_reset":"daily","include_byok_in_limit":false}`)
	if d.Name != "renamed" || !d.Disabled || *d.Limit != 5 || *d.LimitRemaining != 5 || *d.LimitReset != "daily" || d.IncludeByokInLimit {
		t.Errorf("after setting all: %+v", d)
	}

	// Null: cleared; fields left out stay.
	d = patch(`{"limit":null}`)
	if d.Limit != nil || d.LimitRemaining != nil || d.LimitReset == nil || *d.LimitReset != "daily" {
		t.Errorf("after limit null: limit %v remaining %v reset %v, want null null daily", d.Limit, d.LimitRemaining, d.LimitReset)
	}
	d = patch(`{"limit_reset":null}`)
	if d.LimitReset != nil || d.Name != "renamed" || !d.Disabled {
		t.Errorf("after limit_reset null: %+v", d)
	}

	// The stored key is what PATCH answered.
	if got := decode[gen.GetKeyResponse](t, e.mgmt("GET", "/keys/"+hash, "")).Data; !reflect.DeepEqual(got, d) {
		t.Errorf("GET after PATCH = %+v\nwant %+v", got, d)
	}
}

func TestUpdateThroughTypedClient(t *testing.T) {
	e := newEnv(t)
	hash := e.create(`{"name":"typed","limit":1}`).Data.Hash
	resp, err := e.client(e.srv.ManagementKey).UpdateKeysWithResponse(context.Background(), hash, gen.UpdateKeysRequestBody{
		Limit:      nullable.NewNullNullable[float64](),
		LimitReset: nullable.NewNullableWithValue(gen.LimitResetMonthly),
	})
	if err != nil {
		t.Fatal(err)
	}
	if resp.JSON200 == nil {
		t.Fatalf("status %d: %s", resp.StatusCode(), resp.Body)
	}
	if d := resp.JSON200.Data; d.Limit != nil || d.LimitReset == nil || *d.LimitReset != gen.LimitResetMonthly || d.Name != "typed" {
		t.Errorf("after typed PATCH: %+v", d)
	}
}

func TestUpdateRefusesBadInput(t *testing.T) {
	e := newEnv(t)
	hash := e.create(`{"name":"keep","limit":9}`).Data.Hash
	for body, want := range map[string][]string{
		`{"name":""}`:                 {"name"},
		`{"name":null}`:               {"name"},
		`{"disabled":"yes"}`:          {"disabled"},
		`{"disabled":null}`:           {"disabled"},
		`{"limit":-5}`:                {"limit"},
		`{"limit_reset":"hourly"}`:    {"limit_reset", "daily, weekly, monthly"},
		`{"include_byok_in_limit":1}`: {"include_byok_in_limit"},
		`[1]`:                         {"object"},
		`{`:                           {"request body"},
		`{"name":"x"} trailing`:       {"request body", "JSON"},
		``:                            {"request body"},
	} {
		t.Run(body, func(t *testing.T) {
			e.mgmt("PATCH", "/keys/"+hash, body).wantError(t, http.StatusBadRequest, want...)
		})
	}
	d := decode[gen.GetKeyResponse](t, e.mgmt("GET", "/keys/"+hash, "")).Data
	if d.Name != "keep" || *d.Limit != 9 || d.UpdatedAt != nil {
		t.Errorf("a refused PATCH changed the key: %+v", d)
	}
}

func TestDelete(t *testing.T) {
	e := newEnv(t)
	keep := e.create(`{"name":"keep"}`)
	gone := e.create(`{"name":"gone"}`)

	r := e.mgmt("DELETE", "/keys/"+gone.Data.Hash, "")
	if r.Status != http.StatusOK || string(r.Body) != "{\"deleted\":true}\n" {
		t.Fatalf("DELETE: status %d body %q, want 200 {\"deleted\":true}", r.Status, r.Body)
	}
	e.mgmt("GET", "/keys/"+gone.Data.Hash, "").wantError(t, http.StatusNotFound, "Resource not found")
	e.mgmt("DELETE", "/keys/"+gone.Data.Hash, "").wantError(t, http.StatusNotFound, "Resource not found")
	if got := names(decodeList(t, e.mgmt("GET", "/keys?include_disabled=true", ""))); len(got) != 1 || got[0] != "keep" {
		t.Errorf("keys after delete = %v, want [keep]", got)
	}
	if r := e.do("GET", "/key", keep.Key.Reveal(), ""); r.Status != http.StatusOK {
		t.Errorf("the other key stopped working: %d", r.Status)
	}
}

func TestSetUsageAndLimitRemaining(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name  string
		body  gen.CreateKeysRequestBody
		usage fake.Usage
		want  *float64
	}{
		{"no limit", gen.CreateKeysRequestBody{Name: "a"}, fake.Usage{Usage: 3}, nil},
		{"all time", gen.CreateKeysRequestBody{Name: "b", Limit: ptr(10.0)},
			fake.Usage{Usage: 3, Daily: 1, BYOK: 100}, ptr(7.0)},
		{"all time with byok", gen.CreateKeysRequestBody{Name: "c", Limit: ptr(10.0), IncludeByokInLimit: ptr(true)},
			fake.Usage{Usage: 3, BYOK: 2}, ptr(5.0)},
		{"overspent is 0", gen.CreateKeysRequestBody{Name: "d", Limit: ptr(10.0)},
			fake.Usage{Usage: 12}, ptr(0.0)},
		{"weekly", gen.CreateKeysRequestBody{Name: "e", Limit: ptr(10.0), LimitReset: ptr(gen.LimitResetWeekly)},
			fake.Usage{Usage: 30, Weekly: 4, BYOKWeekly: 1}, ptr(6.0)},
		{"monthly with byok", gen.CreateKeysRequestBody{Name: "f", Limit: ptr(10.0), LimitReset: ptr(gen.LimitResetMonthly), IncludeByokInLimit: ptr(true)},
			fake.Usage{Usage: 30, Monthly: 4, BYOKMonthly: 1}, ptr(5.0)},
		{"zero limit", gen.CreateKeysRequestBody{Name: "g", Limit: ptr(0.0)}, fake.Usage{}, ptr(0.0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hash := seed(t, e.srv, tt.body).Data.Hash
			if err := e.srv.SetUsage(hash, tt.usage); err != nil {
				t.Fatal(err)
			}
			d := decode[gen.GetKeyResponse](t, e.mgmt("GET", "/keys/"+hash, "")).Data
			if d.Usage != tt.usage.Usage || d.UsageWeekly != tt.usage.Weekly || d.ByokUsage != tt.usage.BYOK || d.ByokUsageMonthly != tt.usage.BYOKMonthly {
				t.Errorf("usage not reported: %+v", d)
			}
			if (d.LimitRemaining == nil) != (tt.want == nil) || (tt.want != nil && *d.LimitRemaining != *tt.want) {
				t.Errorf("limit_remaining = %v, want %v", deref(d.LimitRemaining), deref(tt.want))
			}
		})
	}
	if err := e.srv.SetUsage(sha256Hex("unknown"), fake.Usage{Usage: 1}); err == nil {
		t.Error("SetUsage on an unknown hash: no error")
	}
}

// Spend that no JSON answer can carry (NaN, ±Inf) or that makes no sense
// (negative) is refused with an error naming the field, and the key keeps
// what it had; stored, a NaN would turn every later answer into a 500.
func TestSetUsageRefusesBadAmounts(t *testing.T) {
	e := newEnv(t)
	hash := seed(t, e.srv, gen.CreateKeysRequestBody{Name: "spend"}).Data.Hash
	if err := e.srv.SetUsage(hash, fake.Usage{Usage: 2}); err != nil {
		t.Fatal(err)
	}
	for name, tt := range map[string]struct {
		usage fake.Usage
		field string
	}{
		"NaN usage":          {fake.Usage{Usage: math.NaN()}, "Usage"},
		"infinite weekly":    {fake.Usage{Weekly: math.Inf(1)}, "Weekly"},
		"negative byok":      {fake.Usage{BYOK: -0.5}, "BYOK"},
		"negative byok days": {fake.Usage{BYOKDaily: -1}, "BYOKDaily"},
	} {
		t.Run(name, func(t *testing.T) {
			err := e.srv.SetUsage(hash, tt.usage)
			if err == nil || !contains(err.Error(), "Usage."+tt.field+" ") {
				t.Errorf("SetUsage error = %v, want one naming Usage.%s", err, tt.field)
			}
		})
	}
	r := e.mgmt("GET", "/keys", "")
	if got := decodeList(t, r); len(got) != 1 || got[0].Usage != 2 {
		t.Errorf("after refused SetUsage calls: %s, want usage 2", r.Body)
	}
}

func deref(p *float64) any {
	if p == nil {
		return "null"
	}
	return *p
}

func TestAddKeyMatchesPost(t *testing.T) {
	clock := newClock()
	e := newEnv(t, fake.WithClock(clock.Now))
	created := seed(t, e.srv, gen.CreateKeysRequestBody{Name: "seeded", Limit: ptr(2.5)})
	if !keyShape.MatchString(created.Key.Reveal()) || created.Data.Hash != sha256Hex(created.Key.Reveal()) {
		t.Errorf("AddKey key %v hash %s", created.Key, created.Data.Hash)
	}
	got := decode[gen.GetKeyResponse](t, e.mgmt("GET", "/keys/"+created.Data.Hash, "")).Data
	if !reflect.DeepEqual(got, created.Data) {
		t.Errorf("GET = %+v, want %+v", got, created.Data)
	}
	if r := e.do("GET", "/key", created.Key.Reveal(), ""); r.Status != http.StatusOK {
		t.Errorf("seeded key does not authenticate: %d", r.Status)
	}
	// A zero offset goes out as "Z", so it is UTC to the API.
	if _, err := e.srv.AddKey(gen.CreateKeysRequestBody{Name: "zero offset", ExpiresAt: ptr(clock.Now().Add(time.Hour).In(time.FixedZone("GMT", 0)))}); err != nil {
		t.Errorf("AddKey with a zero-offset expiry: %v", err)
	}
	if n := len(e.srv.Requests()); n != 2 {
		t.Errorf("%d requests recorded, want 2 (AddKey is not a request)", n)
	}

	local := time.FixedZone("CEST", 2*3600)
	for _, tt := range []struct {
		name string
		body gen.CreateKeysRequestBody
		want string
	}{
		{"empty name", gen.CreateKeysRequestBody{}, "name"},
		{"negative limit", gen.CreateKeysRequestBody{Name: "x", Limit: ptr(-1.0)}, "limit"},
		{"bad reset", gen.CreateKeysRequestBody{Name: "x", LimitReset: ptr(gen.LimitReset("yearly"))}, "limit_reset"},
		{"past expiry", gen.CreateKeysRequestBody{Name: "x", ExpiresAt: ptr(clock.Now().Add(-time.Hour))}, "future"},
		{"expiry not UTC", gen.CreateKeysRequestBody{Name: "x", ExpiresAt: ptr(clock.Now().Add(time.Hour).In(local))}, "UTC"},
		{"empty creator", gen.CreateKeysRequestBody{Name: "x", CreatorUserID: ptr("")}, "creator_user_id"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.srv.AddKey(tt.body)
			if err == nil || !contains(err.Error(), tt.want) {
				t.Errorf("AddKey error = %v, want one naming %q", err, tt.want)
			}
		})
	}
	if n := len(decodeList(t, e.mgmt("GET", "/keys?include_disabled=true", ""))); n != 2 {
		t.Errorf("%d keys after refused AddKeys, want 2", n)
	}
}
