package provision

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

func (a *applier) key(ctx context.Context, c Change) {
	switch c.Action {
	case Create:
		a.create(ctx, c)
	case Replace, Recreate:
		// The old key is undelivered or already gone: no one holds a live
		// secret of it, so it goes before its successor is made.
		if err := a.b.DeleteKey(ctx, c.ID); err != nil && !errors.Is(err, ErrNotFound) {
			a.report(c, StatusFailed, "", fmt.Errorf("deleting the key it replaces: %w", err))
			return
		}
		delete(a.state.Keys, c.Address)
		if err := a.save(); err != nil {
			a.report(c, StatusFailed, "", fmt.Errorf("saving the state: %w", err))
			return
		}
		a.create(ctx, c)
	case Update:
		a.update(ctx, c)
	case Disable:
		t := true
		live, err := a.b.UpdateKey(ctx, c.ID, KeyPatch{Disabled: &t})
		if err == nil {
			b := a.state.Keys[c.Address]
			b.Last = &live
			a.state.Keys[c.Address] = b
		}
		a.done(c, "", err)
	case Delete:
		if err := a.b.DeleteKey(ctx, c.ID); err != nil && !errors.Is(err, ErrNotFound) {
			a.report(c, StatusFailed, "", err)
			return
		}
		delete(a.state.Keys, c.Address)
		a.done(c, "", nil)
	case Failed:
		a.report(c, StatusFailed, "", errors.New(c.Error))
	case NoOp:
		a.remember(c)
	}
}

// remember records a no-op key's live fields as applied when nothing was
// (an imported key), so that later out-of-band changes show as drift.
func (a *applier) remember(c Change) {
	b, ok := a.state.Keys[c.Address]
	live, seen := a.p.liveKeys[c.ID]
	if !ok || b.Last != nil || !seen {
		return
	}
	live.GuardrailID = a.p.assigned[live.Hash]
	b.Last = &live
	a.state.Keys[c.Address] = b
	if err := a.save(); err != nil {
		a.report(c, StatusFailed, "", fmt.Errorf("saving the state: %w", err))
	}
}

// create makes one key and delivers its plaintext, journaling so that any
// crash or lost answer in between is repaired by the next run: intent
// saved → create → bound as undelivered, intent dropped, saved → deliver
// → marked delivered, saved.
func (a *applier) create(ctx context.Context, c Change) {
	k := a.p.desired.Keys[c.Address]
	ws := workspaceID(a.state, k.Workspace)
	if k.Workspace != "" && ws == "" {
		a.report(c, StatusSkipped, "", fmt.Errorf("its workspace %q was not made", k.Workspace))
		return
	}
	if a.opts.deliver == nil {
		if k.Deliver == nil {
			a.report(c, StatusFailed, "", errors.New("no receiver: set deliver or use WithDeliver; nothing was created"))
			return
		}
		if err := checkReceiver(k.Deliver); err != nil {
			a.report(c, StatusFailed, "nothing was created", err)
			return
		}
	}
	in := Intent{Address: c.Address, Name: k.Name, WorkspaceID: ws, Started: a.opts.now().UTC()}
	a.state.Intents = append(a.state.Intents, in)
	if err := a.save(); err != nil {
		a.state.Intents = a.state.Intents[:len(a.state.Intents)-1]
		a.report(c, StatusFailed, "nothing was created", fmt.Errorf("journaling the create: %w", err))
		return
	}
	a.stopAt("before-create")
	live, pt, err := a.b.CreateKey(ctx, KeySpec{Name: k.Name, WorkspaceID: ws, Limit: k.Limit, LimitReset: k.LimitReset,
		IncludeBYOKInLimit: k.IncludeBYOKInLimit, ExpiresAt: k.ExpiresAt})
	if err != nil {
		a.report(c, StatusFailed, "the next run deletes any key this create made", err)
		return
	}
	a.stopAt("after-create")
	if k.Disabled {
		t := true
		if l, err := a.b.UpdateKey(ctx, live.Hash, KeyPatch{Disabled: &t}); err == nil {
			live = l
		} // else: the next plan shows disabled as a change
	}
	if a.state.Keys == nil {
		a.state.Keys = map[string]BoundKey{}
	}
	a.state.Keys[c.Address] = BoundKey{Hash: live.Hash, Undelivered: true, Last: &live}
	a.state.Intents = slices.DeleteFunc(a.state.Intents, func(x Intent) bool { return x == in })
	if err := a.save(); err != nil {
		a.report(c, StatusFailed, "the next run deletes the key, which was not delivered", fmt.Errorf("saving the state: %w", err))
		return
	}
	c.ID = live.Hash
	a.stopAt("after-bind")
	d := Delivery{Address: c.Address, Key: live, Plaintext: pt, To: k.Deliver}
	if a.opts.deliver != nil {
		err = a.opts.deliver(ctx, d)
	} else {
		err = deliverBuiltin(ctx, d, a.res.Keys)
	}
	if err != nil {
		a.report(c, StatusFailed, "the key is recorded undelivered; the next run deletes it and makes a fresh one", err)
		return
	}
	if _, ok := a.res.Keys[c.Address]; ok {
		// Handed back in Result.Keys: delivered only once the caller has
		// printed it (Result.MarkDelivered); until then the next run
		// replaces it.
		a.report(c, StatusOK, "", nil)
		return
	}
	b := a.state.Keys[c.Address]
	b.Undelivered = false
	a.state.Keys[c.Address] = b
	a.done(c, "", nil)
}

func (a *applier) update(ctx context.Context, c Change) {
	k := a.p.desired.Keys[c.Address]
	var p KeyPatch
	for _, f := range c.Fields {
		switch f.Field {
		case "name":
			p.Name = &k.Name
		case "limit":
			p.Limit, p.ClearLimit = k.Limit, k.Limit == nil
		case "limit_reset":
			p.LimitReset = &k.LimitReset
		case "include_byok_in_limit":
			p.IncludeBYOKInLimit = &k.IncludeBYOKInLimit
		case "disabled":
			p.Disabled = &k.Disabled
		}
	}
	live, err := a.b.UpdateKey(ctx, c.ID, p)
	if err == nil {
		b := a.state.Keys[c.Address]
		live.GuardrailID = b.lastGuardrail()
		b.Last = &live
		a.state.Keys[c.Address] = b
	}
	a.done(c, "", err)
}

func (b BoundKey) lastGuardrail() string {
	if b.Last == nil {
		return ""
	}
	return b.Last.GuardrailID
}

// assign puts the desired guardrail on a key (or takes it off).
func (a *applier) assign(ctx context.Context, c Change) {
	if c.Action == Failed {
		a.report(c, StatusFailed, "", errors.New(c.Error))
		return
	}
	if c.Action != Assign {
		return
	}
	k := a.p.desired.Keys[c.Address]
	b, ok := a.state.Keys[c.Address]
	if !ok || b.Undelivered {
		a.report(c, StatusSkipped, "", errors.New("the key was not made and delivered"))
		return
	}
	c.ID = b.Hash
	gid := ""
	if k.Guardrail != "" {
		gid = a.state.Guardrails[k.Guardrail].ID
		if gid == "" {
			a.report(c, StatusSkipped, "", fmt.Errorf("its guardrail %q was not made", k.Guardrail))
			return
		}
	}
	from := a.p.assigned[b.Hash]
	if err := a.b.AssignGuardrail(ctx, b.Hash, gid, from); err != nil {
		a.report(c, StatusFailed, "", err)
		return
	}
	if b.Last != nil {
		last := *b.Last
		last.GuardrailID = gid
		b.Last = &last
		a.state.Keys[c.Address] = b
	}
	a.done(c, "", nil)
}
