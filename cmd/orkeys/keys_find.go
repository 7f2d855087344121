package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/orkeys/orkeys/facade"
)

func (a *app) keysFindCmd(cf *clientFlags) *cobra.Command {
	var (
		prefix    bool
		workspace string
	)
	cmd := &cobra.Command{
		Use:   "find NAME",
		Short: "Find keys by name (or --prefix) across every page, disabled keys included",
		Example: `  orkeys keys find ci-runner
  orkeys keys find customer- --prefix -o json | jq -r '.[].hash'`,
		Args: a.nameArg,
	}
	out := addOutputFlag(cmd, "json prints one array of the matching keys, [] for none")
	fs := cmd.Flags()
	fs.BoolVar(&prefix, "prefix", false, "match every name that starts with NAME")
	fs.StringVar(&workspace, "workspace", "", "search this workspace (a UUID; default: the default workspace)")

	cmd.RunE = runE(func(cmd *cobra.Command, args []string) error {
		req := facade.FindKeysRequest{Name: args[0], Prefix: prefix}
		if fs.Changed("workspace") {
			if err := checkUUID("--workspace", workspace); err != nil {
				return err
			}
			req.WorkspaceID = &workspace
		}
		c, err := a.newClient(cmd.Flags(), cf, a.stderr)
		if err != nil {
			return err
		}
		keys, err := c.APIKeys.Find(cmd.Context(), req)
		if err != nil {
			return err
		}
		if *out == formatJSON {
			return writeJSON(a.stdout, append([]facade.APIKey{}, keys...)) // [] rather than null
		}
		if len(keys) == 0 {
			what := "named"
			if prefix {
				what = "with a name starting with"
			}
			_, err := fmt.Fprintf(a.stdout, "No key %s %q (disabled keys included).\n", what, args[0])
			return err
		}
		return writeKeyTable(a.stdout, keys, a.tableWidth())
	})
	return cmd
}

// nameArg checks the one NAME argument of keys find.
func (a *app) nameArg(cmd *cobra.Command, args []string) error {
	switch {
	case len(args) != 1:
		return usageErrorf("%s takes one NAME, got %d arguments", name(cmd), len(args))
	case strings.TrimSpace(args[0]) == "":
		return usageErrorf("NAME must not be empty")
	}
	return nil
}
