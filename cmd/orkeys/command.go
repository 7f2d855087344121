package main

import (
	"context"
	"errors"

	"github.com/spf13/cobra"
)

// command is what every command's options struct is: checked whole before
// anything is sent, then run.
type command interface {
	base() *cmdBase
	validate() error
	run() error
}

// cmdBase is what every options struct holds besides its flags: the
// factory and the context of the run.
type cmdBase struct {
	f   *factory
	ctx context.Context
}

func (b *cmdBase) base() *cmdBase { return b }

// runCommand is every command's RunE: validate, then run (or the test's
// runF in its place). Errors of run are marked as the body's.
func runCommand[O command](o O, runF func(O) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, _ []string) error {
		o.base().ctx = cmd.Context()
		if err := o.validate(); err != nil {
			return err
		}
		if runF != nil {
			return runF(o)
		}
		if err := o.run(); err != nil {
			var ee *exitErr
			if errors.As(err, &ee) {
				return err
			}
			return &bodyErr{err}
		}
		return nil
	}
}
