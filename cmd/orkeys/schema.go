package main

import (
	"github.com/spf13/cobra"

	"github.com/orkeys/orkeys/provision"
)

// schemaCmd prints the desired-state file's JSON Schema.
func (f *factory) schemaCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of the desired-state file, for editors",
		Args:  noArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := f.io.Out.Write(provision.Schema)
			return err
		},
	}
}
