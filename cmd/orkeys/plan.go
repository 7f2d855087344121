package main

import (
	"errors"
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/orkeys/orkeys/provision"
)

// plan, apply, import and schema are declarative provisioning (package
// provision): plan exits exitPending when apply would change something.

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
