package provision

import (
	"context"
	"fmt"
)

// Import binds addr to an existing resource by its immutable id (a key's
// hash, a guardrail's or workspace's UUID), after checking that it exists.
// It refuses an address bound to something else and an id another address
// holds. Names are never used: a name can change and can repeat.
func Import(ctx context.Context, b Backend, s *State, kind Kind, addr, id string) error {
	var p problems
	checkAddress(&p, string(kind), addr)
	if err := p.err(); err != nil {
		return err
	}
	switch kind {
	case KindKey:
		if other, ok := s.Keys[addr]; ok && other.Hash != id {
			return fmt.Errorf("key %s is already bound to %s", addr, other.Hash)
		}
		for a, other := range s.Keys {
			if other.Hash == id && a != addr {
				return fmt.Errorf("key %s is already bound to address %s", id, a)
			}
		}
		live, err := b.GetKey(ctx, id)
		if err != nil {
			return fmt.Errorf("key %s: %w", id, err)
		}
		if s.Keys == nil {
			s.Keys = map[string]BoundKey{}
		}
		s.Keys[addr] = BoundKey{Hash: id, Last: &live}
	case KindGuardrail:
		if other, ok := s.Guardrails[addr]; ok && other.ID != id {
			return fmt.Errorf("guardrail %s is already bound to %s", addr, other.ID)
		}
		for a, other := range s.Guardrails {
			if other.ID == id && a != addr {
				return fmt.Errorf("guardrail %s is already bound to address %s", id, a)
			}
		}
		live, err := b.GetGuardrail(ctx, id)
		if err != nil {
			return fmt.Errorf("guardrail %s: %w", id, err)
		}
		if s.Guardrails == nil {
			s.Guardrails = map[string]BoundGuardrail{}
		}
		s.Guardrails[addr] = BoundGuardrail{ID: id, Last: &live}
	case KindWorkspace:
		if other, ok := s.Workspaces[addr]; ok && other.ID != id {
			return fmt.Errorf("workspace %s is already bound to %s", addr, other.ID)
		}
		for a, other := range s.Workspaces {
			if other.ID == id && a != addr {
				return fmt.Errorf("workspace %s is already bound to address %s", id, a)
			}
		}
		live, err := b.GetWorkspace(ctx, id)
		if err != nil {
			return fmt.Errorf("workspace %s: %w", id, err)
		}
		if s.Workspaces == nil {
			s.Workspaces = map[string]BoundWorkspace{}
		}
		s.Workspaces[addr] = BoundWorkspace{ID: id, Last: &live}
	default:
		return fmt.Errorf("cannot import a %q: want key, guardrail or workspace", kind)
	}
	return nil
}
