package provision

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// The comparisons are semantic, so that nothing diffs forever: a null
// limit equals an absent one, timestamps compare as instants, and model
// and provider lists compare as sets of canonical (trimmed, lower-case)
// slugs.

func sameUSD(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return math.Abs(*a-*b) < 1e-9
}

func sameInstant(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}

// slugSet is a list as the sorted set of its canonical slugs.
func slugSet(list []string) []string {
	out := make([]string, 0, len(list))
	for _, s := range list {
		if s = strings.ToLower(strings.TrimSpace(s)); s != "" {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func sameSet(a, b []string) bool { return slices.Equal(slugSet(a), slugSet(b)) }

// show renders a field's value for a plan, "none" for absence. Only
// non-secret fields ever come here.
func show(v any) string {
	switch v := v.(type) {
	case *float64:
		if v == nil {
			return "none"
		}
		return fmt.Sprint(*v)
	case *time.Time:
		if v == nil {
			return "never"
		}
		return v.UTC().Format(time.RFC3339)
	case string:
		if v == "" {
			return "none"
		}
		return v
	case []string:
		if len(v) == 0 {
			return "[]"
		}
		return "[" + strings.Join(slugSet(v), ", ") + "]"
	}
	return fmt.Sprint(v)
}

// diff collects field changes for one resource. last is nil when the
// resource was never applied by this package (just imported, say), and
// then no change counts as drift.
type diff struct {
	fields  []FieldChange
	hasLast bool
}

// field records name when live differs from want; it is drift when live
// also differs from what the last apply left.
func (d *diff) field(name string, live, want, last any) {
	if eqAny(live, want) {
		return
	}
	d.fields = append(d.fields, FieldChange{
		Field: name, Old: show(live), New: show(want),
		Drift: d.hasLast && !eqAny(live, last),
	})
}

func eqAny(a, b any) bool {
	switch a := a.(type) {
	case *float64:
		return sameUSD(a, b.(*float64))
	case *time.Time:
		return sameInstant(a, b.(*time.Time))
	case []string:
		return sameSet(a, b.([]string))
	}
	return a == b
}
