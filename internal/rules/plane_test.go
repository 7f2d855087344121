package rules

import (
	"math"
	"strings"
	"testing"
)

func TestBudgetInterval(t *testing.T) {
	for _, s := range BudgetIntervals {
		if err := BudgetInterval(s); err != nil {
			t.Errorf("BudgetInterval(%q) = %v", s, err)
		}
	}
	for _, s := range []string{"", "yearly", "Daily", "lifetime "} {
		if BudgetInterval(s) == nil {
			t.Errorf("BudgetInterval(%q) accepted", s)
		}
	}
}

func TestBudgetLimit(t *testing.T) {
	if err := BudgetLimit(0.01); err != nil {
		t.Error(err)
	}
	for _, v := range []float64{0, -1, math.NaN(), math.Inf(1)} {
		if BudgetLimit(v) == nil {
			t.Errorf("BudgetLimit(%v) accepted", v)
		}
	}
}

func TestBudgetOrder(t *testing.T) {
	for _, ok := range []map[string]float64{
		{},
		{"daily": 1},
		{"daily": 1, "weekly": 2, "monthly": 3, "lifetime": 4},
		{"daily": 1, "lifetime": 4},
		{"weekly": 5, "monthly": 6},
	} {
		if err := BudgetOrder(ok); err != nil {
			t.Errorf("BudgetOrder(%v) = %v", ok, err)
		}
	}
	for _, bad := range []map[string]float64{
		{"daily": 2, "weekly": 2},
		{"daily": 3, "lifetime": 2},
		{"weekly": 1, "monthly": 3, "lifetime": 3},
		{"daily": 1, "weekly": 5, "monthly": 4},
	} {
		if err := BudgetOrder(bad); err == nil || !strings.Contains(err.Error(), "must be more than") {
			t.Errorf("BudgetOrder(%v) = %v, want a refusal", bad, err)
		}
	}
}

func TestGuardrailLimit(t *testing.T) {
	ten, neg, monthly, yearly := 10.0, -1.0, "monthly", "yearly"
	for _, tc := range []struct {
		limit *float64
		reset *string
		ok    bool
	}{
		{nil, nil, true},
		{&ten, &monthly, true},
		{nil, &monthly, true},
		{&ten, nil, false},
		{&neg, &monthly, false},
		{nil, &yearly, false},
	} {
		if err := GuardrailLimit(tc.limit, tc.reset); (err == nil) != tc.ok {
			t.Errorf("GuardrailLimit(%v, %v) = %v, want ok=%v", tc.limit, tc.reset, err, tc.ok)
		}
	}
}

func TestSlug(t *testing.T) {
	for _, s := range []string{"a", "prod", "team-7", "a-b-c", strings.Repeat("x", MaxSlug)} {
		if err := Slug(s); err != nil {
			t.Errorf("Slug(%q) = %v", s, err)
		}
	}
	for _, s := range []string{"", "-a", "a-", "a--b", "Prod", "a_b", "a b", "é", strings.Repeat("x", MaxSlug+1)} {
		if Slug(s) == nil {
			t.Errorf("Slug(%q) accepted", s)
		}
	}
}

func TestWorkspaceRef(t *testing.T) {
	for _, s := range []string{"prod", "5d0f3c2e-8a41-4b7e-9c16-0e2f4a6b8d10", "5D0F3C2E-8A41-4B7E-9C16-0E2F4A6B8D10"} {
		if err := WorkspaceRef(s); err != nil {
			t.Errorf("WorkspaceRef(%q) = %v", s, err)
		}
	}
	for _, s := range []string{"", "..", "a/b", "Prod"} {
		if WorkspaceRef(s) == nil {
			t.Errorf("WorkspaceRef(%q) accepted", s)
		}
	}
}

func TestIDList(t *testing.T) {
	if err := IDList([]string{"a", "b"}, 2); err != nil {
		t.Error(err)
	}
	for _, tc := range []struct {
		ids []string
		max int
	}{{nil, 0}, {[]string{}, 5}, {[]string{"a", ""}, 0}, {[]string{"a", "b", "c"}, 2}} {
		if IDList(tc.ids, tc.max) == nil {
			t.Errorf("IDList(%q, %d) accepted", tc.ids, tc.max)
		}
	}
}
