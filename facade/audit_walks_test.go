package facade_test

import (
	"testing"
	"time"

	"github.com/orkeys/orkeys/facade"
)

// A near-limit reason stays short however far past its limit the server
// says a key is: the share is capped at ">999%", and amounts no real
// account has are shown in three digits.
func TestAuditNearLimitReasonStaysShort(t *testing.T) {
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name             string
		limit, remaining float64
		want             string
	}{
		{"ordinary", 10, 1.5, "spent 8.50 of 10.00 USD (85%) this window"},
		{"just below the cap", 1, -8.99, "spent 9.99 of 1.00 USD (999%) this window"},
		{"tiny limit", 1e-300, -5, "spent 5.00 of 0.00 USD (>999%) this window"},
		{"huge amounts", 1e300, -1e300, "spent 2e+300 of 1e+300 USD (200%) this window"},
		{"huge negative limit", -1e300, -5, "spent 5.00 of -1e+300 USD (100%) this window"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k := facade.APIKey{Hash: "h", Name: "k", Limit: &tc.limit, LimitRemaining: &tc.remaining}
			var got []string
			for _, f := range facade.AuditOf([]facade.APIKey{k}, nil, nil, now, facade.AuditOptions{}) {
				if f.Kind == facade.AuditNearLimit {
					got = append(got, f.Reason)
				}
			}
			if len(got) != 1 || got[0] != tc.want {
				t.Errorf("near-limit reasons = %q, want [%q]", got, tc.want)
			}
		})
	}
}
