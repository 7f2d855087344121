package main

import (
	"github.com/spf13/cobra"

	"github.com/orkeys/orkeys/facade"
)

func (f *factory) guardrailsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "guardrails",
		Short: "List, create, change, assign and delete guardrails (needs a management key)",
		Args:  noArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cf := addClientFlags(cmd.PersistentFlags())
	cmd.AddCommand(
		newGuardrailsListCmd(f, cf, nil),
		newGuardrailsGetCmd(f, cf, nil),
		newGuardrailsCreateCmd(f, cf, nil),
		newGuardrailsUpdateCmd(f, cf, nil),
		newGuardrailsDeleteCmd(f, cf, nil),
		newGuardrailsAssignCmd(f, cf, true, nil),
		newGuardrailsAssignCmd(f, cf, false, nil),
		newGuardrailsAssignmentsCmd(f, cf, nil),
	)
	return cmd
}

// guardrailsListOptions is guardrails list: every page.
type guardrailsListOptions struct {
	cmdBase
	conn      *clientFlags
	Workspace workspaceValue
	Output    outputFormat
}

func newGuardrailsListCmd(f *factory, conn *clientFlags, runF func(*guardrailsListOptions) error) *cobra.Command {
	o := &guardrailsListOptions{cmdBase: cmdBase{f: f}, conn: conn}
	cmd := &cobra.Command{
		Use:     "list",
		Short:   "List a workspace's guardrails, every page (the default workspace's unless --workspace)",
		Example: "  orkeys guardrails list -o json",
		Args:    noArgs,
		RunE:    runCommand(o, runF),
	}
	addOutputFlag(cmd, &o.Output, "json prints one array of the guardrails")
	addWorkspaceFlag(cmd.Flags(), &o.Workspace, "only guardrails of this workspace")
	return cmd
}

func (o *guardrailsListOptions) validate() error { return nil }

func (o *guardrailsListOptions) run() error {
	c, err := o.f.newClient(o.conn, clientSpec{})
	if err != nil {
		return err
	}
	all, err := collect(c.Guardrails.All(o.ctx, facade.ListGuardrailsRequest{WorkspaceID: o.Workspace.ptr()}))
	if err != nil {
		return err
	}
	return writeList(o.f, o.Output, all, "No guardrails.", []string{"ID", "NAME", "LIMIT", "RESET", "ALLOWED PROVIDERS", "ALLOWED MODELS", "ZDR"},
		func(g *facade.Guardrail) []string {
			return []string{cell(g.ID), cell(g.Name), moneyPtr(g.LimitUsd), intervalStr(g.ResetInterval), joined(g.AllowedProviders), joined(g.AllowedModels), zdr(g)}
		})
}

// guardrailsGetOptions is guardrails get.
type guardrailsGetOptions struct {
	cmdBase
	conn   *clientFlags
	ID     string
	Output outputFormat
}

func newGuardrailsGetCmd(f *factory, conn *clientFlags, runF func(*guardrailsGetOptions) error) *cobra.Command {
	o := &guardrailsGetOptions{cmdBase: cmdBase{f: f}, conn: conn}
	cmd := &cobra.Command{
		Use:   "get ID",
		Short: "Show one guardrail",
		Args:  refArgs(guardrailArg(&o.ID)),
		RunE:  runCommand(o, runF),
	}
	addOutputFlag(cmd, &o.Output, apiJSON)
	return cmd
}

func (o *guardrailsGetOptions) validate() error { return nil }

func (o *guardrailsGetOptions) run() error {
	c, err := o.f.newClient(o.conn, clientSpec{})
	if err != nil {
		return err
	}
	var raw []byte
	res, err := c.Guardrails.Get(o.ctx, facade.GetGuardrailRequest{ID: o.ID}, facade.WithResponseBodyInto(&raw))
	if err != nil {
		return err
	}
	return writeGuardrail(o.f, o.Output, raw, &res.Data)
}

// writeGuardrail prints one guardrail: the API's JSON, or its details.
func writeGuardrail(f *factory, format outputFormat, raw []byte, g *facade.Guardrail) error {
	if format == formatJSON {
		return writeRawJSON(f.io.Out, raw)
	}
	return writeFields(f.io.Out, [][2]string{
		{"ID", cell(g.ID)},
		{"Name", cell(g.Name)},
		{"Description", str(g.Description)},
		{"Workspace", str(g.WorkspaceID)},
		{"Limit", moneyPtr(g.LimitUsd)},
		{"Reset interval", intervalStr(g.ResetInterval)},
		{"BYOK in budgets", yesNo(g.IncludeByokInBudgets)},
		{"Allowed models", joined(g.AllowedModels)},
		{"Allowed providers", joined(g.AllowedProviders)},
		{"Ignored models", joined(g.IgnoredModels)},
		{"Ignored providers", joined(g.IgnoredProviders)},
		{"Enforce ZDR", zdr(g)},
		{"Created", timeStr(&g.CreatedAt)},
		{"Updated", timeStr(g.UpdatedAt)},
	})
}

func intervalStr(v *facade.GuardrailInterval) string {
	if v == nil {
		return none
	}
	return cell(string(*v))
}

// zdr names the providers a guardrail enforces zero data retention on:
// "all" for enforce_zdr, else the per-provider flags.
func zdr(g *facade.Guardrail) string {
	if g.EnforceZdr != nil && *g.EnforceZdr {
		return "all"
	}
	var on []string
	for _, p := range []struct {
		name string
		v    *bool
	}{{"anthropic", g.EnforceZdrAnthropic}, {"google", g.EnforceZdrGoogle}, {"openai", g.EnforceZdrOpenai}, {"xai", g.EnforceZdrXai}, {"other", g.EnforceZdrOther}} {
		if p.v != nil && *p.v {
			on = append(on, p.name)
		}
	}
	return joined(&on)
}
