package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/orkeys/orkeys/provision"
)

// planJSON is plan -o json.
type planJSON struct {
	Pending bool `json:"pending"`
	// Fixed counts the resources that differ in a field fixed at creation.
	Fixed   int                `json:"fixed"`
	Changes []provision.Change `json:"changes"`
}

// planOptions is orkeys plan.
type planOptions struct {
	cmdBase
	provisionFlags
}

func newPlanCmd(f *factory, runF func(*planOptions) error) *cobra.Command {
	o := &planOptions{cmdBase: cmdBase{f: f}}
	cmd := &cobra.Command{
		Use:   "plan",
		Short: "Show what apply would change to match the desired-state file (read-only; exit 10 when changes are pending)",
		Example: `  orkeys plan -f orkeys.yaml
  orkeys plan -f orkeys.yaml -o json --prune`,
		Args: noArgs,
		RunE: runCommand(o, runF),
	}
	o.conn = addClientFlags(cmd.Flags())
	o.provisionFlags.add(cmd)
	return cmd
}

func (o *planOptions) validate() error { return nil }

func (o *planOptions) run() error {
	d, err := o.load(o.statePath())
	if err != nil {
		return err
	}
	s, err := provision.ReadStateFile(o.statePath())
	if err != nil {
		return err
	}
	b, err := o.backend(o.f)
	if err != nil {
		return err
	}
	p, err := provision.ComputePlan(o.ctx, b, d, s, o.planOptions()...)
	if err != nil {
		return err
	}
	if o.Output == formatJSON {
		err = writeJSON(o.f.io.Out, planJSON{Pending: p.Pending(), Fixed: p.Fixed(), Changes: p.Changes})
	} else if err = p.WriteText(o.f.io.Out, sanitize, o.Verbose); err == nil {
		_, err = fmt.Fprintln(o.f.io.Out, p.Summary())
	}
	if err != nil {
		return &localIOError{op: "write output", err: err}
	}
	switch {
	case p.Failed():
		var errs []error
		for _, c := range p.Changes {
			errs = append(errs, c.Err)
		}
		return &exitErr{code: o.f.sharedExit(errs), err: errors.New("some resources could not be read; the plan is incomplete")}
	case p.Pending():
		return &exitErr{code: exitPending, err: errors.New("changes pending: run 'orkeys apply' to make them")}
	case p.Fixed() > 0:
		// Not in sync, though apply has nothing to do: CI must not read
		// this plan as a match.
		return &exitErr{code: exitPending, err: errors.New("not in sync: a field fixed at creation differs, which 'orkeys apply' cannot change")}
	}
	return nil
}
