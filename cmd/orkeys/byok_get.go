package main

import (
	"github.com/spf13/cobra"

	"github.com/orkeys/orkeys/facade"
)

// byokGetOptions is byok get.
type byokGetOptions struct {
	cmdBase
	conn   *clientFlags
	ID     string
	Output outputFormat
}

func newBYOKGetCmd(f *factory, conn *clientFlags, runF func(*byokGetOptions) error) *cobra.Command {
	o := &byokGetOptions{cmdBase: cmdBase{f: f}, conn: conn}
	cmd := &cobra.Command{
		Use:     "get ID",
		Short:   "Show one provider key's settings (never its key)",
		Example: `  orkeys byok get 5b3c…9e0f -o json`,
		Args:    byokIDArg(&o.ID),
		RunE:    runCommand(o, runF),
	}
	addOutputFlag(cmd, &o.Output, apiJSON)
	return cmd
}

func (o *byokGetOptions) validate() error { return nil }

func (o *byokGetOptions) run() error {
	c, err := o.f.newClient(o.conn, clientSpec{})
	if err != nil {
		return err
	}
	var raw []byte
	res, err := c.BYOK.Get(o.ctx, facade.GetBYOKKeyRequest{ID: o.ID}, facade.WithResponseBodyInto(&raw))
	if err != nil {
		return err
	}
	return writeBYOK(o.f.io.Out, o.Output, raw, &res.Data)
}
