package main

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/internal/rules"
)

// guardrailFlags are the settings guardrails create and update share. A
// list flag replaces the guardrail's list whole, as the API does.
type guardrailFlags struct {
	fs               *pflag.FlagSet
	Name             string
	Description      string
	Limit            limitValue
	Reset            resetValue
	AllowedModels    namesValue
	AllowedProviders namesValue
	IgnoredModels    namesValue
	IgnoredProvider  namesValue
	EnforceZDR       zdrValue
	BYOKInBudgets    bool
}

func (g *guardrailFlags) add(cmd *cobra.Command) {
	fs := cmd.Flags()
	g.fs = fs
	fs.StringVar(&g.Name, "name", "", "the guardrail's name")
	fs.StringVar(&g.Description, "description", "", "what the guardrail is for")
	fs.Var(&g.Limit, "limit", "spending limit in USD per --reset-interval")
	fs.Var(&g.Reset, "reset-interval", "when the limit starts over: daily, weekly or monthly (needed with --limit)")
	fs.Var(&g.AllowedModels, "allowed-models", "comma-separated models the keys may use (replaces the list; \"\" clears it)")
	fs.Var(&g.AllowedProviders, "allowed-providers", "comma-separated providers the keys may use (replaces the list)")
	fs.Var(&g.IgnoredModels, "ignored-models", "comma-separated models never routed to (replaces the list)")
	fs.Var(&g.IgnoredProvider, "ignored-providers", "comma-separated providers never routed to (replaces the list)")
	fs.Var(&g.EnforceZDR, "enforce-zdr", "comma-separated providers to route to only with zero data retention: anthropic, google, openai, xai, other (the rest are switched off; \"\" switches all off)")
	fs.BoolVar(&g.BYOKInBudgets, "include-byok-in-budgets", false, "count bring-your-own-key spend against the limit")
}

func (g *guardrailFlags) changed(name string) bool { return g.fs.Changed(name) }

// checkLimit is rules.GuardrailLimit on what the command line gives.
func (g *guardrailFlags) checkLimit(limit *float64, reset *string) error {
	if err := rules.GuardrailLimit(limit, reset); err != nil {
		return usageErrorf("--limit %v: add --reset-interval daily, weekly or monthly", err)
	}
	return nil
}

// guardrailsCreateOptions is guardrails create.
type guardrailsCreateOptions struct {
	cmdBase
	planeChange
	guardrailFlags
	Workspace workspaceValue
}

func newGuardrailsCreateCmd(f *factory, conn *clientFlags, runF func(*guardrailsCreateOptions) error) *cobra.Command {
	o := &guardrailsCreateOptions{cmdBase: cmdBase{f: f}, planeChange: planeChange{conn: conn}}
	cmd := &cobra.Command{
		Use:   "create --name NAME",
		Short: "Create a guardrail",
		Example: `  orkeys guardrails create --name ci-cap --limit 30 --reset-interval monthly --allowed-providers openai,anthropic
  orkeys guardrails create --name zdr --enforce-zdr anthropic,openai --dry-run`,
		Args: noArgs,
		RunE: runCommand(o, runF),
	}
	o.guardrailFlags.add(cmd)
	addWorkspaceFlag(cmd.Flags(), &o.Workspace, "workspace of the guardrail")
	o.planeChange.addFlags(cmd)
	return cmd
}

func (o *guardrailsCreateOptions) validate() error {
	if strings.TrimSpace(o.Name) == "" {
		return usageErrorf("guardrails create needs --name NAME, such as: orkeys guardrails create --name ci-cap")
	}
	var limit *float64
	var reset *string
	if o.Limit.set {
		limit = &o.Limit.v
	}
	if o.Reset.set {
		reset = &o.Reset.v
	}
	return o.checkLimit(limit, reset)
}

func (o *guardrailsCreateOptions) body() facade.CreateGuardrailRequestBody {
	b := facade.CreateGuardrailRequestBody{
		Name: o.Name, WorkspaceID: o.Workspace.ptr(),
		AllowedModels: o.AllowedModels.ptr(), AllowedProviders: o.AllowedProviders.ptr(),
		IgnoredModels: o.IgnoredModels.ptr(), IgnoredProviders: o.IgnoredProvider.ptr(),
	}
	if o.changed("description") {
		b.Description = &o.Description
	}
	if o.Limit.set {
		b.LimitUsd = &o.Limit.v
	}
	if o.Reset.set {
		b.ResetInterval = facade.Ptr(facade.GuardrailInterval(o.Reset.v))
	}
	if o.EnforceZDR.set {
		z := o.EnforceZDR.switches()
		b.EnforceZdrAnthropic, b.EnforceZdrGoogle, b.EnforceZdrOpenai, b.EnforceZdrXai, b.EnforceZdrOther = &z[0], &z[1], &z[2], &z[3], &z[4]
	}
	if o.changed("include-byok-in-budgets") {
		b.IncludeByokInBudgets = &o.BYOKInBudgets
	}
	return b
}

func (o *guardrailsCreateOptions) run() error {
	c, rec, err := o.client(o.f)
	if err != nil {
		return err
	}
	var raw []byte
	res, err := c.Guardrails.Create(o.ctx, facade.CreateGuardrailRequest{RequestBody: o.body()}, facade.WithResponseBodyInto(&raw))
	return o.done(o.f, rec, err, func() error { return writeGuardrail(o.f, o.Output, raw, &res.Data) })
}

// guardrailsUpdateOptions is guardrails update: only the flags given are
// sent; --no-limit and --no-reset-interval send null.
type guardrailsUpdateOptions struct {
	cmdBase
	planeChange
	guardrailFlags
	ID                              string
	NoLimit, NoReset, NoDescription bool
}

func newGuardrailsUpdateCmd(f *factory, conn *clientFlags, runF func(*guardrailsUpdateOptions) error) *cobra.Command {
	o := &guardrailsUpdateOptions{cmdBase: cmdBase{f: f}, planeChange: planeChange{conn: conn}}
	cmd := &cobra.Command{
		Use:   "update ID",
		Short: "Change a guardrail; only the flags given are sent",
		Example: `  orkeys guardrails update 4b0c…e1 --limit 50 --reset-interval weekly
  orkeys guardrails update 4b0c…e1 --no-limit --no-reset-interval --dry-run`,
		Args: refArgs(guardrailArg(&o.ID)),
		RunE: runCommand(o, runF),
	}
	o.guardrailFlags.add(cmd)
	fs := cmd.Flags()
	fs.BoolVar(&o.NoLimit, "no-limit", false, "remove the spending limit (sends null)")
	fs.BoolVar(&o.NoReset, "no-reset-interval", false, "remove the reset interval (sends null; needs --no-limit unless no limit is set)")
	fs.BoolVar(&o.NoDescription, "no-description", false, "remove the description (sends null)")
	o.planeChange.addFlags(cmd)
	return cmd
}

func (o *guardrailsUpdateOptions) validate() error {
	for _, p := range [][2]string{{"limit", "no-limit"}, {"reset-interval", "no-reset-interval"}, {"description", "no-description"}} {
		if err := exclusive(o.fs, p[0], p[1], "one sets, the other clears"); err != nil {
			return err
		}
	}
	if o.changed("name") && strings.TrimSpace(o.Name) == "" {
		return usageErrorf("--name must not be empty")
	}
	if reflect.ValueOf(o.body()).IsZero() {
		return usageErrorf("guardrails update needs at least one change, such as --limit 50 --reset-interval monthly")
	}
	// The rule binds a limit being set to its interval; an update that
	// leaves the interval alone keeps the stored one.
	if o.Limit.set && o.NoReset {
		return o.checkLimit(&o.Limit.v, nil)
	}
	return nil
}

func (o *guardrailsUpdateOptions) body() facade.UpdateGuardrailRequestBody {
	var b facade.UpdateGuardrailRequestBody
	if o.changed("name") {
		b.Name = &o.Name
	}
	switch {
	case o.changed("description"):
		b.Description = facade.Value(o.Description)
	case o.NoDescription:
		b.Description = facade.Null[string]()
	}
	switch {
	case o.Limit.set:
		b.LimitUsd = facade.Value(o.Limit.v)
	case o.NoLimit:
		b.LimitUsd = facade.Null[float64]()
	}
	switch {
	case o.Reset.set:
		b.ResetInterval = facade.Value(facade.GuardrailInterval(o.Reset.v))
	case o.NoReset:
		b.ResetInterval = facade.Null[facade.GuardrailInterval]()
	}
	for _, l := range []struct {
		v   *namesValue
		dst *facade.Nullable[[]string]
	}{{&o.AllowedModels, &b.AllowedModels}, {&o.AllowedProviders, &b.AllowedProviders}, {&o.IgnoredModels, &b.IgnoredModels}, {&o.IgnoredProvider, &b.IgnoredProviders}} {
		*l.dst = l.v.nullable()
	}
	if o.EnforceZDR.set {
		z := o.EnforceZDR.switches()
		b.EnforceZdrAnthropic, b.EnforceZdrGoogle, b.EnforceZdrOpenai = facade.Value(z[0]), facade.Value(z[1]), facade.Value(z[2])
		b.EnforceZdrXai, b.EnforceZdrOther = facade.Value(z[3]), facade.Value(z[4])
	}
	if o.changed("include-byok-in-budgets") {
		b.IncludeByokInBudgets = &o.BYOKInBudgets
	}
	return b
}

func (o *guardrailsUpdateOptions) run() error {
	c, rec, err := o.client(o.f)
	if err != nil {
		return err
	}
	var raw []byte
	res, err := c.Guardrails.Update(o.ctx, facade.UpdateGuardrailRequest{ID: o.ID, RequestBody: o.body()}, facade.WithResponseBodyInto(&raw))
	return o.done(o.f, rec, err, func() error { return writeGuardrail(o.f, o.Output, raw, &res.Data) })
}

// guardrailsDeleteOptions is guardrails delete; its assignments go with it.
type guardrailsDeleteOptions struct {
	cmdBase
	planeDelete
	ID string
}

func newGuardrailsDeleteCmd(f *factory, conn *clientFlags, runF func(*guardrailsDeleteOptions) error) *cobra.Command {
	o := &guardrailsDeleteOptions{cmdBase: cmdBase{f: f}, planeDelete: planeDelete{planeChange: planeChange{conn: conn}}}
	cmd := &cobra.Command{
		Use:     "delete ID",
		Short:   "Delete a guardrail and its assignments (asks first on a terminal; --yes otherwise)",
		Example: "  orkeys guardrails delete 4b0c…e1 --yes",
		Args:    refArgs(guardrailArg(&o.ID)),
		RunE:    runCommand(o, runF),
	}
	o.planeDelete.addFlags(cmd)
	return cmd
}

func (o *guardrailsDeleteOptions) validate() error {
	return o.check(o.f, o.DryRun, "guardrail "+o.ID)
}

func (o *guardrailsDeleteOptions) run() error {
	return o.planeDelete.run(&o.cmdBase, "guardrail "+o.ID,
		func(c *facade.Client) (string, error) {
			got, err := c.Guardrails.Get(o.ctx, facade.GetGuardrailRequest{ID: o.ID})
			if err != nil {
				return "", err
			}
			return fmt.Sprintf("guardrail %q (%s) and its assignments", cell(got.Data.Name), o.ID), nil
		},
		func(c *facade.Client, raw *[]byte) error {
			_, err := c.Guardrails.Delete(o.ctx, facade.DeleteGuardrailRequest{ID: o.ID}, facade.WithResponseBodyInto(raw))
			return err
		})
}
