package facade

import (
	"context"
	"fmt"
	"time"

	"github.com/orkeys/orkeys/internal/rules"
)

// OldKeyAction says what APIKeysRotate does with the key it replaces once
// the successor exists.
type OldKeyAction int

const (
	// RotateDisableOld switches the old key off with PATCH disabled=true.
	// It is the zero value: a rotation that forgets to choose leaves no
	// second live key behind, yet the old key can be switched back on.
	RotateDisableOld OldKeyAction = iota
	// RotateDeleteOld deletes the old key.
	RotateDeleteOld
	// RotateKeepOld leaves the old key as it is, for a grace period in
	// which both keys work; disable or delete it later.
	RotateKeepOld
)

// String is the action's name as the CLI spells it: disable, delete, keep.
func (a OldKeyAction) String() string {
	switch a {
	case RotateDisableOld:
		return "disable"
	case RotateDeleteOld:
		return "delete"
	case RotateKeepOld:
		return "keep"
	}
	return fmt.Sprintf("OldKeyAction(%d)", int(a))
}

// RotateKeyRequest is the input of APIKeysRotate.
type RotateKeyRequest struct {
	// Hash is the key to replace.
	Hash string
	// Old is what happens to the old key: RotateDisableOld (the zero value,
	// the default), RotateDeleteOld or RotateKeepOld.
	Old OldKeyAction
	// Name is the successor's name; nil keeps the old key's name.
	Name *string
	// ExpiresAt is the successor's expiry; nil copies the old key's expiry
	// when it is still in the future (by the client's clock), and gives the
	// successor none when the old key has none or has already expired.
	ExpiresAt *time.Time
	// Deliver, if set, receives the successor as soon as it exists, before
	// anything happens to the old key: store its plaintext (Key.Reveal())
	// there, so that a crash while the old key is disabled or deleted
	// cannot lose the only working key.
	// An error from it leaves the old key untouched: APIKeysRotate returns
	// the response, with the plaintext, and an error wrapping Deliver's.
	Deliver func(context.Context, *CreateKeysResponse) error
}

// RotateKeyResponse is the outcome of APIKeysRotate.
type RotateKeyResponse struct {
	// New is the successor: its metadata and, in this response only, its
	// plaintext key.
	New *CreateKeysResponse
	// Old is the old key as it stands after the rotation: the PATCH answer
	// for RotateDisableOld, the key as read in step 1 for RotateKeepOld,
	// and the key as last read, before it was deleted, for RotateDeleteOld.
	// When the step on the old key failed, it is the key as read in step 1.
	Old *APIKey
}

// APIKeysRotate replaces a key with a new one that has the same settings,
// then disables, deletes or keeps the old one. It composes the other
// operations:
//
//  1. GET /keys/{hash} reads the old key. If that fails, nothing is created.
//  2. POST /keys creates the successor with the old key's name, limit,
//     limit_reset, include_byok_in_limit, workspace_id, creator_user_id,
//     external user and, when it lies in the future, expires_at; req.Name
//     and req.ExpiresAt replace the name and the expiry. The successor is
//     enabled even if the old key was not. If the create fails, the old key
//     is untouched and the create's error is returned, wrapped: a
//     *MaybeCreatedError stays reachable with errors.As, and says to look
//     for keys with the successor's name before rotating again.
//  3. req.Deliver, if set, receives the successor; if it fails, the
//     rotation stops there, the old key untouched.
//  4. PATCH /keys/{hash} with disabled=true, DELETE /keys/{hash}, or
//     nothing, as req.Old says. If this step fails, the response is still
//     returned, since it holds the successor's plaintext and there is no
//     other way to get it, together with a *RotateOldKeyError that names
//     both hashes and wraps the step's error (a *ForbiddenResponseError,
//     say).
//
// The successor's spend window starts fresh: it has no usage, so its
// limit_remaining equals its limit again, whatever the old key had spent.
// Usage stays with the old key. external.api_key cannot be copied: the API
// never returns it.
//
// opts apply to each call in turn; WithTimeout bounds each call, not the
// rotation, and WithResponseInto ends up holding the last call's response.
// The context is honoured throughout: cancelled after the create, it fails
// step 4 as above, with the successor in the response.
func APIKeysRotate(ctx context.Context, c *Client, req RotateKeyRequest, opts ...Option) (*RotateKeyResponse, error) {
	if err := checkRotate(req); err != nil {
		return nil, err
	}
	// The options are merged once, for every step.
	cfg, err := c.callConfig(ctx, opts)
	if err != nil {
		return nil, err
	}
	c, opts = scoped(cfg), nil
	got, err := APIKeysGet(ctx, c, GetKeyRequest{Hash: req.Hash}, opts...)
	if err != nil {
		return nil, fmt.Errorf("orkeys: rotate %s: reading the old key: %w", req.Hash, err)
	}
	old := got.Data
	created, err := APIKeysCreate(ctx, c, CreateKeysRequest{RequestBody: successorBody(old, req, cfg.now())}, opts...)
	if err != nil {
		// A create that answered 2XX without a usable key still returns the
		// response; pass it on so that the caller can delete it by hash.
		var res *RotateKeyResponse
		if created != nil {
			res = &RotateKeyResponse{New: created, Old: &old}
		}
		return res, fmt.Errorf("orkeys: rotate %s: creating the successor (the old key is untouched): %w", req.Hash, err)
	}
	res := &RotateKeyResponse{New: created, Old: &old}
	if req.Deliver != nil {
		if err := req.Deliver(ctx, created); err != nil {
			return res, fmt.Errorf("orkeys: rotate %s: delivering the successor %s failed, so the old key is untouched: %w", req.Hash, created.Data.Hash, err)
		}
	}

	switch req.Old {
	case RotateDisableOld:
		var upd *UpdateKeysResponse
		upd, err = APIKeysUpdate(ctx, c, UpdateKeysRequest{
			Hash:        req.Hash,
			RequestBody: UpdateKeysRequestBody{Disabled: Ptr(true)},
		}, opts...)
		if err == nil {
			res.Old = &upd.Data
		}
	case RotateDeleteOld:
		_, err = APIKeysDelete(ctx, c, DeleteKeysRequest{Hash: req.Hash}, opts...)
	}
	if err != nil {
		return res, &RotateOldKeyError{Action: req.Old, OldHash: req.Hash, NewHash: created.Data.Hash, Err: err}
	}
	return res, nil
}

// Rotate is APIKeysRotate as a method.
func (a *APIKeys) Rotate(ctx context.Context, req RotateKeyRequest, opts ...Option) (*RotateKeyResponse, error) {
	return APIKeysRotate(ctx, a.c, req, opts...)
}

// checkRotate refuses bad input before the first request, so that nothing
// is read for a rotation that could not be completed anyway.
func checkRotate(req RotateKeyRequest) error {
	if err := checkHash("RotateKeyRequest.Hash", req.Hash); err != nil {
		return err
	}
	switch req.Old {
	case RotateDisableOld, RotateDeleteOld, RotateKeepOld:
	default:
		return refusef("RotateKeyRequest.Old", "RotateKeyRequest.Old %v: want RotateDisableOld, RotateDeleteOld or RotateKeepOld", req.Old)
	}
	if req.Name != nil && rules.Name(*req.Name) != nil {
		return refuse("RotateKeyRequest.Name", "RotateKeyRequest.Name must not be empty (leave it nil to keep the old name)")
	}
	if req.ExpiresAt != nil && req.ExpiresAt.IsZero() {
		return refuse("RotateKeyRequest.ExpiresAt", "RotateKeyRequest.ExpiresAt is the zero time (leave it nil to copy the old expiry)")
	}
	return nil
}

// successorBody is the create body that copies old's settings. Pointers are
// fresh, so that the response's Old shares nothing with the request.
func successorBody(old APIKey, req RotateKeyRequest, now time.Time) CreateKeysRequestBody {
	b := CreateKeysRequestBody{
		Name:               old.Name,
		IncludeByokInLimit: Ptr(old.IncludeByokInLimit),
	}
	if req.Name != nil {
		b.Name = *req.Name
	}
	if old.Limit != nil {
		b.Limit = Ptr(*old.Limit)
	}
	if old.LimitReset != nil && old.Limit != nil {
		// Without a limit a period resets nothing, and a create that sends
		// one alone is refused.
		b.LimitReset = Ptr(*old.LimitReset)
	}
	switch {
	case req.ExpiresAt != nil:
		b.ExpiresAt = Ptr(*req.ExpiresAt)
	case old.ExpiresAt.Instant() != nil && old.ExpiresAt.After(now):
		// An expired key's expiry would make the create fail: the
		// successor gets none rather than a date in the past; nor does it
		// get one that could not be read.
		b.ExpiresAt = old.ExpiresAt.Instant()
	}
	if old.WorkspaceID != "" {
		b.WorkspaceID = Ptr(old.WorkspaceID)
	}
	if old.CreatorUserID != nil && *old.CreatorUserID != "" {
		b.CreatorUserID = Ptr(*old.CreatorUserID)
	}
	if old.ExternalUser != nil && *old.ExternalUser != "" {
		b.External = &ExternalIdentity{User: *old.ExternalUser}
	}
	return b
}

// pastTense is for messages: "could not be disabled".
func (a OldKeyAction) pastTense() string {
	switch a {
	case RotateDisableOld:
		return "disabled"
	case RotateDeleteOld:
		return "deleted"
	case RotateKeepOld:
		return "kept"
	}
	return a.String()
}
