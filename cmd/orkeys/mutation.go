package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

// mutation is what keys update and delete share: the key, --dry-run (the
// request is printed, not sent, and nothing is asked), --ignore-missing (a
// key already gone is a success, so that a script can run again) and -o.
type mutation struct {
	conn          *clientFlags
	Hash          string
	DryRun        bool
	IgnoreMissing bool
	Output        outputFormat
}

func (m *mutation) addFlags(cmd *cobra.Command) {
	addOutputFlag(cmd, &m.Output, apiJSON)
	addDryRunFlag(cmd.Flags(), &m.DryRun)
	cmd.Flags().BoolVar(&m.IgnoreMissing, "ignore-missing", false, "exit 0 when no key has this hash (the API answers 404)")
}

// finish ends a mutation: a missing key under --ignore-missing is a
// success that says so (field false in JSON), and a dry run prints what
// would have been sent.
func (m *mutation) finish(f *factory, rec *dryRun, err error, field, what string) error {
	switch {
	case err != nil && m.IgnoreMissing && keyMissing(err):
		if m.Output == formatJSON {
			return writeJSON(f.io.Out, map[string]bool{field: false})
		}
		_, err := fmt.Fprintf(f.io.Out, "No key has hash %s; %s.\n", m.Hash, what)
		return err
	case err != nil:
		return err
	case rec != nil:
		return f.writeDryRun(rec, m.Output)
	}
	return nil
}
