package facade

import (
	"github.com/orkeys/orkeys/gen"
	"github.com/orkeys/orkeys/secret"
)

// The facade reuses gen's models rather than redefining them, so a value from
// the facade can be handed to gen's low-level client and back. These aliases
// only give them the names the TypeScript SDK uses.
type (
	// APIKey is a key as the management endpoints describe it.
	APIKey = gen.APIKey
	// CurrentKey is what GET /key says about the calling key.
	CurrentKey = gen.CurrentKey
	// LimitReset is how often a spending limit starts over.
	LimitReset = gen.LimitReset
	// CreateKeysRequestBody is the body of POST /keys.
	CreateKeysRequestBody = gen.CreateKeysRequestBody
	// UpdateKeysRequestBody is the body of PATCH /keys/{hash}. Its nullable
	// fields tell "leave alone" (unset), "clear" (SetNull) and "set" apart.
	UpdateKeysRequestBody = gen.UpdateKeysRequestBody

	// ListResponse is one page of GET /keys.
	ListResponse = gen.ListKeysResponseBody
	// CreateKeysResponse holds the new key's metadata and, once only, its
	// plaintext as a redacting SecretKey.
	CreateKeysResponse = gen.CreateKeysResponseBody
	// GetKeyResponse is the answer of GET /keys/{hash}.
	GetKeyResponse = gen.GetKeyResponseBody
	// UpdateKeysResponse is the answer of PATCH /keys/{hash}.
	UpdateKeysResponse = gen.UpdateKeysResponseBody
	// DeleteKeysResponse is the answer of DELETE /keys/{hash}.
	DeleteKeysResponse = gen.DeleteKeysResponseBody
	// GetCurrentKeyResponse is the answer of GET /key.
	GetCurrentKeyResponse = gen.GetCurrentKeyResponseBody

	// SecretKey is a plaintext API key that redacts itself in fmt and slog
	// output; call Reveal for the full value.
	SecretKey = secret.Key
)

// The limit reset periods the API knows.
const (
	LimitResetDaily   = gen.LimitResetDaily
	LimitResetWeekly  = gen.LimitResetWeekly
	LimitResetMonthly = gen.LimitResetMonthly
)

// ListRequest selects a page of keys. Nil fields are not sent.
type ListRequest struct {
	// IncludeDisabled also returns disabled keys (the API's default is false).
	IncludeDisabled *bool
	// Offset skips that many keys; pages hold at most PageSize keys.
	Offset *int
	// WorkspaceID limits the list to one workspace (a UUID); without it the
	// API lists the default workspace.
	WorkspaceID *string
}

// PageSize is the most keys GET /keys returns at once.
const PageSize = 100

// CreateKeysRequest is the input of APIKeysCreate.
type CreateKeysRequest struct {
	RequestBody CreateKeysRequestBody
}

// UpdateKeysRequest is the input of APIKeysUpdate.
type UpdateKeysRequest struct {
	Hash        string
	RequestBody UpdateKeysRequestBody
}

// DeleteKeysRequest is the input of APIKeysDelete.
type DeleteKeysRequest struct {
	Hash string
}

// GetKeyRequest is the input of APIKeysGet.
type GetKeyRequest struct {
	Hash string
}
