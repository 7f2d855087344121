package provision

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

func usd(v float64) *float64 { return &v }

func at(s string) *time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return &t
}

// seedKey makes a live key in m and binds it to addr in s with Last as
// live, as an earlier apply would have left it.
func seedKey(m *memBackend, s *State, addr string, k LiveKey) LiveKey {
	m.n++
	k.Hash = fmt.Sprintf("%064x", m.n)
	k.CreatedAt = m.now.Add(-time.Hour)
	m.keys[k.Hash] = k
	last := k
	if s.Keys == nil {
		s.Keys = map[string]BoundKey{}
	}
	s.Keys[addr] = BoundKey{Hash: k.Hash, Last: &last}
	return k
}

func oneKey(addr string, k Key) *Desired {
	if k.Deliver == nil {
		k.Deliver = &Deliver{Stdout: true}
	}
	return &Desired{Version: 1, Keys: map[string]Key{addr: k}}
}

// summary renders a plan's changes as "kind addr action [fields] drift".
func summary(p *Plan) []string {
	var out []string
	for _, c := range p.Changes {
		s := fmt.Sprintf("%s %s %s", c.Kind, c.Address, c.Action)
		for _, f := range c.Fields {
			s += fmt.Sprintf(" %s:%s→%s", f.Field, f.Old, f.New)
			if f.Drift {
				s += "(drift)"
			}
			if f.Immutable {
				s += "(immutable)"
			}
		}
		out = append(out, s)
	}
	return out
}

func TestPlan(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(m *memBackend, s *State)
		desired *Desired
		opts    []PlanOption
		want    []string
		pending bool
		fixed   int // resources differing in a field fixed at creation
	}{
		{
			name:    "create",
			desired: oneKey("ci", Key{Name: "ci-runner", Limit: usd(25)}),
			want:    []string{"key ci create"},
			pending: true,
		},
		{
			name: "no-op",
			setup: func(m *memBackend, s *State) {
				seedKey(m, s, "ci", LiveKey{Name: "ci-runner", Limit: usd(25), LimitReset: "monthly"})
			},
			desired: oneKey("ci", Key{Name: "ci-runner", Limit: usd(25), LimitReset: "monthly"}),
			want:    []string{"key ci no-op"},
		},
		{
			name: "change, field by field",
			setup: func(m *memBackend, s *State) {
				seedKey(m, s, "ci", LiveKey{Name: "ci", Limit: usd(5)})
			},
			desired: oneKey("ci", Key{Name: "ci-runner", Limit: usd(10), LimitReset: "weekly", Disabled: true}),
			want:    []string{"key ci update name:ci→ci-runner limit:5→10 limit_reset:none→weekly disabled:false→true"},
			pending: true,
		},
		{
			name: "drift: changed out of band",
			setup: func(m *memBackend, s *State) {
				k := seedKey(m, s, "ci", LiveKey{Name: "ci", Limit: usd(5)})
				k.Limit = usd(7)
				m.keys[k.Hash] = k
			},
			desired: oneKey("ci", Key{Name: "ci", Limit: usd(5)}),
			want:    []string{"key ci update limit:7→5(drift)"},
			pending: true,
		},
		{
			name: "semantic equality: null limit, instants in other zones",
			setup: func(m *memBackend, s *State) {
				seedKey(m, s, "ci", LiveKey{Name: "ci", ExpiresAt: at("2027-06-30T02:00:00+02:00")})
			},
			desired: oneKey("ci", Key{Name: "ci", Limit: nil, LimitReset: "", ExpiresAt: at("2027-06-30T00:00:00Z")}),
			want:    []string{"key ci no-op"},
		},
		{
			name: "an immutable field is shown, not pending",
			setup: func(m *memBackend, s *State) {
				seedKey(m, s, "ci", LiveKey{Name: "ci", ExpiresAt: at("2027-01-01T00:00:00Z")})
			},
			desired: oneKey("ci", Key{Name: "ci", ExpiresAt: at("2028-01-01T00:00:00Z")}),
			want:    []string{"key ci no-op expires_at:2027-01-01T00:00:00Z→2028-01-01T00:00:00Z(immutable)"},
			fixed:   1,
		},
		{
			name: "a key moved to another workspace in the file: fixed at creation",
			setup: func(m *memBackend, s *State) {
				m.workspaces["w2"] = LiveWorkspace{ID: "w2", Name: "Dev", Slug: "dev"}
				s.Workspaces = map[string]BoundWorkspace{"dev": {ID: "w2"}}
				seedKey(m, s, "ci", LiveKey{Name: "ci", WorkspaceID: "w1"})
			},
			desired: &Desired{Version: 1, Workspaces: map[string]Workspace{"dev": {Name: "Dev", Slug: "dev"}},
				Keys: map[string]Key{"ci": {Name: "ci", Workspace: "dev", Deliver: &Deliver{Stdout: true}}}},
			want:  []string{"workspace dev no-op", "key ci no-op workspace_id:w1→w2(immutable)"},
			fixed: 1,
		},
		{
			name: "a key moved to a workspace not made yet: fixed at creation, not the default",
			setup: func(m *memBackend, s *State) {
				seedKey(m, s, "ci", LiveKey{Name: "ci", WorkspaceID: "w1"})
			},
			desired: &Desired{Version: 1, Workspaces: map[string]Workspace{"dev": {Name: "Dev", Slug: "dev"}},
				Keys: map[string]Key{"ci": {Name: "ci", Workspace: "dev", Deliver: &Deliver{Stdout: true}}}},
			want:    []string{"workspace dev create", "key ci no-op workspace_id:w1→dev (to be made)(immutable)"},
			pending: true,
			fixed:   1,
		},
		{
			name: "removed from the file: unmanaged, not pending",
			setup: func(m *memBackend, s *State) {
				seedKey(m, s, "old", LiveKey{Name: "old"})
			},
			desired: &Desired{Version: 1},
			want:    []string{"key old unmanaged"},
		},
		{
			name: "prune disables",
			setup: func(m *memBackend, s *State) {
				seedKey(m, s, "old", LiveKey{Name: "old"})
			},
			desired: &Desired{Version: 1},
			opts:    []PlanOption{WithPrune(PruneDisable)},
			want:    []string{"key old disable"},
			pending: true,
		},
		{
			name: "prune leaves a disabled key alone",
			setup: func(m *memBackend, s *State) {
				seedKey(m, s, "old", LiveKey{Name: "old", Disabled: true})
			},
			desired: &Desired{Version: 1},
			opts:    []PlanOption{WithPrune(PruneDisable)},
			want:    []string{"key old unmanaged"},
		},
		{
			name: "prune=delete deletes",
			setup: func(m *memBackend, s *State) {
				seedKey(m, s, "old", LiveKey{Name: "old", Disabled: true})
			},
			desired: &Desired{Version: 1},
			opts:    []PlanOption{WithPrune(PruneDelete)},
			want:    []string{"key old delete"},
			pending: true,
		},
		{
			name: "missing: reported, not recreated",
			setup: func(m *memBackend, s *State) {
				k := seedKey(m, s, "ci", LiveKey{Name: "ci"})
				delete(m.keys, k.Hash)
			},
			desired: oneKey("ci", Key{Name: "ci"}),
			want:    []string{"key ci missing"},
		},
		{
			name: "missing, recreated on request",
			setup: func(m *memBackend, s *State) {
				k := seedKey(m, s, "ci", LiveKey{Name: "ci"})
				delete(m.keys, k.Hash)
			},
			desired: oneKey("ci", Key{Name: "ci"}),
			opts:    []PlanOption{WithRecreateMissing()},
			want:    []string{"key ci recreate"},
			pending: true,
		},
		{
			name: "undelivered: replaced",
			setup: func(m *memBackend, s *State) {
				seedKey(m, s, "ci", LiveKey{Name: "ci"})
				b := s.Keys["ci"]
				b.Undelivered = true
				s.Keys["ci"] = b
			},
			desired: oneKey("ci", Key{Name: "ci"}),
			want:    []string{"key ci replace"},
			pending: true,
		},
		{
			name: "an intent's orphan is repaired; older and bound keys are not orphans",
			setup: func(m *memBackend, s *State) {
				seedKey(m, s, "other", LiveKey{Name: "ci"}) // bound elsewhere
				m.keys["old"] = LiveKey{Hash: "old", Name: "ci", CreatedAt: m.now.Add(-time.Minute)}
				m.keys["orphan"] = LiveKey{Hash: "orphan", Name: "ci", CreatedAt: m.now.Add(time.Second)}
				m.keys["sametick"] = LiveKey{Hash: "sametick", Name: "ci", CreatedAt: m.now}
				s.Intents = []Intent{{Address: "ci", Name: "ci", Started: m.now.Add(300 * time.Millisecond)}}
			},
			desired: &Desired{Version: 1, Keys: map[string]Key{"ci": {Name: "ci", Deliver: &Deliver{Stdout: true}}, "other": {Name: "ci", Deliver: &Deliver{Stdout: true}}}},
			want:    []string{"key ci repair", "key ci create", "key other no-op"},
			pending: true,
		},
		{
			name: "workspaces: create, update with drift, no-op",
			setup: func(m *memBackend, s *State) {
				m.workspaces["w1"] = LiveWorkspace{ID: "w1", Name: "Prod", Slug: "prod", Budgets: Budgets{Monthly: usd(400)}}
				m.workspaces["w2"] = LiveWorkspace{ID: "w2", Name: "Dev", Slug: "dev"}
				s.Workspaces = map[string]BoundWorkspace{
					"prod": {ID: "w1", Last: &LiveWorkspace{Name: "Prod", Slug: "prod", Budgets: Budgets{Monthly: usd(500)}}},
					"dev":  {ID: "w2", Last: &LiveWorkspace{Name: "Dev", Slug: "dev"}},
				}
			},
			desired: &Desired{Version: 1, Workspaces: map[string]Workspace{
				"prod": {Name: "Prod", Slug: "prod", Budgets: Budgets{Monthly: usd(500), Daily: usd(40)}},
				"dev":  {Name: "Dev", Slug: "dev"},
				"new":  {Name: "New", Slug: "new"},
			}},
			want: []string{
				"workspace dev no-op",
				"workspace new create",
				"workspace prod update budgets.daily:none→40 budgets.monthly:400→500(drift)",
			},
			pending: true,
		},
		{
			name: "guardrail model lists compare as sets of slugs",
			setup: func(m *memBackend, s *State) {
				g := LiveGuardrail{ID: "g1", Name: "cheap", LimitUSD: usd(10), ResetInterval: "monthly", AllowedModels: []string{"openai/gpt-4.1", "google/gemini-2.5-flash"}}
				m.guardrails["g1"] = g
				s.Guardrails = map[string]BoundGuardrail{"cheap": {ID: "g1", Last: &g}}
			},
			desired: &Desired{Version: 1, Guardrails: map[string]Guardrail{"cheap": {Name: "cheap", LimitUSD: usd(10), ResetInterval: "monthly", AllowedModels: []string{"Google/Gemini-2.5-Flash ", "openai/gpt-4.1", "openai/gpt-4.1"}}}},
			want:    []string{"guardrail cheap no-op"},
		},
		{
			name: "a guardrail's workspace is fixed at creation",
			setup: func(m *memBackend, s *State) {
				m.guardrails["g1"] = LiveGuardrail{ID: "g1", Name: "cheap", WorkspaceID: "w1"}
				m.workspaces["w2"] = LiveWorkspace{ID: "w2", Name: "Dev", Slug: "dev"}
				s.Workspaces = map[string]BoundWorkspace{"dev": {ID: "w2"}}
				s.Guardrails = map[string]BoundGuardrail{"cheap": {ID: "g1"}}
			},
			desired: &Desired{Version: 1, Workspaces: map[string]Workspace{"dev": {Name: "Dev", Slug: "dev"}},
				Guardrails: map[string]Guardrail{"cheap": {Name: "cheap", Workspace: "dev"}}},
			want:  []string{"workspace dev no-op", "guardrail cheap no-op workspace_id:w1→w2(immutable)"},
			fixed: 1,
		},
		{
			name: "a guardrail moved to a workspace not made yet",
			setup: func(m *memBackend, s *State) {
				m.guardrails["g1"] = LiveGuardrail{ID: "g1", Name: "cheap", WorkspaceID: "w1"}
				s.Guardrails = map[string]BoundGuardrail{"cheap": {ID: "g1"}}
			},
			desired: &Desired{Version: 1, Workspaces: map[string]Workspace{"dev": {Name: "Dev", Slug: "dev"}},
				Guardrails: map[string]Guardrail{"cheap": {Name: "cheap", Workspace: "dev"}}},
			want:    []string{"workspace dev create", "guardrail cheap no-op workspace_id:w1→dev (to be made)(immutable)"},
			pending: true,
			fixed:   1,
		},
		{
			name: "assignment of a bound guardrail to a bound key",
			setup: func(m *memBackend, s *State) {
				m.guardrails["g1"] = LiveGuardrail{ID: "g1", Name: "cheap"}
				s.Guardrails = map[string]BoundGuardrail{"cheap": {ID: "g1"}}
				seedKey(m, s, "ci", LiveKey{Name: "ci"})
			},
			desired: &Desired{Version: 1,
				Guardrails: map[string]Guardrail{"cheap": {Name: "cheap"}},
				Keys:       map[string]Key{"ci": {Name: "ci", Guardrail: "cheap", Deliver: &Deliver{Stdout: true}}}},
			want:    []string{"guardrail cheap no-op", "key ci no-op", "assignment ci assign guardrail:none→cheap"},
			pending: true,
		},
		{
			name: "a key that cannot be read fails, not pending",
			setup: func(m *memBackend, s *State) {
				seedKey(m, s, "ci", LiveKey{Name: "ci"})
				m.fail["ListKeys"], m.fail["GetKey"] = 1, 1
			},
			desired: oneKey("ci", Key{Name: "ci", Limit: usd(3)}),
			want:    []string{"key ci failed"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, s := newMem(), NewState()
			if tc.setup != nil {
				tc.setup(m, s)
			}
			before := fmt.Sprint(m.keys, s.Keys, s.Intents)
			p, err := ComputePlan(context.Background(), m, tc.desired, s, tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			if got := summary(p); !slices.Equal(got, tc.want) {
				t.Errorf("plan:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(tc.want, "\n  "))
			}
			if p.Pending() != tc.pending {
				t.Errorf("Pending() = %v, want %v", p.Pending(), tc.pending)
			}
			if p.Fixed() != tc.fixed {
				t.Errorf("Fixed() = %d, want %d", p.Fixed(), tc.fixed)
			}
			if after := fmt.Sprint(m.keys, s.Keys, s.Intents); after != before {
				t.Error("the plan changed the live keys or the state")
			}
		})
	}
}

func TestPlanRepairNamesTheOrphan(t *testing.T) {
	m, s := newMem(), NewState()
	// The API stamps created_at to the second: a key made in the intent's
	// second is an orphan even though its stamp is before the intent's.
	m.keys["orphan"] = LiveKey{Hash: "orphan", Name: "ci", CreatedAt: m.now}
	s.Intents = []Intent{{Address: "ci", Name: "ci", Started: m.now.Add(300 * time.Millisecond)}}
	p, err := ComputePlan(context.Background(), m, oneKey("ci", Key{Name: "ci"}), s)
	if err != nil {
		t.Fatal(err)
	}
	if c := p.Changes[0]; c.Action != Repair || !slices.Equal(c.Orphans, []string{"orphan"}) {
		t.Fatalf("change = %+v", c)
	}
}

func TestPlanRefusesAnInvalidDesired(t *testing.T) {
	_, err := ComputePlan(context.Background(), newMem(), &Desired{Version: 1, Keys: map[string]Key{"a": {Name: ""}}}, nil)
	if err == nil {
		t.Fatal("no error")
	}
}

func TestPlanClockSkewWidensTheOrphanRule(t *testing.T) {
	m, s := newMem(), NewState()
	m.keys["early"] = LiveKey{Hash: "early", Name: "ci", CreatedAt: m.now.Add(-3 * time.Second)}
	s.Intents = []Intent{{Address: "ci", Name: "ci", Started: m.now}}
	d := oneKey("ci", Key{Name: "ci"})
	p, _ := ComputePlan(context.Background(), m, d, s)
	if p.Changes[0].Action == Repair {
		t.Fatal("a key made before the intent is an orphan without skew")
	}
	p, _ = ComputePlan(context.Background(), m, d, s, WithClockSkew(5*time.Second))
	if c := p.Changes[0]; c.Action != Repair || c.Orphans[0] != "early" {
		t.Fatalf("with skew: %v", summary(p))
	}
}

// Bound keys are read by listing their workspaces, not one GET each.
func TestPlanListsBoundKeysByWorkspace(t *testing.T) {
	m, s := newMem(), NewState()
	d := &Desired{Version: 1, Keys: map[string]Key{}}
	for i := range 250 {
		addr := fmt.Sprintf("k%d", i)
		seedKey(m, s, addr, LiveKey{Name: addr})
		d.Keys[addr] = Key{Name: addr, Deliver: &Deliver{Stdout: true}}
	}
	m.fail["GetKey"] = 1 // a GET would fail the plan
	p, err := ComputePlan(context.Background(), m, d, s)
	if err != nil || p.Pending() || p.Failed() {
		t.Fatalf("%v: %v", err, summary(p)[:3])
	}
}
