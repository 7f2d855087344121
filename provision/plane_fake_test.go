package provision

import (
	"context"
	"net/http"
	"testing"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/fake"
)

// exampleFor is the example with receivers in r.dir.
func (r *rig) example() *Desired {
	d := theExample()
	for addr, k := range d.Keys {
		k.Deliver = &Deliver{File: r.dir + "/secrets/" + addr + ".key"}
		d.Keys[addr] = k
	}
	return d
}

// TestApplyTheExampleAgainstTheFake converges the example file
// (a workspace with budgets, a guardrail in it, keys assigned to it)
// through the facade, with a 5XX on the guardrail assignment on the way.
func TestApplyTheExampleAgainstTheFake(t *testing.T) {
	r := newRig(t, facade.WithRetryConfig(facade.RetryConfig{Strategy: facade.StrategyNone}))
	d := r.example()
	r.srv.Inject(fake.Fault{Method: "POST", Path: "/guardrails/{id}/assignments/keys", Status: http.StatusServiceUnavailable})
	_, res, err := r.run(d, nil)
	if err != nil || !res.Failed() {
		t.Fatalf("with the 5XX: %v, %+v", err, res.Outcomes)
	}
	for _, o := range res.Outcomes {
		if (o.Kind == KindAssignment) != (o.Status == StatusFailed) {
			t.Errorf("outcome %+v", o)
		}
	}
	_, res, err = r.run(d, nil)
	mustOK(t, res, err)
	s, _ := ReadStateFile(r.state)
	ws := s.Workspaces["prod"].ID
	ctx := context.Background()
	live, err := r.backend.GetWorkspace(ctx, ws)
	if err != nil || *live.Budgets.Monthly != 500 || *live.Budgets.Daily != 40 {
		t.Fatalf("workspace: %+v, %v", live, err)
	}
	assigned, _ := r.backend.KeyGuardrails(ctx)
	if assigned[s.Keys["ci"].Hash] != s.Guardrails["cheap"].ID {
		t.Fatalf("ci's guardrail: %v", assigned)
	}
	r.converged(d, r.fileReceived)

	// Change the budgets both ways and the models; drift the guardrail.
	w := d.Workspaces["prod"]
	w.Budgets = Budgets{Daily: usd(100), Weekly: usd(200), Monthly: usd(300)}
	d.Workspaces["prod"] = w
	g := d.Guardrails["cheap"]
	g.AllowedModels = []string{"openai/gpt-4.1", "google/gemini-2.5-flash"}
	d.Guardrails["cheap"] = g
	if _, err := r.backend.UpdateGuardrail(ctx, s.Guardrails["cheap"].ID, LiveGuardrail{Name: "renamed", WorkspaceID: ws, LimitUSD: usd(10), ResetInterval: "monthly"}); err != nil {
		t.Fatal(err)
	}
	p := r.plan(d)
	var drift bool
	for _, c := range p.Changes {
		drift = drift || c.Kind == KindGuardrail && c.Drift
	}
	if !drift {
		t.Errorf("the renamed guardrail is not drift: %v", summary(p))
	}
	_, res, err = r.run(d, nil)
	mustOK(t, res, err)
	r.converged(d, r.fileReceived)

	// Removed from the file and pruned: keys first, then the guardrail and
	// the workspace.
	empty := &Desired{Version: 1}
	_, res, err = r.run(empty, []PlanOption{WithPrune(PruneDelete)})
	mustOK(t, res, err)
	if _, err := r.backend.GetWorkspace(ctx, ws); err == nil {
		t.Error("the pruned workspace is still there")
	}
	if p := r.plan(empty); p.Pending() || len(p.Changes) != 0 {
		t.Errorf("after pruning: %v", summary(p))
	}
}

// A workspace create whose answer a proxy drops after the fake made it is
// adopted by the next run: no "slug taken" forever, no second workspace.
func TestApplyAdoptsALostWorkspaceCreate(t *testing.T) {
	r := newRig(t)
	d := r.example()
	r.losePlane.Store(1)
	_, res, err := r.run(d, nil)
	if err != nil || !res.Failed() {
		t.Fatalf("the lost create: %v, %+v", err, res.Outcomes)
	}
	_, res, err = r.run(d, nil)
	mustOK(t, res, err)
	if res.Outcomes[0].Action != Adopt {
		t.Errorf("first outcome %+v, want the adoption", res.Outcomes[0])
	}
	n := 0
	for w, err := range facade.WorkspacesListAll(context.Background(), r.c, facade.ListWorkspacesRequest{}) {
		if err != nil {
			t.Fatal(err)
		}
		if w.Slug == "prod" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d workspaces with slug prod", n)
	}
	r.converged(d, r.fileReceived)
}
