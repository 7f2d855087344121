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
