package provision

import (
	"context"
	"errors"
	"time"

	"github.com/orkeys/orkeys/secret"
)

// Backend is what the engine needs from the API. NewFacadeBackend
// implements it over package facade; tests and back ends may supply their
// own. Every method returns ErrNotFound (wrapped or not) for an id that
// names nothing.
type Backend interface {
	// ListKeys returns every key of a workspace ("" is the default one),
	// disabled keys included.
	ListKeys(ctx context.Context, workspaceID string) ([]LiveKey, error)
	GetKey(ctx context.Context, hash string) (LiveKey, error)
	// CreateKey may fail in a way that leaves open whether the key exists;
	// the engine's journal resolves that on the next run.
	CreateKey(ctx context.Context, k KeySpec) (LiveKey, secret.Key, error)
	UpdateKey(ctx context.Context, hash string, p KeyPatch) (LiveKey, error)
	DeleteKey(ctx context.Context, hash string) error

	// GetWorkspace takes a workspace's UUID or its slug.
	GetWorkspace(ctx context.Context, id string) (LiveWorkspace, error)
	CreateWorkspace(ctx context.Context, w LiveWorkspace) (LiveWorkspace, error)
	UpdateWorkspace(ctx context.Context, id string, w LiveWorkspace) (LiveWorkspace, error)
	DeleteWorkspace(ctx context.Context, id string) error

	// ListGuardrails returns every guardrail of a workspace ("" is the
	// default one).
	ListGuardrails(ctx context.Context, workspaceID string) ([]LiveGuardrail, error)
	GetGuardrail(ctx context.Context, id string) (LiveGuardrail, error)
	CreateGuardrail(ctx context.Context, g LiveGuardrail) (LiveGuardrail, error)
	UpdateGuardrail(ctx context.Context, id string, g LiveGuardrail) (LiveGuardrail, error)
	DeleteGuardrail(ctx context.Context, id string) error
	// KeyGuardrails maps each assigned key hash to its guardrail's id.
	KeyGuardrails(ctx context.Context) (map[string]string, error)
	// AssignGuardrail puts the guardrail on a key (replacing any other);
	// an empty guardrailID takes fromID off it.
	AssignGuardrail(ctx context.Context, hash, guardrailID, fromID string) error
}

// ErrNotFound is what a Backend returns for an id that names nothing.
var ErrNotFound = errors.New("not found")

// ErrUnsupported is what a Backend returns for an operation it cannot do
// (yet).
var ErrUnsupported = errors.New("not supported by this backend yet")

// LiveKey is a key as the API describes it, reduced to what the engine
// manages. It holds no plaintext.
type LiveKey struct {
	Hash               string     `json:"hash"`
	Name               string     `json:"name"`
	WorkspaceID        string     `json:"workspace_id,omitempty"`
	Limit              *float64   `json:"limit"`
	LimitReset         string     `json:"limit_reset,omitempty"`
	IncludeBYOKInLimit bool       `json:"include_byok_in_limit"`
	Disabled           bool       `json:"disabled"`
	ExpiresAt          *time.Time `json:"expires_at,omitempty"`
	CreatedAt          time.Time  `json:"created_at"`
	// GuardrailID is filled in by the engine from KeyGuardrails.
	GuardrailID string `json:"guardrail_id,omitempty"`
}

// KeySpec is what a key is created with.
type KeySpec struct {
	Name               string
	WorkspaceID        string
	Limit              *float64
	LimitReset         string
	IncludeBYOKInLimit bool
	ExpiresAt          *time.Time
}

// KeyPatch changes the mutable fields of a key; nil leaves one alone.
// ClearLimit removes the cap.
type KeyPatch struct {
	Name               *string
	Limit              *float64
	ClearLimit         bool
	LimitReset         *string // "" clears it
	IncludeBYOKInLimit *bool
	Disabled           *bool
}

// LiveWorkspace is a workspace as the engine manages it.
type LiveWorkspace struct {
	ID          string  `json:"id,omitempty"`
	Name        string  `json:"name"`
	Slug        string  `json:"slug"`
	Description string  `json:"description,omitempty"`
	Budgets     Budgets `json:"budgets,omitzero"`
	// CreatedAt is read for the orphan rule only.
	CreatedAt time.Time `json:"created_at,omitzero"`
}

// LiveGuardrail is a guardrail as the engine manages it.
type LiveGuardrail struct {
	ID                   string   `json:"id,omitempty"`
	Name                 string   `json:"name"`
	Description          string   `json:"description,omitempty"`
	WorkspaceID          string   `json:"workspace_id,omitempty"`
	LimitUSD             *float64 `json:"limit_usd"`
	ResetInterval        string   `json:"reset_interval,omitempty"`
	IncludeBYOKInBudgets bool     `json:"include_byok_in_budgets"`
	AllowedModels        []string `json:"allowed_models,omitempty"`
	AllowedProviders     []string `json:"allowed_providers,omitempty"`
	// CreatedAt is read for the orphan rule only.
	CreatedAt time.Time `json:"created_at,omitzero"`
}
