package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/internal/rules"
)

// workspaceBudgetsOptions is workspaces budgets.
type workspaceBudgetsOptions struct {
	cmdBase
	conn   *clientFlags
	Ref    string
	Output outputFormat
}

func newWorkspaceBudgetsCmd(f *factory, conn *clientFlags, runF func(*workspaceBudgetsOptions) error) *cobra.Command {
	o := &workspaceBudgetsOptions{cmdBase: cmdBase{f: f}, conn: conn}
	cmd := &cobra.Command{
		Use:     "budgets WORKSPACE",
		Short:   "List a workspace's budgets, one per interval",
		Example: "  orkeys workspaces budgets research",
		Args:    refArgs(workspaceArg(&o.Ref)),
		RunE:    runCommand(o, runF),
	}
	addOutputFlag(cmd, &o.Output, apiJSON)
	return cmd
}

func (o *workspaceBudgetsOptions) validate() error { return nil }

func (o *workspaceBudgetsOptions) run() error {
	c, err := o.f.newClient(o.conn, clientSpec{})
	if err != nil {
		return err
	}
	var raw []byte
	res, err := c.Workspaces.ListBudgets(o.ctx, facade.ListWorkspaceBudgetsRequest{ID: o.Ref}, facade.WithResponseBodyInto(&raw))
	if err != nil {
		return err
	}
	if o.Output == formatJSON {
		return writeRawJSON(o.f.io.Out, raw)
	}
	return writeList(o.f, o.Output, res.Data, "No budgets.", []string{"INTERVAL", "LIMIT", "UPDATED"},
		func(b *facade.WorkspaceBudget) []string {
			return []string{budgetInterval(b), money(b.LimitUsd), timeStr(&b.UpdatedAt)}
		})
}

// budgetInterval names a budget's interval; a budget without one is the
// lifetime budget.
func budgetInterval(b *facade.WorkspaceBudget) string {
	if b.ResetInterval == nil {
		return string(facade.BudgetLifetime)
	}
	return cell(string(*b.ResetInterval))
}

// workspaceSetBudgetOptions is workspaces set-budget. Budgets must fall
// strictly from lifetime to daily (rules.BudgetOrder); the command reads
// the others first and refuses a limit out of order before sending.
type workspaceSetBudgetOptions struct {
	cmdBase
	planeChange
	Ref, Interval string
	Limit         budgetLimitValue
}

func newWorkspaceSetBudgetCmd(f *factory, conn *clientFlags, runF func(*workspaceSetBudgetOptions) error) *cobra.Command {
	o := &workspaceSetBudgetOptions{cmdBase: cmdBase{f: f}, planeChange: planeChange{conn: conn}}
	cmd := &cobra.Command{
		Use:     "set-budget WORKSPACE INTERVAL --limit USD",
		Short:   "Set a workspace's budget for daily, weekly, monthly or lifetime",
		Example: "  orkeys workspaces set-budget research monthly --limit 500",
		Args:    refArgs(workspaceArg(&o.Ref), intervalArg(&o.Interval)),
		RunE:    runCommand(o, runF),
	}
	cmd.Flags().Var(&o.Limit, "limit", "the budget in USD, more than 0 (required)")
	o.planeChange.addFlags(cmd)
	return cmd
}

func (o *workspaceSetBudgetOptions) validate() error {
	if !o.Limit.set {
		return usageErrorf("set-budget needs --limit USD, such as --limit 500")
	}
	return nil
}

func (o *workspaceSetBudgetOptions) run() error {
	c, rec, err := o.client(o.f)
	if err != nil {
		return err
	}
	if err := o.checkOrder(c); err != nil {
		return err
	}
	var raw []byte
	res, err := c.Workspaces.SetBudget(o.ctx, facade.UpsertWorkspaceBudgetRequest{ID: o.Ref, Interval: facade.WorkspaceBudgetInterval(o.Interval),
		RequestBody: facade.UpsertWorkspaceBudgetRequestBody{LimitUsd: o.Limit.v}}, facade.WithResponseBodyInto(&raw))
	return o.done(o.f, rec, err, func() error {
		if o.Output == formatJSON {
			return writeRawJSON(o.f.io.Out, raw)
		}
		_, err := fmt.Fprintf(o.f.io.Out, "Set the %s budget of workspace %s to %s.\n", o.Interval, o.Ref, money(res.Data.LimitUsd))
		return err
	})
}

// checkOrder reads the workspace's budgets and checks the new one against
// them, so that a budget out of order is exit 2 with both limits named.
func (o *workspaceSetBudgetOptions) checkOrder(c *facade.Client) error {
	have, err := c.Workspaces.ListBudgets(o.ctx, facade.ListWorkspaceBudgetsRequest{ID: o.Ref})
	if err != nil {
		return err
	}
	limits := map[string]float64{}
	for i := range have.Data {
		limits[budgetInterval(&have.Data[i])] = have.Data[i].LimitUsd
	}
	limits[o.Interval] = o.Limit.v
	if err := rules.BudgetOrder(limits); err != nil {
		return usageErrorf("--limit %s: %v", o.Limit.String(), err)
	}
	return nil
}

// workspaceDeleteBudgetOptions is workspaces delete-budget.
type workspaceDeleteBudgetOptions struct {
	cmdBase
	planeDelete
	Ref, Interval string
}

func newWorkspaceDeleteBudgetCmd(f *factory, conn *clientFlags, runF func(*workspaceDeleteBudgetOptions) error) *cobra.Command {
	o := &workspaceDeleteBudgetOptions{cmdBase: cmdBase{f: f}, planeDelete: planeDelete{planeChange: planeChange{conn: conn}}}
	cmd := &cobra.Command{
		Use:     "delete-budget WORKSPACE INTERVAL",
		Short:   "Remove a workspace's budget for one interval (asks first on a terminal; --yes otherwise)",
		Example: "  orkeys workspaces delete-budget research daily --yes",
		Args:    refArgs(workspaceArg(&o.Ref), intervalArg(&o.Interval)),
		RunE:    runCommand(o, runF),
	}
	o.planeDelete.addFlags(cmd)
	return cmd
}

func (o *workspaceDeleteBudgetOptions) what() string {
	return fmt.Sprintf("the %s budget of workspace %s", o.Interval, o.Ref)
}

func (o *workspaceDeleteBudgetOptions) validate() error { return o.check(o.f, o.DryRun, o.what()) }

func (o *workspaceDeleteBudgetOptions) run() error {
	// DELETE answers {"deleted": true} whether or not a budget was set:
	// say what is known, not that something was deleted.
	o.doneText = fmt.Sprintf("No %s budget is set for workspace %s now.", o.Interval, o.Ref)
	return o.planeDelete.run(&o.cmdBase, o.what(),
		func(c *facade.Client) (string, error) {
			got, err := c.Workspaces.GetBudget(o.ctx, facade.GetWorkspaceBudgetRequest{ID: o.Ref, Interval: facade.WorkspaceBudgetInterval(o.Interval)})
			if err != nil {
				return "", err
			}
			return fmt.Sprintf("%s (%s)", o.what(), money(got.Data.LimitUsd)), nil
		},
		func(c *facade.Client, raw *[]byte) error {
			_, err := c.Workspaces.DeleteBudget(o.ctx, facade.DeleteWorkspaceBudgetRequest{ID: o.Ref, Interval: facade.WorkspaceBudgetInterval(o.Interval)}, facade.WithResponseBodyInto(raw))
			return err
		})
}
