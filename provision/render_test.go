package provision

import (
	"context"
	"strings"
	"testing"
)

func TestPlanTextNamesFieldsDriftAndStatus(t *testing.T) {
	m, s := newMem(), NewState()
	k := seedKey(m, s, "ci", LiveKey{Name: "ci", Limit: usd(5)})
	k.Limit = usd(9)
	m.keys[k.Hash] = k
	seedKey(m, s, "gone", LiveKey{Name: "gone"})
	p, err := ComputePlan(context.Background(), m, oneKey("ci", Key{Name: "ci\x1b[2J", Limit: usd(5)}), s)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	clean := func(s string) string { return strings.ReplaceAll(s, "\x1b", " ") }
	p.WriteText(&b, clean, false)
	got := b.String()
	if p.Summary() != "1 change pending." {
		t.Errorf("summary %q", p.Summary())
	}
	for _, want := range []string{"~ key ci: update", "limit: 9 → 5  (drift)", "name: ci →", "? key gone: unmanaged"} {
		if !strings.Contains(got, want) {
			t.Errorf("plan text lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "\x1b") {
		t.Errorf("an escape passed clean:\n%q", got)
	}
}

func TestPlanTextInSync(t *testing.T) {
	p, _ := ComputePlan(context.Background(), newMem(), &Desired{Version: 1}, nil)
	var b strings.Builder
	p.WriteText(&b, func(s string) string { return s }, false)
	if b.String() != "" || p.Summary() != "In sync: nothing to do." {
		t.Errorf("got %q, %q", b.String(), p.Summary())
	}
}

// A field fixed at creation that differs is not "in sync", pending or not.
func TestPlanSummaryNamesFixedFields(t *testing.T) {
	m, s := newMem(), NewState()
	seedKey(m, s, "ci", LiveKey{Name: "ci", ExpiresAt: at("2027-01-01T00:00:00Z")})
	p, err := ComputePlan(context.Background(), m, oneKey("ci", Key{Name: "ci", ExpiresAt: at("2028-01-01T00:00:00Z")}), s)
	if err != nil {
		t.Fatal(err)
	}
	const fixed = "1 resource differs in a field fixed at creation, which apply cannot change: give it a new address to make a new one, or change the file back."
	if got := p.Summary(); got != "Not in sync: "+fixed {
		t.Errorf("only a fixed field: %q", got)
	}
	p, err = ComputePlan(context.Background(), m, oneKey("ci", Key{Name: "ci-2", ExpiresAt: at("2028-01-01T00:00:00Z")}), s)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Summary(); got != "1 change pending. "+fixed {
		t.Errorf("a rename and a fixed field: %q", got)
	}
}
