package facade

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// BudgetStatus says whether a key can still spend and, if not, why.
type BudgetStatus string

// The statuses BudgetOf reports. When several apply, the first in this list
// that does wins: a disabled key that is also expired is "disabled".
const (
	// BudgetDisabled: the key is switched off (APIKey.Disabled).
	BudgetDisabled BudgetStatus = "disabled"
	// BudgetExpired: the key's ExpiresAt is at or before the time asked about.
	BudgetExpired BudgetStatus = "expired"
	// BudgetNoLimit: the key has no spending limit.
	BudgetNoLimit BudgetStatus = "no_limit"
	// BudgetExhausted: nothing is left under the limit until the window
	// resets (never, for a limit without reset).
	BudgetExhausted BudgetStatus = "exhausted"
	// BudgetOK: the key has a limit and money left under it.
	BudgetOK BudgetStatus = "ok"
)

// Budget is a key's spending limit seen at one moment: what the current
// window has spent, what is left, when the window resets and, at the
// window's spend rate so far, whether the limit runs out before then.
// BudgetOf makes one; every time in it is UTC and amounts are USD.
//
// Fields that have no meaning for a key are nil (null in JSON) rather than
// 0, so that a limit of 0 and no limit at all, or a rate of 0 and no rate,
// stay apart.
type Budget struct {
	// Hash and Name identify the key.
	Hash string `json:"hash"`
	Name string `json:"name"`
	// WorkspaceID is the workspace the key belongs to, as the API reports
	// it; "" when the API did not say.
	WorkspaceID string `json:"workspace_id"`
	// At is the moment the budget describes, in UTC.
	At time.Time `json:"at"`
	// Status says whether the key can spend; see BudgetStatus. The numbers
	// below are filled in whatever the status.
	Status BudgetStatus `json:"status"`

	// Limit is the key's spending cap per window; nil for no cap.
	Limit *float64 `json:"limit"`
	// LimitReset is how often the cap starts over; nil for never. A period
	// this package does not know is kept as is and treated like never: no
	// window, no projection, Spent from all-time usage.
	LimitReset *LimitReset `json:"limit_reset"`

	// Spent is what the current window has spent, never below 0: Limit
	// minus the API's limit_remaining when the key has both; otherwise the
	// usage the API reports for the window (usage_daily, usage_weekly or
	// usage_monthly), or all-time usage for a key whose limit never resets.
	// It may exceed Limit, since a request in flight can overshoot the cap.
	Spent float64 `json:"spent"`
	// Remaining is what is left under Limit, from 0 to Limit; nil for no
	// limit.
	Remaining *float64 `json:"remaining"`
	// Fraction is Spent / Limit, above 1 when the key overshot; nil for no
	// limit. A limit of 0 allows nothing, so its Fraction is 1.
	Fraction *float64 `json:"fraction"`
	// Exhausted is true when the key has a limit and Remaining is 0, whatever
	// the Status.
	Exhausted bool `json:"exhausted"`

	// WindowStart and ResetsAt bound the current window: the last and the
	// next midnight UTC for a daily limit, Mondays 00:00 UTC for a weekly one
	// (a window that starts exactly at At resets a whole period later), the
	// 1st of the month 00:00 UTC for a monthly one. Both are nil when the
	// limit never resets.
	WindowStart *time.Time `json:"window_start"`
	ResetsAt    *time.Time `json:"resets_at"`

	// SpendPerHour is the window's usage divided by the hours since
	// WindowStart. It is nil when there is no window (all-time usage has no
	// start to divide by) and at the very instant a window starts.
	SpendPerHour *float64 `json:"spend_per_hour"`
	// ExhaustsAt is when the limit runs out: At itself for an exhausted key;
	// for a key that is "ok", At plus Remaining at SpendPerHour, to the
	// second, if that is before ResetsAt and before the key expires. It is
	// nil when the limit will not run out this window at the current rate
	// (including a rate of 0), when there is no rate to project from, and
	// for disabled, expired and unlimited keys.
	ExhaustsAt *time.Time `json:"exhausts_at"`
}

// BudgetOf works out key's Budget at now, which is converted to UTC. It
// relies only on the key's Hash, Name, WorkspaceID, Disabled, ExpiresAt, Limit,
// LimitRemaining, LimitReset and Usage* fields, and sends no request.
func BudgetOf(key APIKey, now time.Time) Budget {
	now = now.UTC()
	b := Budget{Hash: key.Hash, Name: key.Name, WorkspaceID: key.WorkspaceID, At: now}
	if key.LimitReset != nil {
		r := *key.LimitReset
		b.LimitReset = &r
	}

	start, reset, windowed := budgetWindow(key.LimitReset, now)
	usage := max(windowUsage(key, windowed), 0)
	b.Spent = usage
	if windowed {
		b.WindowStart, b.ResetsAt = &start, &reset
		if elapsed := now.Sub(start); elapsed > 0 {
			perHour := finite(usage / elapsed.Hours())
			b.SpendPerHour = &perHour
		}
	}

	if key.Limit != nil {
		given := *key.Limit
		b.Limit = &given
		limit := max(given, 0) // a negative cap allows nothing, like 0
		remaining := limit - b.Spent
		if key.LimitRemaining != nil {
			// limit_remaining is the API's own count against the cap; usage
			// may count differently (bring-your-own-key spend, for one).
			remaining = *key.LimitRemaining
			b.Spent = finite(max(limit-remaining, 0))
		}
		remaining = min(max(remaining, 0), limit)
		fraction := 1.0
		if limit > 0 {
			fraction = finite(b.Spent / limit)
		}
		b.Remaining, b.Fraction = &remaining, &fraction
		b.Exhausted = remaining <= 0
	}

	switch {
	case key.Disabled:
		b.Status = BudgetDisabled
	case key.ExpiresAt.Instant() != nil && !key.ExpiresAt.After(now):
		b.Status = BudgetExpired
	case key.Limit == nil:
		b.Status = BudgetNoLimit
	case b.Exhausted:
		b.Status = BudgetExhausted
		b.ExhaustsAt = &now
	default:
		b.Status = BudgetOK
		b.ExhaustsAt = projectExhaustion(b, key.ExpiresAt.Instant())
	}
	return b
}

// finite clamps an overflow to the largest float64, so that a Budget always
// encodes as JSON: absurd numbers from a server (a usage of 1e308 against a
// limit of 1e-300, 1e308 spent in the first nanosecond of a window) would
// otherwise make +Inf, which encoding/json refuses.
func finite(v float64) float64 { return max(min(v, math.MaxFloat64), -math.MaxFloat64) }

// budgetWindow returns the current window of a limit that resets every
// period, and false for a limit that never resets or a period it does not
// know.
func budgetWindow(period *LimitReset, now time.Time) (start, reset time.Time, ok bool) {
	if period == nil {
		return time.Time{}, time.Time{}, false
	}
	y, m, d := now.Date()
	midnight := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	switch *period {
	case LimitResetDaily:
		return midnight, midnight.AddDate(0, 0, 1), true
	case LimitResetWeekly:
		// Weekday counts from Sunday; OpenRouter's weeks start on Monday.
		start = midnight.AddDate(0, 0, -((int(now.Weekday()) + 6) % 7))
		return start, start.AddDate(0, 0, 7), true
	case LimitResetMonthly:
		start = time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
		return start, start.AddDate(0, 1, 0), true
	}
	return time.Time{}, time.Time{}, false
}

// windowUsage is the usage field matching the key's reset period, or
// all-time usage when there is no window.
func windowUsage(key APIKey, windowed bool) float64 {
	if !windowed {
		return key.Usage
	}
	switch *key.LimitReset {
	case LimitResetDaily:
		return key.UsageDaily
	case LimitResetWeekly:
		return key.UsageWeekly
	default:
		return key.UsageMonthly
	}
}

// projectExhaustion is when Remaining runs out at SpendPerHour, if that is
// before the window resets and before the key expires.
func projectExhaustion(b Budget, expiresAt *time.Time) *time.Time {
	if b.SpendPerHour == nil || *b.SpendPerHour <= 0 || b.ResetsAt == nil || b.Remaining == nil {
		return nil
	}
	horizon := *b.ResetsAt
	if expiresAt != nil && expiresAt.Before(horizon) {
		horizon = expiresAt.UTC()
	}
	seconds := *b.Remaining / *b.SpendPerHour * 3600
	// Compare as floats first: a tiny rate gives more seconds than a
	// Duration holds.
	if seconds >= horizon.Sub(b.At).Seconds() {
		return nil
	}
	// Whole seconds, rounded rather than truncated or ceiled, so that float
	// noise in cents does not move a round answer by a second.
	at := b.At.Add(time.Duration(math.Round(seconds)) * time.Second)
	if !at.Before(horizon) {
		return nil
	}
	return &at
}

// Threshold is a spending level to test budgets against, as in
// "orkeys budget check --over 80%": a share of the limit, an amount of USD
// spent in the current window, or both (then reaching either counts).
// ParseThreshold makes one from text. The zero Threshold is never exceeded.
type Threshold struct {
	// Fraction of the limit, in (0, 1]; 0 when not used.
	Fraction float64
	// USD spent in the current window, above 0; 0 when not used.
	USD float64
}

// thresholdSlack keeps float rounding of cents (0.3 - 0.06 is not 0.24)
// from deciding whether a budget sits exactly on a threshold.
const thresholdSlack = 1e-9

// ParseThreshold reads a Threshold written as a percentage of the limit
// ("80%", in (0%, 100%]), a fraction of it ("0.8", in (0, 1]) or an amount of
// USD with a leading dollar sign ("$40", above 0). Numbers are plain
// decimals: no sign, exponent or thousands separator. Surrounding spaces are
// ignored. Errors match ErrInvalidInput.
func ParseThreshold(s string) (Threshold, error) {
	text := strings.TrimSpace(s)
	bad := func(why string) (Threshold, error) {
		return Threshold{}, refusef("ParseThreshold", "threshold %q: %s", s, why)
	}
	if strings.HasPrefix(text, "-") || strings.HasPrefix(text, "$-") {
		return bad("must not be negative")
	}
	switch {
	case strings.HasPrefix(text, "$"):
		v, ok := parseDecimal(text[1:])
		if !ok || v <= 0 {
			return bad("want an amount of USD above 0, such as $40")
		}
		return Threshold{USD: v}, nil
	case strings.HasSuffix(text, "%"):
		v, ok := parseDecimal(text[:len(text)-1])
		if !ok || v <= 0 || v > 100 {
			return bad("want a percentage above 0% and at most 100%, such as 80%")
		}
		return Threshold{Fraction: v / 100}, nil
	case strings.HasSuffix(text, "$"):
		return bad("write the dollar sign first, such as $40")
	}
	v, ok := parseDecimal(text)
	switch {
	case !ok:
		return bad("want a percentage (80%), a fraction (0.8) or USD ($40)")
	case v > 1:
		return bad("a fraction is at most 1; write " + text + "% for a percentage or $" + text + " for USD")
	case v <= 0:
		return bad("want a fraction above 0 and at most 1, such as 0.8")
	}
	return Threshold{Fraction: v}, nil
}

// parseDecimal accepts digits with at most one decimal point, which
// strconv.ParseFloat alone would widen to signs, exponents, hex, Inf and NaN.
func parseDecimal(s string) (float64, bool) {
	digits, points := 0, 0
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '.':
			points++
		default:
			return 0, false
		}
	}
	if digits == 0 || points > 1 {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
}

// Exceeded reports whether b has reached or passed t: its Fraction is at
// least t.Fraction, or its Spent at least t.USD. A key without a limit never
// reaches a fraction, but its Spent (all-time usage when it has no reset
// period) is compared with a USD threshold. Status is not looked at: a
// disabled or expired key is judged on its numbers like any other.
func (t Threshold) Exceeded(b Budget) bool {
	if t.Fraction > 0 && b.Fraction != nil && *b.Fraction >= t.Fraction-thresholdSlack {
		return true
	}
	return t.USD > 0 && b.Spent >= t.USD-thresholdSlack
}

// String writes t the way ParseThreshold reads it ("80%", "$40"); both parts,
// if set, are joined by " or ", and the zero Threshold is "none".
func (t Threshold) String() string {
	var parts []string
	if t.Fraction > 0 {
		// Ten significant digits hide the float error of v/100*100 (7% is
		// 7.000000000000001% otherwise); 'f' keeps it free of exponents.
		pct, _ := strconv.ParseFloat(strconv.FormatFloat(t.Fraction*100, 'g', 10, 64), 64)
		parts = append(parts, strconv.FormatFloat(pct, 'f', -1, 64)+"%")
	}
	if t.USD > 0 {
		parts = append(parts, "$"+strconv.FormatFloat(t.USD, 'f', -1, 64))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, " or ")
}
