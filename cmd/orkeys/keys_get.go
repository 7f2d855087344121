package main

import (
	"github.com/spf13/cobra"

	"github.com/orkeys/orkeys/facade"
)

// getOptions is keys get.
type getOptions struct {
	cmdBase
	conn   *clientFlags
	Hash   string
	Output outputFormat
}

func newGetCmd(f *factory, conn *clientFlags, runF func(*getOptions) error) *cobra.Command {
	o := &getOptions{cmdBase: cmdBase{f: f}, conn: conn}
	cmd := &cobra.Command{
		Use:     "get HASH",
		Short:   "Show one key by its hash",
		Example: `  orkeys keys get 3f9a…c1d2 -o json`,
		Args:    f.hashArg(&o.Hash),
		RunE:    runCommand(o, runF),
	}
	addOutputFlag(cmd, &o.Output, apiJSON)
	return cmd
}

func (o *getOptions) validate() error { return nil }

func (o *getOptions) run() error {
	c, err := o.f.newClient(o.conn, clientSpec{})
	if err != nil {
		return err
	}
	var raw []byte
	res, err := c.APIKeys.Get(o.ctx, facade.GetKeyRequest{Hash: o.Hash}, facade.WithResponseBodyInto(&raw))
	if err != nil {
		return err
	}
	return writeKey(o.f.io.Out, o.Output, raw, &res.Data)
}
