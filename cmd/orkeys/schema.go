package main

import (
	"github.com/spf13/cobra"

	"github.com/orkeys/orkeys/provision"
)

// schemaOptions is schema.
type schemaOptions struct {
	cmdBase
}

// schemaCmd prints the desired-state file's JSON Schema, the one the
// repository keeps as orkeys.schema.json.
func (f *factory) schemaCmd() *cobra.Command {
	o := &schemaOptions{cmdBase: cmdBase{f: f}}
	return &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of the desired-state file that plan and apply read, for editors",
		Args:  noArgs,
		RunE:  runCommand(o, nil),
	}
}

func (o *schemaOptions) validate() error { return nil }

func (o *schemaOptions) run() error {
	_, err := o.f.io.Out.Write(provision.Schema)
	return err
}
