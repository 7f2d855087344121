package main

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/fake"
	"github.com/orkeys/orkeys/gen"
)

// runSeam runs the command newCmd makes through its runF seam, prep
// setting what the command line cannot (the clock), and returns what it
// printed and the exit code main would give.
func runSeam[O command](t *testing.T, e env, newCmd func(*factory, *clientFlags, func(O) error) *cobra.Command, prep func(O), args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	f := newFactory(strings.NewReader(""), &out, &errb, e.get)
	cmd := newCmd(f, addClientFlags(pflag.NewFlagSet("keys", pflag.ContinueOnError)), func(o O) error {
		prep(o)
		return o.run()
	})
	cmd.SetArgs(args)
	cmd.SilenceUsage, cmd.SilenceErrors = true, true
	cmd.SetOut(&out)
	cmd.SetErr(&errb)
	cmd.SetContext(context.Background())
	err := cmd.Execute()
	f.io.Out.Flush()
	code := exitOK
	if err != nil {
		var msg string
		code, msg = f.classify(fromCobra(err))
		errb.WriteString(msg + "\n")
	}
	return result{out.String(), errb.String(), code}
}

// runList runs keys list with the clock at now.
func runList(t *testing.T, e env, now time.Time, args ...string) result {
	t.Helper()
	return runSeam(t, e, newListCmd, func(o *listOptions) { o.now = func() time.Time { return now } }, args...)
}

// listedNames is the names of the keys of keys list -o json, in order.
func listedNames(t *testing.T, r result) []string {
	t.Helper()
	var keys []facade.APIKey
	if err := json.Unmarshal([]byte(r.stdout), &keys); err != nil {
		t.Fatalf("not a JSON array of keys (%v):\n%s", err, r)
	}
	names := []string{}
	for _, k := range keys {
		names = append(names, k.Name)
	}
	return names
}

// inventory seeds alpha (last used 35 days after it was created), beta
// (never used, no limit) and gamma (used only when created, the most
// spend); all were created at fixedNow.
func inventory(t *testing.T) (*fake.Server, env, []seeded) {
	srv, e := newFake(t)
	keys := seed(t, srv)
	for _, u := range []struct {
		k  seeded
		at time.Time
	}{{keys[0], fixedNow.AddDate(0, 0, 35)}, {keys[2], fixedNow}} {
		if err := srv.SetLastUsed(u.k.Data.Hash, u.at); err != nil {
			t.Fatal(err)
		}
	}
	return srv, e, keys
}

func TestKeysListUnusedFor(t *testing.T) {
	_, e, keys := inventory(t)
	later := fixedNow.AddDate(0, 0, 40)
	r := runList(t, e, later, "--unused-for", "30d", "-o", "json")
	wantCode(t, r, exitOK)
	if got := listedNames(t, r); !slices.Equal(got, []string{"gamma", "beta"}) {
		t.Errorf("--unused-for 30d at +40d: %v, want gamma (used 40 days ago) and beta (never used, created 40 days ago)", got)
	}
	// Ten days after creation a never-used key has not had the time.
	r = runList(t, e, fixedNow.AddDate(0, 0, 10), "--unused-for", "30d", "-o", "json")
	wantCode(t, r, exitOK)
	if got := listedNames(t, r); len(got) != 0 {
		t.Errorf("--unused-for 30d at +10d: %v, want none", got)
	}
	r = runList(t, e, later, "--unused-for", "30d")
	wantCode(t, r, exitOK)
	if !strings.Contains(r.stdout, "LAST USED") || !strings.Contains(r.stdout, "never") || !strings.Contains(r.stdout, "2026-03-14T15:09:26Z") {
		t.Errorf("the table lacks the LAST USED column and its values:\n%s", r)
	}
	r = runList(t, e, later)
	if !strings.Contains(r.stdout, fixedNow.AddDate(0, 0, 35).Format(time.RFC3339)) || !strings.Contains(normalize(r.stdout, keys), "<hash-alpha>") {
		t.Errorf("keys list shows no last use of alpha:\n%s", r)
	}
}

func TestKeysListNoLimitAndSort(t *testing.T) {
	_, e, _ := inventory(t)
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"--no-limit"}, []string{"beta"}},
		{[]string{"--sort", "usage"}, []string{"gamma", "beta", "alpha"}},
		{[]string{"--sort", "last-used"}, []string{"beta", "gamma", "alpha"}},
		{[]string{"--sort", "created"}, []string{"gamma", "beta", "alpha"}},
		{[]string{"--no-limit", "--unused-for", "30d"}, []string{"beta"}},
	} {
		r := runList(t, e, fixedNow.AddDate(0, 0, 40), append(c.args, "-o", "json")...)
		wantCode(t, r, exitOK)
		if got := listedNames(t, r); !slices.Equal(got, c.want) {
			t.Errorf("%v: %v, want %v", c.args, got, c.want)
		}
	}
}

// --all-workspaces lists every workspace's keys with a WORKSPACE column;
// --workspace takes a slug as well as a UUID.
func TestKeysListWorkspaces(t *testing.T) {
	srv, e, _ := inventory(t)
	w, err := srv.AddWorkspace(gen.CreateWorkspaceRequest{Name: "Research", Slug: "research"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.AddKey(gen.CreateKeysRequestBody{Name: "delta", WorkspaceID: &w.ID}); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, e, "", "keys", "list", "-o", "json", "--all")
	if got := listedNames(t, r); !slices.Equal(got, []string{"gamma", "beta", "alpha"}) {
		t.Errorf("the default workspace: %v", got)
	}
	r = runCLI(t, e, "", "keys", "list", "--workspace", "research", "-o", "json", "--all")
	wantCode(t, r, exitOK)
	if got := listedNames(t, r); !slices.Equal(got, []string{"delta"}) {
		t.Errorf("--workspace research: %v", got)
	}
	r = runCLI(t, e, "", "keys", "list", "--workspace", w.ID, "-o", "json")
	if !strings.Contains(r.stdout, `"delta"`) {
		t.Errorf("--workspace UUID:\n%s", r)
	}
	r = runCLI(t, e, "", "keys", "list", "--all-workspaces", "-o", "json")
	wantCode(t, r, exitOK)
	if got := listedNames(t, r); len(got) != 4 || !slices.Contains(got, "delta") {
		t.Errorf("--all-workspaces: %v", got)
	}
	r = runCLI(t, e, "", "keys", "list", "--all-workspaces", "--sort", "usage")
	wantCode(t, r, exitOK)
	lines := strings.Split(r.stdout, "\n")
	if !strings.Contains(lines[0], "WORKSPACE") || !strings.Contains(lines[1], "gamma") || !strings.Contains(r.stdout, "  research  ") ||
		!strings.Contains(r.stdout, "  "+fake.DefaultWorkspaceSlug+"  ") {
		t.Errorf("--all-workspaces table:\n%s", r)
	}
	r = runCLI(t, e, "", "keys", "list", "--workspace", "no-such-workspace")
	wantCode(t, r, exitNotFound)
	if !strings.Contains(r.stderr, "no-such-workspace") {
		t.Errorf("an unknown slug is not named:\n%s", r)
	}
}

// keys find --all-workspaces searches every workspace; keys find, keys
// usage and budget check take a workspace's slug.
func TestWorkspaceSlugsAndFindEverywhere(t *testing.T) {
	srv, e, _ := inventory(t)
	w, err := srv.AddWorkspace(gen.CreateWorkspaceRequest{Name: "Research", Slug: "research"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.AddKey(gen.CreateKeysRequestBody{Name: "alpha", WorkspaceID: &w.ID, Limit: ptr(1.0)}); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, e, "", "keys", "find", "alpha", "-o", "json")
	if got := listedNames(t, r); len(got) != 1 {
		t.Errorf("find in the default workspace: %v", got)
	}
	r = runCLI(t, e, "", "keys", "find", "alpha", "--all-workspaces", "-o", "json")
	wantCode(t, r, exitOK)
	if got := listedNames(t, r); len(got) != 2 {
		t.Errorf("find --all-workspaces: %v", got)
	}
	r = runCLI(t, e, "", "keys", "find", "alpha", "--all-workspaces")
	if !strings.Contains(r.stdout, "WORKSPACE") || !strings.Contains(r.stdout, "  research  ") {
		t.Errorf("find --all-workspaces table:\n%s", r)
	}
	r = runCLI(t, e, "", "keys", "find", "alpha", "--workspace", "research", "-o", "json")
	if !strings.Contains(r.stdout, w.ID) || strings.Count(r.stdout, `"hash"`) != 1 {
		t.Errorf("find --workspace research:\n%s", r)
	}
	r = runCLI(t, e, "", "keys", "usage", "--workspace", "research", "-o", "json")
	wantCode(t, r, exitOK)
	if strings.Count(r.stdout, `"name": "alpha"`) != 1 || strings.Contains(r.stdout, "gamma") {
		t.Errorf("usage --workspace research:\n%s", r)
	}
	r = runCLI(t, e, "", "budget", "check", "--over", "50%", "--workspace", "research", "-o", "json")
	wantCode(t, r, exitOK)
	if !strings.Contains(r.stdout, `"checked": 1`) {
		t.Errorf("budget check --workspace research:\n%s", r)
	}
	r = runCLI(t, e, "", "keys", "find", "alpha", "--all-workspaces", "--workspace", "research")
	wantCode(t, r, exitUsage)
}
