package rules

import (
	"errors"
	"fmt"
	"slices"
)

// BudgetIntervals are a workspace budget's intervals, narrowest first, in
// the API's spelling. Limits must strictly fall along it from lifetime down
// to daily (BudgetOrder).
var BudgetIntervals = []string{"daily", "weekly", "monthly", "lifetime"}

// BudgetInterval checks a workspace budget's interval.
func BudgetInterval(s string) error {
	if !slices.Contains(BudgetIntervals, s) {
		return fmt.Errorf("%q: want daily, weekly, monthly or lifetime", s)
	}
	return nil
}

// BudgetLimit checks a workspace budget's limit_usd: the API wants more
// than 0 (a budget of 0 is a deleted budget).
func BudgetLimit(v float64) error {
	if err := Limit(v); err != nil {
		return err
	}
	if v == 0 {
		return errors.New("0: must be more than 0 USD (delete the budget instead)")
	}
	return nil
}

// BudgetOrder checks a workspace's budgets, interval to limit_usd, against
// the API's rule that a longer interval's budget is strictly more than a
// shorter one's (lifetime > monthly > weekly > daily); unset intervals are
// skipped.
func BudgetOrder(limits map[string]float64) error {
	for i, short := range BudgetIntervals {
		s, ok := limits[short]
		if !ok {
			continue
		}
		for _, long := range BudgetIntervals[i+1:] {
			if l, ok := limits[long]; ok && !(l > s) {
				return fmt.Errorf("the %s budget (%v USD) must be more than the %s budget (%v USD)", long, l, short, s)
			}
		}
	}
	return nil
}

// GuardrailLimit checks a guardrail's limit_usd and reset_interval
// together (nil for unset or null): a limit needs a reset interval.
func GuardrailLimit(limit *float64, reset *string) error {
	if limit != nil {
		if err := Limit(*limit); err != nil {
			return err
		}
		if reset == nil {
			return errors.New("limit_usd needs a reset_interval (daily, weekly or monthly)")
		}
	}
	if reset != nil {
		return LimitReset(*reset)
	}
	return nil
}

// MaxSlug is the longest workspace slug the API accepts.
const MaxSlug = 50

// Slug checks a workspace slug: runs of lowercase letters and digits joined
// by single hyphens, at most MaxSlug characters. Checked by hand, like UUID,
// to keep package regexp out of the facade.
func Slug(s string) error {
	ok := s != "" && len(s) <= MaxSlug && s[0] != '-' && s[len(s)-1] != '-'
	for i := 0; ok && i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		case c == '-':
			ok = s[i-1] != '-'
		default:
			ok = false
		}
	}
	if !ok {
		return fmt.Errorf("%q is not a slug: want lowercase letters and digits joined by single hyphens, at most %d characters", s, MaxSlug)
	}
	return nil
}

// WorkspaceRef checks what names a workspace in a path: its UUID or its
// slug.
func WorkspaceRef(s string) error {
	if isUUID(s) || Slug(s) == nil {
		return nil
	}
	return fmt.Errorf("%q is neither a workspace UUID nor a slug", s)
}

// IDList checks a bulk request's list of ids (key hashes, user ids): at
// least one, at most max (0 for no bound), none empty.
func IDList(ids []string, max int) error {
	switch {
	case len(ids) == 0:
		return errors.New("empty list: name at least one")
	case max > 0 && len(ids) > max:
		return fmt.Errorf("%d ids: at most %d per request", len(ids), max)
	}
	for i, id := range ids {
		if id == "" {
			return fmt.Errorf("entry %d is empty", i)
		}
	}
	return nil
}
