package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/orkeys/orkeys/facade"
)

// byokListOptions is byok list. An account holds few provider keys, so the
// command reads every page.
type byokListOptions struct {
	cmdBase
	conn      *clientFlags
	Workspace workspaceRefValue
	Output    outputFormat
}

func newBYOKListCmd(f *factory, conn *clientFlags, runF func(*byokListOptions) error) *cobra.Command {
	o := &byokListOptions{cmdBase: cmdBase{f: f}, conn: conn}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List provider keys (every page); never their keys, only masked labels",
		Example: `  orkeys byok list
  orkeys byok list --workspace research -o json`,
		Args: byokNoArgs,
		RunE: runCommand(o, runF),
	}
	addOutputFlag(cmd, &o.Output, "json prints one array of every provider key, as the API sends them")
	addWorkspaceRefFlag(cmd.Flags(), &o.Workspace, "provider keys of this workspace")
	return cmd
}

func (o *byokListOptions) validate() error { return nil }

func (o *byokListOptions) run() error {
	c, ws, err := o.f.clientIn(o.ctx, o.conn, &o.Workspace)
	if err != nil {
		return err
	}
	keys := []facade.BYOKKey{}
	for k, err := range c.BYOK.All(o.ctx, facade.ListBYOKKeysRequest{WorkspaceID: ws}) {
		if err != nil {
			return err
		}
		keys = append(keys, k)
	}
	switch {
	case o.Output == formatJSON:
		return writeJSON(o.f.io.Out, keys) // [] for none
	case len(keys) == 0:
		_, err := fmt.Fprintln(o.f.io.Out, "No provider keys in this workspace (--workspace names another; 'orkeys byok create' adds one).")
		return err
	}
	return writeBYOKTable(o.f.io.Out, keys)
}
