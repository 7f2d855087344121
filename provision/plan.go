package provision

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Kind is the sort of resource a Change is about.
type Kind string

// The kinds, in the order Apply converges them.
const (
	KindWorkspace  Kind = "workspace"
	KindGuardrail  Kind = "guardrail"
	KindKey        Kind = "key"
	KindAssignment Kind = "assignment"
)

// Action is what Apply would do about one resource.
type Action string

// The actions. Only Pending ones make a plan "changes pending".
const (
	NoOp   Action = "no-op"
	Create Action = "create"
	Update Action = "update"
	// Replace deletes a key whose plaintext was never delivered and
	// creates a fresh one.
	Replace Action = "replace"
	// Repair deletes the orphans a lost create or a crash left behind.
	Repair Action = "repair"
	// Adopt binds the workspace or guardrail a lost create made, then
	// changes what differs.
	Adopt Action = "adopt"
	// Recreate makes again a managed resource deleted out of band.
	Recreate Action = "recreate"
	// Missing is a managed key deleted out of band and not recreated
	// (WithRecreateMissing is not set).
	Missing Action = "missing"
	// Unmanaged is a bound resource no longer in the desired state: left
	// alone unless pruning.
	Unmanaged Action = "unmanaged"
	Disable   Action = "disable"
	Delete    Action = "delete"
	Assign    Action = "assign"
	// Failed is a resource whose live state could not be read.
	Failed Action = "failed"
)

// Pending reports whether Apply would change something for a.
func (a Action) Pending() bool {
	switch a {
	case NoOp, Missing, Unmanaged, Failed:
		return false
	}
	return true
}

// FieldChange is one field that differs, old (live) → new (desired).
type FieldChange struct {
	Field string `json:"field"`
	Old   string `json:"old"`
	New   string `json:"new"`
	// Drift is set when the live value is not what the last apply left:
	// someone changed it out of band.
	Drift bool `json:"drift,omitempty"`
	// Immutable is set for a field the API cannot change in place.
	Immutable bool `json:"immutable,omitempty"`
}

// Change is the plan for one resource.
type Change struct {
	Kind    Kind          `json:"kind"`
	Address string        `json:"address"`
	Action  Action        `json:"action"`
	ID      string        `json:"id,omitempty"` // a key's hash, or a UUID
	Fields  []FieldChange `json:"fields,omitempty"`
	Drift   bool          `json:"drift,omitempty"`
	// Orphans are the hashes a Repair deletes.
	Orphans []string `json:"orphans,omitempty"`
	// Proposals are live resources of the same name that `import` could
	// adopt instead of creating (WithImportByName); never adopted by
	// themselves.
	Proposals []string `json:"proposals,omitempty"`
	Note      string   `json:"note,omitempty"`
	Error     string   `json:"error,omitempty"`
	// Err is the error Error spells, for a caller that classifies it.
	Err error `json:"-"`
}

// Plan is what Apply would do to make the live resources match a
// Desired. It is computed read-only.
type Plan struct {
	Changes []Change `json:"changes"`

	desired *Desired
	state   *State
	opts    planOptions
	// live holds what was read, for Apply.
	liveKeys map[string]LiveKey   // by hash
	assigned map[string]string    // key hash → guardrail id
	listed   map[string]LiveKey   // bound keys found by listing their workspaces
	lists    map[string][]LiveKey // each workspace's keys, listed once
}

// Pending reports whether Apply would change anything.
func (p *Plan) Pending() bool {
	return slices.ContainsFunc(p.Changes, func(c Change) bool { return c.Action.Pending() })
}

// Fixed counts the resources that differ in a field fixed at creation
// (FieldChange.Immutable): Apply cannot change it, so such a resource is
// out of sync even when nothing is pending for it.
func (p *Plan) Fixed() int {
	n := 0
	for _, c := range p.Changes {
		if slices.ContainsFunc(c.Fields, func(f FieldChange) bool { return f.Immutable }) {
			n++
		}
	}
	return n
}

// Failed reports whether some resource could not be read.
func (p *Plan) Failed() bool {
	return slices.ContainsFunc(p.Changes, func(c Change) bool { return c.Action == Failed })
}

// Prune says what happens to resources bound in the state but gone from
// the desired state.
type Prune int

const (
	// PruneNone leaves them alone and reports them unmanaged.
	PruneNone Prune = iota
	// PruneDisable disables keys and deletes guardrails and workspaces.
	PruneDisable
	// PruneDelete deletes them all.
	PruneDelete
)

type planOptions struct {
	prune           Prune
	recreateMissing bool
	importByName    bool
	skew            time.Duration
}

// PlanOption adjusts Plan.
type PlanOption func(*planOptions)

// WithPrune makes the plan prune unmanaged resources; pruning is never
// implicit.
func WithPrune(p Prune) PlanOption { return func(o *planOptions) { o.prune = p } }

// WithRecreateMissing recreates managed keys deleted out of band. It is
// opt-in because their consumers hold a dead secret: a new one must be
// delivered to them.
func WithRecreateMissing() PlanOption { return func(o *planOptions) { o.recreateMissing = true } }

// WithImportByName proposes imports for keys to be created whose name
// matches an unbound live key in the same workspace.
func WithImportByName() PlanOption { return func(o *planOptions) { o.importByName = true } }

// WithClockSkew widens the orphan rule by d: a key made up to d before an
// intent's start still counts as its orphan. Use it when this machine's
// clock may run ahead of the API's; the default is 0, the rule as stated.
func WithClockSkew(d time.Duration) PlanOption { return func(o *planOptions) { o.skew = d } }

// ComputePlan reads the live resources through b and compares them with
// desired, given what state binds. It changes nothing, not even state.
func ComputePlan(ctx context.Context, b Backend, desired *Desired, state *State, opts ...PlanOption) (*Plan, error) {
	if err := desired.Validate(); err != nil {
		return nil, err
	}
	if state == nil {
		state = NewState()
	}
	p := &Plan{desired: desired, state: state.clone(), liveKeys: map[string]LiveKey{}}
	for _, o := range opts {
		o(&p.opts)
	}
	pl := planner{Plan: p, b: b}
	pl.workspaces(ctx)
	pl.guardrails(ctx)
	pl.keys(ctx)
	return p, nil
}

type planner struct {
	*Plan
	b Backend
}

func (pl *planner) add(c Change) { pl.Changes = append(pl.Changes, c) }

func failed(kind Kind, addr, id string, err error) Change {
	return Change{Kind: kind, Address: addr, Action: Failed, ID: id, Error: err.Error(), Err: err}
}

func (pl *planner) workspaces(ctx context.Context) {
	for _, addr := range slices.Sorted(mapKeys(pl.desired.Workspaces)) {
		w := pl.desired.Workspaces[addr]
		want := LiveWorkspace{Name: w.Name, Slug: w.Slug, Description: w.Description, Budgets: w.Budgets}
		bound, ok := pl.state.Workspaces[addr]
		if !ok {
			pl.add(pl.adoptWorkspace(ctx, addr, want))
			continue
		}
		live, err := pl.b.GetWorkspace(ctx, bound.ID)
		if errors.Is(err, ErrNotFound) {
			pl.add(Change{Kind: KindWorkspace, Address: addr, Action: Recreate, ID: bound.ID, Note: "deleted out of band"})
			continue
		}
		if err != nil {
			pl.add(failed(KindWorkspace, addr, bound.ID, err))
			continue
		}
		pl.add(changeOf(KindWorkspace, addr, bound.ID, workspaceDiff(live, want, bound.Last)))
	}
	for _, addr := range slices.Sorted(mapKeys(pl.state.Workspaces)) {
		if _, ok := pl.desired.Workspaces[addr]; !ok {
			pl.add(pl.unmanaged(KindWorkspace, addr, pl.state.Workspaces[addr].ID, Delete))
		}
	}
}

func workspaceDiff(live, want LiveWorkspace, last *LiveWorkspace) []FieldChange {
	d := diff{hasLast: last != nil}
	if last == nil {
		last = &LiveWorkspace{}
	}
	d.field("name", live.Name, want.Name, last.Name)
	d.field("slug", live.Slug, want.Slug, last.Slug)
	d.field("description", live.Description, want.Description, last.Description)
	d.field("budgets.daily", live.Budgets.Daily, want.Budgets.Daily, last.Budgets.Daily)
	d.field("budgets.weekly", live.Budgets.Weekly, want.Budgets.Weekly, last.Budgets.Weekly)
	d.field("budgets.monthly", live.Budgets.Monthly, want.Budgets.Monthly, last.Budgets.Monthly)
	d.field("budgets.lifetime", live.Budgets.Lifetime, want.Budgets.Lifetime, last.Budgets.Lifetime)
	return d.fields
}

func (pl *planner) guardrails(ctx context.Context) {
	for _, addr := range slices.Sorted(mapKeys(pl.desired.Guardrails)) {
		g := pl.desired.Guardrails[addr]
		bound, ok := pl.state.Guardrails[addr]
		if !ok {
			pl.add(pl.adoptGuardrail(ctx, addr, pl.wantGuardrail(g)))
			continue
		}
		live, err := pl.b.GetGuardrail(ctx, bound.ID)
		if errors.Is(err, ErrNotFound) {
			pl.add(Change{Kind: KindGuardrail, Address: addr, Action: Recreate, ID: bound.ID, Note: "deleted out of band"})
			continue
		}
		if err != nil {
			pl.add(failed(KindGuardrail, addr, bound.ID, err))
			continue
		}
		want := pl.wantGuardrail(g)
		fields := unmadeWorkspace(guardrailDiff(live, want, bound.Last), pl.state, g.Workspace, live.WorkspaceID)
		pl.add(changeOf(KindGuardrail, addr, bound.ID, fields))
	}
	for _, addr := range slices.Sorted(mapKeys(pl.state.Guardrails)) {
		if _, ok := pl.desired.Guardrails[addr]; !ok {
			pl.add(pl.unmanaged(KindGuardrail, addr, pl.state.Guardrails[addr].ID, Delete))
		}
	}
}

// wantGuardrail is g as the API would hold it, its workspace resolved to
// the bound id ("" when the workspace is still to be made).
func (pl *planner) wantGuardrail(g Guardrail) LiveGuardrail {
	return LiveGuardrail{
		Name: g.Name, Description: g.Description, WorkspaceID: workspaceID(pl.state, g.Workspace),
		LimitUSD: g.LimitUSD, ResetInterval: g.ResetInterval, IncludeBYOKInBudgets: g.IncludeBYOKInBudgets,
		AllowedModels: g.AllowedModels, AllowedProviders: g.AllowedProviders,
	}
}

func guardrailDiff(live, want LiveGuardrail, last *LiveGuardrail) []FieldChange {
	d := diff{hasLast: last != nil}
	if last == nil {
		last = &LiveGuardrail{}
	}
	d.field("name", live.Name, want.Name, last.Name)
	d.field("description", live.Description, want.Description, last.Description)
	d.field("limit_usd", live.LimitUSD, want.LimitUSD, last.LimitUSD)
	d.field("reset_interval", live.ResetInterval, want.ResetInterval, last.ResetInterval)
	d.field("include_byok_in_budgets", live.IncludeBYOKInBudgets, want.IncludeBYOKInBudgets, last.IncludeBYOKInBudgets)
	d.field("allowed_models", live.AllowedModels, want.AllowedModels, last.AllowedModels)
	d.field("allowed_providers", live.AllowedProviders, want.AllowedProviders, last.AllowedProviders)
	if want.WorkspaceID != "" { // "" is the default workspace, whose id the file does not know
		n := len(d.fields)
		d.field("workspace_id", live.WorkspaceID, want.WorkspaceID, last.WorkspaceID)
		for i := n; i < len(d.fields); i++ {
			d.fields[i].Immutable = true
		}
	}
	return d.fields
}

// unmadeWorkspace adds the workspace to fields when the file moves an
// existing resource into a workspace not made yet: its id is not known, so
// the diffs above take it for the default workspace and see no change. A
// workspace is fixed at creation, so this is never done in place.
func unmadeWorkspace(fields []FieldChange, s *State, addr, liveID string) []FieldChange {
	if addr == "" || workspaceID(s, addr) != "" {
		return fields
	}
	return append(fields, FieldChange{Field: "workspace_id", Old: liveID, New: addr + " (to be made)", Immutable: true})
}

// workspaceID resolves a workspace address through the state; "" is the
// default workspace, or one not made yet.
func workspaceID(s *State, addr string) string {
	if addr == "" {
		return ""
	}
	return s.Workspaces[addr].ID
}

func changeOf(kind Kind, addr, id string, fields []FieldChange) Change {
	c := Change{Kind: kind, Address: addr, Action: NoOp, ID: id, Fields: fields}
	for _, f := range fields {
		if !f.Immutable {
			c.Action = Update
		}
		c.Drift = c.Drift || f.Drift
	}
	return c
}

// unmanaged is the change for a bound resource gone from the file: left
// alone unless pruning asks for prune.
func (pl *planner) unmanaged(kind Kind, addr, id string, prune Action) Change {
	c := Change{Kind: kind, Address: addr, Action: Unmanaged, ID: id, Note: "not in the desired state; prune to remove"}
	switch pl.opts.prune {
	case PruneDisable:
		c.Action, c.Note = prune, ""
	case PruneDelete:
		c.Action, c.Note = Delete, ""
	}
	return c
}

func (pl *planner) keys(ctx context.Context) {
	assigned, assignErr := pl.keyGuardrails(ctx)
	pl.assigned = assigned
	pl.listBound(ctx)
	pl.orphans(ctx)
	for _, addr := range slices.Sorted(mapKeys(pl.desired.Keys)) {
		k := pl.desired.Keys[addr]
		c, live := pl.key(ctx, addr, k)
		pl.add(c)
		pl.assignment(addr, k, c, live, assigned, assignErr)
	}
	for _, addr := range slices.Sorted(mapKeys(pl.state.Keys)) {
		if _, ok := pl.desired.Keys[addr]; ok {
			continue
		}
		bound := pl.state.Keys[addr]
		c := pl.unmanaged(KindKey, addr, bound.Hash, Disable)
		if c.Action == Disable || c.Action == Delete {
			live, err := pl.getKey(ctx, bound.Hash)
			switch {
			case errors.Is(err, ErrNotFound):
				c.Action, c.Note = Unmanaged, "already deleted"
			case err != nil:
				c = failed(KindKey, addr, bound.Hash, err)
			case c.Action == Disable && live.Disabled:
				c.Action, c.Note = Unmanaged, "already disabled"
			}
		}
		pl.add(c)
	}
}

// listBound lists the workspaces of the bound keys, a page of 100 keys a
// request, rather than reading each key alone: a back end binding
// thousands of keys plans in tens of requests. A failed listing only
// leaves its keys to getKey.
func (pl *planner) listBound(ctx context.Context) {
	pl.listed = map[string]LiveKey{}
	seen := map[string]bool{}
	for addr, b := range pl.state.Keys {
		ws := ""
		switch {
		case b.Last != nil:
			ws = b.Last.WorkspaceID
		case pl.desired.Keys[addr].Workspace != "":
			ws = workspaceID(pl.state, pl.desired.Keys[addr].Workspace)
		}
		if seen[ws] {
			continue
		}
		seen[ws] = true
		keys, err := pl.listKeys(ctx, ws)
		if err != nil {
			continue
		}
		for _, k := range keys {
			pl.listed[k.Hash] = k
		}
	}
}

// listKeys lists a workspace's keys once per plan.
func (pl *planner) listKeys(ctx context.Context, ws string) ([]LiveKey, error) {
	if keys, ok := pl.lists[ws]; ok {
		return keys, nil
	}
	keys, err := pl.b.ListKeys(ctx, ws)
	if err != nil {
		return nil, err
	}
	if pl.lists == nil {
		pl.lists = map[string][]LiveKey{}
	}
	pl.lists[ws] = keys
	return keys, nil
}

// getKey is a bound key as listed, else as read alone: a key missing from
// its workspace's listing is only missing if GET says so.
func (pl *planner) getKey(ctx context.Context, hash string) (LiveKey, error) {
	if k, ok := pl.listed[hash]; ok {
		return k, nil
	}
	return pl.b.GetKey(ctx, hash)
}

// keyGuardrails reads the guardrail assignments when some key is, or is
// to be, assigned one; nil otherwise, so that a file without guardrails
// needs no guardrail support from the Backend.
func (pl *planner) keyGuardrails(ctx context.Context) (map[string]string, error) {
	need := len(pl.state.Guardrails) > 0
	for _, k := range pl.desired.Keys {
		need = need || k.Guardrail != ""
	}
	if !need {
		return nil, nil
	}
	return pl.b.KeyGuardrails(ctx)
}

// orphans plans a Repair per journaled intent: the keys it may have made
// that no address holds. Their plaintext never reached a receiver, so no
// one can be using them.
func (pl *planner) orphans(ctx context.Context) {
	for _, in := range pl.state.Intents {
		if !in.isKey() {
			continue
		}
		keys, err := pl.listKeys(ctx, in.WorkspaceID)
		if err != nil {
			pl.add(failed(KindKey, in.Address, "", fmt.Errorf("looking for keys a lost create left: %w", err)))
			continue
		}
		var found []string
		for _, k := range keys {
			if isOrphan(k, in, pl.state, pl.opts.skew) && !slices.Contains(found, k.Hash) {
				found = append(found, k.Hash)
				pl.liveKeys[k.Hash] = k
			}
		}
		if len(found) > 0 {
			pl.add(Change{Kind: KindKey, Address: in.Address, Action: Repair, Orphans: found,
				Note: "a create whose answer was lost or whose run stopped left these; their plaintext was never delivered"})
		}
	}
}

// adoptWorkspace plans a workspace not bound yet: Adopt when a journaled
// create of it made one (by its slug, which is unique), else Create.
func (pl *planner) adoptWorkspace(ctx context.Context, addr string, want LiveWorkspace) Change {
	for _, in := range pl.state.intentsFor(KindWorkspace, addr) {
		live, err := pl.b.GetWorkspace(ctx, in.Name)
		switch {
		case errors.Is(err, ErrNotFound):
		case err != nil:
			return failed(KindWorkspace, addr, "", fmt.Errorf("looking for the workspace a lost create made: %w", err))
		case pl.orphanOf(KindWorkspace, live.ID, live.CreatedAt, in):
			c := changeOf(KindWorkspace, addr, live.ID, workspaceDiff(live, want, nil))
			c.Action, c.Note = Adopt, "made by a create whose answer was lost"
			return c
		}
	}
	return Change{Kind: KindWorkspace, Address: addr, Action: Create}
}

// adoptGuardrail is adoptWorkspace for guardrails, found by name in their
// workspace.
func (pl *planner) adoptGuardrail(ctx context.Context, addr string, want LiveGuardrail) Change {
	for _, in := range pl.state.intentsFor(KindGuardrail, addr) {
		list, err := pl.b.ListGuardrails(ctx, in.WorkspaceID)
		if err != nil {
			return failed(KindGuardrail, addr, "", fmt.Errorf("looking for the guardrail a lost create made: %w", err))
		}
		for _, live := range list {
			if live.Name == in.Name && pl.orphanOf(KindGuardrail, live.ID, live.CreatedAt, in) {
				c := changeOf(KindGuardrail, addr, live.ID, guardrailDiff(live, want, nil))
				c.Action, c.Note = Adopt, "made by a create whose answer was lost"
				return c
			}
		}
	}
	return Change{Kind: KindGuardrail, Address: addr, Action: Create}
}

// orphanOf is the orphan rule for workspaces and guardrails.
func (pl *planner) orphanOf(kind Kind, id string, created time.Time, in Intent) bool {
	return !created.Before(in.Started.Add(-pl.opts.skew).Truncate(time.Second)) && !pl.state.boundID(kind, id)
}

// isOrphan is the rule for a key a journaled create left: its name and
// workspace, made no earlier than the intent (at the API's one-second
// resolution), bound to no address.
// The listing is already of the intent's workspace; "" there is the
// default one, whose id the intent does not know.
func isOrphan(k LiveKey, in Intent, s *State, skew time.Duration) bool {
	return k.Name == in.Name &&
		(in.WorkspaceID == "" || k.WorkspaceID == in.WorkspaceID) &&
		!k.CreatedAt.Before(in.Started.Add(-skew).Truncate(time.Second)) &&
		!s.boundHash(k.Hash)
}

func (pl *planner) key(ctx context.Context, addr string, k Key) (Change, *LiveKey) {
	bound, ok := pl.state.Keys[addr]
	if !ok {
		c := Change{Kind: KindKey, Address: addr, Action: Create}
		if pl.opts.importByName {
			c.Proposals = pl.proposals(ctx, k)
		}
		return c, nil
	}
	if bound.Undelivered {
		return Change{Kind: KindKey, Address: addr, Action: Replace, ID: bound.Hash,
			Note: "its plaintext was never delivered: delete it and create a fresh one"}, nil
	}
	live, err := pl.getKey(ctx, bound.Hash)
	if errors.Is(err, ErrNotFound) {
		c := Change{Kind: KindKey, Address: addr, Action: Missing, ID: bound.Hash,
			Note: "deleted out of band; its consumers hold a dead secret (recreate it with recreate-missing)"}
		if pl.opts.recreateMissing {
			c.Action, c.Note = Recreate, "deleted out of band; a new key will be delivered"
		}
		return c, nil
	}
	if err != nil {
		return failed(KindKey, addr, bound.Hash, err), nil
	}
	pl.liveKeys[live.Hash] = live
	fields := unmadeWorkspace(keyDiff(live, pl.wantKey(k), bound.Last), pl.state, k.Workspace, live.WorkspaceID)
	return changeOf(KindKey, addr, bound.Hash, fields), &live
}

func (pl *planner) wantKey(k Key) LiveKey {
	return LiveKey{Name: k.Name, WorkspaceID: workspaceID(pl.state, k.Workspace), Limit: k.Limit, LimitReset: k.LimitReset,
		IncludeBYOKInLimit: k.IncludeBYOKInLimit, Disabled: k.Disabled, ExpiresAt: k.ExpiresAt}
}

func keyDiff(live, want LiveKey, lastp *LiveKey) []FieldChange {
	d := diff{hasLast: lastp != nil}
	var last LiveKey // a copy: the state's own is not to change
	if lastp != nil {
		last = *lastp
	}
	d.field("name", live.Name, want.Name, last.Name)
	d.field("limit", live.Limit, want.Limit, last.Limit)
	d.field("limit_reset", live.LimitReset, want.LimitReset, last.LimitReset)
	d.field("include_byok_in_limit", live.IncludeBYOKInLimit, want.IncludeBYOKInLimit, last.IncludeBYOKInLimit)
	d.field("disabled", live.Disabled, want.Disabled, last.Disabled)
	n := len(d.fields)
	if want.WorkspaceID == "" {
		// The default workspace: the file does not know its id.
		want.WorkspaceID, last.WorkspaceID = live.WorkspaceID, live.WorkspaceID
	}
	d.field("expires_at", live.ExpiresAt, want.ExpiresAt, last.ExpiresAt)
	d.field("workspace_id", live.WorkspaceID, want.WorkspaceID, last.WorkspaceID)
	for i := n; i < len(d.fields); i++ {
		d.fields[i].Immutable = true // fixed at creation: rotate the key to change it
	}
	return d.fields
}

// proposals lists unbound live keys named like k in its workspace.
func (pl *planner) proposals(ctx context.Context, k Key) []string {
	ws := workspaceID(pl.state, k.Workspace)
	if k.Workspace != "" && ws == "" {
		return nil
	}
	keys, err := pl.listKeys(ctx, ws)
	if err != nil {
		return nil
	}
	var out []string
	for _, l := range keys {
		if l.Name == k.Name && !pl.state.boundHash(l.Hash) {
			out = append(out, l.Hash)
		}
	}
	return out
}

// assignment plans the key's guardrail, after the key itself.
func (pl *planner) assignment(addr string, k Key, kc Change, live *LiveKey, assigned map[string]string, assignErr error) {
	wantID := ""
	if k.Guardrail != "" {
		wantID = pl.state.Guardrails[k.Guardrail].ID
	}
	if live == nil { // a key to be made gets the guardrail after it
		if k.Guardrail != "" && kc.Action.Pending() {
			pl.add(Change{Kind: KindAssignment, Address: addr, Action: Assign, Fields: []FieldChange{{Field: "guardrail", Old: "none", New: k.Guardrail}}})
		}
		return
	}
	if assignErr != nil {
		pl.add(failed(KindAssignment, addr, live.Hash, assignErr))
		return
	}
	have := assigned[live.Hash]
	if have == wantID && wantID != "" || have == "" && k.Guardrail == "" {
		return
	}
	last := ""
	if b := pl.state.Keys[addr]; b.Last != nil {
		last = b.Last.GuardrailID
	}
	pl.add(Change{Kind: KindAssignment, Address: addr, Action: Assign, ID: live.Hash, Drift: have != last && pl.state.Keys[addr].Last != nil,
		Fields: []FieldChange{{Field: "guardrail", Old: pl.guardrailAddr(have), New: show(k.Guardrail)}}})
}

// guardrailAddr names a guardrail id by its address when bound.
func (pl *planner) guardrailAddr(id string) string {
	if id == "" {
		return "none"
	}
	for addr, b := range pl.state.Guardrails {
		if b.ID == id {
			return addr
		}
	}
	return id
}
