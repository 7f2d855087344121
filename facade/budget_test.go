package facade_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/timestamp"
)

func fp(v float64) *float64 { return &v }

func tp(t time.Time) *time.Time { return &t }

// ts is an answer's instant.
func ts(t time.Time) *timestamp.Time { v := timestamp.Of(t); return &v }

func period(r facade.LimitReset) *facade.LimitReset { return &r }

// at parses an RFC 3339 time; the tests' clocks are fixed.
func at(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func budgetJSON(t *testing.T, b facade.Budget) string {
	t.Helper()
	j, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return string(j)
}

// The window of each period across day, week, month and year boundaries.
func TestBudgetWindow(t *testing.T) {
	tokyo := time.FixedZone("JST", 9*3600)
	for _, tc := range []struct {
		name          string
		period        facade.LimitReset
		now           string
		start, resets string
	}{
		{"daily midday", facade.LimitResetDaily, "2028-03-15T13:45:00Z", "2028-03-15T00:00:00Z", "2028-03-16T00:00:00Z"},
		{"daily at midnight", facade.LimitResetDaily, "2028-03-15T00:00:00Z", "2028-03-15T00:00:00Z", "2028-03-16T00:00:00Z"},
		{"daily last nanosecond", facade.LimitResetDaily, "2028-03-15T23:59:59.999999999Z", "2028-03-15T00:00:00Z", "2028-03-16T00:00:00Z"},
		{"daily Jan 31", facade.LimitResetDaily, "2028-01-31T12:00:00Z", "2028-01-31T00:00:00Z", "2028-02-01T00:00:00Z"},
		{"daily Feb 28 leap year", facade.LimitResetDaily, "2028-02-28T12:00:00Z", "2028-02-28T00:00:00Z", "2028-02-29T00:00:00Z"},
		{"daily Feb 29", facade.LimitResetDaily, "2028-02-29T12:00:00Z", "2028-02-29T00:00:00Z", "2028-03-01T00:00:00Z"},
		{"daily Feb 28 common year", facade.LimitResetDaily, "2027-02-28T12:00:00Z", "2027-02-28T00:00:00Z", "2027-03-01T00:00:00Z"},
		{"daily Dec 31", facade.LimitResetDaily, "2028-12-31T23:00:00Z", "2028-12-31T00:00:00Z", "2029-01-01T00:00:00Z"},

		{"weekly Wednesday", facade.LimitResetWeekly, "2028-03-15T10:00:00Z", "2028-03-13T00:00:00Z", "2028-03-20T00:00:00Z"},
		{"weekly Sunday night", facade.LimitResetWeekly, "2028-01-09T23:59:59Z", "2028-01-03T00:00:00Z", "2028-01-10T00:00:00Z"},
		{"weekly Monday 00:00", facade.LimitResetWeekly, "2028-01-10T00:00:00Z", "2028-01-10T00:00:00Z", "2028-01-17T00:00:00Z"},
		{"weekly Monday just after", facade.LimitResetWeekly, "2028-01-10T00:00:00.000000001Z", "2028-01-10T00:00:00Z", "2028-01-17T00:00:00Z"},
		{"weekly Saturday", facade.LimitResetWeekly, "2028-01-15T12:00:00Z", "2028-01-10T00:00:00Z", "2028-01-17T00:00:00Z"},
		{"weekly across Feb 29", facade.LimitResetWeekly, "2028-03-02T12:00:00Z", "2028-02-28T00:00:00Z", "2028-03-06T00:00:00Z"},
		{"weekly across new year", facade.LimitResetWeekly, "2028-12-31T12:00:00Z", "2028-12-25T00:00:00Z", "2029-01-01T00:00:00Z"},
		{"weekly week starting in old year", facade.LimitResetWeekly, "2028-01-01T12:00:00Z", "2027-12-27T00:00:00Z", "2028-01-03T00:00:00Z"},

		{"monthly Jan 31", facade.LimitResetMonthly, "2028-01-31T12:00:00Z", "2028-01-01T00:00:00Z", "2028-02-01T00:00:00Z"},
		{"monthly Feb 29", facade.LimitResetMonthly, "2028-02-29T23:59:59Z", "2028-02-01T00:00:00Z", "2028-03-01T00:00:00Z"},
		{"monthly Feb 28 common year", facade.LimitResetMonthly, "2027-02-28T12:00:00Z", "2027-02-01T00:00:00Z", "2027-03-01T00:00:00Z"},
		{"monthly on the 1st", facade.LimitResetMonthly, "2028-03-01T00:00:00Z", "2028-03-01T00:00:00Z", "2028-04-01T00:00:00Z"},
		{"monthly Dec 31", facade.LimitResetMonthly, "2028-12-31T23:59:59Z", "2028-12-01T00:00:00Z", "2029-01-01T00:00:00Z"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			key := facade.APIKey{Limit: fp(10), LimitRemaining: fp(10), LimitReset: period(tc.period)}
			b := facade.BudgetOf(key, at(t, tc.now))
			if b.WindowStart == nil || b.ResetsAt == nil {
				t.Fatalf("no window: %s", budgetJSON(t, b))
			}
			if want := at(t, tc.start); !b.WindowStart.Equal(want) || b.WindowStart.Location() != time.UTC {
				t.Errorf("window start = %v, want %v", b.WindowStart, want)
			}
			if want := at(t, tc.resets); !b.ResetsAt.Equal(want) || b.ResetsAt.Location() != time.UTC {
				t.Errorf("resets at = %v, want %v", b.ResetsAt, want)
			}
		})
	}

	// now in another zone is read as the UTC instant it is: 08:00 on New
	// Year's Day in Tokyo is still December in UTC.
	now := time.Date(2028, 1, 1, 8, 0, 0, 0, tokyo)
	b := facade.BudgetOf(facade.APIKey{Limit: fp(1), LimitReset: period(facade.LimitResetMonthly)}, now)
	if b.At.Location() != time.UTC || !b.At.Equal(now) {
		t.Errorf("At = %v, want %v in UTC", b.At, now)
	}
	if want := time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC); b.ResetsAt == nil || !b.ResetsAt.Equal(want) {
		t.Errorf("resets at = %v, want %v", b.ResetsAt, want)
	}
}

func TestBudgetOf(t *testing.T) {
	daily, weekly, monthly := period(facade.LimitResetDaily), period(facade.LimitResetWeekly), period(facade.LimitResetMonthly)
	noon := time.Date(2028, 3, 15, 12, 0, 0, 0, time.UTC)
	march15, march16 := tp(time.Date(2028, 3, 15, 0, 0, 0, 0, time.UTC)), tp(time.Date(2028, 3, 16, 0, 0, 0, 0, time.UTC))

	for _, tc := range []struct {
		name string
		key  facade.APIKey
		now  time.Time
		want facade.Budget
	}{{
		name: "daily, runs out before midnight",
		key:  facade.APIKey{Limit: fp(10), LimitRemaining: fp(4), LimitReset: daily, UsageDaily: 6},
		now:  noon,
		want: facade.Budget{Status: facade.BudgetOK, Limit: fp(10), LimitReset: daily, Spent: 6, Remaining: fp(4), Fraction: fp(0.6),
			WindowStart: march15, ResetsAt: march16, SpendPerHour: fp(0.5),
			ExhaustsAt: tp(time.Date(2028, 3, 15, 20, 0, 0, 0, time.UTC))},
	}, {
		name: "daily, lasts the day",
		key:  facade.APIKey{Limit: fp(10), LimitRemaining: fp(8), LimitReset: daily, UsageDaily: 2},
		now:  noon,
		want: facade.Budget{Status: facade.BudgetOK, Limit: fp(10), LimitReset: daily, Spent: 2, Remaining: fp(8), Fraction: fp(0.2),
			WindowStart: march15, ResetsAt: march16, SpendPerHour: fp(2.0 / 12)},
	}, {
		name: "daily, runs out exactly at the reset",
		key:  facade.APIKey{Limit: fp(10), LimitRemaining: fp(5), LimitReset: daily, UsageDaily: 5},
		now:  noon,
		want: facade.Budget{Status: facade.BudgetOK, Limit: fp(10), LimitReset: daily, Spent: 5, Remaining: fp(5), Fraction: fp(0.5),
			WindowStart: march15, ResetsAt: march16, SpendPerHour: fp(5.0 / 12)},
	}, {
		name: "daily, Dec 31 runs out before the year ends",
		key:  facade.APIKey{Limit: fp(24), LimitRemaining: fp(0.5), LimitReset: daily, UsageDaily: 23},
		now:  time.Date(2028, 12, 31, 23, 0, 0, 0, time.UTC),
		want: facade.Budget{Status: facade.BudgetOK, Limit: fp(24), LimitReset: daily, Spent: 23.5, Remaining: fp(0.5), Fraction: fp(23.5 / 24),
			WindowStart: tp(time.Date(2028, 12, 31, 0, 0, 0, 0, time.UTC)), ResetsAt: tp(time.Date(2029, 1, 1, 0, 0, 0, 0, time.UTC)),
			SpendPerHour: fp(1), ExhaustsAt: tp(time.Date(2028, 12, 31, 23, 30, 0, 0, time.UTC))},
	}, {
		name: "daily, Dec 31 would run out at New Year",
		key:  facade.APIKey{Limit: fp(24), LimitRemaining: fp(1), LimitReset: daily, UsageDaily: 23},
		now:  time.Date(2028, 12, 31, 23, 0, 0, 0, time.UTC),
		want: facade.Budget{Status: facade.BudgetOK, Limit: fp(24), LimitReset: daily, Spent: 23, Remaining: fp(1), Fraction: fp(23.0 / 24),
			WindowStart: tp(time.Date(2028, 12, 31, 0, 0, 0, 0, time.UTC)), ResetsAt: tp(time.Date(2029, 1, 1, 0, 0, 0, 0, time.UTC)),
			SpendPerHour: fp(1)},
	}, {
		name: "weekly, Sunday evening runs out before Monday",
		key:  facade.APIKey{Limit: fp(100), LimitRemaining: fp(2), LimitReset: weekly, UsageWeekly: 81},
		now:  time.Date(2028, 1, 9, 18, 0, 0, 0, time.UTC), // 162 hours into the week
		want: facade.Budget{Status: facade.BudgetOK, Limit: fp(100), LimitReset: weekly, Spent: 98, Remaining: fp(2), Fraction: fp(0.98),
			WindowStart: tp(time.Date(2028, 1, 3, 0, 0, 0, 0, time.UTC)), ResetsAt: tp(time.Date(2028, 1, 10, 0, 0, 0, 0, time.UTC)),
			SpendPerHour: fp(0.5), ExhaustsAt: tp(time.Date(2028, 1, 9, 22, 0, 0, 0, time.UTC))},
	}, {
		name: "weekly, Sunday evening lasts until Monday",
		key:  facade.APIKey{Limit: fp(100), LimitRemaining: fp(19), LimitReset: weekly, UsageWeekly: 81},
		now:  time.Date(2028, 1, 9, 18, 0, 0, 0, time.UTC),
		want: facade.Budget{Status: facade.BudgetOK, Limit: fp(100), LimitReset: weekly, Spent: 81, Remaining: fp(19), Fraction: fp(0.81),
			WindowStart: tp(time.Date(2028, 1, 3, 0, 0, 0, 0, time.UTC)), ResetsAt: tp(time.Date(2028, 1, 10, 0, 0, 0, 0, time.UTC)),
			SpendPerHour: fp(0.5)},
	}, {
		name: "weekly, Monday 00:00 has no rate yet",
		key:  facade.APIKey{Limit: fp(100), LimitRemaining: fp(100), LimitReset: weekly},
		now:  time.Date(2028, 1, 10, 0, 0, 0, 0, time.UTC),
		want: facade.Budget{Status: facade.BudgetOK, Limit: fp(100), LimitReset: weekly, Spent: 0, Remaining: fp(100), Fraction: fp(0),
			WindowStart: tp(time.Date(2028, 1, 10, 0, 0, 0, 0, time.UTC)), ResetsAt: tp(time.Date(2028, 1, 17, 0, 0, 0, 0, time.UTC))},
	}, {
		name: "monthly, Feb 29 of a leap year",
		key:  facade.APIKey{Limit: fp(100), LimitRemaining: fp(1), LimitReset: monthly, UsageMonthly: 68.4},
		now:  time.Date(2028, 2, 29, 12, 0, 0, 0, time.UTC), // 684 hours into February
		want: facade.Budget{Status: facade.BudgetOK, Limit: fp(100), LimitReset: monthly, Spent: 99, Remaining: fp(1), Fraction: fp(0.99),
			WindowStart: tp(time.Date(2028, 2, 1, 0, 0, 0, 0, time.UTC)), ResetsAt: tp(time.Date(2028, 3, 1, 0, 0, 0, 0, time.UTC)),
			SpendPerHour: fp(68.4 / 684), ExhaustsAt: tp(time.Date(2028, 2, 29, 22, 0, 0, 0, time.UTC))},
	}, {
		name: "monthly, Jan 31 with limit_remaining missing",
		key:  facade.APIKey{Limit: fp(40), LimitReset: monthly, UsageMonthly: 30, Usage: 500},
		now:  time.Date(2028, 1, 31, 0, 0, 0, 0, time.UTC), // 720 hours into January
		want: facade.Budget{Status: facade.BudgetOK, Limit: fp(40), LimitReset: monthly, Spent: 30, Remaining: fp(10), Fraction: fp(0.75),
			WindowStart: tp(time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC)), ResetsAt: tp(time.Date(2028, 2, 1, 0, 0, 0, 0, time.UTC)),
			SpendPerHour: fp(30.0 / 720)},
	}, {
		name: "never resets, limit_remaining missing: all-time usage, no projection",
		key:  facade.APIKey{Limit: fp(10), Usage: 7, UsageDaily: 7},
		now:  noon,
		want: facade.Budget{Status: facade.BudgetOK, Limit: fp(10), Spent: 7, Remaining: fp(3), Fraction: fp(0.7)},
	}, {
		name: "never resets",
		key:  facade.APIKey{Limit: fp(10), LimitRemaining: fp(2.5), Usage: 9},
		now:  noon,
		want: facade.Budget{Status: facade.BudgetOK, Limit: fp(10), Spent: 7.5, Remaining: fp(2.5), Fraction: fp(0.75)},
	}, {
		name: "zero rate never runs out",
		key:  facade.APIKey{Limit: fp(10), LimitRemaining: fp(10), LimitReset: daily},
		now:  noon,
		want: facade.Budget{Status: facade.BudgetOK, Limit: fp(10), LimitReset: daily, Spent: 0, Remaining: fp(10), Fraction: fp(0),
			WindowStart: march15, ResetsAt: march16, SpendPerHour: fp(0)},
	}, {
		name: "exhausted",
		key:  facade.APIKey{Limit: fp(10), LimitRemaining: fp(0), LimitReset: daily, UsageDaily: 10},
		now:  noon,
		want: facade.Budget{Status: facade.BudgetExhausted, Limit: fp(10), LimitReset: daily, Spent: 10, Remaining: fp(0), Fraction: fp(1), Exhausted: true,
			WindowStart: march15, ResetsAt: march16, SpendPerHour: fp(10.0 / 12), ExhaustsAt: tp(noon)},
	}, {
		name: "overshot",
		key:  facade.APIKey{Limit: fp(10), LimitRemaining: fp(-2), LimitReset: daily, UsageDaily: 12},
		now:  noon,
		want: facade.Budget{Status: facade.BudgetExhausted, Limit: fp(10), LimitReset: daily, Spent: 12, Remaining: fp(0), Fraction: fp(1.2), Exhausted: true,
			WindowStart: march15, ResetsAt: march16, SpendPerHour: fp(1), ExhaustsAt: tp(noon)},
	}, {
		name: "exhausted by usage when limit_remaining is missing",
		key:  facade.APIKey{Limit: fp(5), LimitReset: daily, UsageDaily: 6},
		now:  noon,
		want: facade.Budget{Status: facade.BudgetExhausted, Limit: fp(5), LimitReset: daily, Spent: 6, Remaining: fp(0), Fraction: fp(1.2), Exhausted: true,
			WindowStart: march15, ResetsAt: march16, SpendPerHour: fp(0.5), ExhaustsAt: tp(noon)},
	}, {
		name: "limit 0 allows nothing",
		key:  facade.APIKey{Limit: fp(0), LimitRemaining: fp(0)},
		now:  noon,
		want: facade.Budget{Status: facade.BudgetExhausted, Limit: fp(0), Spent: 0, Remaining: fp(0), Fraction: fp(1), Exhausted: true, ExhaustsAt: tp(noon)},
	}, {
		name: "limit_remaining above the limit",
		key:  facade.APIKey{Limit: fp(10), LimitRemaining: fp(12)},
		now:  noon,
		want: facade.Budget{Status: facade.BudgetOK, Limit: fp(10), Spent: 0, Remaining: fp(10), Fraction: fp(0)},
	}, {
		name: "no limit",
		key:  facade.APIKey{Usage: 123.5, UsageDaily: 1},
		now:  noon,
		want: facade.Budget{Status: facade.BudgetNoLimit, Spent: 123.5},
	}, {
		name: "no limit but a reset period",
		key:  facade.APIKey{LimitReset: weekly, Usage: 500, UsageWeekly: 27},
		now:  time.Date(2028, 3, 15, 6, 0, 0, 0, time.UTC), // 54 hours into the week
		want: facade.Budget{Status: facade.BudgetNoLimit, LimitReset: weekly, Spent: 27,
			WindowStart: tp(time.Date(2028, 3, 13, 0, 0, 0, 0, time.UTC)), ResetsAt: tp(time.Date(2028, 3, 20, 0, 0, 0, 0, time.UTC)),
			SpendPerHour: fp(0.5)},
	}, {
		name: "unknown reset period counts all-time usage",
		key:  facade.APIKey{Limit: fp(1000), LimitReset: period("hourly"), Usage: 250, UsageDaily: 3},
		now:  noon,
		want: facade.Budget{Status: facade.BudgetOK, Limit: fp(1000), LimitReset: period("hourly"), Spent: 250, Remaining: fp(750), Fraction: fp(0.25)},
	}, {
		name: "disabled keeps its numbers but has no projection",
		key:  facade.APIKey{Disabled: true, Limit: fp(10), LimitRemaining: fp(4), LimitReset: daily, UsageDaily: 6},
		now:  noon,
		want: facade.Budget{Status: facade.BudgetDisabled, Limit: fp(10), LimitReset: daily, Spent: 6, Remaining: fp(4), Fraction: fp(0.6),
			WindowStart: march15, ResetsAt: march16, SpendPerHour: fp(0.5)},
	}, {
		name: "disabled and exhausted",
		key:  facade.APIKey{Disabled: true, Limit: fp(10), LimitRemaining: fp(0)},
		now:  noon,
		want: facade.Budget{Status: facade.BudgetDisabled, Limit: fp(10), Spent: 10, Remaining: fp(0), Fraction: fp(1), Exhausted: true},
	}, {
		name: "disabled wins over expired",
		key:  facade.APIKey{Disabled: true, ExpiresAt: ts(noon.Add(-time.Hour)), Usage: 1},
		now:  noon,
		want: facade.Budget{Status: facade.BudgetDisabled, Spent: 1},
	}, {
		name: "expired at this very moment",
		key:  facade.APIKey{ExpiresAt: ts(noon), Limit: fp(10), LimitRemaining: fp(4), LimitReset: daily, UsageDaily: 6},
		now:  noon,
		want: facade.Budget{Status: facade.BudgetExpired, Limit: fp(10), LimitReset: daily, Spent: 6, Remaining: fp(4), Fraction: fp(0.6),
			WindowStart: march15, ResetsAt: march16, SpendPerHour: fp(0.5)},
	}, {
		name: "expired without a limit",
		key:  facade.APIKey{ExpiresAt: ts(noon.Add(-time.Hour)), Usage: 3},
		now:  noon,
		want: facade.Budget{Status: facade.BudgetExpired, Spent: 3},
	}, {
		name: "expires before it would run out",
		key:  facade.APIKey{ExpiresAt: ts(noon.Add(2 * time.Hour)), Limit: fp(10), LimitRemaining: fp(4), LimitReset: daily, UsageDaily: 6},
		now:  noon,
		want: facade.Budget{Status: facade.BudgetOK, Limit: fp(10), LimitReset: daily, Spent: 6, Remaining: fp(4), Fraction: fp(0.6),
			WindowStart: march15, ResetsAt: march16, SpendPerHour: fp(0.5)},
	}, {
		name: "expires after it runs out",
		key:  facade.APIKey{ExpiresAt: ts(noon.Add(9 * time.Hour)), Limit: fp(10), LimitRemaining: fp(4), LimitReset: daily, UsageDaily: 6},
		now:  noon,
		want: facade.Budget{Status: facade.BudgetOK, Limit: fp(10), LimitReset: daily, Spent: 6, Remaining: fp(4), Fraction: fp(0.6),
			WindowStart: march15, ResetsAt: march16, SpendPerHour: fp(0.5), ExhaustsAt: tp(time.Date(2028, 3, 15, 20, 0, 0, 0, time.UTC))},
	}, {
		name: "a nanosecond before expiry is not expired",
		key:  facade.APIKey{ExpiresAt: ts(noon.Add(time.Nanosecond)), Limit: fp(10), LimitRemaining: fp(10)},
		now:  noon,
		want: facade.Budget{Status: facade.BudgetOK, Limit: fp(10), Spent: 0, Remaining: fp(10), Fraction: fp(0)},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			tc.key.Hash, tc.key.Name = "0123abcd", "k"
			tc.want.Hash, tc.want.Name, tc.want.At = "0123abcd", "k", tc.now
			got := facade.BudgetOf(tc.key, tc.now)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %s\nwant %s", budgetJSON(t, got), budgetJSON(t, tc.want))
			}
		})
	}
}

// The Budget does not share memory with the key it came from.
func TestBudgetOfCopies(t *testing.T) {
	key := facade.APIKey{Limit: fp(10), LimitRemaining: fp(4), LimitReset: period(facade.LimitResetDaily)}
	b := facade.BudgetOf(key, time.Date(2028, 3, 15, 12, 0, 0, 0, time.UTC))
	*key.Limit, *key.LimitReset = 99, facade.LimitResetMonthly
	if *b.Limit != 10 || *b.LimitReset != facade.LimitResetDaily {
		t.Errorf("budget changed with the key: limit %v, reset %v", *b.Limit, *b.LimitReset)
	}
}

// The CLI prints a Budget with -o json: snake_case names, null for what does
// not apply.
func TestBudgetJSON(t *testing.T) {
	now := time.Date(2028, 3, 15, 12, 0, 0, 0, time.UTC)
	got := budgetJSON(t, facade.BudgetOf(facade.APIKey{Hash: "ab", Name: "n", WorkspaceID: "w1", Usage: 1.5}, now))
	want := `{"hash":"ab","name":"n","workspace_id":"w1","at":"2028-03-15T12:00:00Z","status":"no_limit","limit":null,"limit_reset":null,` +
		`"spent":1.5,"remaining":null,"fraction":null,"exhausted":false,"window_start":null,"resets_at":null,` +
		`"spend_per_hour":null,"exhausts_at":null}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}

	key := facade.APIKey{Hash: "ab", Name: "n", Limit: fp(10), LimitRemaining: fp(4), LimitReset: period(facade.LimitResetDaily), UsageDaily: 6}
	got = budgetJSON(t, facade.BudgetOf(key, now))
	want = `{"hash":"ab","name":"n","workspace_id":"","at":"2028-03-15T12:00:00Z","status":"ok","limit":10,"limit_reset":"daily",` +
		`"spent":6,"remaining":4,"fraction":0.6,"exhausted":false,"window_start":"2028-03-15T00:00:00Z",` +
		`"resets_at":"2028-03-16T00:00:00Z","spend_per_hour":0.5,"exhausts_at":"2028-03-15T20:00:00Z"}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestParseThreshold(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want facade.Threshold
		text string // String of the result
	}{
		{"80%", facade.Threshold{Fraction: 0.8}, "80%"},
		{"100%", facade.Threshold{Fraction: 1}, "100%"},
		{"12.5%", facade.Threshold{Fraction: 0.125}, "12.5%"},
		{"7%", facade.Threshold{Fraction: 0.07}, "7%"},
		{"0.001%", facade.Threshold{Fraction: 0.00001}, "0.001%"},
		{" 50% ", facade.Threshold{Fraction: 0.5}, "50%"},
		{"0.8", facade.Threshold{Fraction: 0.8}, "80%"},
		{".5", facade.Threshold{Fraction: 0.5}, "50%"},
		{"1", facade.Threshold{Fraction: 1}, "100%"},
		{"1.0", facade.Threshold{Fraction: 1}, "100%"},
		{"$40", facade.Threshold{USD: 40}, "$40"},
		{"$0.01", facade.Threshold{USD: 0.01}, "$0.01"},
		{"$1500", facade.Threshold{USD: 1500}, "$1500"},
		{"$5.", facade.Threshold{USD: 5}, "$5"},
	} {
		got, err := facade.ParseThreshold(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseThreshold(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
			continue
		}
		if s := got.String(); s != tc.text {
			t.Errorf("ParseThreshold(%q).String() = %q, want %q", tc.in, s, tc.text)
		}
		if again, err := facade.ParseThreshold(got.String()); err != nil || again != got {
			t.Errorf("ParseThreshold(%q) = %+v, %v; want %+v back", got.String(), again, err, got)
		}
	}

	for _, tc := range []struct{ in, why string }{
		{"", "want a percentage"},
		{"   ", "want a percentage"},
		{"%", "percentage above 0%"},
		{"$", "USD above 0"},
		{"0", "fraction above 0"},
		{"0.0", "fraction above 0"},
		{"0%", "percentage above 0%"},
		{"$0", "USD above 0"},
		{"-5%", "negative"},
		{"-0.5", "negative"},
		{"$-40", "negative"},
		{"40$", "dollar sign first"},
		{"101%", "at most 100%"},
		{"100.5%", "at most 100%"},
		{"1.5", "write 1.5% for a percentage or $1.5 for USD"},
		{"80", "write 80% for a percentage or $80 for USD"},
		{"+0.5", "want a percentage"},
		{"1e-1", "want a percentage"},
		{"inf", "want a percentage"},
		{"NaN", "want a percentage"},
		{"$inf", "USD above 0"},
		{"0x1p-1", "want a percentage"},
		{"1_0%", "percentage"},
		{"80 %", "percentage"},
		{"8O%", "percentage"},
		{"1.2.3", "want a percentage"},
		{"$40%", "USD above 0"},
		{"%80", "want a percentage"},
		{"USD 40", "want a percentage"},
		{"$" + strings.Repeat("9", 400), "USD above 0"},
	} {
		got, err := facade.ParseThreshold(tc.in)
		if err == nil {
			t.Errorf("ParseThreshold(%q) = %+v, want an error", tc.in, got)
			continue
		}
		if !errors.Is(err, facade.ErrInvalidInput) {
			t.Errorf("ParseThreshold(%q) error %v does not match ErrInvalidInput", tc.in, err)
		}
		if msg := err.Error(); !strings.Contains(msg, tc.why) || !strings.HasPrefix(msg, "orkeys: threshold ") {
			t.Errorf("ParseThreshold(%q) error %q, want it to say %q", tc.in, msg, tc.why)
		}
		if got != (facade.Threshold{}) {
			t.Errorf("ParseThreshold(%q) = %+v with its error, want the zero Threshold", tc.in, got)
		}
	}
}

func TestThresholdString(t *testing.T) {
	for _, tc := range []struct {
		t    facade.Threshold
		want string
	}{
		{facade.Threshold{}, "none"},
		{facade.Threshold{Fraction: 0.8, USD: 40}, "80% or $40"},
		{facade.Threshold{Fraction: 1.0 / 3}, "33.33333333%"},
	} {
		if got := tc.t.String(); got != tc.want {
			t.Errorf("%#v.String() = %q, want %q", tc.t, got, tc.want)
		}
	}
}

func TestThresholdExceeded(t *testing.T) {
	now := time.Date(2028, 3, 15, 12, 0, 0, 0, time.UTC)
	budget := func(key facade.APIKey) facade.Budget { return facade.BudgetOf(key, now) }
	pct80 := facade.Threshold{Fraction: 0.8}
	usd40 := facade.Threshold{USD: 40}

	for _, tc := range []struct {
		name string
		t    facade.Threshold
		b    facade.Budget
		want bool
	}{
		{"80% reached exactly", pct80, budget(facade.APIKey{Limit: fp(50), LimitRemaining: fp(10)}), true},
		{"80% passed", pct80, budget(facade.APIKey{Limit: fp(50), LimitRemaining: fp(5)}), true},
		{"80% not reached", pct80, budget(facade.APIKey{Limit: fp(50), LimitRemaining: fp(10.5)}), false},
		// (0.1 - 0.02) / 0.1 is 0.7999999999999999 in floats: still 80%.
		{"80% reached through float rounding", pct80, budget(facade.APIKey{Limit: fp(0.1), LimitRemaining: fp(0.02)}), true},
		{"80% overshot", pct80, budget(facade.APIKey{Limit: fp(50), LimitRemaining: fp(-5)}), true},
		{"100% on an exhausted key", facade.Threshold{Fraction: 1}, budget(facade.APIKey{Limit: fp(50), LimitRemaining: fp(0)}), true},
		{"100% on a zero limit", facade.Threshold{Fraction: 1}, budget(facade.APIKey{Limit: fp(0)}), true},
		{"fraction never on a key without limit", facade.Threshold{Fraction: 0.01}, budget(facade.APIKey{Usage: 1e6}), false},
		{"fraction of the window, not all-time", pct80, budget(facade.APIKey{Limit: fp(50), LimitReset: period(facade.LimitResetDaily), UsageDaily: 10, Usage: 1000}), false},
		{"$40 reached exactly", usd40, budget(facade.APIKey{Limit: fp(100), LimitRemaining: fp(60)}), true},
		{"$40 not reached", usd40, budget(facade.APIKey{Limit: fp(100), LimitRemaining: fp(60.01)}), false},
		{"$40 on a key without limit, all-time usage", usd40, budget(facade.APIKey{Usage: 41}), true},
		{"$40 on a key without limit, weekly usage", usd40, budget(facade.APIKey{LimitReset: period(facade.LimitResetWeekly), UsageWeekly: 39, Usage: 400}), false},
		// 0.3 - 0.1 is 0.19999999999999998 in floats: still $0.20.
		{"USD reached through float rounding", facade.Threshold{USD: 0.2}, budget(facade.APIKey{Limit: fp(0.3), LimitRemaining: fp(0.1)}), true},
		{"either part reaches: USD", facade.Threshold{Fraction: 0.9, USD: 10}, budget(facade.APIKey{Limit: fp(100), LimitRemaining: fp(90)}), true},
		{"either part reaches: fraction", facade.Threshold{Fraction: 0.9, USD: 100}, budget(facade.APIKey{Limit: fp(20), LimitRemaining: fp(1)}), true},
		{"neither part reaches", facade.Threshold{Fraction: 0.9, USD: 100}, budget(facade.APIKey{Limit: fp(200), LimitRemaining: fp(150)}), false},
		{"disabled keys are judged on their numbers", pct80, budget(facade.APIKey{Disabled: true, Limit: fp(10), LimitRemaining: fp(1)}), true},
		{"zero threshold never", facade.Threshold{}, budget(facade.APIKey{Limit: fp(10), LimitRemaining: fp(0), Usage: 10}), false},
	} {
		if got := tc.t.Exceeded(tc.b); got != tc.want {
			t.Errorf("%s: %v.Exceeded(%s) = %v, want %v", tc.name, tc.t, budgetJSON(t, tc.b), got, tc.want)
		}
	}
}

// A projection that float error puts just under a whole second is rounded
// to it, not truncated: 0.03 left at 0.04 per 12 hours is 32,400 s exactly,
// and 0.03 / (0.04/12) * 3600 computes to 32399.999999999993.
func TestBudgetExhaustsAtRoundsFloatNoise(t *testing.T) {
	noon := at(t, "2028-03-15T12:00:00Z")
	daily := period(facade.LimitResetDaily)
	b := facade.BudgetOf(facade.APIKey{Limit: fp(0.07), LimitRemaining: fp(0.03), LimitReset: daily, UsageDaily: 0.04}, noon)
	left, used := 0.03, 0.04 // variables: constants would be computed exactly
	if sec := left / (used / 12) * 3600; sec >= 32400 {
		t.Fatalf("premise: the float answer %v is not under the whole second", sec)
	}
	want := at(t, "2028-03-15T21:00:00Z")
	if b.ExhaustsAt == nil || !b.ExhaustsAt.Equal(want) {
		t.Errorf("ExhaustsAt = %v, want %v", b.ExhaustsAt, want)
	}
}

// Absurd but valid JSON numbers from a server overflow no field to +Inf, so
// every Budget still encodes as JSON (keys usage -o json).
func TestBudgetOfOverflowStillEncodes(t *testing.T) {
	noon := at(t, "2028-03-15T12:00:00Z")
	daily := period(facade.LimitResetDaily)
	for _, tc := range []struct {
		name string
		key  facade.APIKey
		now  time.Time
	}{
		{"huge usage, tiny limit", facade.APIKey{Limit: fp(1e-300), UsageDaily: 1e308, LimitReset: daily}, noon},
		{"remaining below -limit", facade.APIKey{Limit: fp(1e308), LimitRemaining: fp(-1e308), LimitReset: daily}, noon},
		{"huge spend in the first nanosecond", facade.APIKey{Limit: fp(1e308), UsageDaily: 1e308, LimitReset: daily}, at(t, "2028-03-15T00:00:00.000000001Z")},
	} {
		b := facade.BudgetOf(tc.key, tc.now)
		if _, err := json.Marshal(b); err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}
