package exporter_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/orkeys/orkeys/cmd/orkeys/internal/exporter"
	"github.com/orkeys/orkeys/fake"
)

// planeSetup is a fake with the README's example organization and an
// exporter over it with the plane's metrics on.
func planeSetup(t *testing.T) (*fake.Server, *exporter.Exporter) {
	t.Helper()
	srv, c, _ := setup(t)
	raw, err := os.ReadFile("../../../../fake/testdata/example-seed.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.LoadSeed(raw); err != nil {
		t.Fatal(err)
	}
	e, err := exporter.New(exporter.Config{Client: c, Plane: true, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	return srv, e
}

// Budgets per interval, keys per workspace with their summed spend, and
// guardrail limits, as the seed has them.
func TestPlaneMetrics(t *testing.T) {
	_, e := planeSetup(t)
	if err := e.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := `
# HELP openrouter_workspace_budget_limit_dollars The workspace's budget per interval (daily, weekly, monthly, lifetime), in USD; absent for intervals without one.
# TYPE openrouter_workspace_budget_limit_dollars gauge
openrouter_workspace_budget_limit_dollars{interval="daily",workspace="research"} 40
openrouter_workspace_budget_limit_dollars{interval="lifetime",workspace="research"} 2000
openrouter_workspace_budget_limit_dollars{interval="monthly",workspace="research"} 500
openrouter_workspace_budget_limit_dollars{interval="monthly",workspace="support"} 200
openrouter_workspace_budget_limit_dollars{interval="weekly",workspace="research"} 150
`
	if err := testutil.CollectAndCompare(e, strings.NewReader(want), "openrouter_workspace_budget_limit_dollars"); err != nil {
		t.Error(err)
	}
	body := get(t, e.Handler(), "/metrics")
	for _, line := range []string{
		`openrouter_workspace_keys{state="enabled",workspace="research"} 1`,
		`openrouter_workspace_keys{state="enabled",workspace="support"} 1`,
		`openrouter_workspace_usage_dollars{window="weekly",workspace="research"} 96`,
		`openrouter_workspace_usage_dollars{window="daily",workspace="support"} 6.5`,
		`name="ci-cap",workspace="default"} 30`,
	} {
		if !strings.Contains(body, line) {
			t.Errorf("metrics lack %s:\n%s", line, body)
		}
	}
	// The default workspace holds setup's three keys (one disabled) and
	// the seed's ci-runner, staging and old-prototype (disabled).
	if !strings.Contains(body, `openrouter_workspace_keys{state="disabled",workspace="default"} 2`) {
		t.Errorf("default workspace's disabled keys:\n%s", body)
	}
	if strings.Contains(body, `name="research-zdr"`) {
		t.Errorf("a guardrail without a limit has no limit series:\n%s", body)
	}
}

// A failing plane call fails the refresh, and the last good values stay;
// a scrape never calls the API.
func TestPlaneRefreshFailureKeepsValues(t *testing.T) {
	srv, e := planeSetup(t)
	ctx := context.Background()
	if err := e.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	srv.Inject(fake.Fault{Method: "GET", Path: "/workspaces/{id}/budgets", Status: 503})
	if err := e.Refresh(ctx); err == nil || !strings.Contains(err.Error(), "budgets") {
		t.Fatalf("refresh: %v, want the budgets failure", err)
	}
	before := len(srv.Requests())
	body := get(t, e.Handler(), "/metrics")
	if len(srv.Requests()) != before {
		t.Error("a scrape called the API")
	}
	if !strings.Contains(body, `openrouter_workspace_budget_limit_dollars{interval="monthly",workspace="support"} 200`) ||
		!strings.Contains(body, "openrouter_exporter_last_refresh_success 0") {
		t.Errorf("after a failed refresh:\n%s", body)
	}
}

// Without Config.Plane nothing of the plane is fetched or reported.
func TestPlaneOff(t *testing.T) {
	srv, c, _ := setup(t)
	e, err := exporter.New(exporter.Config{Client: c})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, r := range srv.Requests() {
		if strings.Contains(r.Path, "/workspaces") || strings.Contains(r.Path, "/guardrails") {
			t.Errorf("requested %s %s", r.Method, r.Path)
		}
	}
	if body := get(t, e.Handler(), "/metrics"); strings.Contains(body, "openrouter_workspace_") {
		t.Errorf("plane metrics without Plane:\n%s", body)
	}
}
