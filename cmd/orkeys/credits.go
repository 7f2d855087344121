package main

import (
	"github.com/spf13/cobra"
)

// creditsReport is credits' -o json: the API's two figures under their
// API names, and what is left.
type creditsReport struct {
	TotalCredits float64 `json:"total_credits"`
	TotalUsage   float64 `json:"total_usage"`
	Remaining    float64 `json:"remaining"`
}

func (a *app) creditsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "credits",
		Short: "Show the credits the account has bought, used and has left (needs a management key)",
		Example: `  orkeys credits
  orkeys credits -o json`,
		Args: a.noArgs,
	}
	cf := &clientFlags{}
	cf.register(cmd.Flags())
	out := addOutputFlag(cmd, "json prints total_credits, total_usage and remaining, in USD")
	cmd.RunE = runE(func(cmd *cobra.Command, _ []string) error {
		c, err := a.newClient(cmd.Flags(), cf, a.stderr)
		if err != nil {
			return err
		}
		res, err := c.Credits.GetCredits(cmd.Context())
		if err != nil {
			return err
		}
		r := creditsReport{TotalCredits: res.Data.TotalCredits, TotalUsage: res.Data.TotalUsage}
		r.Remaining = r.TotalCredits - r.TotalUsage
		if *out == formatJSON {
			return writeJSON(a.stdout, r)
		}
		return writeFields(a.stdout, [][2]string{
			{"Purchased", money(r.TotalCredits)},
			{"Used", money(r.TotalUsage)},
			{"Remaining", money(r.Remaining)},
		})
	})
	return cmd
}
