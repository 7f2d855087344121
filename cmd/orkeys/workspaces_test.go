package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/orkeys/orkeys/gen"
)

func TestWorkspacesReadCommands(t *testing.T) {
	srv, e := newPlaneFake(t)
	if _, err := srv.AddWorkspace(gen.CreateWorkspaceRequest{Name: "bad\x1b]0;title\x07name", Slug: "odd"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"workspaces", "list"}, []string{"SLUG", "default", "research", "Model evaluation", "support", "Support bots", "bad ]0;title name"}},
		{[]string{"workspaces", "get", "research"}, []string{"Slug:", "research", "Model evaluation"}},
		{[]string{"workspaces", "members", "research"}, []string{"user_alice", "user_carol"}},
		{[]string{"workspaces", "budgets", "research"}, []string{"daily", "$40.00", "weekly", "$150.00", "monthly", "$500.00", "lifetime", "$2000.00"}},
		{[]string{"members"}, []string{"EMAIL", "alice@example.com", "Alice Ng", "org:member"}},
	} {
		r := runCLI(t, e, "", tc.args...)
		wantCode(t, r, exitOK)
		for _, w := range tc.want {
			if !strings.Contains(r.stdout, w) {
				t.Errorf("%v lacks %q:\n%s", tc.args, w, r)
			}
		}
		if strings.ContainsAny(r.stdout, "\x1b\x07") {
			t.Errorf("%v: a control character reached the terminal: %q", tc.args, r.stdout)
		}
	}
	if ws := decodeJSON[[]gen.Workspace](t, runCLI(t, e, "", "workspaces", "list", "-o", "json")); len(ws) != 4 {
		t.Errorf("-o json: %d workspaces, want 4", len(ws))
	}
	if ms := decodeJSON[[]gen.OrganizationMember](t, runCLI(t, e, "", "members", "-o", "json")); len(ms) != 4 {
		t.Errorf("members -o json: %d, want the owner and the seed's 3", len(ms))
	}
	if b := decodeJSON[gen.ListWorkspaceBudgetsResponse](t, runCLI(t, e, "", "workspaces", "budgets", "support", "-o", "json")); len(b.Data) != 1 || b.Data[0].LimitUsd != 200 {
		t.Errorf("budgets -o json: %+v", b)
	}
	r := runCLI(t, e, "", "workspaces", "get", "no-such")
	wantCode(t, r, exitNotFound)
	if !strings.Contains(r.stderr, "orkeys workspaces list") {
		t.Errorf("a 404 should point at workspaces list:\n%s", r)
	}
}

func TestWorkspacesChanges(t *testing.T) {
	_, e := newPlaneFake(t)
	r := runCLI(t, e, "", "workspaces", "create", "--name", "Evals", "--slug", "evals", "--description", "d", "-o", "json")
	wantCode(t, r, exitOK)
	if w := decodeJSON[gen.CreateWorkspaceResponse](t, r).Data; w.Slug != "evals" || w.Description == nil || *w.Description != "d" {
		t.Errorf("created %+v", w)
	}
	r = runCLI(t, e, "", "workspaces", "create", "--name", "Again", "--slug", "evals")
	if r.code == exitOK {
		t.Errorf("a duplicate slug must fail:\n%s", r)
	}
	r = runCLI(t, e, "", "workspaces", "update", "evals", "--name", "Evaluations", "--no-description", "-o", "json")
	wantCode(t, r, exitOK)
	if w := decodeJSON[gen.UpdateWorkspaceResponse](t, r).Data; w.Name != "Evaluations" || w.Description != nil {
		t.Errorf("updated %+v", w)
	}
	r = runCLI(t, e, "", "workspaces", "add-members", "evals", "--user", "user_bob,user_carol")
	wantCode(t, r, exitOK)
	if !strings.Contains(r.stdout, "Added 2 members") {
		t.Errorf("add-members:\n%s", r)
	}
	r = runCLI(t, e, "", "workspaces", "remove-members", "evals", "--user", "user_bob", "-o", "json")
	wantCode(t, r, exitOK)
	if got := decodeJSON[gen.BulkRemoveWorkspaceMembersResponse](t, r); got.RemovedCount != 1 {
		t.Errorf("remove-members %+v", got)
	}
	r = runCLI(t, e, "", "workspaces", "set-budget", "evals", "monthly", "--limit", "300")
	wantCode(t, r, exitOK)
	if !strings.Contains(r.stdout, "monthly budget of workspace evals to $300.00") {
		t.Errorf("set-budget:\n%s", r)
	}
	// Out of order: refused with both limits named, before the PUT.
	r = runCLI(t, e, "", "workspaces", "set-budget", "evals", "weekly", "--limit", "300")
	wantCode(t, r, exitUsage)
	if !strings.Contains(r.stderr, "monthly budget (300 USD) must be more than the weekly budget (300 USD)") {
		t.Errorf("budget order:\n%s", r)
	}
	r = runTerminal(t, e, "no\n", "workspaces", "delete-budget", "evals", "monthly")
	wantCode(t, r, exitDeclined)
	r = runCLI(t, e, "", "workspaces", "delete-budget", "evals", "monthly", "--yes")
	wantCode(t, r, exitOK)
	// The API answers the same whether or not a budget was set, so neither
	// time claims a deletion.
	for i := range 2 {
		if r.stdout != "No monthly budget is set for workspace evals now.\n" {
			t.Errorf("delete-budget, time %d:\n%s", i+1, r)
		}
		r = runCLI(t, e, "", "workspaces", "delete-budget", "evals", "monthly", "--yes")
		wantCode(t, r, exitOK)
	}
	if b := decodeJSON[gen.ListWorkspaceBudgetsResponse](t, runCLI(t, e, "", "workspaces", "budgets", "evals", "-o", "json")); len(b.Data) != 0 {
		t.Errorf("budget not deleted: %+v", b)
	}
	r = runTerminal(t, e, "y\n", "workspaces", "delete", "evals")
	wantCode(t, r, exitOK)
	if !strings.Contains(r.stderr, `"Evaluations"`) {
		t.Errorf("the prompt should name the workspace:\n%s", r)
	}
	wantCode(t, runCLI(t, e, "", "workspaces", "get", "evals"), exitNotFound)
	// A workspace with active keys cannot go.
	r = runCLI(t, e, "", "workspaces", "delete", "research", "--yes")
	if r.code == exitOK || !strings.Contains(r.stderr, "active") {
		t.Errorf("deleting a workspace with keys:\n%s", r)
	}
}

func TestWorkspacesRefusedBeforeSending(t *testing.T) {
	srv, e := newPlaneFake(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"get", "Not_A_Slug"}, "WORKSPACE"},
		{[]string{"create", "--name", "X"}, "--slug"},
		{[]string{"create", "--name", "X", "--slug", "-bad"}, "--slug"},
		{[]string{"update", "research"}, "at least one change"},
		{[]string{"update", "research", "--description", "x", "--no-description"}, "--no-description"},
		{[]string{"add-members", "research"}, "--user"},
		{[]string{"add-members", "research", "--user", ""}, "--user"},
		{[]string{"set-budget", "research", "yearly", "--limit", "5"}, "INTERVAL"},
		{[]string{"set-budget", "research", "daily"}, "--limit"},
		{[]string{"set-budget", "research", "daily", "--limit", "0"}, "--limit"},
		{[]string{"delete", "research"}, "--yes"},
		{[]string{"delete-budget", "research", "daily"}, "--yes"},
	} {
		r := runCLI(t, e, "", append([]string{"workspaces"}, tc.args...)...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%v: want exit 2 naming %s, got\n%s", tc.args, tc.want, r)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

func TestWorkspacesDryRun(t *testing.T) {
	srv, e := newPlaneFake(t)
	for _, args := range [][]string{
		{"create", "--name", "X", "--slug", "x"},
		{"update", "research", "--name", "Y"},
		{"delete", "research"},
		{"add-members", "research", "--user", "user_bob"},
		{"remove-members", "research", "--user", "user_carol"},
		{"set-budget", "research", "daily", "--limit", "10"},
		{"delete-budget", "research", "daily"},
	} {
		r := runCLI(t, e, "", append(append([]string{"workspaces"}, args...), "--dry-run")...)
		wantCode(t, r, exitOK)
		if !strings.Contains(r.stdout, "/workspaces") || !strings.Contains(r.stdout, "(not sent)") || strings.Contains(r.stdout, managementKey) {
			t.Errorf("%v --dry-run:\n%s", args, r)
		}
	}
	if n := sentChanges(srv); n != 0 {
		t.Errorf("%d changes sent under --dry-run", n)
	}
}

// --ignore-missing makes a delete of what is already gone a success; a 404
// that is not the API's (a wrong server) stays a failure.
func TestPlaneDeleteIgnoreMissing(t *testing.T) {
	_, e := newPlaneFake(t)
	gone := "00000000-0000-4000-8000-000000000000"
	for _, args := range [][]string{
		{"guardrails", "delete", gone},
		{"workspaces", "delete", "no-such"},
		{"workspaces", "delete-budget", "no-such", "daily"},
	} {
		wantCode(t, runCLI(t, e, "", append(args, "--yes")...), exitNotFound)
		r := runCLI(t, e, "", append(args, "--yes", "--ignore-missing")...)
		wantCode(t, r, exitOK)
		if !strings.Contains(r.stdout, "nothing to delete") {
			t.Errorf("%v:\n%s", args, r)
		}
		r = runTerminal(t, e, "", append(args, "--ignore-missing", "-o", "json")...)
		wantCode(t, r, exitOK)
		if strings.TrimSpace(r.stdout) != `{
  "deleted": false
}` {
			t.Errorf("%v -o json:\n%s", args, r)
		}
	}
	plain := httptest.NewServer(http.NotFoundHandler())
	defer plain.Close()
	r := runCLI(t, env{"OPENROUTER_API_KEY": e["OPENROUTER_API_KEY"], "OPENROUTER_BASE_URL": plain.URL}, "", "guardrails", "delete", gone, "--yes", "--ignore-missing")
	if r.code == exitOK {
		t.Errorf("a 404 page that is not the API's passed for success:\n%s", r)
	}
}
