package main

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/orkeys/orkeys/internal/rules"
)

// Typed flags: each value checks itself once, through internal/rules, when
// the flag is parsed, so that a bad value is exit 2 naming the flag
// (flagErrorMessage) before anything is sent. Each records whether it was
// given.

// workspaceValue is --workspace: a UUID.
type workspaceValue struct {
	v   string
	set bool
}

func (w *workspaceValue) String() string { return w.v }
func (w *workspaceValue) Type() string   { return "uuid" }
func (w *workspaceValue) Set(s string) error {
	if err := rules.UUID(s); err != nil {
		return &quotedError{err}
	}
	w.v, w.set = s, true
	return nil
}

// ptr is the workspace for a request: nil when not given.
func (w *workspaceValue) ptr() *string {
	if !w.set {
		return nil
	}
	v := w.v
	return &v
}

func addWorkspaceFlag(fs *pflag.FlagSet, w *workspaceValue, what string) {
	fs.Var(w, "workspace", what+" (a UUID; default: the default workspace)")
}

// hashValue is a key hash given as a flag (activity --key).
type hashValue struct {
	v   string
	set bool
}

func (h *hashValue) String() string { return h.v }
func (h *hashValue) Type() string   { return "hash" }
func (h *hashValue) Set(s string) error {
	if err := rules.KeyHash(s); err != nil {
		return &quotedError{errors.New(err.Error() + " ('orkeys keys list' shows them)")}
	}
	h.v, h.set = s, true
	return nil
}

// limitValue is a spending limit in USD: finite, 0 to rules.MaxLimit.
type limitValue struct {
	v   float64
	set bool
}

func (l *limitValue) String() string {
	if !l.set {
		return ""
	}
	return strconv.FormatFloat(l.v, 'f', -1, 64)
}
func (l *limitValue) Type() string { return "usd" }
func (l *limitValue) Set(s string) error {
	v, perr := strconv.ParseFloat(strings.TrimSpace(strings.TrimPrefix(s, "$")), 64)
	if perr != nil && !errors.Is(perr, strconv.ErrRange) {
		return errors.New("want a number of USD, such as 25 or 2.5")
	}
	if err := rules.Limit(v); perr != nil || err != nil {
		return &quotedError{fmt.Errorf("%s: must be an amount of USD from 0 to %.0f", s, rules.MaxLimit)}
	}
	l.v, l.set = rules.PlainZero(v), true
	return nil
}

// resetValue is --limit-reset: daily, weekly or monthly.
type resetValue struct {
	v   string
	set bool
}

func (r *resetValue) String() string { return r.v }
func (r *resetValue) Type() string   { return "period" }
func (r *resetValue) Set(s string) error {
	if err := rules.LimitReset(s); err != nil {
		return errors.New("want daily, weekly or monthly")
	}
	r.v, r.set = s, true
	return nil
}

func addLimitResetFlag(cmd *cobra.Command, r *resetValue, usage string) {
	cmd.Flags().Var(r, "limit-reset", usage)
	_ = cmd.RegisterFlagCompletionFunc("limit-reset", cobra.FixedCompletions(rules.LimitResets, cobra.ShellCompDirectiveNoFileComp))
}

// timeValue is an RFC 3339 instant, kept in UTC (the API wants UTC). That
// it lies ahead is checked by the command, against its clock.
type timeValue struct {
	v   time.Time
	set bool
}

func (t *timeValue) String() string {
	if !t.set {
		return ""
	}
	return t.v.Format(time.RFC3339)
}
func (t *timeValue) Type() string { return "time" }
func (t *timeValue) Set(s string) error {
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return errors.New("want an RFC 3339 time such as 2030-01-01T00:00:00Z")
	}
	t.v, t.set = v.UTC(), true
	return nil
}

// future checks an expiry against now, naming the flag.
func (t *timeValue) future(flag string, now time.Time) error {
	if err := rules.ExpiresAt(t.v, now); err != nil {
		return usageErrorf("--%s %v", flag, err)
	}
	return nil
}

// durationValue is a Go duration that must not be negative.
type durationValue struct {
	v   time.Duration
	set bool
}

func (d *durationValue) String() string {
	if d.v == 0 {
		return ""
	}
	return d.v.String()
}
func (d *durationValue) Type() string { return "duration" }
func (d *durationValue) Set(s string) error {
	v, err := time.ParseDuration(s)
	switch {
	case err != nil:
		return errors.New("want a duration, such as 30s, 2m or 1h30m")
	case v < 0:
		return &quotedError{fmt.Errorf("%s: must not be negative", s)}
	}
	d.v, d.set = v, true
	return nil
}

// withinValue is --expiring-within: a duration that may count days,
// which Go's durations lack: 7d, 36h, 1d12h, 90m. 0 selects keys that have
// already expired. One that overflows is refused, not wrapped.
type withinValue struct {
	v   time.Duration
	set bool
}

func (w *withinValue) String() string { return "" }
func (w *withinValue) Type() string   { return "duration" }
func (w *withinValue) Set(s string) error {
	d, err := parseWithin(s)
	if err != nil {
		return err
	}
	w.v, w.set = d, true
	return nil
}

// maxWithin is the longest --expiring-within: beyond it, time.Now().Add
// would overflow.
const maxWithin = 100 * 365 * 24 * time.Hour

func parseWithin(s string) (time.Duration, error) {
	bad := errors.New("want a duration such as 7d, 36h or 1d12h, of at most 100 years")
	rest := strings.TrimSpace(s)
	var d time.Duration
	if days, after, ok := strings.Cut(rest, "d"); ok {
		n, err := strconv.ParseUint(days, 10, 16)
		if err != nil {
			return 0, bad
		}
		d, rest = time.Duration(n)*24*time.Hour, after
	}
	if rest != "" {
		more, err := time.ParseDuration(rest)
		if err != nil || more < 0 || more > maxWithin {
			return 0, bad
		}
		d += more
	}
	if d < 0 || d > maxWithin || (rest == "" && d == 0 && strings.TrimSpace(s) != "0d") {
		return 0, bad
	}
	return d, nil
}

// countValue is a whole number of 0 or more (--retries, --offset).
type countValue struct {
	n   int
	set bool
}

func (c *countValue) String() string { return strconv.Itoa(c.n) }
func (c *countValue) Type() string   { return "int" }
func (c *countValue) Set(s string) error {
	n, err := strconv.ParseInt(s, 10, 32)
	switch {
	case errors.Is(err, strconv.ErrRange):
		return &quotedError{fmt.Errorf("%s: too large (at most %d)", s, math.MaxInt32)}
	case err != nil:
		return errors.New("want a whole number, such as 100")
	case n < 0:
		return &quotedError{fmt.Errorf("%d: must not be negative", n)}
	}
	c.n, c.set = int(n), true
	return nil
}

// quotedError is a rules message that quotes the value itself: the flag
// name goes before it, and the value is not quoted twice.
type quotedError struct{ err error }

func (e *quotedError) Error() string { return e.err.Error() }

// flagErrorMessage rewrites pflag's parse errors: "invalid argument "ten"
// for "--offset" flag: strconv.ParseInt: parsing "ten": invalid syntax"
// becomes "--offset "ten": want a whole number, such as 100".
func flagErrorMessage(err error) string {
	var invalid *pflag.InvalidValueError
	var missing *pflag.ValueRequiredError
	switch {
	case errors.As(err, &invalid):
		f := invalid.GetFlag()
		var q *quotedError
		if errors.As(invalid.Unwrap(), &q) {
			return fmt.Sprintf("--%s %s", f.Name, q)
		}
		return fmt.Sprintf("--%s %q: %s", f.Name, invalid.GetValue(), wantFor(f, invalid.Unwrap()))
	case errors.As(err, &missing):
		if f := missing.GetFlag(); f != nil {
			return fmt.Sprintf("--%s needs a value: %s", f.Name, wantFor(f, nil))
		}
	}
	return err.Error()
}

// wantFor says what a flag's value should look like: the typed values say
// it themselves.
func wantFor(f *pflag.Flag, cause error) string {
	switch f.Value.Type() {
	case "int", "int64", "uint16":
		if cause == nil || strings.Contains(cause.Error(), "strconv.") {
			return "want a whole number, such as 100"
		}
	case "float64":
		return "want a number, such as 25 or 2.5"
	case "bool":
		return "want true or false"
	}
	if cause != nil {
		return cause.Error()
	}
	return "want " + f.Value.Type()
}

// exclusive refuses two flags given together, naming both.
func exclusive(fs *pflag.FlagSet, a, b, why string) error {
	if fs.Changed(a) && fs.Changed(b) {
		return usageErrorf("--%s and --%s cannot be used together: %s", a, b, why)
	}
	return nil
}
