package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/orkeys/orkeys/provision"
)

// importOptions is orkeys import.
type importOptions struct {
	cmdBase
	conn        *clientFlags
	Kind        provision.Kind
	Address, ID string
	File        string
	State       string
	LockTimeout durationValue
}

func newImportCmd(f *factory, runF func(*importOptions) error) *cobra.Command {
	o := &importOptions{cmdBase: cmdBase{f: f}}
	cmd := &cobra.Command{
		Use:   "import key|guardrail|workspace ADDRESS ID",
		Short: "Adopt an existing resource into the state by its immutable id (a key's hash, a UUID)",
		Example: `  orkeys import key ci 3f9a…c1d2
  orkeys import workspace prod 5d0f3c2e-8a41-4b7e-9c16-0e2f4a6b8d10`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 3 {
				return usageErrorf("want KIND ADDRESS ID, got %d arguments", len(args))
			}
			switch k := provision.Kind(args[0]); k {
			case provision.KindKey, provision.KindGuardrail, provision.KindWorkspace:
				o.Kind = k
			default:
				return usageErrorf("cannot import a %q: want key, guardrail or workspace", args[0])
			}
			o.Address, o.ID = args[1], args[2]
			return nil
		},
		RunE: runCommand(o, runF),
	}
	o.conn = addClientFlags(cmd.Flags())
	cmd.Flags().StringVarP(&o.File, "file", "f", "orkeys.yaml", "the desired-state file, whose folder holds the default state")
	cmd.Flags().StringVar(&o.State, "state", "", "the state file (default .orkeys/state.json beside the file)")
	cmd.Flags().Var(&o.LockTimeout, "lock-timeout", "wait this long for another apply's lock (default 0: fail at once)")
	return cmd
}

func (o *importOptions) validate() error { return nil }

func (o *importOptions) run() error {
	pf := provisionFlags{conn: o.conn, File: o.File, State: o.State}
	b, err := pf.backend(o.f)
	if err != nil {
		return err
	}
	sf, err := provision.OpenStateFile(pf.statePath(), o.LockTimeout.v)
	if err != nil {
		return err
	}
	defer sf.Close()
	s, err := sf.Load()
	if err != nil {
		return err
	}
	if err := provision.Import(o.ctx, b, s, o.Kind, o.Address, o.ID); err != nil {
		return err
	}
	if err := sf.Save(s); err != nil {
		return err
	}
	_, err = fmt.Fprintf(o.f.io.Out, "Imported %s %s as %s.\n", o.Kind, sanitize(o.ID), sanitize(o.Address))
	return err
}
