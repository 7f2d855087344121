package main

import (
	"strings"

	"github.com/oapi-codegen/nullable"
	"github.com/spf13/cobra"

	"github.com/orkeys/orkeys/facade"
)

func (a *app) keysUpdateCmd(cf *clientFlags) *cobra.Command {
	var (
		name         string
		disable      bool
		enable       bool
		limit        float64
		noLimit      bool
		limitReset   string
		noLimitReset bool
		includeBYOK  bool
	)
	cmd := &cobra.Command{
		Use:   "update HASH [flags]",
		Short: "Change a key; only the flags given are sent",
		Example: `  orkeys keys update 3f9a…c1d2 --disable
  orkeys keys update 3f9a…c1d2 --limit 50 --limit-reset weekly
  orkeys keys update 3f9a…c1d2 --no-limit --no-limit-reset`,
		Args: a.hashArg,
	}
	out := addOutputFlag(cmd, apiJSON)
	fs := cmd.Flags()
	fs.StringVar(&name, "name", "", "new name")
	fs.BoolVar(&disable, "disable", false, "switch the key off")
	fs.BoolVar(&enable, "enable", false, "switch the key back on")
	fs.Float64Var(&limit, "limit", 0, "new spending cap in USD")
	fs.BoolVar(&noLimit, "no-limit", false, "remove the spending cap (sends limit: null)")
	fs.StringVar(&limitReset, "limit-reset", "", "when the cap starts over: daily, weekly or monthly")
	fs.BoolVar(&noLimitReset, "no-limit-reset", false, "never reset the cap (sends limit_reset: null)")
	fs.BoolVar(&includeBYOK, "include-byok-in-limit", false, "count bring-your-own-key spend against the cap (=false to stop)")
	registerLimitResetCompletion(cmd)

	cmd.RunE = runE(func(cmd *cobra.Command, args []string) error {
		body, err := updateBody(cmd, updateValues{name, disable, enable, limit, noLimit, limitReset, noLimitReset, includeBYOK})
		if err != nil {
			return err
		}
		c, err := a.newClient(cmd.Flags(), cf, a.stderr)
		if err != nil {
			return err
		}
		var raw []byte
		res, err := c.APIKeys.Update(cmd.Context(), facade.UpdateKeysRequest{Hash: args[0], RequestBody: body}, facade.WithResponseBodyInto(&raw))
		if err != nil {
			return err
		}
		if *out == formatJSON {
			return writeRawJSON(a.stdout, raw)
		}
		return writeKeyDetail(a.stdout, &res.Data)
	})
	return cmd
}

type updateValues struct {
	name            string
	disable, enable bool
	limit           float64
	noLimit         bool
	limitReset      string
	noLimitReset    bool
	includeBYOK     bool
}

// updateBody holds exactly the flags the user set: an unset field is left
// out of the PATCH body, so the key keeps its value.
func updateBody(cmd *cobra.Command, v updateValues) (facade.UpdateKeysRequestBody, error) {
	fs := cmd.Flags()
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
		if strings.TrimSpace(v.name) == "" {
			return body, usageErrorf("--name must not be empty")
		}
		body.Name = &v.name
	}
	// --disable=false means "not disabled", like --enable.
	if fs.Changed("disable") {
		d := v.disable
		body.Disabled = &d
	}
	if fs.Changed("enable") {
		d := !v.enable
		body.Disabled = &d
	}
	if fs.Changed("limit") {
		if err := checkLimit(v.limit); err != nil {
			return body, err
		}
		body.Limit = nullable.NewNullableWithValue(v.limit)
	}
	if fs.Changed("no-limit") {
		if !v.noLimit {
			return body, usageErrorf("--no-limit=false means nothing; leave the flag out to keep the limit")
		}
		body.Limit = nullable.NewNullNullable[float64]()
	}
	if fs.Changed("limit-reset") {
		r, err := parseLimitReset(v.limitReset)
		if err != nil {
			return body, err
		}
		body.LimitReset = nullable.NewNullableWithValue(r)
	}
	if fs.Changed("no-limit-reset") {
		if !v.noLimitReset {
			return body, usageErrorf("--no-limit-reset=false means nothing; leave the flag out to keep the reset")
		}
		body.LimitReset = nullable.NewNullNullable[facade.LimitReset]()
	}
	if fs.Changed("include-byok-in-limit") {
		b := v.includeBYOK
		body.IncludeByokInLimit = &b
	}
	if body.Name == nil && body.Disabled == nil && body.IncludeByokInLimit == nil &&
		!body.Limit.IsSpecified() && !body.LimitReset.IsSpecified() {
		return body, usageErrorf("nothing to update: give at least one of --name, --disable, --enable, --limit, --no-limit, --limit-reset, --no-limit-reset, --include-byok-in-limit")
	}
	return body, nil
}
