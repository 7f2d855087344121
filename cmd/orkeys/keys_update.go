package main

import (
	"strings"

	"github.com/oapi-codegen/nullable"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/internal/rules"
)

// updateOptions is keys update: only the flags given are sent.
type updateOptions struct {
	cmdBase
	mutation
	fs           *pflag.FlagSet
	Name         string
	Disable      bool
	Enable       bool
	Limit        limitValue
	NoLimit      bool
	LimitReset   resetValue
	NoLimitReset bool
	IncludeBYOK  bool
}

func newUpdateCmd(f *factory, conn *clientFlags, runF func(*updateOptions) error) *cobra.Command {
	o := &updateOptions{cmdBase: cmdBase{f: f}, mutation: mutation{conn: conn}}
	cmd := &cobra.Command{
		Use:   "update HASH [flags]",
		Short: "Change a key; only the flags given are sent",
		Example: `  orkeys keys update 3f9a…c1d2 --disable
  orkeys keys update 3f9a…c1d2 --limit 50 --limit-reset weekly
  orkeys keys update 3f9a…c1d2 --no-limit --no-limit-reset
  orkeys keys update 3f9a…c1d2 --disable --ignore-missing   # re-runnable`,
		Args: f.hashArg(&o.Hash),
		RunE: runCommand(o, runF),
	}
	fs := cmd.Flags()
	o.fs = fs
	fs.StringVar(&o.Name, "name", "", "new name")
	fs.BoolVar(&o.Disable, "disable", false, "switch the key off")
	fs.BoolVar(&o.Enable, "enable", false, "switch the key back on")
	fs.Var(&o.Limit, "limit", "new spending cap in USD")
	fs.BoolVar(&o.NoLimit, "no-limit", false, "remove the spending cap (sends limit: null)")
	addLimitResetFlag(cmd, &o.LimitReset, "when the cap starts over: daily, weekly or monthly")
	fs.BoolVar(&o.NoLimitReset, "no-limit-reset", false, "never reset the cap (sends limit_reset: null)")
	fs.BoolVar(&o.IncludeBYOK, "include-byok-in-limit", false, "count bring-your-own-key spend against the cap (=false to stop)")
	o.addFlags(cmd)
	return cmd
}

func (o *updateOptions) validate() error {
	_, err := o.body()
	return err
}

// body holds exactly the flags the user set: an unset field is left out
// of the PATCH body, so the key keeps its value.
func (o *updateOptions) body() (facade.UpdateKeysRequestBody, error) {
	fs := o.fs
	var body facade.UpdateKeysRequestBody
	for _, pair := range [][3]string{
		{"disable", "enable", "give one"},
		{"limit", "no-limit", "--limit sets a cap, --no-limit removes it"},
		{"limit-reset", "no-limit-reset", "--limit-reset sets the period, --no-limit-reset removes it"},
	} {
		if err := exclusive(fs, pair[0], pair[1], pair[2]); err != nil {
			return body, err
		}
	}
	if fs.Changed("name") {
		if strings.TrimSpace(o.Name) == "" {
			return body, usageErrorf("--name must not be empty")
		}
		body.Name = &o.Name
	}
	// --disable=false means "not disabled", like --enable.
	if fs.Changed("disable") {
		body.Disabled = facade.Ptr(o.Disable)
	}
	if fs.Changed("enable") {
		body.Disabled = facade.Ptr(!o.Enable)
	}
	if o.Limit.set {
		body.Limit = nullable.NewNullableWithValue(o.Limit.v)
	}
	if fs.Changed("no-limit") {
		if !o.NoLimit {
			return body, usageErrorf("--no-limit=false means nothing; leave the flag out to keep the limit")
		}
		body.Limit = nullable.NewNullNullable[float64]()
	}
	if o.LimitReset.set {
		body.LimitReset = nullable.NewNullableWithValue(facade.LimitReset(o.LimitReset.v))
	}
	if fs.Changed("no-limit-reset") {
		if !o.NoLimitReset {
			return body, usageErrorf("--no-limit-reset=false means nothing; leave the flag out to keep the reset")
		}
		body.LimitReset = nullable.NewNullNullable[facade.LimitReset]()
	}
	// The rule create applies: a period resets a limit. An update that
	// leaves the limit as it is may set a period (the key may have a cap).
	if err := rules.ResetNeedsLimit(o.LimitReset.set, !fs.Changed("no-limit")); err != nil {
		return body, usageErrorf("--limit-reset with --no-limit: %v; give --limit instead of --no-limit, or leave --limit-reset out", err)
	}
	if fs.Changed("include-byok-in-limit") {
		body.IncludeByokInLimit = facade.Ptr(o.IncludeBYOK)
	}
	if body.Name == nil && body.Disabled == nil && body.IncludeByokInLimit == nil &&
		!body.Limit.IsSpecified() && !body.LimitReset.IsSpecified() {
		return body, usageErrorf("nothing to update: give at least one of --name, --disable, --enable, --limit, --no-limit, --limit-reset, --no-limit-reset, --include-byok-in-limit")
	}
	return body, nil
}

func (o *updateOptions) run() error {
	body, _ := o.body() // validate checked it
	c, rec, err := o.f.clientFor(o.conn, o.DryRun)
	if err != nil {
		return err
	}
	var raw []byte
	res, err := c.APIKeys.Update(o.ctx, facade.UpdateKeysRequest{Hash: o.Hash, RequestBody: body}, facade.WithResponseBodyInto(&raw))
	if err == nil && rec == nil {
		err = writeKey(o.f.io.Out, o.Output, raw, &res.Data)
	}
	return o.finish(o.f, rec, err, "updated", "nothing to update")
}
