package main

import (
	"github.com/spf13/cobra"

	"github.com/orkeys/orkeys/facade"
)

func (a *app) keyCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "key",
		Short: "Describe the key in OPENROUTER_API_KEY (any key, not only management keys)",
		Args:  a.noArgs,
	}
	cf := &clientFlags{}
	cf.register(cmd.Flags())
	out := addOutputFlag(cmd, apiJSON)
	cmd.RunE = runE(func(cmd *cobra.Command, _ []string) error {
		c, err := a.newClient(cmd.Flags(), cf, a.stderr)
		if err != nil {
			return err
		}
		var raw []byte
		res, err := c.APIKeys.GetCurrentKeyMetadata(cmd.Context(), facade.WithResponseBodyInto(&raw))
		if err != nil {
			return err
		}
		if *out == formatJSON {
			return writeRawJSON(a.stdout, raw)
		}
		return writeCurrentKey(a.stdout, &res.Data)
	})
	return cmd
}
