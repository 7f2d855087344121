package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/orkeys/orkeys/facade"
)

func (f *factory) budgetCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "budget",
		Short: "Check keys against a spending threshold, for cron and CI (needs a management key)",
		Args:  noArgs, // an unknown subcommand is an error, not a help page
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cf := addClientFlags(cmd.PersistentFlags())
	cmd.AddCommand(newBudgetCheckCmd(f, cf, nil))
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

// budgetCheckOptions is budget check.
type budgetCheckOptions struct {
	cmdBase
	conn    *clientFlags
	Over    string
	overSet bool
	Disable bool
	// DryRun, with Disable, shows which keys would be disabled.
	DryRun bool
	workspaceScope
	Output outputFormat

	threshold facade.Threshold
}

func newBudgetCheckCmd(f *factory, conn *clientFlags, runF func(*budgetCheckOptions) error) *cobra.Command {
	o := &budgetCheckOptions{cmdBase: cmdBase{f: f}, conn: conn}
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
		Args: noArgs,
		RunE: runCommand(o, runF),
	}
	addOutputFlag(cmd, &o.Output, "json prints the threshold, the number of keys checked and the budgets of the keys over it")
	fs := cmd.Flags()
	fs.StringVar(&o.Over, "over", "", "threshold: a share of the limit (80% or 0.8) or USD spent in the window ($40) (required)")
	fs.BoolVar(&o.Disable, "disable", false, "disable the keys over the threshold")
	fs.BoolVar(&o.DryRun, "dry-run", false, "with --disable: only show which keys it would disable")
	addWorkspaceScopeFlags(fs, &o.workspaceScope, "only keys of this workspace", "keys of every workspace, with a WORKSPACE column")
	cmd.PreRun = func(*cobra.Command, []string) { o.overSet = fs.Changed("over") }
	return cmd
}

func (o *budgetCheckOptions) validate() error {
	if !o.overSet {
		return usageErrorf("budget check needs --over, such as --over 80%%, --over 0.8 or --over '$40'")
	}
	t, err := facade.ParseThreshold(o.Over)
	if err != nil {
		var in *facade.InputError
		if errors.As(err, &in) {
			return usageErrorf("%s", inputMessage(in))
		}
		return usageErrorf("--over: %s", trimPrefix(err.Error()))
	}
	o.threshold = t
	if o.DryRun && !o.Disable {
		return usageErrorf("--dry-run shows what --disable would do: pass both, or neither")
	}
	return o.workspaceScope.validate()
}

func (o *budgetCheckOptions) run() error {
	c, ws, err := o.f.clientIn(o.ctx, o.conn, &o.Workspace)
	if err != nil {
		return err
	}
	bs, err := budgets(o.ctx, c, &o.workspaceScope, facade.ListRequest{WorkspaceID: ws}, clock())
	if err != nil {
		return err
	}
	// Worst first, by the measure the threshold uses.
	if o.threshold.Fraction > 0 {
		sortBudgets(bs, "fraction")
	} else {
		sortBudgets(bs, "spent")
	}
	report := budgetReport{Threshold: o.threshold.String(), Checked: len(bs), Over: []overKey{}}
	for _, b := range bs {
		if o.threshold.Exceeded(b) {
			report.Over = append(report.Over, overKey{Budget: b})
		}
	}
	var failed error
	if o.Disable {
		failed = o.disable(c, report.Over)
	}
	if o.Output == formatJSON {
		err = writeJSON(o.f.io.Out, report)
	} else {
		var slugs map[string]string // the workspaces are read only for a table of keys
		if len(report.Over) > 0 {
			slugs = o.slugs(o.ctx, c)
		}
		err = writeBudgetReport(o.f.io.Out, report, o.Disable, slugs)
	}
	switch {
	case err != nil:
		return err
	case failed != nil:
		return failed
	case len(report.Over) > 0:
		return &exitErr{code: exitFound, err: fmt.Errorf("%s over %s", plural(len(report.Over), "key is", "keys are"), report.Threshold)}
	}
	return nil
}

// disable switches off every key over before reporting; one failure does
// not spare the others.
func (o *budgetCheckOptions) disable(c *facade.Client, over []overKey) error {
	var failed error
	for i := range over {
		k := &over[i]
		if o.DryRun {
			k.Action = actionWouldDisable
			continue
		}
		_, err := c.APIKeys.Update(o.ctx, facade.UpdateKeysRequest{
			Hash: k.Hash, RequestBody: facade.UpdateKeysRequestBody{Disabled: facade.Ptr(true)},
		})
		if err != nil {
			k.Action = actionFailed
			failed = errors.Join(failed, fmt.Errorf("disabling %s (%s): %w", cell(k.Name), hashPrefix(k.Hash), err))
			continue
		}
		k.Action = actionDisabled
	}
	return failed
}

// writeBudgetReport prints the keys over the threshold, or one line saying
// that none is; slugs as in writeUsageTable.
func writeBudgetReport(w io.Writer, r budgetReport, disable bool, slugs map[string]string) error {
	if len(r.Over) == 0 {
		_, err := fmt.Fprintf(w, "No key is over %s (%s checked).\n", r.Threshold, plural(r.Checked, "key", "keys"))
		return err
	}
	fmt.Fprintf(w, "%s over %s (of %d checked):\n", plural(len(r.Over), "key", "keys"), r.Threshold, r.Checked)
	header := []string{"NAME", "HASH", "SPENT / LIMIT", "USED"}
	if disable {
		header = append(header, "ACTION")
	}
	rows := [][]string{withWorkspace(slugs, header, "WORKSPACE")}
	for _, k := range r.Over {
		used := none
		if k.Fraction != nil {
			used = bar(k.Fraction)
		}
		row := []string{cell(k.Name), hashPrefix(k.Hash), money(k.Spent) + " / " + moneyPtr(k.Limit), used}
		if disable {
			row = append(row, actionWords(k.Action))
		}
		rows = append(rows, withWorkspace(slugs, row, workspaceCell(slugs, k.WorkspaceID)))
	}
	return writeRows(w, rows)
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
