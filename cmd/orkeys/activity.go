package main

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/internal/rules"
)

// activityDays is how far back GET /activity reaches: the last 30 completed
// UTC days.
const activityDays = 30

// spendRow is the use of one model on one day (Days), of one model over
// the period (Models) or of everything (Total), in activity's -o json.
type spendRow struct {
	Date             string  `json:"date,omitempty"`
	Model            string  `json:"model,omitempty"`
	Requests         int     `json:"requests"`
	Usage            float64 `json:"usage"`
	BYOKUsage        float64 `json:"byok_usage"`
	PromptTokens     int     `json:"prompt_tokens"`
	CompletionTokens int     `json:"completion_tokens"`
	ReasoningTokens  int     `json:"reasoning_tokens"`
}

func (r *spendRow) add(it facade.ActivityItem) {
	r.Requests += it.Requests
	r.Usage += it.Usage
	r.BYOKUsage += it.ByokUsageInference
	r.PromptTokens += it.PromptTokens
	r.CompletionTokens += it.CompletionTokens
	r.ReasoningTokens += it.ReasoningTokens
}

// activityReport is activity's -o json: spend per day and model (newest
// day first), per model (most spend first), and in all.
type activityReport struct {
	Days   []spendRow `json:"days"`
	Models []spendRow `json:"models"`
	Total  spendRow   `json:"total"`
}

// activityOptions is activity.
type activityOptions struct {
	cmdBase
	conn   *clientFlags
	fs     *pflag.FlagSet
	Key    hashValue
	Date   string
	Days   int
	Output outputFormat
}

func newActivityCmd(f *factory, runF func(*activityOptions) error) *cobra.Command {
	o := &activityOptions{cmdBase: cmdBase{f: f}}
	cmd := &cobra.Command{
		Use:   "activity",
		Short: "Show spend per day and model over the last 30 days, with totals (needs a management key)",
		Long: `Show what the account spent per UTC day and model, over the last 30
completed UTC days (today is not included until it is over), then per
model and in all. SPEND is OpenRouter credits; BYOK, shown when there is
any, is what bring-your-own-key requests cost at the provider.`,
		Example: `  orkeys activity --days 7
  orkeys activity --key HASH --date 2026-03-10 -o json`,
		Args: noArgs,
		RunE: runCommand(o, runF),
	}
	o.conn = addClientFlags(cmd.Flags())
	addOutputFlag(cmd, &o.Output, "json prints spend per day and model, per model, and the total")
	fs := cmd.Flags()
	o.fs = fs
	fs.Var(&o.Key, "key", "only the activity of the key with this hash")
	fs.StringVar(&o.Date, "date", "", "only this UTC day, YYYY-MM-DD, one of the last 30 completed days")
	fs.IntVar(&o.Days, "days", activityDays, "only the last N completed UTC days, 1 to 30")
	return cmd
}

func (o *activityOptions) validate() error {
	if err := exclusive(o.fs, "date", "days", "--date picks one day, --days the last N"); err != nil {
		return err
	}
	if o.Days < 1 || o.Days > activityDays {
		return usageErrorf("--days %d: want 1 to %d (the API keeps the last %d completed days)", o.Days, activityDays, activityDays)
	}
	if !o.fs.Changed("date") {
		return nil
	}
	if err := rules.Date(o.Date); err != nil {
		return usageErrorf("--date %v, such as 2026-03-10", err)
	}
	// The API keeps the last 30 completed UTC days: a date outside them
	// is refused here rather than sent.
	day, _ := time.Parse(time.DateOnly, o.Date)
	today := clock().UTC().Truncate(24 * time.Hour)
	if first := today.AddDate(0, 0, -activityDays); day.Before(first) || !day.Before(today) {
		return usageErrorf("--date %s: want one of the last %d completed UTC days, %s to %s",
			o.Date, activityDays, first.Format(time.DateOnly), today.AddDate(0, 0, -1).Format(time.DateOnly))
	}
	return nil
}

func (o *activityOptions) run() error {
	var req facade.GetUserActivityRequest
	if o.Key.set {
		req.APIKeyHash = &o.Key.v
	}
	dated := o.fs.Changed("date")
	if dated {
		req.Date = &o.Date
	}
	c, err := o.f.newClient(o.conn, clientSpec{})
	if err != nil {
		return err
	}
	res, err := c.Analytics.GetUserActivity(o.ctx, req)
	if err != nil {
		return err
	}
	// The API has no range filter: --days keeps the days from N days
	// before today (UTC) on.
	first := ""
	if !dated {
		first = clock().UTC().Truncate(24*time.Hour).AddDate(0, 0, -o.Days).Format(time.DateOnly)
	}
	r := summarize(res.Data, first)
	out := o.f.io.Out
	if o.Output == formatJSON {
		return writeJSON(out, r)
	}
	if len(r.Days) == 0 {
		what := fmt.Sprintf("the last %d completed UTC days", o.Days)
		if dated {
			what = o.Date
		}
		_, err := fmt.Fprintf(out, "No activity in %s.\n", what)
		return err
	}
	return writeActivity(out, r)
}

// summarize sums the API's rows (one per day, model and provider endpoint)
// per day and model and per model, keeping days from first on ("" keeps
// all).
func summarize(items []facade.ActivityItem, first string) activityReport {
	r := activityReport{Days: []spendRow{}, Models: []spendRow{}}
	type dayModel struct{ date, model string }
	days := map[dayModel]*spendRow{}
	models := map[string]*spendRow{}
	for _, it := range items {
		if it.Date < first { // YYYY-MM-DD compares as text
			continue
		}
		dm := dayModel{it.Date, it.Model}
		if days[dm] == nil {
			days[dm] = &spendRow{Date: it.Date, Model: it.Model}
		}
		if models[it.Model] == nil {
			models[it.Model] = &spendRow{Model: it.Model}
		}
		days[dm].add(it)
		models[it.Model].add(it)
		r.Total.add(it)
	}
	for _, d := range days {
		r.Days = append(r.Days, *d)
	}
	for _, m := range models {
		r.Models = append(r.Models, *m)
	}
	slices.SortFunc(r.Days, func(a, b spendRow) int {
		return cmp.Or(cmp.Compare(b.Date, a.Date), cmp.Compare(a.Model, b.Model))
	})
	slices.SortFunc(r.Models, func(a, b spendRow) int {
		return cmp.Or(cmp.Compare(b.Usage, a.Usage), cmp.Compare(a.Model, b.Model))
	})
	return r
}

// writeActivity prints spend per day and model, then per model with the
// total.
func writeActivity(w io.Writer, r activityReport) error {
	byok := r.Total.BYOKUsage > 0
	row := func(first, second string, s spendRow) string {
		line := fmt.Sprintf("%s\t%s\t%d\t%s", first, second, s.Requests, money(s.Usage))
		if byok {
			line += "\t" + money(s.BYOKUsage)
		}
		return line
	}
	header := func(first, second string) string {
		if byok {
			return first + "\t" + second + "\tREQUESTS\tSPEND\tBYOK"
		}
		return first + "\t" + second + "\tREQUESTS\tSPEND"
	}

	tw := newTable(w)
	fmt.Fprintln(tw, header("DATE", "MODEL"))
	for _, d := range r.Days {
		fmt.Fprintln(tw, row(cell(d.Date), cell(d.Model), d))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)

	// Per model, most spend first: which model is burning the money.
	tw = newTable(w)
	fmt.Fprintln(tw, header("MODEL", "DAYS"))
	for _, m := range r.Models {
		n := 0
		for _, d := range r.Days {
			if d.Model == m.Model {
				n++
			}
		}
		fmt.Fprintln(tw, row(cell(m.Model), fmt.Sprint(n), m))
	}
	fmt.Fprintln(tw, row("TOTAL", fmt.Sprint(countDays(r.Days)), r.Total))
	return tw.Flush()
}

// countDays is how many distinct days rows cover.
func countDays(rows []spendRow) int {
	seen := map[string]bool{}
	for _, r := range rows {
		seen[r.Date] = true
	}
	return len(seen)
}
