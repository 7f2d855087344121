package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/orkeys/orkeys/facade"
)

// usageSorts are the values of keys usage --sort.
var usageSorts = []string{"fraction", "spent", "remaining", "name"}

// usageOptions is keys usage.
type usageOptions struct {
	cmdBase
	conn *clientFlags
	Sort string
	workspaceScope
	IncludeDisabled bool
	Output          outputFormat
}

func newUsageCmd(f *factory, conn *clientFlags, runF func(*usageOptions) error) *cobra.Command {
	o := &usageOptions{cmdBase: cmdBase{f: f}, conn: conn}
	cmd := &cobra.Command{
		Use:   "usage",
		Short: "Show how much of its limit each key has spent, when it resets and when it runs out",
		Long: `Show every key's budget (all pages): the share of its limit spent in the
current window as a bar, spent and limit, when the window resets (UTC), and
when the limit runs out at the window's spend rate so far ('-' when it
does not run out before the reset).`,
		Example: `  orkeys keys usage
  orkeys keys usage --sort spent --include-disabled -o json`,
		Args: noArgs,
		RunE: runCommand(o, runF),
	}
	addOutputFlag(cmd, &o.Output, "json prints the computed budgets")
	fs := cmd.Flags()
	fs.StringVar(&o.Sort, "sort", "fraction", "order of the keys: "+strings.Join(usageSorts, ", ")+" (fraction and spent: most first; remaining: least first)")
	addWorkspaceScopeFlags(fs, &o.workspaceScope, "only keys of this workspace", "keys of every workspace, with a WORKSPACE column")
	fs.BoolVar(&o.IncludeDisabled, "include-disabled", false, "also show disabled keys")
	_ = cmd.RegisterFlagCompletionFunc("sort", cobra.FixedCompletions(usageSorts, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func (o *usageOptions) validate() error {
	if !slices.Contains(usageSorts, o.Sort) {
		return usageErrorf("--sort %q: want one of %s", o.Sort, strings.Join(usageSorts, ", "))
	}
	return o.workspaceScope.validate()
}

func (o *usageOptions) run() error {
	c, ws, err := o.f.clientIn(o.ctx, o.conn, &o.Workspace)
	if err != nil {
		return err
	}
	bs, err := budgets(o.ctx, c, &o.workspaceScope, facade.ListRequest{IncludeDisabled: o.IncludeDisabled, WorkspaceID: ws}, clock())
	if err != nil {
		return err
	}
	sortBudgets(bs, o.Sort)
	out := o.f.io.Out
	if o.Output == formatJSON {
		if bs == nil {
			bs = []facade.Budget{} // [] rather than null
		}
		return writeJSON(out, bs)
	}
	if len(bs) == 0 {
		_, err := fmt.Fprintln(out, "No keys.")
		return err
	}
	return writeUsageTable(out, bs, o.f.tableWidth(), o.slugs(o.ctx, c))
}

// writeUsageTable prints one budget per row, with a WORKSPACE column when
// slugs is not nil; with width > 0 it shortens long names to fit.
func writeUsageTable(w io.Writer, bs []facade.Budget, width int, slugs map[string]string) error {
	rows := [][]string{withWorkspace(slugs, []string{"NAME", "HASH", "USED", "SPENT", "LIMIT", "RESETS (UTC)", "RUNS OUT (UTC)", "STATUS"}, "WORKSPACE")}
	for _, b := range bs {
		rows = append(rows, withWorkspace(slugs, []string{cell(b.Name), hashPrefix(b.Hash), bar(b.Fraction),
			money(b.Spent), moneyPtr(b.Limit), resets(b), runsOut(b), budgetStatus(b.Status)}, workspaceCell(slugs, b.WorkspaceID)))
	}
	if width > 0 {
		fitColumn(rows, 0, width)
	}
	return writeRows(w, rows)
}

// minuteFormat shows times to the minute: windows start at midnight, and
// a projection is no more precise than that.
const minuteFormat = "2006-01-02 15:04"

// resets says when the window starts over, with its period.
func resets(b facade.Budget) string {
	switch {
	case b.Limit == nil:
		return none
	case b.ResetsAt != nil:
		return fmt.Sprintf("%s (%s)", b.ResetsAt.Format(minuteFormat), cell(string(*b.LimitReset)))
	case b.LimitReset != nil:
		return cell(string(*b.LimitReset)) // a period orkeys does not know
	}
	return "never"
}

// runsOut is the projected exhaustion: "now" for an exhausted key.
func runsOut(b facade.Budget) string {
	switch {
	case b.ExhaustsAt == nil:
		return none
	case !b.ExhaustsAt.After(b.At):
		return "now"
	}
	return b.ExhaustsAt.Truncate(time.Minute).Format(minuteFormat)
}

// budgetStatus is a BudgetStatus in words.
func budgetStatus(s facade.BudgetStatus) string {
	return strings.ReplaceAll(string(s), "_", " ")
}
