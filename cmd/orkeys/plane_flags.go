package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/internal/rules"
)

// Typed flags of the guardrails, workspaces and members commands, in the
// style of flags.go: each checks itself through internal/rules when parsed.

// idsValue is a repeatable, comma-separated list of ids (--key, --user),
// each checked by check; rules.IDList checks the whole in validate.
type idsValue struct {
	v     []string
	check func(string) error
	kind  string
}

func (l *idsValue) String() string { return strings.Join(l.v, ",") }
func (l *idsValue) Type() string   { return l.kind }
func (l *idsValue) Set(s string) error {
	for _, id := range strings.Split(s, ",") {
		id = strings.TrimSpace(id)
		if err := l.check(id); err != nil {
			return &quotedError{err}
		}
		l.v = append(l.v, id)
	}
	return nil
}

// userID checks one organization member's user id (rules.IDList: not
// empty), in the flag's words.
func userID(s string) error {
	if err := rules.IDList([]string{s}, 0); err != nil {
		return fmt.Errorf("%q is not a user id ('orkeys members' lists them)", s)
	}
	return nil
}

// namesValue is a list flag that replaces a guardrail's list whole
// (--allowed-models a,b); given as "" it sends an empty list.
type namesValue struct {
	v   []string
	set bool
}

func (n *namesValue) String() string { return strings.Join(n.v, ",") }
func (n *namesValue) Type() string   { return "list" }
func (n *namesValue) Set(s string) error {
	if !n.set {
		n.v = []string{}
	}
	n.set = true
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			n.v = append(n.v, x)
		}
	}
	return nil
}

// ptr is the list for a create: nil when not given or given empty (the API
// takes no empty list).
func (n *namesValue) ptr() *[]string {
	if len(n.v) == 0 {
		return nil
	}
	v := append([]string{}, n.v...)
	return &v
}

// nullable is the list for an update: absent when not given, null (clear
// it) when given empty, else the new list whole.
func (n *namesValue) nullable() facade.Nullable[[]string] {
	switch {
	case !n.set:
		return nil // absent: a nil map, not an empty one
	case len(n.v) == 0:
		return facade.Null[[]string]()
	}
	return facade.Value(append([]string{}, n.v...))
}

// slugValue is --slug: a workspace slug (rules.Slug).
type slugValue struct {
	v   string
	set bool
}

func (s *slugValue) String() string { return s.v }
func (s *slugValue) Type() string   { return "slug" }
func (s *slugValue) Set(v string) error {
	if err := rules.Slug(v); err != nil {
		return &quotedError{err}
	}
	s.v, s.set = v, true
	return nil
}

// budgetLimitValue is set-budget's --limit: more than 0 USD
// (rules.BudgetLimit).
type budgetLimitValue struct{ limitValue }

func (b *budgetLimitValue) Set(s string) error {
	if err := b.limitValue.Set(s); err != nil {
		return err
	}
	if err := rules.BudgetLimit(b.v); err != nil {
		b.set = false
		return &quotedError{err}
	}
	return nil
}

// zdrProviders are the providers a guardrail can enforce zero data
// retention on, one switch each in the API (enforce_zdr_*).
var zdrProviders = []string{"anthropic", "google", "openai", "xai", "other"}

// zdrValue is --enforce-zdr: the providers to enforce zero data retention
// on; the others are switched off, so that the list is replaced whole, as
// the guardrail's other lists are. "" switches all off.
type zdrValue struct {
	on  map[string]bool
	set bool
}

func (z *zdrValue) String() string { return "" }
func (z *zdrValue) Type() string   { return "providers" }
func (z *zdrValue) Set(s string) error {
	on := map[string]bool{}
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if !slices.Contains(zdrProviders, p) {
			return &quotedError{fmt.Errorf("%q: want a comma-separated list of %s", p, strings.Join(zdrProviders, ", "))}
		}
		on[p] = true
	}
	z.on, z.set = on, true
	return nil
}

// switches are the five enforce_zdr_* values, in zdrProviders' order.
func (z *zdrValue) switches() [5]bool {
	var out [5]bool
	for i, p := range zdrProviders {
		out[i] = z.on[p]
	}
	return out
}
