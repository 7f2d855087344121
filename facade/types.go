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

	// ExternalIdentity is a create's partner-defined identity (external).
	ExternalIdentity = gen.ExternalIdentity
	// DataRegion is where a key's requests may be processed.
	DataRegion = gen.DataRegion
	// FreeModelDailyRequests is the account's daily free-model quota.
	FreeModelDailyRequests = gen.FreeModelDailyRequests

	// ListRequest selects a page of GET /keys: gen's parameters, so that a
	// parameter added to the spec is usable here after `make generate`.
	// The zero value lists the first page of enabled keys of the default
	// workspace.
	ListRequest = gen.ListKeysParams

	// ListResponse is one page of GET /keys.
	ListResponse = gen.ListResponse
	// CreateKeysResponse holds the new key's metadata and, once only, its
	// plaintext as a SecretKey.
	CreateKeysResponse = gen.CreateKeysResponse
	// GetKeyResponse is the answer of GET /keys/{hash}.
	GetKeyResponse = gen.GetKeyResponse
	// UpdateKeysResponse is the answer of PATCH /keys/{hash}.
	UpdateKeysResponse = gen.UpdateKeysResponse
	// DeleteKeysResponse is the answer of DELETE /keys/{hash}.
	DeleteKeysResponse = gen.DeleteKeysResponse
	// GetCurrentKeyResponse is the answer of GET /key.
	GetCurrentKeyResponse = gen.GetCurrentKeyResponse

	// SecretKey is a plaintext API key that redacts itself in fmt, slog and
	// JSON output; call Reveal for the full value.
	SecretKey = secret.Key
)

// The limit reset periods the API knows.
const (
	LimitResetDaily   = gen.LimitResetDaily
	LimitResetWeekly  = gen.LimitResetWeekly
	LimitResetMonthly = gen.LimitResetMonthly
)

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
