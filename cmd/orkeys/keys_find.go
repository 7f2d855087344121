package main

import (
	"fmt"
	"slices"

	"github.com/spf13/cobra"

	"github.com/orkeys/orkeys/facade"
)

// findOptions is keys find.
type findOptions struct {
	cmdBase
	conn           *clientFlags
	Name           string
	Prefix         bool
	workspaceScope // and its validate: find checks nothing else
	// Oldest lists the oldest key first, so that .[0] is the key a
	// rotation replaces, not the successor it made.
	Oldest bool
	Output outputFormat
}

func newFindCmd(f *factory, conn *clientFlags, runF func(*findOptions) error) *cobra.Command {
	o := &findOptions{cmdBase: cmdBase{f: f}, conn: conn}
	cmd := &cobra.Command{
		Use:   "find NAME",
		Short: "Find keys by name (or --prefix) across every page, disabled keys included",
		Example: `  orkeys keys find ci-runner
  orkeys keys find ci-runner --oldest -o json | jq -r '.[0].hash'   # the key a rotation replaces
  orkeys keys find customer- --prefix -o json | jq -r '.[].hash'`,
		Args: nameArg(&o.Name),
		RunE: runCommand(o, runF),
	}
	addOutputFlag(cmd, &o.Output, "json prints one array of the matching keys, [] for none")
	fs := cmd.Flags()
	fs.BoolVar(&o.Prefix, "prefix", false, "match every name that starts with NAME")
	fs.BoolVar(&o.Oldest, "oldest", false, "list the oldest key first (default: newest first)")
	addWorkspaceScopeFlags(fs, &o.workspaceScope, "search this workspace", "search every workspace, with a WORKSPACE column")
	return cmd
}

func (o *findOptions) run() error {
	c, ws, err := o.f.clientIn(o.ctx, o.conn, &o.Workspace)
	if err != nil {
		return err
	}
	req := facade.FindKeysRequest{Name: o.Name, Prefix: o.Prefix, WorkspaceID: ws}
	var workspaces map[string]string // slugs by id, with --all-workspaces
	var keys []facade.APIKey
	if o.AllWorkspaces {
		keys, workspaces, err = o.everywhere(c, req)
	} else {
		keys, err = c.APIKeys.Find(o.ctx, req)
	}
	if err != nil {
		return err
	}
	if o.Oldest {
		slices.Reverse(keys) // Find lists newest first
	}
	out := o.f.io.Out
	if o.Output == formatJSON {
		return writeJSON(out, append([]facade.APIKey{}, keys...)) // [] rather than null
	}
	if len(keys) == 0 {
		what := "named"
		if o.Prefix {
			what = "with a name starting with"
		}
		_, err := fmt.Fprintf(out, "No key %s %q (disabled keys included).\n", what, sanitize(o.Name))
		return err
	}
	return writeKeyTableIn(out, keys, o.f.tableWidth(), workspaces)
}

// everywhere is Find in each workspace, in the order GET /workspaces lists
// them, and the workspaces' slugs.
func (o *findOptions) everywhere(c *facade.Client, req facade.FindKeysRequest) ([]facade.APIKey, map[string]string, error) {
	var keys []facade.APIKey
	slugs := map[string]string{}
	for w, err := range c.Workspaces.All(o.ctx, facade.ListWorkspacesRequest{}) {
		if err != nil {
			return nil, nil, err
		}
		slugs[w.ID] = w.Slug
		req.WorkspaceID = &w.ID
		found, err := c.APIKeys.Find(o.ctx, req)
		if err != nil {
			return nil, nil, err
		}
		keys = append(keys, found...)
	}
	return keys, slugs, nil
}
