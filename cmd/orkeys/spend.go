package main

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/orkeys/orkeys/cmd/orkeys/internal/exporter"
	"github.com/orkeys/orkeys/facade"
)

// Shared by the spend commands: keys usage, budget check, credits, activity.

// clock reads the time that budgets and activity day ranges are worked out
// at. Tests fix it: the fake's clock does not reach the CLI.
var clock = time.Now

// hashPrefix is the part of a hash the spend tables show, the same as the
// exporter's hash label, so that a key found in one is found in the other.
func hashPrefix(h string) string {
	return cell(exporter.HashLabel(h))
}

// budgets reads every page of the scope's keys and works out each one's
// budget at now.
func budgets(ctx context.Context, c *facade.Client, scope *workspaceScope, req facade.ListRequest, now time.Time) ([]facade.Budget, error) {
	var out []facade.Budget
	seen := map[string]bool{}
	for k, err := range scope.keys(c)(ctx, req) {
		if err != nil {
			return nil, err
		}
		if seen[k.Hash] {
			continue // offsets shifted while paging
		}
		seen[k.Hash] = true
		out = append(out, facade.BudgetOf(k, now))
	}
	return out, nil
}

// barWidth is how many cells a usage bar has: one per 10%.
const barWidth = 10

// bar draws the share of a limit used as cells and a whole percentage,
// "▇▇▇▇▇▇▁▁▁▁ 62%". Both round down, so that a key shows 100% (and a full
// bar) only when it has really reached its limit; an overshoot shows its
// real percentage on a full bar.
func bar(fraction *float64) string {
	if fraction == nil || math.IsNaN(*fraction) {
		return none
	}
	if *fraction >= 100 {
		// A tiny limit overshot makes a share too large for an int; no
		// one needs its digits.
		return strings.Repeat("▇", barWidth) + " >9999%"
	}
	f := max(*fraction, 0)
	filled := min(int(math.Floor(f*barWidth+1e-9)), barWidth)
	pct := int(math.Floor(f*100 + 1e-9)) // 0.29*100 is 28.999…
	return strings.Repeat("▇", filled) + strings.Repeat("▁", barWidth-filled) + " " + strconv.Itoa(pct) + "%"
}

// sortBudgets orders budgets for `keys usage --sort`; ties go by name, then
// hash, so that the order is stable from run to run.
func sortBudgets(bs []facade.Budget, by string) {
	key := func(a, b facade.Budget) int {
		switch by {
		case "fraction": // most used first; keys without a limit last
			return cmpDesc(a.Fraction, b.Fraction)
		case "spent":
			return cmp.Compare(b.Spent, a.Spent)
		case "remaining": // least left first; keys without a limit last
			return cmpAsc(a.Remaining, b.Remaining)
		}
		return 0
	}
	slices.SortStableFunc(bs, func(a, b facade.Budget) int {
		return cmp.Or(key(a, b), cmp.Compare(a.Name, b.Name), cmp.Compare(a.Hash, b.Hash))
	})
}

// cmpDesc orders larger values first and nil last.
func cmpDesc(a, b *float64) int {
	if a == nil || b == nil {
		return cmpNil(a, b)
	}
	return cmp.Compare(*b, *a)
}

// cmpAsc orders smaller values first and nil last.
func cmpAsc(a, b *float64) int {
	if a == nil || b == nil {
		return cmpNil(a, b)
	}
	return cmp.Compare(*a, *b)
}

// cmpNil puts nil after a value; two nils are equal.
func cmpNil(a, b *float64) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	}
	return -1
}
