package provision

import (
	"slices"
	"time"
)

// State is what this package knows that the API cannot say: which live
// resource each address is bound to, by its immutable id, and the creates
// in flight. It never holds a plaintext. The JSON state file is one way to
// store it (OpenStateFile); a back end may keep it anywhere.
type State struct {
	Version    int                       `json:"version"`
	Workspaces map[string]BoundWorkspace `json:"workspaces,omitempty"`
	Guardrails map[string]BoundGuardrail `json:"guardrails,omitempty"`
	Keys       map[string]BoundKey       `json:"keys,omitempty"`
	Intents    []Intent                  `json:"intents,omitempty"`
}

// BoundWorkspace ties an address to a workspace by its UUID. Last, in
// each Bound type, is what the resource looked like after the last apply,
// so that a plan can tell an out-of-band change (drift) from an edit of
// the file.
type BoundWorkspace struct {
	ID   string         `json:"id"`
	Last *LiveWorkspace `json:"last,omitempty"`
}

// BoundGuardrail ties an address to a guardrail by its UUID.
type BoundGuardrail struct {
	ID   string         `json:"id"`
	Last *LiveGuardrail `json:"last,omitempty"`
}

// BoundKey ties an address to a key by its hash.
type BoundKey struct {
	Hash string `json:"hash"`
	// Undelivered marks a key whose plaintext did not reach its receiver:
	// no one can be using it, so the next apply deletes it and creates a
	// fresh one. The plaintext itself is never kept to retry later.
	Undelivered bool     `json:"undelivered,omitempty"`
	Last        *LiveKey `json:"last,omitempty"`
}

// Intent is journaled before each create. If the create's answer is
// lost, or the process dies before the resource is bound, the next plan
// looks for the orphan: a resource of the Kind named Name (a workspace's
// slug) in WorkspaceID, created at or after Started, bound to no address.
// A key orphan is deleted, since its plaintext is lost; a workspace or
// guardrail orphan, which holds no secret, is adopted.
type Intent struct {
	// Kind is "" for a key (as older states wrote it), else workspace or
	// guardrail.
	Kind        Kind      `json:"kind,omitempty"`
	Address     string    `json:"address"`
	Name        string    `json:"name"`
	WorkspaceID string    `json:"workspace_id,omitempty"`
	Started     time.Time `json:"started"`
}

// NewState returns an empty state.
func NewState() *State {
	return &State{Version: Version}
}

// clone copies s deeply enough that Apply's changes do not reach the
// plan's snapshot.
func (s *State) clone() *State {
	c := &State{Version: s.Version, Intents: append([]Intent(nil), s.Intents...)}
	c.Workspaces = cloneMap(s.Workspaces)
	c.Guardrails = cloneMap(s.Guardrails)
	c.Keys = cloneMap(s.Keys)
	return c
}

func cloneMap[V any](m map[string]V) map[string]V {
	c := make(map[string]V, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// isKey reports whether the intent is a key create's.
func (in Intent) isKey() bool { return in.Kind == "" || in.Kind == KindKey }

// intentsFor returns the journaled creates of kind at addr.
func (s *State) intentsFor(kind Kind, addr string) []Intent {
	var out []Intent
	for _, in := range s.Intents {
		if !in.isKey() && in.Kind == kind && in.Address == addr {
			out = append(out, in)
		}
	}
	return out
}

// dropIntents forgets the journaled creates of kind at addr.
func (s *State) dropIntents(kind Kind, addr string) {
	s.Intents = slices.DeleteFunc(s.Intents, func(in Intent) bool {
		return !in.isKey() && in.Kind == kind && in.Address == addr
	})
}

// boundID reports whether some address of kind is bound to id.
func (s *State) boundID(kind Kind, id string) bool {
	if kind == KindWorkspace {
		for _, b := range s.Workspaces {
			if b.ID == id {
				return true
			}
		}
		return false
	}
	for _, b := range s.Guardrails {
		if b.ID == id {
			return true
		}
	}
	return false
}

// boundHash reports whether some address is bound to the key hash.
func (s *State) boundHash(hash string) bool {
	for _, b := range s.Keys {
		if b.Hash == hash {
			return true
		}
	}
	return false
}
