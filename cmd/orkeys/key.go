package main

import (
	"github.com/spf13/cobra"

	"github.com/orkeys/orkeys/facade"
)

// keyOptions is key: the calling key, any kind.
type keyOptions struct {
	cmdBase
	conn   *clientFlags
	Output outputFormat
}

func newKeyCmd(f *factory, runF func(*keyOptions) error) *cobra.Command {
	o := &keyOptions{cmdBase: cmdBase{f: f}}
	cmd := &cobra.Command{
		Use:   "key",
		Short: "Describe the key in OPENROUTER_API_KEY (any key, not only management keys)",
		Args:  noArgs,
		RunE:  runCommand(o, runF),
	}
	o.conn = addClientFlags(cmd.Flags())
	addOutputFlag(cmd, &o.Output, apiJSON)
	return cmd
}

func (o *keyOptions) validate() error { return nil }

func (o *keyOptions) run() error {
	c, err := o.f.newClient(o.conn, clientSpec{})
	if err != nil {
		return err
	}
	var raw []byte
	res, err := c.APIKeys.GetCurrentKeyMetadata(o.ctx, facade.WithResponseBodyInto(&raw))
	if err != nil {
		return err
	}
	if o.Output == formatJSON {
		return writeRawJSON(o.f.io.Out, raw)
	}
	return writeCurrentKey(o.f.io.Out, &res.Data)
}
