package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/fake"
	"github.com/orkeys/orkeys/gen"
	"github.com/orkeys/orkeys/secret"
)

// runAudit runs keys audit with the clock at now.
func runAudit(t *testing.T, e env, now time.Time, args ...string) result {
	t.Helper()
	return runSeam(t, e, newAuditCmd, func(o *auditOptions) { o.now = func() time.Time { return now } }, args...)
}

// auditAccount seeds the inventory (alpha used lately, beta never used and
// without a limit, gamma last used 40 days before the audit) and adds: alpha
// 90% through its daily limit, epsilon expiring in 3 days, zeta disabled but
// holding a guardrail, and a provider key only zeta may use.
func auditAccount(t *testing.T) (*fake.Server, env, time.Time) {
	srv, e, keys := inventory(t)
	now := fixedNow.AddDate(0, 0, 40)
	if err := srv.SetUsage(keys[0].Data.Hash, fake.Usage{Usage: 9, Daily: 9, Weekly: 9, Monthly: 9}); err != nil {
		t.Fatal(err)
	}
	eps, err := srv.AddKey(gen.CreateKeysRequestBody{Name: "epsilon", Limit: ptr(5.0), ExpiresAt: ptr(now.Add(72 * time.Hour))})
	if err != nil {
		t.Fatal(err)
	}
	zeta, err := srv.AddKey(gen.CreateKeysRequestBody{Name: "zeta", Limit: ptr(5.0)})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{eps.Data.Hash, zeta.Data.Hash} {
		if err := srv.SetLastUsed(h, now.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	g, err := srv.AddGuardrail(gen.CreateGuardrailRequest{Name: "cap"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := facade.New(facade.WithAPIKey(srv.ManagementKey), facade.WithServerURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.Guardrails.BulkAssignKeys(ctx, facade.BulkAssignKeysToGuardrailRequest{ID: g.ID, RequestBody: facade.BulkAssignKeysRequestBody{KeyHashes: []string{zeta.Data.Hash}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.AddBYOKKey(gen.CreateBYOKKeyRequest{Provider: "openai", Name: ptr("zeta-only"), Key: secret.New(providerKey), AllowedAPIKeyHashes: &[]string{zeta.Data.Hash}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.APIKeys.Update(ctx, facade.UpdateKeysRequest{Hash: zeta.Data.Hash, RequestBody: facade.UpdateKeysRequestBody{Disabled: ptr(true)}}); err != nil {
		t.Fatal(err)
	}
	return srv, e, now
}

func TestKeysAuditFindings(t *testing.T) {
	srv, e, now := auditAccount(t)
	r := runAudit(t, e, now, "-o", "json")
	wantCode(t, r, exitFound)
	var found []facade.AuditFinding
	if err := json.Unmarshal([]byte(r.stdout), &found); err != nil {
		t.Fatalf("%v:\n%s", err, r)
	}
	var got []string
	for _, a := range found {
		got = append(got, string(a.Kind)+" "+a.Name)
		if a.Reason == "" || (a.Hash == "" && a.BYOKID == "") {
			t.Errorf("a finding without its key or reason: %+v", a)
		}
	}
	want := []string{"no_limit beta", "unused beta", "unused gamma", "expiring epsilon", "near_limit alpha", "disabled_with_guardrail zeta", "byok_unusable zeta-only"}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("findings:\n got %v\nwant %v", got, want)
	}
	if !strings.Contains(r.stderr, "keys audit: 7 findings") {
		t.Errorf("stderr:\n%s", r)
	}
	noProviderKey(t, srv, r, providerKey)

	r = runAudit(t, e, now)
	wantCode(t, r, exitFound)
	for _, s := range []string{"KIND", "REASON", "never used, created 2026-03-14", "byok ", "90%"} {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("the table lacks %q:\n%s", s, r)
		}
	}
	// Tuned: 90 days unused, 1 day to expiry, 95 percent.
	r = runAudit(t, e, now, "--unused-for", "90d", "--expiring-within", "1d", "--near-limit", "95", "-o", "json")
	wantCode(t, r, exitFound)
	for _, gone := range []string{`"unused"`, `"expiring"`, `"near_limit"`} {
		if strings.Contains(r.stdout, gone) {
			t.Errorf("tuned audit still reports %s:\n%s", gone, r)
		}
	}
}

func TestKeysAuditNothingFound(t *testing.T) {
	srv, e := newFake(t)
	k, err := srv.AddKey(gen.CreateKeysRequestBody{Name: "tidy", Limit: ptr(5.0)})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.SetLastUsed(k.Data.Hash, fixedNow); err != nil {
		t.Fatal(err)
	}
	r := runAudit(t, e, fixedNow.AddDate(0, 0, 1))
	wantCode(t, r, exitOK)
	if !strings.HasPrefix(r.stdout, "Nothing found") {
		t.Errorf("%s", r)
	}
	r = runAudit(t, e, fixedNow.AddDate(0, 0, 1), "-o", "json")
	wantCode(t, r, exitOK)
	if strings.TrimSpace(r.stdout) != "[]" {
		t.Errorf("want [], got:\n%s", r)
	}
}

func TestKeysAuditFailures(t *testing.T) {
	srv, e := newFake(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--near-limit", "0"}, "--near-limit 0: want a percent from 1 to 100"},
		{[]string{"--near-limit", "101"}, "--near-limit 101"},
		{[]string{"--unused-for", "0d"}, "--unused-for must be more than 0"},
	} {
		r := runCLI(t, e, "", append([]string{"keys", "audit"}, c.args...)...)
		wantCode(t, r, exitUsage)
		if !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: want %q:\n%s", c.args, c.want, r)
		}
	}
	srv.Inject(fake.Fault{Method: "GET", Path: "/workspaces", Status: 503})
	r := runCLI(t, e, "", "keys", "audit", "--retries", "0")
	wantCode(t, r, exitUnavailable)
	if r.stdout != "" {
		t.Errorf("a failed audit printed:\n%s", r)
	}
}
