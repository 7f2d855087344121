package provision

import "time"

// Desired is what should exist: the file's content as Go values. Maps are
// keyed by address, the file's own name for a resource; an address is
// never sent to the API. A back end that provisions without a file builds
// a Desired directly.
//
// Omitted fields mean the API's default (no limit, no reset, not
// disabled, never expires), so every field of a managed resource is
// managed and nothing is left to chance.
type Desired struct {
	Version    int                  `json:"version" yaml:"version"`
	Workspaces map[string]Workspace `json:"workspaces,omitempty" yaml:"workspaces"`
	Guardrails map[string]Guardrail `json:"guardrails,omitempty" yaml:"guardrails"`
	Keys       map[string]Key       `json:"keys,omitempty" yaml:"keys"`
}

// Workspace is a desired workspace.
type Workspace struct {
	Name        string  `json:"name" yaml:"name"`
	Slug        string  `json:"slug" yaml:"slug"`
	Description string  `json:"description,omitempty" yaml:"description"`
	Budgets     Budgets `json:"budgets,omitzero" yaml:"budgets"`
}

// Budgets are a workspace's spending caps in USD per interval; nil is no
// budget for that interval.
type Budgets struct {
	Daily    *float64 `json:"daily,omitempty" yaml:"daily"`
	Weekly   *float64 `json:"weekly,omitempty" yaml:"weekly"`
	Monthly  *float64 `json:"monthly,omitempty" yaml:"monthly"`
	Lifetime *float64 `json:"lifetime,omitempty" yaml:"lifetime"`
}

// Guardrail is a desired guardrail.
type Guardrail struct {
	Name        string `json:"name" yaml:"name"`
	Description string `json:"description,omitempty" yaml:"description"`
	// Workspace is a workspace address; empty is the default workspace.
	Workspace string `json:"workspace,omitempty" yaml:"workspace"`
	// LimitUSD is the cap; nil is none.
	LimitUSD      *float64 `json:"limit_usd,omitempty" yaml:"limit_usd"`
	ResetInterval string   `json:"reset_interval,omitempty" yaml:"reset_interval"`
	// IncludeBYOKInBudgets counts bring-your-own-key spend against LimitUSD.
	IncludeBYOKInBudgets bool `json:"include_byok_in_budgets,omitempty" yaml:"include_byok_in_budgets"`
	// AllowedModels and AllowedProviders compare as sets; empty allows all.
	AllowedModels    []string `json:"allowed_models,omitempty" yaml:"allowed_models"`
	AllowedProviders []string `json:"allowed_providers,omitempty" yaml:"allowed_providers"`
}

// Key is a desired API key.
type Key struct {
	Name string `json:"name" yaml:"name"`
	// Workspace is a workspace address; empty is the default workspace.
	Workspace string `json:"workspace,omitempty" yaml:"workspace"`
	// Guardrail is a guardrail address; empty assigns none.
	Guardrail string `json:"guardrail,omitempty" yaml:"guardrail"`
	// Limit is the spending cap in USD; nil (null or omitted) is none.
	Limit              *float64 `json:"limit,omitempty" yaml:"limit"`
	LimitReset         string   `json:"limit_reset,omitempty" yaml:"limit_reset"`
	IncludeBYOKInLimit bool     `json:"include_byok_in_limit,omitempty" yaml:"include_byok_in_limit"`
	// ExpiresAt is fixed at creation; the API cannot change it later.
	ExpiresAt *time.Time `json:"expires_at,omitempty" yaml:"expires_at"`
	Disabled  bool       `json:"disabled,omitempty" yaml:"disabled"`
	// Deliver says where a new key's plaintext goes. The file loader
	// requires it; a library caller may use WithDeliver instead.
	Deliver *Deliver `json:"deliver,omitempty" yaml:"deliver"`
}

// Deliver is a receiver for a new key's plaintext: exactly one of its
// fields is set.
type Deliver struct {
	// File is written with mode 0600, atomically; the loader resolves a
	// relative path against the file's folder.
	File string `json:"file,omitempty" yaml:"file"`
	// Exec is a shell command that reads the plaintext on stdin and must
	// exit 0. The plaintext is never in its argv or environment.
	Exec string `json:"exec,omitempty" yaml:"exec"`
	// Stdout hands the plaintext back in the Result, for `apply -o json`.
	Stdout bool `json:"stdout,omitempty" yaml:"stdout"`

	// dir is the folder Exec runs in: the file's, as LoadFile read it.
	dir string
}

// Declares reports whether the file declares a resource of kind at addr.
func (d *Desired) Declares(kind Kind, addr string) bool {
	var ok bool
	switch kind {
	case KindKey:
		_, ok = d.Keys[addr]
	case KindGuardrail:
		_, ok = d.Guardrails[addr]
	case KindWorkspace:
		_, ok = d.Workspaces[addr]
	}
	return ok
}
