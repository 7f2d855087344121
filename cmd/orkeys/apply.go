package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/orkeys/orkeys/provision"
)

// applyOptions is orkeys apply.
type applyOptions struct {
	cmdBase
	provisionFlags
	lockFlag
	Yes bool
}

func newApplyCmd(f *factory, runF func(*applyOptions) error) *cobra.Command {
	o := &applyOptions{cmdBase: cmdBase{f: f}}
	cmd := &cobra.Command{
		Use:   "apply",
		Short: "Converge on the desired-state file: plan, ask, then create, change and repair (--yes in scripts)",
		Long: `apply recomputes the plan under the state's lock and converges in order:
workspaces, budgets, guardrails, keys, assignments. One resource's failure does
not stop unrelated ones; the run then exits with its failures' code when they
share a cause (3 for a refused key, 7 for a server in trouble), else 1.

Every ambiguity a run leaves (a lost create answer, a crash between create and
delivery, a failed delivery) is repaired by the next run, with no operator: a
key whose plaintext never reached its receiver is deleted and made again.`,
		Example: `  orkeys apply -f orkeys.yaml
  orkeys apply -f orkeys.yaml --yes --lock-timeout 2m   # from cron or CI`,
		Args: noArgs,
		RunE: runCommand(o, runF),
	}
	o.conn = addClientFlags(cmd.Flags())
	o.provisionFlags.add(cmd)
	cmd.Flags().BoolVarP(&o.Yes, "yes", "y", false, "apply without asking")
	o.lockFlag.add(cmd.Flags())
	return cmd
}

func (o *applyOptions) validate() error {
	if !o.Yes && !o.f.isTerminal(o.f.io.In) {
		return usageErrorf("refusing to apply without confirmation: stdin is not a terminal; pass --yes to apply")
	}
	return nil
}

func (o *applyOptions) run() error {
	d, err := o.load(o.statePath())
	if err != nil {
		return err
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
	p, err := provision.ComputePlan(o.ctx, b, d, s, o.planOptions()...)
	if err != nil {
		return err
	}
	if err := o.stdoutReceivers(d, p); err != nil {
		return err
	}
	err = p.WriteText(o.planOut(), sanitize, o.Verbose)
	if err == nil {
		_, err = fmt.Fprintln(o.planOut(), p.Summary())
	}
	if err != nil {
		return &localIOError{op: "write output", err: err}
	}
	if !p.Pending() && !p.Failed() {
		if o.Output == formatJSON {
			return writeJSON(o.f.io.Out, applyJSON{Resources: []provision.Outcome{}, Keys: map[string]keyJSON{}})
		}
		return nil
	}
	if !o.Yes && p.Pending() {
		ok, err := confirm(o.ctx, o.f.io.In, o.f.io.ErrOut, "Apply these changes? [y/N] ")
		var local *localIOError
		switch {
		case errors.As(err, &local):
			return fmt.Errorf("%w; nothing was changed", err)
		case err != nil:
			return declinedf("%v; nothing was changed", err)
		case !ok:
			return declinedf("not confirmed; nothing was changed")
		}
	}
	res, err := provision.Apply(o.ctx, b, p, provision.WithSave(sf.Save))
	if err != nil {
		return err
	}
	if o.Output == formatJSON {
		out := applyJSON{Resources: res.Outcomes, Keys: map[string]keyJSON{}}
		for addr, k := range res.Keys {
			out.Keys[addr] = keyJSON{Key: k.Reveal()} // deliver: {stdout: true} asks for it here
		}
		if err = writeJSON(o.f.io.Out, out); err == nil {
			err = o.f.io.Out.Flush()
		}
		if err == nil {
			// Printed: only now are the stdout keys delivered. A failed
			// print leaves them for the next apply to replace.
			if merr := res.MarkDelivered(sf.Save); merr != nil {
				return fmt.Errorf("the keys were printed but their delivery not saved (the next apply replaces them): %w", merr)
			}
		}
	} else {
		err = res.WriteText(o.f.io.Out, sanitize)
	}
	if err != nil {
		return &localIOError{op: "write output", err: err}
	}
	if res.Failed() {
		n := 0
		var errs []error
		for _, oc := range res.Outcomes {
			if oc.Status != provision.StatusOK {
				n++
			}
			errs = append(errs, oc.Err)
		}
		return &exitErr{code: o.f.sharedExit(errs), err: fmt.Errorf("%d of %d resources did not converge; the next apply repairs what this one left", n, len(res.Outcomes))}
	}
	return nil
}

// planOut is where apply shows its plan: stdout for people, stderr when
// stdout carries JSON.
func (o *applyOptions) planOut() io.Writer {
	if o.Output == formatJSON {
		return o.f.io.ErrOut
	}
	return o.f.io.Out
}

// stdoutReceivers refuses, before anything is made, to create a key whose
// plaintext goes to stdout unless stdout carries -o json.
func (o *applyOptions) stdoutReceivers(d *provision.Desired, p *provision.Plan) error {
	if o.Output == formatJSON {
		return nil
	}
	for _, c := range p.Changes {
		switch c.Action {
		case provision.Create, provision.Replace, provision.Recreate:
			if k, ok := d.Keys[c.Address]; ok && c.Kind == provision.KindKey && k.Deliver != nil && k.Deliver.Stdout {
				return usageErrorf("key %s delivers its plaintext to stdout: run apply with -o json to receive it", c.Address)
			}
		}
	}
	return nil
}

type applyJSON struct {
	Resources []provision.Outcome `json:"resources"`
	Keys      map[string]keyJSON  `json:"keys"`
}

type keyJSON struct {
	Key string `json:"key"`
}
