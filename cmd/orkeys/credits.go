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

// creditsOptions is credits.
type creditsOptions struct {
	cmdBase
	conn   *clientFlags
	Output outputFormat
}

func newCreditsCmd(f *factory, runF func(*creditsOptions) error) *cobra.Command {
	o := &creditsOptions{cmdBase: cmdBase{f: f}}
	cmd := &cobra.Command{
		Use:   "credits",
		Short: "Show the credits the account has bought, used and has left (needs a management key)",
		Example: `  orkeys credits
  orkeys credits -o json`,
		Args: noArgs,
		RunE: runCommand(o, runF),
	}
	o.conn = addClientFlags(cmd.Flags())
	addOutputFlag(cmd, &o.Output, "json prints total_credits, total_usage and remaining, in USD")
	return cmd
}

func (o *creditsOptions) validate() error { return nil }

func (o *creditsOptions) run() error {
	c, err := o.f.newClient(o.conn, clientSpec{})
	if err != nil {
		return err
	}
	res, err := c.Credits.GetCredits(o.ctx)
	if err != nil {
		return err
	}
	r := creditsReport{TotalCredits: res.Data.TotalCredits, TotalUsage: res.Data.TotalUsage}
	r.Remaining = r.TotalCredits - r.TotalUsage
	if o.Output == formatJSON {
		return writeJSON(o.f.io.Out, r)
	}
	return writeFields(o.f.io.Out, [][2]string{
		{"Purchased", money(r.TotalCredits)},
		{"Used", money(r.TotalUsage)},
		{"Remaining", money(r.Remaining)},
	})
}
