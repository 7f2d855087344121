package provision

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/orkeys/orkeys/secret"
)

// Status is how one resource's step of an Apply ended.
type Status string

// The statuses, best first.
const (
	StatusOK      Status = "ok"
	StatusSkipped Status = "skipped"
	StatusFailed  Status = "failed"
)

// Outcome is one resource's result.
type Outcome struct {
	Kind    Kind   `json:"kind"`
	Address string `json:"address"`
	Action  Action `json:"action"`
	ID      string `json:"id,omitempty"`
	Status  Status `json:"status"`
	Error   string `json:"error,omitempty"`
	Note    string `json:"note,omitempty"`
	// Err is the error Error spells, for a caller that classifies it.
	Err error `json:"-"`
}

// Result is what an Apply did, resource by resource.
type Result struct {
	Outcomes []Outcome `json:"resources"`
	// Keys holds the plaintexts of new keys whose Deliver is stdout, by
	// address. They redact themselves; the caller reveals them where it
	// means to, then calls MarkDelivered. Until then they are recorded
	// undelivered, so a failed print costs a replacement, not a key no one
	// holds.
	Keys map[string]secret.Key `json:"-"`
	// State is the state after the apply, as last saved.
	State *State `json:"-"`
}

// MarkDelivered records the keys of r.Keys as delivered, in r.State and
// through save (the one given to WithSave), once the caller has written
// them out.
func (r *Result) MarkDelivered(save func(*State) error) error {
	if len(r.Keys) == 0 {
		return nil
	}
	for addr := range r.Keys {
		if b, ok := r.State.Keys[addr]; ok {
			b.Undelivered = false
			r.State.Keys[addr] = b
		}
	}
	if save == nil {
		return nil
	}
	return save(r.State)
}

// Failed reports whether some resource failed or was skipped because
// something it needs failed.
func (r *Result) Failed() bool {
	return slices.ContainsFunc(r.Outcomes, func(o Outcome) bool { return o.Status != StatusOK })
}

type applyOptions struct {
	deliver DeliverFunc
	save    func(*State) error
	now     func() time.Time
	stop    func(point string) bool // tests: where a run "dies"
}

// ApplyOption adjusts Apply.
type ApplyOption func(*applyOptions)

// WithDeliver hands every new key's plaintext to fn instead of the
// desired state's receivers (file, exec, stdout).
func WithDeliver(fn DeliverFunc) ApplyOption { return func(o *applyOptions) { o.deliver = fn } }

// WithSave stores the state at every step that must survive a crash: each
// intent before its create, each binding after. Without it a crash loses
// the journal, and its orphans are never repaired.
func WithSave(fn func(*State) error) ApplyOption { return func(o *applyOptions) { o.save = fn } }

// WithClock sets the clock intents are stamped with.
func WithClock(now func() time.Time) ApplyOption { return func(o *applyOptions) { o.now = now } }

// errStopped is what Apply returns when a test stops it as a crash would.
var errStopped = errors.New("provision: apply stopped (test)")

type stopped struct{}

// Apply carries out p through b, in dependency order: orphan repairs,
// workspaces (with budgets), guardrails, keys, guardrail assignments, then
// guardrail and workspace prunes. One resource's failure does not stop
// unrelated ones; it skips those that need it. The error is only for a
// failure of the whole run; per-resource failures are in the Result.
func Apply(ctx context.Context, b Backend, p *Plan, opts ...ApplyOption) (res *Result, err error) {
	a := &applier{b: b, p: p, state: p.state.clone(), res: &Result{Keys: map[string]secret.Key{}}}
	a.opts.now = time.Now
	for _, o := range opts {
		o(&a.opts)
	}
	a.res.State = a.state
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(stopped); !ok {
				panic(r)
			}
			res, err = a.res, errStopped
		}
	}()
	a.repair(ctx)
	for _, c := range p.Changes {
		if c.Kind == KindWorkspace && c.Action != Delete {
			a.workspace(ctx, c)
		}
	}
	for _, c := range p.Changes {
		if c.Kind == KindGuardrail && c.Action != Delete {
			a.guardrail(ctx, c)
		}
	}
	for _, c := range p.Changes {
		if c.Kind == KindKey && c.Action != Repair {
			a.key(ctx, c)
		}
	}
	for _, c := range p.Changes {
		if c.Kind == KindAssignment {
			a.assign(ctx, c)
		}
	}
	for _, kind := range []Kind{KindGuardrail, KindWorkspace} {
		for _, c := range p.Changes {
			if c.Kind == kind && c.Action == Delete {
				a.remove(ctx, c)
			}
		}
	}
	return a.res, nil
}

type applier struct {
	b     Backend
	p     *Plan
	state *State
	res   *Result
	opts  applyOptions
}

func (a *applier) stopAt(point string) {
	if a.opts.stop != nil && a.opts.stop(point) {
		panic(stopped{})
	}
}

func (a *applier) save() error {
	if a.opts.save == nil {
		return nil
	}
	return a.opts.save(a.state)
}

func (a *applier) report(c Change, st Status, note string, err error) {
	o := Outcome{Kind: c.Kind, Address: c.Address, Action: c.Action, ID: c.ID, Status: st, Note: note}
	if err != nil {
		o.Error, o.Err = err.Error(), err
	}
	a.res.Outcomes = append(a.res.Outcomes, o)
}

// done reports c's step: ok, or failed with err; a failed save after a
// successful step fails it too.
func (a *applier) done(c Change, note string, err error) {
	if err == nil {
		if serr := a.save(); serr != nil {
			err = fmt.Errorf("saving the state: %w", serr)
		}
	}
	if err != nil {
		a.report(c, StatusFailed, note, err)
		return
	}
	a.report(c, StatusOK, note, nil)
}

// repair deletes the orphans of every journaled intent, then drops the
// intents whose orphans are all gone (or that left none).
func (a *applier) repair(ctx context.Context) {
	if len(a.state.Intents) == 0 {
		return
	}
	failedAddr := map[string]bool{}
	for _, c := range a.p.Changes {
		if c.Action != Repair {
			continue
		}
		var errs []error
		for _, h := range c.Orphans {
			if err := a.b.DeleteKey(ctx, h); err != nil && !errors.Is(err, ErrNotFound) {
				errs = append(errs, fmt.Errorf("deleting orphan %s: %w", h, err))
			}
		}
		if err := errors.Join(errs...); err != nil {
			failedAddr[c.Address] = true
			a.report(c, StatusFailed, "", err)
			continue
		}
		a.report(c, StatusOK, fmt.Sprintf("deleted %d orphaned key(s) never delivered: %v", len(c.Orphans), c.Orphans), nil)
	}
	if a.p.Failed() {
		// An intent whose orphan scan failed stays for the next run.
		for _, c := range a.p.Changes {
			if c.Action == Failed && c.Kind == KindKey {
				failedAddr[c.Address] = true
			}
		}
	}
	// Workspace and guardrail intents go when their step binds the address.
	a.state.Intents = slices.DeleteFunc(a.state.Intents, func(in Intent) bool { return in.isKey() && !failedAddr[in.Address] })
	if err := a.save(); err != nil {
		a.report(Change{Kind: KindKey, Action: Repair}, StatusFailed, "", fmt.Errorf("saving the state: %w", err))
	}
}

// unread reports a resource the plan could not read: it fails the run.
func (a *applier) unread(c Change) bool {
	if c.Action == Failed {
		a.report(c, StatusFailed, "", errors.New(c.Error))
	}
	return !c.Action.Pending()
}

func (a *applier) workspace(ctx context.Context, c Change) {
	if a.unread(c) {
		return
	}
	w := a.p.desired.Workspaces[c.Address]
	want := LiveWorkspace{Name: w.Name, Slug: w.Slug, Description: w.Description, Budgets: w.Budgets}
	var live LiveWorkspace
	var err error
	switch c.Action {
	case Create, Recreate:
		err = a.journaled(c, KindWorkspace, Intent{Name: w.Slug}, func() (string, error) {
			live, err = a.b.CreateWorkspace(ctx, want)
			return live.ID, err
		})
	case Adopt, Update:
		live, err = a.b.UpdateWorkspace(ctx, c.ID, want)
	default: // workspaces cannot be disabled; prune deletes them
		return
	}
	if err == nil {
		if a.state.Workspaces == nil {
			a.state.Workspaces = map[string]BoundWorkspace{}
		}
		a.state.Workspaces[c.Address] = BoundWorkspace{ID: live.ID, Last: &live}
		a.state.dropIntents(KindWorkspace, c.Address)
		c.ID = live.ID
	}
	a.done(c, "", err)
}

// journaled runs a workspace or guardrail create with its intent saved
// first, so that a lost answer leaves the next run something to adopt.
// The intent is dropped when the caller binds the address.
func (a *applier) journaled(c Change, kind Kind, in Intent, create func() (string, error)) error {
	in.Kind, in.Address, in.Started = kind, c.Address, a.opts.now().UTC()
	a.state.Intents = append(a.state.Intents, in)
	if err := a.save(); err != nil {
		a.state.Intents = a.state.Intents[:len(a.state.Intents)-1]
		return fmt.Errorf("journaling the create: %w; nothing was created", err)
	}
	_, err := create()
	return err
}

func (a *applier) guardrail(ctx context.Context, c Change) {
	if a.unread(c) {
		return
	}
	g := a.p.desired.Guardrails[c.Address]
	if g.Workspace != "" && workspaceID(a.state, g.Workspace) == "" {
		a.report(c, StatusSkipped, "", fmt.Errorf("its workspace %q was not made", g.Workspace))
		return
	}
	want := (&planner{Plan: &Plan{state: a.state}}).wantGuardrail(g)
	var live LiveGuardrail
	var err error
	switch c.Action {
	case Create, Recreate:
		err = a.journaled(c, KindGuardrail, Intent{Name: g.Name, WorkspaceID: want.WorkspaceID}, func() (string, error) {
			live, err = a.b.CreateGuardrail(ctx, want)
			return live.ID, err
		})
	case Adopt, Update:
		live, err = a.b.UpdateGuardrail(ctx, c.ID, want)
	default:
		return
	}
	if err == nil {
		if a.state.Guardrails == nil {
			a.state.Guardrails = map[string]BoundGuardrail{}
		}
		a.state.Guardrails[c.Address] = BoundGuardrail{ID: live.ID, Last: &live}
		a.state.dropIntents(KindGuardrail, c.Address)
		c.ID = live.ID
	}
	a.done(c, "", err)
}

// remove prunes a guardrail or workspace.
func (a *applier) remove(ctx context.Context, c Change) {
	var err error
	if c.Kind == KindGuardrail {
		err = a.b.DeleteGuardrail(ctx, c.ID)
	} else {
		err = a.b.DeleteWorkspace(ctx, c.ID)
	}
	if err != nil && !errors.Is(err, ErrNotFound) {
		a.report(c, StatusFailed, "", err)
		return
	}
	if c.Kind == KindGuardrail {
		delete(a.state.Guardrails, c.Address)
	} else {
		delete(a.state.Workspaces, c.Address)
	}
	a.done(c, "", nil)
}
