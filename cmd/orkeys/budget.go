package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/orkeys/orkeys/facade"
)

func (a *app) budgetCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "budget",
		Short: "Check keys against a spending threshold, for cron and CI (needs a management key)",
		Args:  a.noArgs, // an unknown subcommand is an error, not a help page
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cf := &clientFlags{}
	cf.register(cmd.PersistentFlags())
	cmd.AddCommand(a.budgetCheckCmd(cf))
	return cmd
}

// What budget check did about a key over the threshold.
const (
	actionDisabled     = "disabled"
	actionWouldDisable = "would_disable"
	actionFailed       = "failed"
)

// overKey is a key over the threshold, for -o json: its budget and, with
// --disable, what was done about it.
type overKey struct {
	facade.Budget
	Action string `json:"action,omitempty"`
}

// budgetReport is budget check's -o json.
type budgetReport struct {
	Threshold string    `json:"threshold"`
	Checked   int       `json:"checked"`
	Over      []overKey `json:"over"`
}

func (a *app) budgetCheckCmd(cf *clientFlags) *cobra.Command {
	var (
		over      string
		disable   bool
		dryRun    bool
		workspace string
	)
	cmd := &cobra.Command{
		Use:   "check --over THRESHOLD",
		Short: "Exit 8 when a key has spent past a threshold; optionally disable it",
		Long: `Check every enabled key (all pages) against a threshold: a share of its
limit in the current window (--over 80% or --over 0.8) or an amount of USD
spent in the current window (--over '$40'; all-time spend for a key whose
limit never resets or that has no limit).

Exit 0 when no key is over. Exit 8 when any key is over, listing those keys
on stdout. Without --disable nothing changes; --disable switches those keys
off, and --disable --dry-run only shows what it would switch off. Disabled
keys are not checked: they cannot spend.`,
		Example: `  orkeys budget check --over 80%
  orkeys budget check --over '$40' --disable --dry-run
  orkeys budget check --over 0.95 --disable -o json`,
		Args: a.noArgs,
	}
	out := addOutputFlag(cmd, "json prints the threshold, the number of keys checked and the budgets of the keys over it")
	fs := cmd.Flags()
	fs.StringVar(&over, "over", "", "threshold: a share of the limit (80% or 0.8) or USD spent in the window ($40) (required)")
	fs.BoolVar(&disable, "disable", false, "disable the keys over the threshold")
	fs.BoolVar(&dryRun, "dry-run", false, "with --disable: only show which keys it would disable")
	fs.StringVar(&workspace, "workspace", "", "only keys of this workspace (a UUID; default: the default workspace)")
	cmd.RunE = runE(func(cmd *cobra.Command, _ []string) error {
		if !fs.Changed("over") {
			return usageErrorf("budget check needs --over, such as --over 80%%, --over 0.8 or --over '$40'")
		}
		threshold, err := facade.ParseThreshold(over)
		if err != nil {
			return usageErrorf("--over: %s", clean(err.Error()))
		}
		if dryRun && !disable {
			return usageErrorf("--dry-run shows what --disable would do: pass both, or neither")
		}
		req, err := spendListRequest(fs, workspace, false)
		if err != nil {
			return err
		}
		c, err := a.newClient(fs, cf, a.stderr)
		if err != nil {
			return err
		}
		ctx := cmd.Context()
		bs, err := budgets(ctx, c, req, clock())
		if err != nil {
			return err
		}
		// Worst first, by the measure the threshold uses.
		if threshold.Fraction > 0 {
			sortBudgets(bs, "fraction")
		} else {
			sortBudgets(bs, "spent")
		}
		report := budgetReport{Threshold: threshold.String(), Checked: len(bs), Over: []overKey{}}
		for _, b := range bs {
			if threshold.Exceeded(b) {
				report.Over = append(report.Over, overKey{Budget: b})
			}
		}

		// Disable every key over before reporting; one failure does not
		// spare the others.
		var failed error
		if disable {
			for i := range report.Over {
				k := &report.Over[i]
				if dryRun {
					k.Action = actionWouldDisable
					continue
				}
				_, err := c.APIKeys.Update(ctx, facade.UpdateKeysRequest{
					Hash: k.Hash, RequestBody: facade.UpdateKeysRequestBody{Disabled: facade.Ptr(true)},
				})
				if err != nil {
					k.Action = actionFailed
					failed = errors.Join(failed, fmt.Errorf("disabling %s (%s): %w", k.Name, hashPrefix(k.Hash), err))
					continue
				}
				k.Action = actionDisabled
			}
		}

		if *out == formatJSON {
			err = writeJSON(a.stdout, report)
		} else {
			err = writeBudgetReport(a.stdout, report, disable)
		}
		switch {
		case err != nil:
			return err
		case failed != nil:
			return failed
		case len(report.Over) > 0:
			return &exitErr{code: exitOverBudget, err: fmt.Errorf("%s over %s", plural(len(report.Over), "key is", "keys are"), report.Threshold)}
		}
		return nil
	})
	return cmd
}

// writeBudgetReport prints the keys over the threshold, or one line saying
// that none is.
func writeBudgetReport(w io.Writer, r budgetReport, disable bool) error {
	if len(r.Over) == 0 {
		_, err := fmt.Fprintf(w, "No key is over %s (%s checked).\n", r.Threshold, plural(r.Checked, "key", "keys"))
		return err
	}
	fmt.Fprintf(w, "%s over %s (of %d checked):\n", plural(len(r.Over), "key", "keys"), r.Threshold, r.Checked)
	tw := newTable(w)
	header := "NAME\tHASH\tSPENT / LIMIT\tUSED"
	if disable {
		header += "\tACTION"
	}
	fmt.Fprintln(tw, header)
	for _, k := range r.Over {
		used := none
		if k.Fraction != nil {
			used = bar(k.Fraction)
		}
		row := fmt.Sprintf("%s\t%s\t%s / %s\t%s", cell(k.Name), hashPrefix(k.Hash), money(k.Spent), moneyPtr(k.Limit), used)
		if disable {
			row += "\t" + actionWords(k.Action)
		}
		fmt.Fprintln(tw, row)
	}
	return tw.Flush()
}

func actionWords(action string) string {
	switch action {
	case actionWouldDisable:
		return "would disable (dry run)"
	case actionFailed:
		return "failed to disable"
	}
	return action
}

// plural is "1 key" or "3 keys".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
