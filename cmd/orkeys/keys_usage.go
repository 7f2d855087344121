package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/orkeys/orkeys/facade"
)

// usageSorts are the values of keys usage --sort.
var usageSorts = []string{"fraction", "spent", "remaining", "name"}

func (a *app) keysUsageCmd(cf *clientFlags) *cobra.Command {
	var (
		sortBy          string
		workspace       string
		includeDisabled bool
	)
	cmd := &cobra.Command{
		Use:   "usage",
		Short: "Show how much of its limit each key has spent, when it resets and when it runs out",
		Long: `Show every key's budget (all pages): the share of its limit spent in the
current window as a bar, spent and limit, when the window resets (UTC), and
when the limit runs out at the window's spend rate so far ('-' when it
does not run out before the reset).`,
		Example: `  orkeys keys usage
  orkeys keys usage --sort spent --include-disabled -o json`,
		Args: a.noArgs,
	}
	out := addOutputFlag(cmd, "json prints the computed budgets")
	fs := cmd.Flags()
	fs.StringVar(&sortBy, "sort", "fraction", "order of the keys: "+strings.Join(usageSorts, ", ")+" (fraction and spent: most first; remaining: least first)")
	fs.StringVar(&workspace, "workspace", "", "only keys of this workspace (a UUID; default: the default workspace)")
	fs.BoolVar(&includeDisabled, "include-disabled", false, "also show disabled keys")
	_ = cmd.RegisterFlagCompletionFunc("sort", cobra.FixedCompletions(usageSorts, cobra.ShellCompDirectiveNoFileComp))
	cmd.RunE = runE(func(cmd *cobra.Command, _ []string) error {
		if !slices.Contains(usageSorts, sortBy) {
			return usageErrorf("--sort %q: want one of %s", sortBy, strings.Join(usageSorts, ", "))
		}
		req, err := spendListRequest(fs, workspace, includeDisabled)
		if err != nil {
			return err
		}
		c, err := a.newClient(fs, cf, a.stderr)
		if err != nil {
			return err
		}
		bs, err := budgets(cmd.Context(), c, req, clock())
		if err != nil {
			return err
		}
		sortBudgets(bs, sortBy)
		if *out == formatJSON {
			if bs == nil {
				bs = []facade.Budget{} // [] rather than null
			}
			return writeJSON(a.stdout, bs)
		}
		if len(bs) == 0 {
			_, err := fmt.Fprintln(a.stdout, "No keys.")
			return err
		}
		return writeUsageTable(a.stdout, bs, a.tableWidth())
	})
	return cmd
}

// spendListRequest is the GET /keys filter of the spend commands.
func spendListRequest(fs *pflag.FlagSet, workspace string, includeDisabled bool) (facade.ListRequest, error) {
	req := facade.ListRequest{IncludeDisabled: includeDisabled}
	if fs.Changed("workspace") {
		if err := checkUUID("--workspace", workspace); err != nil {
			return req, err
		}
		req.WorkspaceID = &workspace
	}
	return req, nil
}

// writeUsageTable prints one budget per row; with width > 0 it shortens
// long names to fit.
func writeUsageTable(w io.Writer, bs []facade.Budget, width int) error {
	rows := [][]string{{"NAME", "HASH", "USED", "SPENT", "LIMIT", "RESETS (UTC)", "RUNS OUT (UTC)", "STATUS"}}
	for _, b := range bs {
		rows = append(rows, []string{cell(b.Name), hashPrefix(b.Hash), bar(b.Fraction),
			money(b.Spent), moneyPtr(b.Limit), resets(b), runsOut(b), budgetStatus(b.Status)})
	}
	if width > 0 {
		fitColumn(rows, 0, width)
	}
	tw := newTable(w)
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	return tw.Flush()
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
