package facade_test

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/fake"
	"github.com/orkeys/orkeys/secret"
	"github.com/orkeys/orkeys/timestamp"
)

// The audit against the fake with a fixed clock: one key per finding, and
// keys that must not be findings.
func TestAudit(t *testing.T) {
	clearEnv(t)
	var mu sync.Mutex
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	srv := fake.NewServer(fake.WithClock(clock))
	t.Cleanup(srv.Close)
	c, err := facade.New(facade.WithServerURL(srv.URL), facade.WithAPIKey(srv.ManagementKey))
	if err != nil {
		t.Fatal(err)
	}
	add := func(b facade.CreateKeysRequestBody) string {
		t.Helper()
		k, err := srv.AddKey(b)
		if err != nil {
			t.Fatal(err)
		}
		return k.Data.Hash
	}
	limited := func(name string) facade.CreateKeysRequestBody {
		return facade.CreateKeysRequestBody{Name: name, Limit: facade.Ptr(10.0), LimitReset: facade.Ptr(facade.LimitResetMonthly)}
	}
	// Made 40 days ago: old enough to be dormant.
	old := add(limited("old-never-used"))
	dormant := add(limited("dormant"))
	mu.Lock()
	now = now.AddDate(0, 0, 40)
	mu.Unlock()
	if err := srv.SetLastUsed(dormant, now.AddDate(0, 0, -35)); err != nil {
		t.Fatal(err)
	}
	add(limited("new-never-used"))
	unlimited := add(facade.CreateKeysRequestBody{Name: "unlimited"})
	expiring := add(facade.CreateKeysRequestBody{Name: "expiring", Limit: facade.Ptr(5.0), ExpiresAt: facade.Ptr(now.Add(72 * time.Hour))})
	near := add(limited("near-limit"))
	if err := srv.SetUsage(near, fake.Usage{Usage: 9, Monthly: 8.5}); err != nil {
		t.Fatal(err)
	}
	disabled := add(limited("disabled"))
	g, err := srv.AddGuardrail(facade.CreateGuardrailRequestBody{Name: "cap"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	if _, err := c.Guardrails.BulkAssignKeys(ctx, facade.BulkAssignKeysToGuardrailRequest{ID: g.ID,
		RequestBody: facade.BulkAssignKeysRequestBody{KeyHashes: []string{disabled}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.BYOK.Create(ctx, facade.CreateBYOKKeyRequest{RequestBody: facade.CreateBYOKKeyRequestBody{
		Provider: "openai", Key: secret.New("sk-proj-audit-000000000000000000000000"), Name: facade.Ptr("orphaned"),
		AllowedAPIKeyHashes: &[]string{disabled}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.BYOK.Create(ctx, facade.CreateBYOKKeyRequest{RequestBody: facade.CreateBYOKKeyRequestBody{
		Provider: "openai", Key: secret.New("sk-proj-audit-111111111111111111111111"), Name: facade.Ptr("usable"),
		AllowedAPIKeyHashes: &[]string{near}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.APIKeys.Update(ctx, facade.UpdateKeysRequest{Hash: disabled, RequestBody: facade.UpdateKeysRequestBody{Disabled: facade.Ptr(true)}}); err != nil {
		t.Fatal(err)
	}
	// The ones used today stay out of "unused".
	for _, h := range []string{unlimited, expiring, near} {
		if err := srv.SetLastUsed(h, now); err != nil {
			t.Fatal(err)
		}
	}

	findings, err := facade.Audit(ctx, c, now, facade.AuditOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range findings {
		got = append(got, string(f.Kind)+" "+f.Name)
		if f.Reason == "" || (f.Hash == "" && f.BYOKID == "") {
			t.Errorf("finding %+v lacks a reason or what it is about", f)
		}
	}
	want := []string{
		"no_limit unlimited",
		"unused dormant", "unused old-never-used",
		"expiring expiring",
		"near_limit near-limit",
		"disabled_with_guardrail disabled",
		"byok_unusable orphaned",
	}
	if !slices.Equal(got, want) {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, f := range findings {
		if f.Kind == facade.AuditUnused && f.Hash == old && !strings.Contains(f.Reason, "never used") {
			t.Errorf("old never-used key: %q", f.Reason)
		}
		if f.Kind == facade.AuditBYOKUnusable && f.Reason != "openai provider key restricted to 1 API key, which is not enabled now" {
			t.Errorf("provider key with one allowed key: %q", f.Reason)
		}
		if f.Kind == facade.AuditUnused && f.Hash == dormant && !strings.Contains(f.Reason, "35 days") {
			t.Errorf("dormant key: %q", f.Reason)
		}
	}
	// Tighter options find more; nothing is a finding on an empty account.
	if n := len(facade.AuditOf(nil, nil, nil, now, facade.AuditOptions{})); n != 0 {
		t.Errorf("empty account: %d findings", n)
	}
	more, err := facade.Audit(ctx, c, now, facade.AuditOptions{NearLimit: 0.1, ExpiringWithin: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	var kinds []facade.AuditKind
	for _, f := range more {
		kinds = append(kinds, f.Kind)
	}
	if slices.Contains(kinds, facade.AuditExpiring) {
		t.Error("ExpiringWithin of an hour still found a key expiring in 3 days")
	}
}

func TestDormant(t *testing.T) {
	now := time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)
	at := func(t time.Time) *timestamp.Time { v := timestamp.Of(t); return &v }
	day := 24 * time.Hour
	for _, tc := range []struct {
		name    string
		created time.Time
		last    *timestamp.Time
		want    bool
	}{
		{"used yesterday", now.AddDate(-1, 0, 0), at(now.Add(-day)), false},
		{"used 30 days ago", now.AddDate(-1, 0, 0), at(now.Add(-30 * day)), true},
		{"never used, old", now.Add(-31 * day), nil, true},
		{"never used, new", now.Add(-2 * day), nil, false},
		{"never used, created exactly d ago", now.Add(-30 * day), nil, true},
	} {
		k := facade.APIKey{CreatedAt: timestamp.Of(tc.created), LastUsedAt: tc.last}
		if got := facade.Dormant(k, now, 30*day); got != tc.want {
			t.Errorf("%s: Dormant = %v, want %v", tc.name, got, tc.want)
		}
	}
}
