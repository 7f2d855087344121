package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/orkeys/orkeys/facade"
)

// errKeyExists ends keys create --if-absent early: the key was found and
// printed, so there is nothing to create.
var errKeyExists = errors.New("a key with this name exists")

// withIfAbsent adds --if-absent to keys create, so that a script can run it
// again safely. The lookup runs once the command has checked its flags and
// made its client (a.onClient), so a bad flag is still a usage error with
// nothing sent.
func (a *app) withIfAbsent(cmd *cobra.Command) *cobra.Command {
	var on bool
	cmd.Flags().BoolVar(&on, "if-absent", false, "if a key with exactly this name exists (disabled keys included), print it and create nothing")
	inner := cmd.RunE
	cmd.RunE = runE(func(cmd *cobra.Command, args []string) error {
		if !on {
			return inner(cmd, args)
		}
		fs := cmd.Flags()
		out := fs.Lookup("output").Value.String()
		a.onClient = func(c *facade.Client) error {
			req := facade.FindKeysRequest{}
			req.Name, _ = fs.GetString("name")
			if fs.Changed("workspace") {
				ws, _ := fs.GetString("workspace")
				req.WorkspaceID = &ws
			}
			found, err := c.APIKeys.Find(cmd.Context(), req)
			if err != nil || len(found) == 0 {
				return err
			}
			if err := a.writeExisting(outputFormat(out), found); err != nil {
				return err
			}
			return errKeyExists
		}
		err := inner(cmd, args)
		if errors.Is(err, errKeyExists) {
			return nil
		}
		return err
	})
	return cmd
}

// writeExisting prints the newest key of found, as keys create would print
// a new one but without a plaintext, and says why on stderr.
func (a *app) writeExisting(format outputFormat, found []facade.APIKey) error {
	k := found[0] // newest first
	fmt.Fprintf(a.stderr, "Key %q already exists (hash %s), so nothing was created (--if-absent).\n"+
		"No plaintext is available for an existing key; 'orkeys keys rotate %s' makes a new one.\n", k.Name, k.Hash, k.Hash)
	if len(found) > 1 {
		fmt.Fprintf(a.stderr, "%d keys have this name; showing the newest ('orkeys keys find' lists them all).\n", len(found))
	}
	if format == formatJSON {
		// The shape of keys create -o json, without "key".
		return writeJSON(a.stdout, struct {
			Data facade.APIKey `json:"data"`
		}{k})
	}
	return writeKeyDetail(a.stdout, &k)
}
