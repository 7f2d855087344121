package main

import (
	"github.com/spf13/cobra"
)

func (a *app) keyCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "key",
		Short: "Describe the key in OPENROUTER_API_KEY (any key, not only management keys)",
		Args:  cobra.NoArgs,
	}
	cf := &clientFlags{}
	cf.register(cmd.Flags())
	out := addOutputFlag(cmd)
	cmd.RunE = runE(func(cmd *cobra.Command, _ []string) error {
		c, err := a.newClient(cmd.Flags(), cf)
		if err != nil {
			return err
		}
		res, err := c.APIKeys.GetCurrentKeyMetadata(cmd.Context())
		if err != nil {
			return err
		}
		if *out == formatJSON {
			return writeJSON(a.stdout, res)
		}
		return writeCurrentKey(a.stdout, &res.Data)
	})
	return cmd
}
