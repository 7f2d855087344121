package main

import (
	"github.com/spf13/cobra"

	"github.com/orkeys/orkeys/facade"
)

func (a *app) keysGetCmd(cf *clientFlags) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "get HASH",
		Short:   "Show one key by its hash",
		Example: `  orkeys keys get 3f9a…c1d2 -o json`,
		Args:    a.hashArg,
	}
	out := addOutputFlag(cmd, apiJSON)
	cmd.RunE = runE(func(cmd *cobra.Command, args []string) error {
		c, err := a.newClient(cmd.Flags(), cf, a.stderr)
		if err != nil {
			return err
		}
		var raw []byte
		res, err := c.APIKeys.Get(cmd.Context(), facade.GetKeyRequest{Hash: args[0]}, facade.WithResponseBodyInto(&raw))
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
