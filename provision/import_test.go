package provision

import (
	"context"
	"errors"
	"slices"
	"testing"
)

func TestImportAdoptsByIDOnly(t *testing.T) {
	ctx := context.Background()
	m, s := newMem(), NewState()
	m.keys["h1"] = LiveKey{Hash: "h1", Name: "ci", Limit: usd(5)}
	m.keys["h2"] = LiveKey{Hash: "h2", Name: "ci"}
	if err := Import(ctx, m, s, KindKey, "ci", "h1"); err != nil {
		t.Fatal(err)
	}
	d := oneKey("ci", Key{Name: "ci", Limit: usd(5)})
	p, _ := ComputePlan(ctx, m, d, s)
	if p.Pending() {
		t.Fatalf("after import: %v", summary(p))
	}
	k := m.keys["h1"]
	k.Limit = usd(8)
	m.keys["h1"] = k
	if p, _ := ComputePlan(ctx, m, d, s); !p.Changes[0].Drift {
		t.Errorf("an out-of-band change after import is not drift: %v", summary(p))
	}
	for _, tc := range []struct {
		kind     Kind
		addr, id string
		notFound bool
	}{
		{KindKey, "ci", "h2", false},    // the address holds h1
		{KindKey, "other", "h1", false}, // h1 is held by ci
		{KindKey, "x", "nope", true},
		{KindGuardrail, "g", "nope", true},
		{KindWorkspace, "w", "nope", true},
		{"budget", "b", "x", false},
	} {
		err := Import(ctx, m, s, tc.kind, tc.addr, tc.id)
		if err == nil || errors.Is(err, ErrNotFound) != tc.notFound {
			t.Errorf("Import(%s %s %s) = %v", tc.kind, tc.addr, tc.id, err)
		}
	}
}

func TestPlanProposesImportsByName(t *testing.T) {
	m := newMem()
	m.keys["h1"] = LiveKey{Hash: "h1", Name: "ci"}
	p, err := ComputePlan(context.Background(), m, oneKey("ci", Key{Name: "ci"}), nil, WithImportByName())
	if err != nil {
		t.Fatal(err)
	}
	if c := p.Changes[0]; c.Action != Create || !slices.Equal(c.Proposals, []string{"h1"}) {
		t.Fatalf("change = %+v", c)
	}
}

// A binding made without Last (by a back end's own code) gets it at the
// next apply, so that later out-of-band changes show as drift.
func TestApplyRemembersANoOpKeysFields(t *testing.T) {
	ctx := context.Background()
	m := newMem()
	m.keys["h1"] = LiveKey{Hash: "h1", Name: "ci"}
	s := &State{Version: 1, Keys: map[string]BoundKey{"ci": {Hash: "h1"}}}
	d := oneKey("ci", Key{Name: "ci"})
	p, _ := ComputePlan(ctx, m, d, s)
	res, err := Apply(ctx, m, p)
	if err != nil || res.Failed() || res.State.Keys["ci"].Last == nil {
		t.Fatal(err, res.Outcomes)
	}
	k := m.keys["h1"]
	k.Disabled = true
	m.keys["h1"] = k
	if p, _ := ComputePlan(ctx, m, d, res.State); !p.Changes[0].Drift {
		t.Errorf("not drift: %v", summary(p))
	}
}
