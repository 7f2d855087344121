package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/orkeys/orkeys/facade"
)

// byokDeleteOptions is byok delete.
type byokDeleteOptions struct {
	cmdBase
	conn   *clientFlags
	ID     string
	Yes    bool
	DryRun bool
	Output outputFormat
}

func newBYOKDeleteCmd(f *factory, conn *clientFlags, runF func(*byokDeleteOptions) error) *cobra.Command {
	o := &byokDeleteOptions{cmdBase: cmdBase{f: f}, conn: conn}
	cmd := &cobra.Command{
		Use:   "delete ID",
		Short: "Delete a provider key for good (asks first on a terminal; --yes otherwise)",
		Example: `  orkeys byok delete 5b3c…9e0f
  orkeys byok delete 5b3c…9e0f --yes   # in scripts`,
		Args: byokIDArg(&o.ID),
		RunE: runCommand(o, runF),
	}
	addOutputFlag(cmd, &o.Output, apiJSON)
	cmd.Flags().BoolVarP(&o.Yes, "yes", "y", false, "delete without asking")
	addDryRunFlag(cmd.Flags(), &o.DryRun)
	return cmd
}

// confirmAsked is whether the command will ask before deleting, as keys
// delete does.
func (o *byokDeleteOptions) confirmAsked() bool { return !o.Yes && !o.DryRun }

func (o *byokDeleteOptions) validate() error {
	if o.confirmAsked() && !o.f.isTerminal(o.f.io.In) {
		return usageErrorf("refusing to delete provider key %s without confirmation: stdin is not a terminal; pass --yes to delete it", o.ID)
	}
	return nil
}

func (o *byokDeleteOptions) run() error {
	c, rec, err := o.f.clientFor(o.conn, o.DryRun)
	if err != nil {
		return err
	}
	if o.confirmAsked() {
		got, err := c.BYOK.Get(o.ctx, facade.GetBYOKKeyRequest{ID: o.ID})
		if err != nil {
			return err
		}
		ok, err := confirm(o.ctx, o.f.io.In, o.f.io.ErrOut, fmt.Sprintf("Delete the %s provider key %s (%s, id %s)? This cannot be undone. [y/N] ",
			cell(string(got.Data.Provider)), str(got.Data.Name), cell(got.Data.Label), o.ID))
		var local *localIOError
		switch {
		case errors.As(err, &local):
			return fmt.Errorf("%w; provider key %s was not deleted", err, o.ID)
		case err != nil:
			return declinedf("%v; provider key %s was not deleted", err, o.ID)
		case !ok:
			return declinedf("not confirmed; provider key %s was not deleted", o.ID)
		}
	}
	var raw []byte
	if _, err := c.BYOK.Delete(o.ctx, facade.DeleteBYOKKeyRequest{ID: o.ID}, facade.WithResponseBodyInto(&raw)); err != nil {
		return err
	}
	switch {
	case rec != nil:
		return o.f.writeDryRun(rec, o.Output)
	case o.Output == formatJSON:
		return writeRawJSON(o.f.io.Out, raw)
	}
	_, err = fmt.Fprintf(o.f.io.Out, "Deleted provider key %s.\n", o.ID)
	return err
}
