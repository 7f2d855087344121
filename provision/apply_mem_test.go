package provision

import (
	"context"
	"testing"
	"time"

	"github.com/orkeys/orkeys/secret"
)

// memRun plans and applies d against m, keeping the state in *s and the
// plaintexts each address received in got.
func memRun(t *testing.T, m *memBackend, d *Desired, s **State, got map[string][]string) *Result {
	t.Helper()
	ctx := context.Background()
	p, err := ComputePlan(ctx, m, d, *s)
	if err != nil {
		t.Fatal(err)
	}
	// Intents are stamped with the backend's fixed clock, as a server's
	// created_at would be: on the wall clock the orphan rule would fail once
	// the day passed the fixed date.
	res, err := Apply(ctx, m, p, WithClock(func() time.Time { return m.now }),
		WithSave(func(st *State) error { *s = st.clone(); return nil }),
		WithDeliver(func(_ context.Context, dl Delivery) error {
			got[dl.Address] = append(got[dl.Address], dl.Plaintext.Reveal())
			return nil
		}))
	if err != nil {
		t.Fatal(err)
	}
	*s = res.State
	return res
}

func theExample() *Desired {
	return &Desired{Version: 1,
		Workspaces: map[string]Workspace{"prod": {Name: "Production", Slug: "prod", Budgets: Budgets{Monthly: usd(500), Daily: usd(40)}}},
		Guardrails: map[string]Guardrail{"cheap": {Name: "cheap", Workspace: "prod", LimitUSD: usd(10), ResetInterval: "monthly", AllowedModels: []string{"google/gemini-2.5-flash"}}},
		Keys: map[string]Key{
			"ci":    {Name: "ci-runner", Workspace: "prod", Guardrail: "cheap", Limit: usd(25), LimitReset: "monthly"},
			"batch": {Name: "batch-jobs", Limit: usd(5)},
		},
	}
}

func TestApplyConvergesTheExampleInOrder(t *testing.T) {
	m, s, got := newMem(), NewState(), map[string][]string{}
	d := theExample()
	m.fail["AssignGuardrail"] = 1 // a 5XX on the assignment
	res := memRun(t, m, d, &s, got)
	var assign Outcome
	for _, o := range res.Outcomes {
		if o.Kind == KindAssignment {
			assign = o
		} else if o.Status != StatusOK {
			t.Errorf("outcome %+v", o)
		}
	}
	if assign.Status != StatusFailed {
		t.Fatalf("assignment outcome = %+v", assign)
	}
	ci := m.keys[s.Keys["ci"].Hash]
	if ci.WorkspaceID != s.Workspaces["prod"].ID || ci.WorkspaceID == "" {
		t.Errorf("ci is in workspace %q, want prod's %q", ci.WorkspaceID, s.Workspaces["prod"].ID)
	}
	if g := m.guardrails[s.Guardrails["cheap"].ID]; g.WorkspaceID != s.Workspaces["prod"].ID {
		t.Errorf("guardrail in workspace %q", g.WorkspaceID)
	}
	res = memRun(t, m, d, &s, got)
	if res.Failed() || len(res.Outcomes) != 1 || res.Outcomes[0].Kind != KindAssignment {
		t.Fatalf("second run: %+v", res.Outcomes)
	}
	if m.assigned[s.Keys["ci"].Hash] != s.Guardrails["cheap"].ID {
		t.Error("the guardrail is not on the key")
	}
	p, _ := ComputePlan(context.Background(), m, d, s)
	if p.Pending() {
		t.Fatalf("pending after converging: %v", summary(p))
	}
	for addr, pts := range got {
		if len(pts) != 1 || hashOf(pts[0]) != s.Keys[addr].Hash {
			t.Errorf("%s received %d plaintexts", addr, len(pts))
		}
	}
}

func TestApplySkipsWhatAFailedWorkspaceHolds(t *testing.T) {
	m, s, got := newMem(), NewState(), map[string][]string{}
	m.fail["CreateWorkspace"] = 1
	res := memRun(t, m, theExample(), &s, got)
	status := map[string]Status{}
	for _, o := range res.Outcomes {
		status[string(o.Kind)+" "+o.Address] = o.Status
	}
	want := map[string]Status{
		"workspace prod": StatusFailed, "guardrail cheap": StatusSkipped, "key ci": StatusSkipped,
		"key batch": StatusOK, "assignment ci": StatusSkipped,
	}
	for k, v := range want {
		if status[k] != v {
			t.Errorf("%s: %s, want %s (all: %v)", k, status[k], v, status)
		}
	}
	if len(m.keys) != 1 {
		t.Errorf("%d keys made, want batch alone", len(m.keys))
	}
	memRun(t, m, theExample(), &s, got)
	if p, _ := ComputePlan(context.Background(), m, theExample(), s); p.Pending() {
		t.Fatalf("pending: %v", summary(p))
	}
}

func TestApplyKeepsAReplacedKeyUntilItsDeleteWorks(t *testing.T) {
	m, s, got := newMem(), NewState(), map[string][]string{}
	d := oneKey("ci", Key{Name: "ci"})
	memRun(t, m, d, &s, got)
	b := s.Keys["ci"]
	b.Undelivered = true
	s.Keys["ci"] = b
	m.fail["DeleteKey"] = 1
	res := memRun(t, m, d, &s, got)
	if !res.Failed() || len(m.keys) != 1 {
		t.Fatalf("a failed delete of the old key still made a new one: %+v, %d keys", res.Outcomes, len(m.keys))
	}
	memRun(t, m, d, &s, got)
	if len(m.keys) != 1 || s.Keys["ci"].Undelivered || s.Keys["ci"].Hash == b.Hash {
		t.Fatalf("not replaced: %d keys, %+v", len(m.keys), s.Keys["ci"])
	}
}

func TestApplyFailedJournalMakesNothing(t *testing.T) {
	m := newMem()
	p, _ := ComputePlan(context.Background(), m, oneKey("ci", Key{Name: "ci"}), nil)
	res, err := Apply(context.Background(), m, p, WithSave(func(*State) error { return context.DeadlineExceeded }),
		WithDeliver(func(context.Context, Delivery) error { return nil }))
	if err != nil || !res.Failed() || len(m.keys) != 0 {
		t.Fatalf("%v, %+v, %d keys", err, res.Outcomes, len(m.keys))
	}
}

func TestExecFailureDoesNotEchoThePlaintext(t *testing.T) {
	pt := secret.New("sk-or-v1-" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
	err := runReceiver(context.Background(), "cat >&2; exit 4", "", pt)
	if err == nil {
		t.Fatal("exit 4 passed")
	}
	if plaintextRE.MatchString(err.Error()) {
		t.Fatalf("the error echoes the plaintext: %v", err)
	}
	if err := runReceiver(context.Background(), "test \"$(cat)\" = '"+pt.Reveal()+"'", "", pt); err != nil {
		t.Fatalf("the plaintext did not arrive on stdin whole: %v", err)
	}
}

func TestApplyFailsForAWorkspaceItCouldNotRead(t *testing.T) {
	m, s, got := newMem(), NewState(), map[string][]string{}
	memRun(t, m, theExample(), &s, got)
	m.fail["GetWorkspace"] = 1
	res := memRun(t, m, theExample(), &s, got)
	if !res.Failed() || res.Outcomes[0].Kind != KindWorkspace || res.Outcomes[0].Status != StatusFailed {
		t.Fatalf("outcomes = %+v", res.Outcomes)
	}
}

// A workspace or guardrail create whose answer is lost is journaled like a
// key's; the next run adopts what it made (no secret is lost with it)
// instead of failing on the taken slug or making a second guardrail.
func TestApplyAdoptsWhatALostPlaneCreateMade(t *testing.T) {
	for _, op := range []string{"CreateWorkspaceLost", "CreateGuardrailLost"} {
		t.Run(op, func(t *testing.T) {
			m, s, got := newMem(), NewState(), map[string][]string{}
			m.fail[op] = 1
			res := memRun(t, m, theExample(), &s, got)
			if !res.Failed() {
				t.Fatal("the lost create did not fail the run")
			}
			if len(s.Intents) != 1 || s.Intents[0].Kind == "" {
				t.Fatalf("intents = %+v", s.Intents)
			}
			p, _ := ComputePlan(context.Background(), m, theExample(), s)
			adopt := false
			for _, c := range p.Changes {
				adopt = adopt || c.Action == Adopt
			}
			if !adopt {
				t.Fatalf("no adoption planned: %v", summary(p))
			}
			res = memRun(t, m, theExample(), &s, got)
			if res.Failed() {
				t.Fatalf("second run: %+v", res.Outcomes)
			}
			if len(m.workspaces) != 1 || len(m.guardrails) != 1 || len(s.Intents) != 0 {
				t.Fatalf("%d workspaces, %d guardrails, intents %+v", len(m.workspaces), len(m.guardrails), s.Intents)
			}
			if p, _ := ComputePlan(context.Background(), m, theExample(), s); p.Pending() {
				t.Fatalf("pending: %v", summary(p))
			}
		})
	}
}

// A receiver runs without the management key in its environment, and
// with the rest of it (its own credentials).
func TestExecReceiverGetsNoManagementKey(t *testing.T) {
	t.Setenv("OPENROUTER_API_KEY", "sk-or-v1-management")
	t.Setenv("VAULT_TOKEN", "hvs.receiver")
	pt := secret.New("sk-or-v1-" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
	if err := runReceiver(context.Background(), `cat >/dev/null; test -z "${OPENROUTER_API_KEY+set}" && test "$VAULT_TOKEN" = hvs.receiver`, "", pt); err != nil {
		t.Fatalf("the receiver's environment: %v", err)
	}
}
