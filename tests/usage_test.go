package tests

import (
	"testing"

	"github.com/oapi-codegen/nullable"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/fake"
)

// Spend (simulated with fake's SetUsage) reaches the client through get,
// list and the key's own /key, and lowers limit_remaining by the spend of
// the cap's period, BYOK spend included only when the key says so.
func TestUsageAndLimitRemaining(t *testing.T) {
	bothWays(t, func(t *testing.T, e *apiEnv, a api) {
		ctx := t.Context()
		created := mustCreate(t, a, facade.CreateKeysRequestBody{
			Name:       "metered",
			Limit:      facade.Ptr(20.0),
			LimitReset: facade.Ptr(facade.LimitResetWeekly),
		})
		hash := created.Data.Hash
		spend := fake.Usage{Usage: 50, Daily: 1, Weekly: 6.5, Monthly: 12, BYOK: 9, BYOKDaily: 0.5, BYOKWeekly: 3, BYOKMonthly: 4}
		if err := e.fake.SetUsage(hash, spend); err != nil {
			t.Fatal(err)
		}
		usage := func(k facade.APIKey) fake.Usage {
			return fake.Usage{Usage: k.Usage, Daily: k.UsageDaily, Weekly: k.UsageWeekly, Monthly: k.UsageMonthly,
				BYOK: k.ByokUsage, BYOKDaily: k.ByokUsageDaily, BYOKWeekly: k.ByokUsageWeekly, BYOKMonthly: k.ByokUsageMonthly}
		}
		remaining := func(what string, got *float64, want float64) {
			t.Helper()
			if got == nil || *got != want {
				t.Errorf("%s: limit_remaining %v, want %v", what, deref(got), want)
			}
		}

		// Weekly cap, BYOK not counted: 20 - 6.5.
		got := mustGet(t, a, hash)
		if usage(got) != spend {
			t.Errorf("get: usage %+v, want %+v", usage(got), spend)
		}
		remaining("get", got.LimitRemaining, 13.5)
		page, err := a.list(ctx, facade.ListRequest{})
		if err != nil || len(page.Data) != 1 {
			t.Fatalf("list: %+v, %v", page, err)
		}
		if usage(page.Data[0]) != spend {
			t.Errorf("list: usage %+v, want %+v", usage(page.Data[0]), spend)
		}
		remaining("list", page.Data[0].LimitRemaining, 13.5)
		cur, err := a.current(ctx, facade.WithAPIKey(created.Key.Reveal()))
		if err != nil {
			t.Fatalf("current: %v", err)
		}
		c := cur.Data
		if own := (fake.Usage{Usage: c.Usage, Daily: c.UsageDaily, Weekly: c.UsageWeekly, Monthly: c.UsageMonthly,
			BYOK: c.ByokUsage, BYOKDaily: c.ByokUsageDaily, BYOKWeekly: c.ByokUsageWeekly, BYOKMonthly: c.ByokUsageMonthly}); own != spend {
			t.Errorf("current: usage %+v, want %+v", own, spend)
		}
		remaining("current", c.LimitRemaining, 13.5)

		// Counting BYOK: 20 - 6.5 - 3.
		upd, err := a.update(ctx, facade.UpdateKeysRequest{Hash: hash, RequestBody: facade.UpdateKeysRequestBody{IncludeByokInLimit: ptr(true)}})
		if err != nil {
			t.Fatalf("update: %v", err)
		}
		remaining("update counting BYOK", upd.Data.LimitRemaining, 10.5)

		// A cap of 100 that never resets counts all spend: 100 - 50 - 9.
		upd, err = a.update(ctx, facade.UpdateKeysRequest{Hash: hash, RequestBody: facade.UpdateKeysRequestBody{
			Limit:      nullable.NewNullableWithValue(100.0),
			LimitReset: nullable.NewNullNullable[facade.LimitReset](),
		}})
		if err != nil {
			t.Fatalf("update: %v", err)
		}
		remaining("update to an all-time cap", upd.Data.LimitRemaining, 41)
		got = mustGet(t, a, hash)
		remaining("get after the updates", got.LimitRemaining, 41)
		if got.LimitReset != nil || usage(got) != spend {
			t.Errorf("get after the updates: %+v", got)
		}
	})
}
