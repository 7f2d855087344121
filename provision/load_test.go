package provision

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/orkeys/orkeys/secret"
)

func TestLoadFileReadsTheExample(t *testing.T) {
	d, err := LoadFile("testdata/example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ci := d.Keys["ci"]
	if ci.Name != "ci-runner" || ci.Workspace != "prod" || ci.Guardrail != "cheap" || *ci.Limit != 25 || ci.LimitReset != "monthly" {
		t.Errorf("ci = %+v", ci)
	}
	if want := time.Date(2027, 6, 30, 0, 0, 0, 0, time.UTC); !ci.ExpiresAt.Equal(want) {
		t.Errorf("expires_at = %v, want %v", ci.ExpiresAt, want)
	}
	abs, _ := filepath.Abs("testdata/secrets/ci.key")
	if ci.Deliver.File != abs {
		t.Errorf("deliver.file = %q, want %q (relative to the file's folder)", ci.Deliver.File, abs)
	}
	if d.Keys["batch"].Deliver.Exec == "" || d.Keys["batch"].Workspace != "" {
		t.Errorf("batch = %+v", d.Keys["batch"])
	}
	if w := d.Workspaces["prod"]; *w.Budgets.Monthly != 500 || *w.Budgets.Daily != 40 || w.Budgets.Weekly != nil {
		t.Errorf("prod budgets = %+v", w.Budgets)
	}
	if g := d.Guardrails["cheap"]; g.Workspace != "prod" || *g.LimitUSD != 10 || len(g.AllowedModels) != 1 {
		t.Errorf("cheap = %+v", g)
	}
}

// badFiles are refused by the loader, each naming the field at fault. The
// schema test runs them too: the schema refuses what the loader refuses.
var badFiles = []struct {
	name, file, want string
	loaderOnly       bool // a reference or a YAML-level rule the schema cannot state
}{
	{"unknown top-level field", "version: 1\nextra: 1\n", "field extra not found", false},
	{"unknown key field", "version: 1\nkeys:\n  a: {name: a, lim: 5, deliver: {stdout: true}}\n", "field lim not found", false},
	{"deliver missing", "version: 1\nkeys:\n  a: {name: a}\n", "keys.a.deliver: required", false},
	{"deliver with two forms", "version: 1\nkeys:\n  a: {name: a, deliver: {file: x, stdout: true}}\n", "keys.a.deliver: set exactly one", false},
	{"unknown deliver form", "version: 1\nkeys:\n  a: {name: a, deliver: {email: x}}\n", "field email not found", false},
	{"wrong version", "version: 2\n", "version: is 2", false},
	{"missing version", "keys: {}\n", "version: is 0", false},
	{"empty name", "version: 1\nkeys:\n  a: {name: '', deliver: {stdout: true}}\n", "keys.a.name: must not be empty", false},
	{"unknown workspace", "version: 1\nkeys:\n  a: {name: a, workspace: nope, deliver: {stdout: true}}\n", `keys.a.workspace: no workspace "nope"`, true},
	{"unknown guardrail", "version: 1\nkeys:\n  a: {name: a, guardrail: nope, deliver: {stdout: true}}\n", `keys.a.guardrail: no guardrail "nope"`, true},
	{"guardrail in unknown workspace", "version: 1\nguardrails:\n  g: {name: g, workspace: w}\n", `guardrails.g.workspace: no workspace "w"`, true},
	{"negative limit", "version: 1\nkeys:\n  a: {name: a, limit: -1, deliver: {stdout: true}}\n", "keys.a.limit: -1", false},
	{"bad reset", "version: 1\nkeys:\n  a: {name: a, limit_reset: hourly, deliver: {stdout: true}}\n", `keys.a.limit_reset: "hourly"`, false},
	{"reset without limit", "version: 1\nkeys:\n  a: {name: a, limit_reset: daily, deliver: {stdout: true}}\n", "keys.a.limit_reset: a reset period needs a limit to reset: add a limit, or leave limit_reset out", true},
	{"zero budget", "version: 1\nworkspaces:\n  w: {name: W, slug: w, budgets: {daily: 0}}\n", "workspaces.w.budgets.daily", false},
	{"workspace without slug", "version: 1\nworkspaces:\n  w: {name: W}\n", `workspaces.w.slug: "" is not a slug`, false},
	{"bad slug", "version: 1\nworkspaces:\n  w: {name: W, slug: Prod_1}\n", `workspaces.w.slug: "Prod_1" is not a slug`, false},
	{"budgets out of order", "version: 1\nworkspaces:\n  w: {name: W, slug: w, budgets: {daily: 50, monthly: 40}}\n", "workspaces.w.budgets: the monthly budget (40 USD) must be more than the daily budget (50 USD)", true},
	{"guardrail limit without reset", "version: 1\nguardrails:\n  g: {name: g, limit_usd: 5}\n", "guardrails.g.limit_usd: limit_usd needs a reset_interval", true},
	{"bad address", "version: 1\nkeys:\n  'a b': {name: a, deliver: {stdout: true}}\n", `address "a b"`, false},
	{"duplicate address", "version: 1\nkeys:\n  a: {name: a, deliver: {stdout: true}}\n  a: {name: b, deliver: {stdout: true}}\n", `"a" already defined`, true},
	{"two documents", "version: 1\n---\nversion: 1\n", "more than one YAML document", true},
}

func TestParseRefuses(t *testing.T) {
	for _, tc := range badFiles {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.file), "/cfg")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestParseListsEveryProblem(t *testing.T) {
	_, err := Parse([]byte("version: 1\nkeys:\n  a: {name: ''}\n  b: {name: b, limit: -2, deliver: {stdout: true}}\n"), "/cfg")
	ie, ok := err.(*InvalidError)
	if !ok || len(ie.Problems) != 3 {
		t.Fatalf("err = %#v, want 3 problems", err)
	}
}

func TestParseEmpty(t *testing.T) {
	if _, err := Parse(nil, "/cfg"); err == nil || !strings.Contains(err.Error(), "empty file") {
		t.Fatalf("err = %v", err)
	}
}

func TestParseNullLimitIsNoLimit(t *testing.T) {
	d, err := Parse([]byte("version: 1\nkeys:\n  a: {name: a, limit: null, limit_reset: null, deliver: {stdout: true}}\n"), "/cfg")
	if err != nil {
		t.Fatal(err)
	}
	if d.Keys["a"].Limit != nil || d.Keys["a"].LimitReset != "" {
		t.Errorf("a = %+v", d.Keys["a"])
	}
}

func TestLoadFileRunsExecInTheFilesFolder(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "orkeys.yaml"), []byte("version: 1\nkeys:\n  a: {name: a, deliver: {exec: cat > got}}\n"), 0o600)
	d, err := LoadFile(filepath.Join(dir, "orkeys.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	pt := secret.New("sk-or-v1-" + strings.Repeat("ab", 32))
	if err := deliverBuiltin(context.Background(), Delivery{Address: "a", Plaintext: pt, To: d.Keys["a"].Deliver}, nil); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "got")); err != nil || string(b) != pt.Reveal() {
		t.Fatalf("the receiver did not run in the file's folder: %q, %v", b, err)
	}
}
