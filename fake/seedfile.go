package fake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/orkeys/orkeys/gen"
	"github.com/orkeys/orkeys/internal/rules"
)

// Seed is what LoadSeed reads: a fake's starting state, for clients in any
// language and for the README's examples (orkeys fake-server --seed FILE).
// Field names are the API's, so that a seed reads like its requests:
//
//	credits: 250
//	members:
//	  - {id: user_alice, email: alice@example.com, first_name: Alice, role: "org:admin"}
//	workspaces:
//	  - name: Team
//	    slug: team
//	    members: [user_alice]
//	    budgets: {monthly: 100, daily: 10}
//	keys:
//	  - name: ci
//	    limit: 10
//	    limit_reset: monthly
//	    workspace: team
//	    usage: {usage: 7.5, daily: 1, weekly: 3, monthly: 7.5}
//	    last_used_days_ago: 2
//	    activity:
//	      - {days_ago: 1, model: openai/gpt-4.1, provider: OpenAI, usage: 1.5, requests: 12}
//	guardrails:
//	  - name: cap
//	    limit_usd: 5
//	    reset_interval: monthly
//	    keys: [ci]
//	    members: [user_alice]
//	byok:
//	  - {provider: openai, key: sk-proj-made-up-0000000000000000, workspace: team}
//
// Everything goes through the rules the API applies; keys' plaintexts are
// drawn and never shown, so the seed's keys are for listing, not calling.
type Seed struct {
	Credits    *float64                 `json:"credits,omitempty"`
	Members    []gen.OrganizationMember `json:"members,omitempty"`
	Workspaces []SeedWorkspace          `json:"workspaces,omitempty"`
	Keys       []SeedKey                `json:"keys,omitempty"`
	Guardrails []SeedGuardrail          `json:"guardrails,omitempty"`
	BYOK       []SeedBYOK               `json:"byok,omitempty"`
}

// SeedBYOK is a provider key as POST /byok stores it, in Workspace (a slug
// or id; the default workspace when empty). The seed holds the key in
// clear, so use a made-up one.
type SeedBYOK struct {
	gen.CreateBYOKKeyRequest
	Workspace string `json:"workspace,omitempty"`
}

// SeedWorkspace is a workspace with the members added to it and its
// budgets by interval (daily, weekly, monthly, lifetime) in USD.
type SeedWorkspace struct {
	gen.CreateWorkspaceRequest
	Members []string           `json:"members,omitempty"`
	Budgets map[string]float64 `json:"budgets,omitempty"`
}

// SeedKey is a key as POST /keys creates it, placed in Workspace (a slug or
// id), with spend (Usage), activity rows and, if Disabled, switched off.
type SeedKey struct {
	gen.CreateKeysRequestBody
	Workspace string     `json:"workspace,omitempty"`
	Disabled  bool       `json:"disabled,omitempty"`
	Usage     *SeedUsage `json:"usage,omitempty"`
	// LastUsedDaysAgo sets last_used_at that many days before the
	// server's now; absent leaves it null (never used).
	LastUsedDaysAgo *int           `json:"last_used_days_ago,omitempty"`
	Activity        []SeedActivity `json:"activity,omitempty"`
}

// SeedUsage is a key's spend in USD, as SetUsage takes it.
type SeedUsage struct {
	Usage       float64 `json:"usage"`
	Daily       float64 `json:"daily"`
	Weekly      float64 `json:"weekly"`
	Monthly     float64 `json:"monthly"`
	BYOK        float64 `json:"byok"`
	BYOKDaily   float64 `json:"byok_daily"`
	BYOKWeekly  float64 `json:"byok_weekly"`
	BYOKMonthly float64 `json:"byok_monthly"`
}

// SeedActivity is one activity row, on Day (YYYY-MM-DD) or DaysAgo days
// before the server's today, so that a seed stays in GET /activity's
// 30-day window.
type SeedActivity struct {
	Day              string  `json:"day,omitempty"`
	DaysAgo          int     `json:"days_ago,omitempty"`
	Model            string  `json:"model"`
	Provider         string  `json:"provider"`
	Usage            float64 `json:"usage"`
	BYOK             float64 `json:"byok"`
	Requests         int     `json:"requests"`
	PromptTokens     int     `json:"prompt_tokens"`
	CompletionTokens int     `json:"completion_tokens"`
	ReasoningTokens  int     `json:"reasoning_tokens"`
}

// SeedGuardrail is a guardrail, in Workspace (a slug or id; the default
// workspace when empty), assigned to the seed's keys by name and to
// members by id.
type SeedGuardrail struct {
	gen.CreateGuardrailRequest
	Workspace string   `json:"workspace,omitempty"`
	Keys      []string `json:"keys,omitempty"`
	Members   []string `json:"members,omitempty"`
}

// ParseSeed reads a seed in JSON or YAML (JSON is YAML too). Unknown fields
// are errors, so that a misspelt one does not pass silently.
func ParseSeed(data []byte) (Seed, error) {
	var generic any
	if err := yaml.Unmarshal(data, &generic); err != nil {
		return Seed{}, fmt.Errorf("fake: seed: %w", err)
	}
	raw, err := json.Marshal(generic)
	if err != nil {
		return Seed{}, fmt.Errorf("fake: seed: %w", err)
	}
	var seed Seed
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&seed); err != nil && len(bytes.TrimSpace(data)) > 0 {
		return Seed{}, fmt.Errorf("fake: seed: %w", err)
	}
	return seed, nil
}

// LoadSeed parses data (ParseSeed) and applies it (Apply).
func (s *Server) LoadSeed(data []byte) error {
	seed, err := ParseSeed(data)
	if err != nil {
		return err
	}
	return s.Apply(seed)
}

// Apply seeds the server: members, then workspaces, keys and guardrails,
// each through the API's rules. It stops at the first error, naming the
// entry; what came before it stays.
func (s *Server) Apply(seed Seed) error {
	if seed.Credits != nil {
		if err := s.SetCredits(*seed.Credits); err != nil {
			return err
		}
	}
	for _, m := range seed.Members {
		if err := s.AddMember(m); err != nil {
			return err
		}
	}
	for i, w := range seed.Workspaces {
		if err := s.applyWorkspace(w); err != nil {
			return fmt.Errorf("fake: seed: workspaces[%d] (%s): %w", i, w.Slug, err)
		}
	}
	hashes := map[string]string{}
	for i, k := range seed.Keys {
		hash, err := s.applyKey(k)
		if err != nil {
			return fmt.Errorf("fake: seed: keys[%d] (%s): %w", i, k.Name, err)
		}
		hashes[k.Name] = hash
	}
	for i, g := range seed.Guardrails {
		if err := s.applyGuardrail(g, hashes); err != nil {
			return fmt.Errorf("fake: seed: guardrails[%d] (%s): %w", i, g.Name, err)
		}
	}
	for i, b := range seed.BYOK {
		body := b.CreateBYOKKeyRequest
		if b.Workspace != "" {
			ws, aerr := s.keys.getWorkspace(b.Workspace)
			if aerr != nil {
				return fmt.Errorf("fake: seed: byok[%d] (%s): %w", i, b.Provider, aerr)
			}
			body.WorkspaceID = &ws.ID
		}
		if _, err := s.AddBYOKKey(body); err != nil {
			return fmt.Errorf("fake: seed: byok[%d] (%s): %w", i, b.Provider, err)
		}
	}
	return nil
}

func (s *Server) applyWorkspace(w SeedWorkspace) error {
	for name := range w.Budgets {
		if err := rules.BudgetInterval(name); err != nil {
			return fmt.Errorf("budget %w", err)
		}
	}
	if _, err := s.AddWorkspace(w.CreateWorkspaceRequest); err != nil {
		return err
	}
	if len(w.Members) > 0 {
		if _, _, aerr := s.keys.addMembers(w.Slug, w.Members); aerr != nil {
			return aerr
		}
	}
	// Widest first, so that each budget meets the strictly-falling rule
	// against those already set only once all are in.
	for _, i := range []gen.WorkspaceBudgetInterval{"lifetime", "monthly", "weekly", "daily"} {
		if v, ok := w.Budgets[string(i)]; ok {
			if err := s.SetBudget(w.Slug, i, v); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *Server) applyKey(k SeedKey) (string, error) {
	body := k.CreateKeysRequestBody
	if k.Workspace != "" {
		ws, aerr := s.keys.getWorkspace(k.Workspace)
		if aerr != nil {
			return "", aerr
		}
		body.WorkspaceID = &ws.ID
	}
	created, err := s.AddKey(body)
	if err != nil {
		return "", err
	}
	hash := created.Data.Hash
	if u := k.Usage; u != nil {
		if err := s.SetUsage(hash, Usage{u.Usage, u.Daily, u.Weekly, u.Monthly, u.BYOK, u.BYOKDaily, u.BYOKWeekly, u.BYOKMonthly}); err != nil {
			return "", err
		}
	}
	for _, a := range k.Activity {
		day := s.now().UTC().AddDate(0, 0, -a.DaysAgo)
		if a.Day != "" {
			if day, err = parseDay(a.Day); err != nil {
				return "", err
			}
		}
		if err := s.RecordActivity(hash, Activity{
			Day: day, Model: a.Model, Provider: a.Provider, Usage: a.Usage, BYOK: a.BYOK, Requests: a.Requests,
			PromptTokens: a.PromptTokens, CompletionTokens: a.CompletionTokens, ReasoningTokens: a.ReasoningTokens,
		}); err != nil {
			return "", err
		}
	}
	if n := k.LastUsedDaysAgo; n != nil {
		if err := s.SetLastUsed(hash, s.now().AddDate(0, 0, -*n)); err != nil {
			return "", err
		}
	}
	if k.Disabled {
		if _, aerr := s.keys.update(hash, gen.UpdateKeysRequestBody{Disabled: &k.Disabled}); aerr != nil {
			return "", aerr
		}
	}
	return hash, nil
}

func (s *Server) applyGuardrail(g SeedGuardrail, hashes map[string]string) error {
	body := g.CreateGuardrailRequest
	if g.Workspace != "" {
		ws, aerr := s.keys.getWorkspace(g.Workspace)
		if aerr != nil {
			return aerr
		}
		body.WorkspaceID = &ws.ID
	}
	created, err := s.AddGuardrail(body)
	if err != nil {
		return err
	}
	if len(g.Keys) > 0 {
		var keys []string
		for _, name := range g.Keys {
			h, ok := hashes[name]
			if !ok {
				return fmt.Errorf("no key named %q in the seed", name)
			}
			keys = append(keys, h)
		}
		if _, aerr := s.keys.assignKeys(created.ID, keys); aerr != nil {
			return aerr
		}
	}
	if len(g.Members) > 0 {
		if _, aerr := s.keys.assignMembers(created.ID, g.Members); aerr != nil {
			return aerr
		}
	}
	return nil
}

// parseDay reads YYYY-MM-DD, or the RFC 3339 instant YAML makes of an
// unquoted date.
func parseDay(s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("activity day %q: want YYYY-MM-DD", s)
}
