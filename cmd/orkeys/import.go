package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/orkeys/orkeys/internal/rules"
	"github.com/orkeys/orkeys/provision"
)

// importOptions is orkeys import.
type importOptions struct {
	cmdBase
	stateFlags
	lockFlag
	Kind        provision.Kind
	Address, ID string
	Output      outputFormat
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
	o.stateFlags.add(cmd.Flags())
	o.lockFlag.add(cmd.Flags())
	addOutputFlag(cmd, &o.Output, `json prints {"kind", "address", "id"}`)
	return cmd
}

// validate checks the id's shape, so that a typo is exit 2 with nothing
// sent.
func (o *importOptions) validate() error {
	check, what := rules.UUID, "a UUID"
	if o.Kind == provision.KindKey {
		check, what = rules.KeyHash, "a key's hash (64 hexadecimal digits)"
	}
	if err := check(o.ID); err != nil {
		return usageErrorf("import %s %s: the ID must be %s: %v", o.Kind, sanitize(o.Address), what, err)
	}
	return nil
}

func (o *importOptions) run() error {
	// Only a resource the file declares can be imported: bound to an
	// address the file lacks, it would be reported unmanaged at once.
	d, err := o.loadFile()
	if err != nil {
		return err
	}
	if !d.Declares(o.Kind, o.Address) {
		return usageErrorf("%s %s is not in %s: declare it there first, then import it", o.Kind, sanitize(o.Address), o.File)
	}
	b, err := o.backend(o.f)
	if err != nil {
		return err
	}
	sf, s, err := o.open(o.statePath())
	if err != nil {
		return err
	}
	defer sf.Close()
	if err := provision.Import(o.ctx, b, s, o.Kind, o.Address, o.ID); err != nil {
		return err
	}
	if err := sf.Save(s); err != nil {
		return err
	}
	if o.Output == formatJSON {
		return writeJSON(o.f.io.Out, importJSON{Kind: o.Kind, Address: o.Address, ID: o.ID})
	}
	_, err = fmt.Fprintf(o.f.io.Out, "Imported %s %s as %s.\n", o.Kind, sanitize(o.ID), sanitize(o.Address))
	return err
}

type importJSON struct {
	Kind    provision.Kind `json:"kind"`
	Address string         `json:"address"`
	ID      string         `json:"id"`
}
