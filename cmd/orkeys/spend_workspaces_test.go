package main

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/fake"
	"github.com/orkeys/orkeys/gen"
)

// spendInTwoWorkspaces is a fake with seedSpend's keys in the default
// workspace and seedResearch's rho in research, at fixedNow: the server,
// its environment, the keys' hashes by name, and research's id.
func spendInTwoWorkspaces(t *testing.T) (*fake.Server, env, map[string]string, string) {
	t.Helper()
	fixClock(t)
	srv, e := newFake(t)
	hashes := seedSpend(t, srv)
	wsID, rho := seedResearch(t, srv)
	hashes["rho"] = rho
	return srv, e, hashes, wsID
}

// seedResearch adds the workspace "research" with one key, rho: $2 daily,
// $1.90 spent today (95%). It returns the workspace's id and rho's hash.
func seedResearch(t *testing.T, srv *fake.Server) (string, string) {
	t.Helper()
	w, err := srv.AddWorkspace(gen.CreateWorkspaceRequest{Name: "Research", Slug: "research"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := srv.AddKey(gen.CreateKeysRequestBody{Name: "rho", WorkspaceID: &w.ID, Limit: ptr(2.0), LimitReset: ptr(gen.LimitResetDaily)})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.SetUsage(res.Data.Hash, fake.Usage{Usage: 1.9, Daily: 1.9, Weekly: 1.9, Monthly: 1.9}); err != nil {
		t.Fatal(err)
	}
	srv.ResetRequests()
	return w.ID, res.Data.Hash
}

// workspacesOf is each budget's workspace by key name, from -o json of
// keys usage (an array) or budget check (its "over").
func workspacesOf(t *testing.T, r result) map[string]string {
	t.Helper()
	var bs []facade.Budget
	if err := json.Unmarshal([]byte(r.stdout), &bs); err != nil {
		var rep budgetReport
		if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
			t.Fatalf("neither budgets nor a budget report (%v):\n%s", err, r)
		}
		for _, k := range rep.Over {
			bs = append(bs, k.Budget)
		}
	}
	out := map[string]string{}
	for _, b := range bs {
		out[b.Name] = b.WorkspaceID
	}
	return out
}

// keys usage --all-workspaces shows every workspace's budgets, each with
// its workspace; without it, the default workspace's only.
func TestKeysUsageAllWorkspaces(t *testing.T) {
	_, e, hashes, wsID := spendInTwoWorkspaces(t)

	r := runCLI(t, e, "", "keys", "usage", "-o", "json")
	wantCode(t, r, exitOK)
	if got := workspacesOf(t, r); len(got) != 4 || got["alpha"] != fake.DefaultWorkspaceID || got["rho"] != "" {
		t.Errorf("keys usage without --all-workspaces: %v", got)
	}

	r = runCLI(t, e, "", "keys", "usage", "--all-workspaces", "-o", "json")
	wantCode(t, r, exitOK)
	got := workspacesOf(t, r)
	if len(got) != 5 || got["rho"] != wsID || got["alpha"] != fake.DefaultWorkspaceID || got["beta"] != fake.DefaultWorkspaceID {
		t.Errorf("keys usage --all-workspaces: %v, want the four default keys and rho in %s", got, wsID)
	}

	r = runCLI(t, e, "", "keys", "usage", "--all-workspaces", "--sort", "fraction")
	wantCode(t, r, exitOK)
	wantOutput(t, r, prefixes(`NAME   WORKSPACE  HASH          USED             SPENT   LIMIT   RESETS (UTC)                RUNS OUT (UTC)    STATUS
delta  default    {delta}  ▇▇▇▇▇▇▇▇▇▇ 100%  $5.00   $5.00   never                       now               exhausted
rho    research   {rho}  ▇▇▇▇▇▇▇▇▇▁ 95%   $1.90   $2.00   2026-03-15 00:00 (daily)    2026-03-14 15:57  ok
alpha  default    {alpha}  ▇▇▇▇▇▇▇▇▇▁ 90%   $9.00   $10.00  2026-03-15 00:00 (daily)    2026-03-14 16:50  ok
gamma  default    {gamma}  ▇▇▁▁▁▁▁▁▁▁ 24%   $12.00  $50.00  2026-04-01 00:00 (monthly)  -                 ok
beta   default    {beta}  -                $3.50   -       -                           -                 no limit
`, hashes))
	r = runCLI(t, e, "", "keys", "usage")
	if strings.Contains(r.stdout, "WORKSPACE") || strings.Contains(r.stdout, "rho") {
		t.Errorf("keys usage shows a workspace column or another workspace's key:\n%s", r)
	}
}

// budget check --all-workspaces checks every workspace's keys, and
// --disable switches off an over key of any workspace.
func TestBudgetCheckAllWorkspaces(t *testing.T) {
	srv, e, hashes, wsID := spendInTwoWorkspaces(t)
	rho := hashes["rho"]

	r := runCLI(t, e, "", "budget", "check", "--over", "80%")
	wantCode(t, r, exitFound)
	if strings.Contains(r.stdout, "rho") {
		t.Errorf("budget check without --all-workspaces checked research:\n%s", r)
	}

	r = runCLI(t, e, "", "budget", "check", "--over", "80%", "--all-workspaces")
	wantCode(t, r, exitFound)
	wantOutput(t, r, prefixes(`3 keys over 80% (of 5 checked):
NAME   WORKSPACE  HASH          SPENT / LIMIT   USED
delta  default    {delta}  $5.00 / $5.00   ▇▇▇▇▇▇▇▇▇▇ 100%
rho    research   {rho}  $1.90 / $2.00   ▇▇▇▇▇▇▇▇▇▁ 95%
alpha  default    {alpha}  $9.00 / $10.00  ▇▇▇▇▇▇▇▇▇▁ 90%
`, hashes))

	r = runCLI(t, e, "", "budget", "check", "--over", "92%", "--all-workspaces", "--disable", "-o", "json")
	wantCode(t, r, exitFound)
	if got := workspacesOf(t, r); len(got) != 2 || got["rho"] != wsID || got["delta"] != fake.DefaultWorkspaceID {
		t.Errorf("budget check --all-workspaces -o json: %v", got)
	}
	var patched []string
	for _, req := range requests(srv) {
		if strings.HasPrefix(req, "PATCH ") {
			patched = append(patched, strings.Fields(req)[1])
		}
	}
	slices.Sort(patched)
	want := []string{"/keys/" + hashes["delta"], "/keys/" + rho}
	slices.Sort(want)
	if !slices.Equal(patched, want) {
		t.Errorf("--disable patched %v, want %v", patched, want)
	}
	r = runCLI(t, e, "", "keys", "usage", "--workspace", "research", "-o", "json")
	if got := workspacesOf(t, r); len(got) != 0 {
		t.Errorf("rho is still enabled after --disable: %v", got)
	}

	// Nobody over: the plain line, and no need for the workspaces' slugs.
	srv.ResetRequests()
	r = runCLI(t, e, "", "budget", "check", "--over", "$100", "--all-workspaces")
	wantCode(t, r, exitOK)
	wantOutput(t, r, "No key is over $100 (3 keys checked).\n")
	if n := strings.Count(strings.Join(requests(srv), "\n"), "GET /workspaces"); n != 1 {
		t.Errorf("read the workspaces %d times, want once (the walk):\n%v", n, requests(srv))
	}
}

// Both commands refuse --all-workspaces with --workspace before sending,
// and stop with the API's answer when the workspaces cannot be listed.
func TestAllWorkspacesFailures(t *testing.T) {
	fixClock(t)
	srv, e := newFake(t)
	seedSpend(t, srv)
	for _, args := range [][]string{
		{"keys", "usage", "--all-workspaces", "--workspace", "research"},
		{"budget", "check", "--over", "80%", "--all-workspaces", "--workspace", "research"},
	} {
		r := runCLI(t, e, "", args...)
		wantCode(t, r, exitUsage)
		if !strings.Contains(r.stderr, "--workspace and --all-workspaces cannot be used together") || r.stdout != "" {
			t.Errorf("%v:\n%s", args, r)
		}
	}
	if got := requests(srv); len(got) != 0 {
		t.Errorf("a refused command line sent %v", got)
	}
	for _, args := range [][]string{
		{"keys", "usage", "--all-workspaces"},
		{"budget", "check", "--over", "80%", "--all-workspaces", "--disable"},
	} {
		srv.Inject(fake.Fault{Method: http.MethodGet, Path: "/workspaces", Status: http.StatusForbidden})
		r := runCLI(t, e, "", args...)
		wantCode(t, r, exitAuth)
		if r.stdout != "" || !strings.Contains(r.stderr, "403") {
			t.Errorf("%v with GET /workspaces refused:\n%s", args, r)
		}
		for _, req := range requests(srv) {
			if strings.HasPrefix(req, "PATCH ") {
				t.Errorf("%v disabled a key after the walk failed: %s", args, req)
			}
		}
	}
}

// A --workspace UUID that names no workspace is exit 4, not an empty
// listing: a budget check of no keys would pass in CI.
func TestUnknownWorkspaceUUIDIsNotFound(t *testing.T) {
	_, e, _, _ := spendInTwoWorkspaces(t)
	const typo = "11111111-2222-4333-8444-555555555555"
	for _, args := range [][]string{
		{"keys", "list", "--workspace", typo},
		{"keys", "usage", "--workspace", typo},
		{"budget", "check", "--over", "80%", "--workspace", typo},
	} {
		r := runCLI(t, e, "", args...)
		wantCode(t, r, exitNotFound)
		if !strings.Contains(r.stderr, "no workspace has this id or slug") || r.stdout != "" {
			t.Errorf("%v:\n%s", args, r)
		}
	}
}
