package fake_test

import (
	"testing"
	"time"

	"github.com/orkeys/orkeys/fake"
	"github.com/orkeys/orkeys/gen"
)

// last_used_at is null until the key authenticates a request (any, GET /key
// included), then the time of its latest one; a refused request (a disabled
// key) does not count, and the management key's calls are no key's use.
func TestLastUsedAt(t *testing.T) {
	clock := newClock()
	e := newEnv(t, fake.WithClock(clock.Now))
	k := e.create(`{"name":"app"}`)
	get := func() *time.Time {
		t.Helper()
		v := decode[gen.GetKeyResponse](t, e.mgmt("GET", "/keys/"+k.Data.Hash, "")).Data.LastUsedAt
		if v == nil {
			return nil
		}
		return &v.Time
	}
	if got := get(); got != nil {
		t.Fatalf("a new key's last_used_at = %v, want null", got)
	}
	clock.Advance(time.Hour)
	used := clock.Now().UTC()
	e.wantOK(e.do("GET", "/key", k.Key.Reveal(), ""))
	if got := get(); got == nil || !got.Equal(used) {
		t.Fatalf("after GET /key: %v, want %v", got, used)
	}
	clock.Advance(time.Hour)
	e.do("GET", "/keys", k.Key.Reveal(), "") // 403: it authenticated all the same
	if got := get(); got == nil || !got.Equal(clock.Now().UTC()) {
		t.Errorf("after a 403: %v, want the request's time", got)
	}
	e.wantOK(e.mgmt("PATCH", "/keys/"+k.Data.Hash, `{"disabled":true}`))
	before := get()
	clock.Advance(time.Hour)
	e.do("GET", "/key", k.Key.Reveal(), "")
	if got := get(); !got.Equal(*before) {
		t.Errorf("a disabled key's refused request moved last_used_at to %v", got)
	}

	long := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	if err := e.srv.SetLastUsed(k.Data.Hash, long); err != nil {
		t.Fatal(err)
	}
	if got := get(); !got.Equal(long) {
		t.Errorf("SetLastUsed: %v", got)
	}
	if err := e.srv.SetLastUsed(k.Data.Hash, time.Time{}); err != nil || get() != nil {
		t.Errorf("SetLastUsed(zero): %v, %v", err, get())
	}
	if err := e.srv.SetLastUsed("nope", long); err == nil {
		t.Error("SetLastUsed of an unknown hash")
	}
	if err := e.srv.LoadSeed([]byte(`keys: [{name: dormant, last_used_days_ago: 40}]`)); err != nil {
		t.Fatal(err)
	}
	for _, key := range decodeList(t, e.mgmt("GET", "/keys", "")) {
		if key.Name == "dormant" && (key.LastUsedAt == nil || !key.LastUsedAt.Time.Equal(clock.Now().UTC().AddDate(0, 0, -40))) {
			t.Errorf("seeded last_used_at = %v", key.LastUsedAt)
		}
	}
}
