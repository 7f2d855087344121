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
	if p, _ := ComputePlan(ctx, m, d, s); p.Pending() {
		t.Fatalf("after import: %v", summary(p))
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
