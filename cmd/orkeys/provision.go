package main

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/orkeys/orkeys/provision"
)

// exitPending is plan's "changes pending": apply would change something.
// The other commands never return it.

// provisionFlags are what plan and apply share: the file, the state, and
// how to plan.
type provisionFlags struct {
	conn            *clientFlags
	File            string
	State           string
	Prune           pruneValue
	RecreateMissing bool
	ImportByName    bool
	Verbose         bool
	Output          outputFormat
}

func (p *provisionFlags) add(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.StringVarP(&p.File, "file", "f", "orkeys.yaml", "the desired-state file")
	fs.StringVar(&p.State, "state", "", "the state file (default .orkeys/state.json beside the file)")
	fs.Var(&p.Prune, "prune", "act on resources removed from the file: --prune disables keys, --prune=delete deletes them; guardrails and workspaces are deleted either way")
	fs.Lookup("prune").NoOptDefVal = "disable"
	fs.BoolVar(&p.RecreateMissing, "recreate-missing", false, "recreate managed keys deleted out of band (their consumers hold a dead secret)")
	fs.BoolVar(&p.ImportByName, "import-by-name", false, "propose imports for keys to create whose name matches a live, unmanaged key")
	fs.BoolVarP(&p.Verbose, "verbose", "v", false, "list resources that are in sync too")
	addOutputFlag(cmd, &p.Output, "json prints the plan's changes")
}

// statePath is --state, or the default beside the file.
func (p *provisionFlags) statePath() string {
	if p.State != "" {
		return p.State
	}
	return filepath.Join(filepath.Dir(p.File), provision.DefaultStatePath)
}

func (p *provisionFlags) planOptions() []provision.PlanOption {
	opts := []provision.PlanOption{provision.WithPrune(p.Prune.v)}
	if p.RecreateMissing {
		opts = append(opts, provision.WithRecreateMissing())
	}
	if p.ImportByName {
		opts = append(opts, provision.WithImportByName())
	}
	return opts
}

// load reads the file; its problems are usage errors (exit 2): nothing
// was sent.
func (p *provisionFlags) load() (*provision.Desired, error) {
	d, err := provision.LoadFile(p.File)
	if err != nil {
		return nil, usageErrorf("%v", err)
	}
	return d, nil
}

// backend is the engine's view of the API through the command's client.
func (p *provisionFlags) backend(f *factory) (provision.Backend, error) {
	c, err := f.newClient(p.conn, clientSpec{})
	if err != nil {
		return nil, err
	}
	return provision.NewFacadeBackend(c), nil
}

// pruneValue is --prune[=disable|delete].
type pruneValue struct{ v provision.Prune }

func (p *pruneValue) String() string {
	switch p.v {
	case provision.PruneDisable:
		return "disable"
	case provision.PruneDelete:
		return "delete"
	}
	return ""
}
func (p *pruneValue) Type() string { return "disable|delete" }
func (p *pruneValue) Set(s string) error {
	switch s {
	case "disable":
		p.v = provision.PruneDisable
	case "delete":
		p.v = provision.PruneDelete
	default:
		return errors.New("want disable or delete")
	}
	return nil
}

var _ pflag.Value = (*pruneValue)(nil)

// planJSON is plan -o json.
type planJSON struct {
	Pending bool               `json:"pending"`
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
	o.add(cmd)
	return cmd
}

func (o *planOptions) validate() error { return nil }

func (o *planOptions) run() error {
	d, err := o.load()
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
		err = writeJSON(o.f.io.Out, planJSON{Pending: p.Pending(), Changes: p.Changes})
	} else if err = p.WriteText(o.f.io.Out, sanitize, o.Verbose); err == nil {
		_, err = fmt.Fprintln(o.f.io.Out, p.Summary())
	}
	if err != nil {
		return &localIOError{op: "write output", err: err}
	}
	switch {
	case p.Failed():
		return errors.New("some resources could not be read; the plan is incomplete")
	case p.Pending():
		return &exitErr{code: exitPending, err: errors.New("changes pending: run 'orkeys apply' to make them")}
	}
	return nil
}

// applyOptions is orkeys apply.
type applyOptions struct {
	cmdBase
	provisionFlags
	Yes         bool
	LockTimeout durationValue
}

func newApplyCmd(f *factory, runF func(*applyOptions) error) *cobra.Command {
	o := &applyOptions{cmdBase: cmdBase{f: f}}
	cmd := &cobra.Command{
		Use:   "apply",
		Short: "Converge on the desired-state file: plan, ask, then create, change and repair (--yes in scripts)",
		Long: `apply recomputes the plan under the state's lock and converges in order:
workspaces, budgets, guardrails, keys, assignments. One resource's failure does
not stop unrelated ones; the exit code is the worst outcome.

Every ambiguity a run leaves (a lost create answer, a crash between create and
delivery, a failed delivery) is repaired by the next run, with no operator: a
key whose plaintext never reached its receiver is deleted and made again.`,
		Example: `  orkeys apply -f orkeys.yaml
  orkeys apply -f orkeys.yaml --yes --lock-timeout 2m   # from cron or CI`,
		Args: noArgs,
		RunE: runCommand(o, runF),
	}
	o.conn = addClientFlags(cmd.Flags())
	o.add(cmd)
	cmd.Flags().BoolVarP(&o.Yes, "yes", "y", false, "apply without asking")
	cmd.Flags().Var(&o.LockTimeout, "lock-timeout", "wait this long for another apply's lock, such as 30s (default 0: fail at once)")
	return cmd
}

func (o *applyOptions) validate() error {
	if !o.Yes && !o.f.isTerminal(o.f.io.In) {
		return usageErrorf("refusing to apply without confirmation: stdin is not a terminal; pass --yes to apply")
	}
	return nil
}

func (o *applyOptions) run() error {
	d, err := o.load()
	if err != nil {
		return err
	}
	b, err := o.backend(o.f)
	if err != nil {
		return err
	}
	sf, err := provision.OpenStateFile(o.statePath(), o.LockTimeout.v)
	var locked *provision.LockedError
	if errors.As(err, &locked) {
		return fmt.Errorf("%w; another apply is running (wait for it with --lock-timeout)", err)
	}
	if err != nil {
		return err
	}
	defer sf.Close()
	s, err := sf.Load()
	if err != nil {
		return err
	}
	p, err := provision.ComputePlan(o.ctx, b, d, s, o.planOptions()...)
	if err != nil {
		return err
	}
	if err := o.stdoutReceivers(d, p); err != nil {
		return err
	}
	if err := p.WriteText(o.planOut(), sanitize, o.Verbose); err != nil {
		return &localIOError{op: "write output", err: err}
	}
	if !p.Pending() && !p.Failed() {
		if _, err := fmt.Fprintln(o.planOut(), p.Summary()); err != nil {
			return &localIOError{op: "write output", err: err}
		}
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
		for _, oc := range res.Outcomes {
			if oc.Status != provision.StatusOK {
				n++
			}
		}
		return fmt.Errorf("%d of %d resources did not converge; the next apply repairs what this one left", n, len(res.Outcomes))
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
