package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/orkeys/orkeys/fake"
	"github.com/orkeys/orkeys/gen"
)

// newPlaneFake is the fake with the README's example organization loaded.
func newPlaneFake(t *testing.T) (*fake.Server, env) {
	t.Helper()
	srv, e := newFake(t)
	raw, err := os.ReadFile("../../fake/testdata/example-seed.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.LoadSeed(raw); err != nil {
		t.Fatal(err)
	}
	return srv, e
}

// addGuardrail puts a guardrail into the fake without HTTP.
func addGuardrail(t *testing.T, srv *fake.Server, body gen.CreateGuardrailRequest) gen.Guardrail {
	t.Helper()
	g, err := srv.AddGuardrail(body)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func decodeJSON[T any](t *testing.T, r result) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(r.stdout), &v); err != nil {
		t.Fatalf("stdout is not the JSON wanted: %v\n%s", err, r)
	}
	return v
}

// sentChanges counts the requests that reached the fake and change state.
func sentChanges(srv *fake.Server) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Method != "GET" {
			n++
		}
	}
	return n
}

func TestGuardrailsListGet(t *testing.T) {
	srv, e := newPlaneFake(t)
	g := addGuardrail(t, srv, gen.CreateGuardrailRequest{Name: "evil\x1b[2Jname", AllowedModels: &[]string{"openai/gpt-4.1"}})

	r := runCLI(t, e, "", "guardrails", "list")
	wantCode(t, r, exitOK)
	for _, want := range []string{"ID", "NAME", "LIMIT", "ci-cap", "$30.00", "monthly", "openai,anthropic", g.ID, "evil [2Jname", "openai/gpt-4.1"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("list lacks %q:\n%s", want, r)
		}
	}
	if strings.Contains(r.stdout, "\x1b") {
		t.Errorf("an escape from the server reached the terminal:\n%q", r.stdout)
	}

	r = runCLI(t, e, "", "guardrails", "list", "-o", "json")
	wantCode(t, r, exitOK)
	if all := decodeJSON[[]gen.Guardrail](t, r); len(all) != 2 {
		t.Errorf("-o json: %d guardrails, want 2", len(all))
	}

	r = runCLI(t, e, "", "guardrails", "get", g.ID, "-o", "json")
	wantCode(t, r, exitOK)
	if got := decodeJSON[gen.GetGuardrailResponse](t, r); got.Data.ID != g.ID {
		t.Errorf("get -o json: %+v", got)
	}
	r = runCLI(t, e, "", "guardrails", "get", g.ID)
	wantCode(t, r, exitOK)
	if !strings.Contains(r.stdout, "Allowed models:     openai/gpt-4.1") {
		t.Errorf("get:\n%s", r)
	}
}

func TestGuardrailsGetFailures(t *testing.T) {
	srv, e := newPlaneFake(t)
	r := runCLI(t, e, "", "guardrails", "get", "not-a-uuid")
	wantCode(t, r, exitUsage)
	if !strings.Contains(r.stderr, "ID ") || len(srv.Requests()) != 0 {
		t.Errorf("a bad ID must be refused before sending:\n%s", r)
	}
	r = runCLI(t, e, "", "guardrails", "get", "00000000-0000-4000-8000-000000000000")
	wantCode(t, r, exitNotFound)
	srv.Inject(fake.Fault{Method: "GET", Path: "/guardrails", Status: 503})
	r = runCLI(t, e, "", "guardrails", "list", "--retries", "0")
	wantCode(t, r, exitUnavailable)
	r = runCLI(t, env{"OPENROUTER_API_KEY": "sk-or-v1-" + strings.Repeat("ab", 32), "OPENROUTER_BASE_URL": e["OPENROUTER_BASE_URL"]}, "", "guardrails", "list")
	wantCode(t, r, exitAuth)
}

func TestGuardrailsCreateUpdate(t *testing.T) {
	_, e := newPlaneFake(t)
	r := runCLI(t, e, "", "guardrails", "create", "--name", "cap", "--limit", "12.5", "--reset-interval", "weekly", "--allowed-providers", "openai,anthropic", "--enforce-zdr", "openai,xai", "-o", "json")
	wantCode(t, r, exitOK)
	made := decodeJSON[gen.CreateGuardrailResponse](t, r).Data
	if made.LimitUsd == nil || *made.LimitUsd != 12.5 || made.ResetInterval == nil || *made.ResetInterval != "weekly" || made.EnforceZdrOpenai == nil || !*made.EnforceZdrOpenai || made.EnforceZdrXai == nil || !*made.EnforceZdrXai || made.EnforceZdrAnthropic == nil || *made.EnforceZdrAnthropic {
		t.Fatalf("created %+v", made)
	}

	// A list replaces the stored one whole; --no-limit sends null.
	// "" clears a list (null); on a create it leaves it out.
	r = runCLI(t, e, "", "guardrails", "update", made.ID, "--allowed-models", "openai/gpt-4.1")
	wantCode(t, r, exitOK)
	r = runCLI(t, e, "", "guardrails", "update", made.ID, "--allowed-models", "", "-o", "json")
	wantCode(t, r, exitOK)
	if got := decodeJSON[gen.UpdateGuardrailResponse](t, r).Data; got.AllowedModels != nil && len(*got.AllowedModels) > 0 {
		t.Errorf("--allowed-models \"\" left %v", *got.AllowedModels)
	}
	wantCode(t, runCLI(t, e, "", "guardrails", "create", "--name", "open", "--allowed-models", ""), exitOK)

	r = runCLI(t, e, "", "guardrails", "update", made.ID, "--allowed-providers", "google", "--no-limit", "--no-reset-interval", "--enforce-zdr", "", "-o", "json")
	wantCode(t, r, exitOK)
	got := decodeJSON[gen.UpdateGuardrailResponse](t, r).Data
	if got.LimitUsd != nil || got.AllowedProviders == nil || strings.Join(*got.AllowedProviders, ",") != "google" || zdr(&got) != none {
		t.Errorf("updated %+v", got)
	}
}

func TestGuardrailsRefusedBeforeSending(t *testing.T) {
	srv, e := newPlaneFake(t)
	g := addGuardrail(t, srv, gen.CreateGuardrailRequest{Name: "g"})
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"create", "--limit", "3"}, "--name"},
		{[]string{"create", "--name", "x", "--limit", "3"}, "--reset-interval"},
		{[]string{"create", "--name", "x", "--limit", "-1", "--reset-interval", "daily"}, "--limit"},
		{[]string{"create", "--name", "x", "--reset-interval", "yearly"}, "--reset-interval"},
		{[]string{"update", g.ID}, "at least one change"},
		{[]string{"update", g.ID, "--enforce-zdr", "openai,azure"}, "--enforce-zdr"},
		{[]string{"update", g.ID, "--limit", "3", "--no-limit"}, "--no-limit"},
		{[]string{"assign", g.ID}, "--key"},
		{[]string{"assign", g.ID, "--key", "nothex"}, "--key"},
		{[]string{"delete", g.ID}, "--yes"},
	} {
		r := runCLI(t, e, "", append([]string{"guardrails"}, tc.args...)...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%v: want exit 2 naming %s, got\n%s", tc.args, tc.want, r)
		}
	}
	if n := sentChanges(srv); n != 0 {
		t.Errorf("%d changes sent", n)
	}
}

// --dry-run shows each change, key redacted, and sends none.
func TestGuardrailsDryRun(t *testing.T) {
	srv, e := newPlaneFake(t)
	g := addGuardrail(t, srv, gen.CreateGuardrailRequest{Name: "g"})
	for _, args := range [][]string{
		{"create", "--name", "x", "--limit", "3", "--reset-interval", "daily"},
		{"update", g.ID, "--name", "y"},
		{"delete", g.ID},
		{"assign", g.ID, "--key", strings.Repeat("ab", 32), "--member", "user_bob"},
		{"unassign", g.ID, "--member", "user_bob"},
	} {
		r := runCLI(t, e, "", append(append([]string{"guardrails"}, args...), "--dry-run")...)
		wantCode(t, r, exitOK)
		if !strings.Contains(r.stdout, "/guardrails") || !strings.Contains(r.stdout, "(not sent)") || strings.Contains(r.stdout, managementKey) {
			t.Errorf("%v --dry-run:\n%s", args, r)
		}
		r = runCLI(t, e, "", append(append([]string{"guardrails"}, args...), "--dry-run", "-o", "json")...)
		wantCode(t, r, exitOK)
		if reqs := decodeJSON[[]dryRequest](t, r); len(reqs) == 0 || reqs[len(reqs)-1].Sent {
			t.Errorf("%v --dry-run -o json: %+v", args, reqs)
		}
	}
	if n := sentChanges(srv); n != 0 {
		t.Errorf("%d changes sent under --dry-run", n)
	}
}

func TestGuardrailsAssignDelete(t *testing.T) {
	srv, e := newPlaneFake(t)
	g := addGuardrail(t, srv, gen.CreateGuardrailRequest{Name: "g"})
	k, err := srv.AddKey(gen.CreateKeysRequestBody{Name: "k"})
	if err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, e, "", "guardrails", "assign", g.ID, "--key", k.Data.Hash, "--member", "user_bob")
	wantCode(t, r, exitOK)
	if !strings.Contains(r.stdout, "assigned 1 key and 1 member") {
		t.Errorf("assign:\n%s", r)
	}
	r = runCLI(t, e, "", "guardrails", "assignments", g.ID)
	wantCode(t, r, exitOK)
	if !strings.Contains(r.stdout, k.Data.Hash) {
		t.Errorf("assignments:\n%s", r)
	}
	r = runCLI(t, e, "", "guardrails", "assignments", g.ID, "--members", "-o", "json")
	if as := decodeJSON[[]gen.MemberAssignment](t, r); len(as) != 1 || as[0].UserID != "user_bob" {
		t.Errorf("member assignments %+v", as)
	}

	// On a terminal a no keeps it (exit 9); --yes deletes it with its
	// assignments.
	r = runTerminal(t, e, "n\n", "guardrails", "delete", g.ID)
	wantCode(t, r, exitDeclined)
	if !strings.Contains(r.stderr, `"g"`) {
		t.Errorf("the prompt should name the guardrail:\n%s", r)
	}
	r = runCLI(t, e, "", "guardrails", "delete", g.ID, "--yes")
	wantCode(t, r, exitOK)
	r = runCLI(t, e, "", "guardrails", "assignments", g.ID, "-o", "json")
	wantCode(t, r, exitNotFound)
	r = runCLI(t, e, "", "guardrails", "unassign", g.ID, "--key", k.Data.Hash)
	wantCode(t, r, exitNotFound)
	if !strings.Contains(r.stderr, "or a key or member named, does not exist") {
		t.Errorf("a bulk 404 may be about the keys too:\n%s", r)
	}
	r = runCLI(t, e, "", "guardrails", "get", g.ID)
	wantCode(t, r, exitNotFound)
	if !strings.Contains(r.stderr, "no guardrail has this id ('orkeys guardrails list'") {
		t.Errorf("404 hint:\n%s", r)
	}
}

// The delete prompt quotes the server's name through the sanitizer.
func TestGuardrailsDeletePromptSanitized(t *testing.T) {
	srv, e := newPlaneFake(t)
	g := addGuardrail(t, srv, gen.CreateGuardrailRequest{Name: "x\x1b[31mred\u202e"})
	r := runTerminal(t, e, "\n", "guardrails", "delete", g.ID)
	wantCode(t, r, exitDeclined)
	if strings.ContainsAny(r.stderr, "\x1b\u202e") || !strings.Contains(r.stderr, "x [31mred") {
		t.Errorf("prompt not sanitized: %q", r.stderr)
	}
	wantCode(t, runCLI(t, e, "", "guardrails", "get", g.ID), exitOK)
}
