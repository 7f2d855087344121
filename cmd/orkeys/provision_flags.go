package main

import (
	"errors"
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/orkeys/orkeys/provision"
)

// stateFlags are the file and the state, for plan, apply and import.
type stateFlags struct {
	conn  *clientFlags
	File  string
	State string
}

func (s *stateFlags) add(fs *pflag.FlagSet) {
	fs.StringVarP(&s.File, "file", "f", "orkeys.yaml", "the desired-state file, whose folder holds the default state")
	fs.StringVar(&s.State, "state", "", "the state file (default .orkeys/state.json beside the file)")
}

// statePath is --state, or the default beside the file.
func (s *stateFlags) statePath() string {
	if s.State != "" {
		return s.State
	}
	return filepath.Join(filepath.Dir(s.File), provision.DefaultStatePath)
}

// backend is the engine's view of the API through the command's client.
func (s *stateFlags) backend(f *factory) (provision.Backend, error) {
	c, err := f.newClient(s.conn, clientSpec{})
	if err != nil {
		return nil, err
	}
	return provision.NewFacadeBackend(c), nil
}

// lockFlag is --lock-timeout, for the commands that write the state.
type lockFlag struct{ LockTimeout durationValue }

func (l *lockFlag) add(fs *pflag.FlagSet) {
	fs.Var(&l.LockTimeout, "lock-timeout", "wait this long for another apply's lock on the state, such as 30s (default 0: fail at once)")
}

// open takes the state's exclusive lock (a held lock fails naming it) and
// reads the state; the caller closes the file, which drops the lock.
func (l *lockFlag) open(path string) (*provision.StateFile, *provision.State, error) {
	sf, err := provision.OpenStateFile(path, l.LockTimeout.v)
	var locked *provision.LockedError
	if errors.As(err, &locked) {
		return nil, nil, fmt.Errorf("%w; another apply is running (wait for it with --lock-timeout)", err)
	}
	if err != nil {
		return nil, nil, err
	}
	s, err := sf.Load()
	if err != nil {
		sf.Close()
		return nil, nil, err
	}
	return sf, s, nil
}

// provisionFlags are what plan and apply share: the file, the state, and
// how to plan.
type provisionFlags struct {
	stateFlags
	Prune           pruneValue
	RecreateMissing bool
	ImportByName    bool
	ClockSkew       durationValue
	Verbose         bool
	Output          outputFormat
}

func (p *provisionFlags) add(cmd *cobra.Command) {
	fs := cmd.Flags()
	p.stateFlags.add(fs)
	fs.Var(&p.Prune, "prune", "act on resources removed from the file: --prune disables keys, --prune=delete deletes them; guardrails and workspaces are deleted either way")
	fs.Lookup("prune").NoOptDefVal = "disable"
	fs.BoolVar(&p.RecreateMissing, "recreate-missing", false, "recreate managed keys deleted out of band (their consumers hold a dead secret)")
	fs.BoolVar(&p.ImportByName, "import-by-name", false, "propose imports for keys to create whose name matches a live, unmanaged key")
	fs.Var(&p.ClockSkew, "clock-skew", "how far the API's clock may run behind this machine's, such as 5s: a key a lost create made that long before its journaled start still counts as that create's orphan (default 0)")
	fs.BoolVarP(&p.Verbose, "verbose", "v", false, "list resources that are in sync too")
	addOutputFlag(cmd, &p.Output, "json prints the plan's changes")
}

func (p *provisionFlags) planOptions() []provision.PlanOption {
	opts := []provision.PlanOption{provision.WithPrune(p.Prune.v)}
	if p.RecreateMissing {
		opts = append(opts, provision.WithRecreateMissing())
	}
	if p.ImportByName {
		opts = append(opts, provision.WithImportByName())
	}
	if p.ClockSkew.v > 0 {
		opts = append(opts, provision.WithClockSkew(p.ClockSkew.v))
	}
	return opts
}

// load reads the file; its problems are usage errors (exit 2): nothing
// was sent. No key may be delivered into the state file or its lock,
// which the run itself rewrites.
func (p *provisionFlags) load(statePath string) (*provision.Desired, error) {
	d, err := p.loadFile()
	if err != nil {
		return nil, err
	}
	if err := d.CheckDeliveryTargets(statePath, statePath+".lock"); err != nil {
		return nil, usageErrorf("%v", err)
	}
	return d, nil
}

// loadFile reads --file; its problems are usage errors (exit 2).
func (s *stateFlags) loadFile() (*provision.Desired, error) {
	d, err := provision.LoadFile(s.File)
	if err != nil {
		return nil, usageErrorf("%v", err)
	}
	return d, nil
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

// sharedExit is the exit code of a plan or apply some of whose resources
// failed: the code classify gives every failure's error when they agree
// (all refused: 3; the server unreachable: 7), else 1. Nil errors (a
// resource that converged, or was skipped for another's failure) do not
// count. An ambiguous create counts as 1: the next apply resolves it, so
// the remedy exit 5 names does not apply.
func (f *factory) sharedExit(errs []error) int {
	code := 0
	for _, err := range errs {
		if err == nil {
			continue
		}
		c, _ := f.classifyRaw(err)
		if c == exitAmbiguous {
			c = exitError
		}
		if code != 0 && c != code {
			return exitError
		}
		code = c
	}
	if code == 0 {
		return exitError
	}
	return code
}
