package facade

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/google/uuid"
	"github.com/oapi-codegen/nullable"
)

// APIKeysList returns one page (at most PageSize keys, newest first) of
// GET /keys. Use APIKeysListAll to walk every page.
func APIKeysList(ctx context.Context, c *Client, req ListRequest, opts ...Option) (*ListResponse, error) {
	cfg, err := c.callConfig(opts)
	if err != nil {
		return nil, err
	}
	query, err := req.query()
	if err != nil {
		return nil, err
	}
	hreq, err := newRequest(ctx, cfg, opList, "", query, nil)
	if err != nil {
		return nil, fmt.Errorf("orkeys: building GET /keys: %w", err)
	}
	out := new(ListResponse)
	if err := send(ctx, cfg, opList, hreq, out, ""); err != nil {
		return nil, err
	}
	return out, nil
}

// APIKeysCreate creates a key with POST /keys. The plaintext key in the
// response is shown once; it is a SecretKey, which redacts itself when
// printed. A create that fails in a way that leaves open whether the key
// exists returns a *MaybeCreatedError and is never retried. A 2XX answer
// that lacks the plaintext or the hash is an error too; the response is then
// returned beside it so that the caller can delete the key by hash.
func APIKeysCreate(ctx context.Context, c *Client, req CreateKeysRequest, opts ...Option) (*CreateKeysResponse, error) {
	cfg, err := c.callConfig(opts)
	if err != nil {
		return nil, err
	}
	body := req.RequestBody
	if err := validateCreate(&body); err != nil {
		return nil, err
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("orkeys: encoding create request: %w", err)
	}
	hreq, err := newRequest(ctx, cfg, opCreate, "", "", raw)
	if err != nil {
		return nil, fmt.Errorf("orkeys: building POST /keys: %w", err)
	}
	out := new(CreateKeysResponse)
	if err := send(ctx, cfg, opCreate, hreq, out, body.Name); err != nil {
		return nil, err
	}
	// The plaintext exists in this response only: a success without it
	// must not pass for a usable key.
	if out.Key == "" || out.Data.Hash == "" {
		return out, fmt.Errorf("openrouter: POST /keys: success response lacks the plaintext key or the hash (hash %q); the key may exist without a usable secret: delete it", out.Data.Hash)
	}
	return out, nil
}

// APIKeysUpdate changes a key with PATCH /keys/{hash}. Fields left unset are
// not sent; nullable fields set to null clear the value.
func APIKeysUpdate(ctx context.Context, c *Client, req UpdateKeysRequest, opts ...Option) (*UpdateKeysResponse, error) {
	cfg, err := c.callConfig(opts)
	if err != nil {
		return nil, err
	}
	if err := checkHash(req.Hash); err != nil {
		return nil, err
	}
	if err := validateUpdate(&req.RequestBody); err != nil {
		return nil, err
	}
	raw, err := json.Marshal(req.RequestBody)
	if err != nil {
		return nil, fmt.Errorf("orkeys: encoding update request: %w", err)
	}
	hreq, err := newRequest(ctx, cfg, opUpdate, req.Hash, "", raw)
	if err != nil {
		return nil, fmt.Errorf("orkeys: building PATCH /keys/{hash}: %w", err)
	}
	out := new(UpdateKeysResponse)
	if err := send(ctx, cfg, opUpdate, hreq, out, ""); err != nil {
		return nil, err
	}
	return out, nil
}

// APIKeysDelete removes a key with DELETE /keys/{hash}.
func APIKeysDelete(ctx context.Context, c *Client, req DeleteKeysRequest, opts ...Option) (*DeleteKeysResponse, error) {
	cfg, err := c.callConfig(opts)
	if err != nil {
		return nil, err
	}
	if err := checkHash(req.Hash); err != nil {
		return nil, err
	}
	hreq, err := newRequest(ctx, cfg, opDelete, req.Hash, "", nil)
	if err != nil {
		return nil, fmt.Errorf("orkeys: building DELETE /keys/{hash}: %w", err)
	}
	out := new(DeleteKeysResponse)
	if err := send(ctx, cfg, opDelete, hreq, out, ""); err != nil {
		return nil, err
	}
	return out, nil
}

// APIKeysGet fetches one key with GET /keys/{hash}.
func APIKeysGet(ctx context.Context, c *Client, req GetKeyRequest, opts ...Option) (*GetKeyResponse, error) {
	cfg, err := c.callConfig(opts)
	if err != nil {
		return nil, err
	}
	if err := checkHash(req.Hash); err != nil {
		return nil, err
	}
	hreq, err := newRequest(ctx, cfg, opGet, req.Hash, "", nil)
	if err != nil {
		return nil, fmt.Errorf("orkeys: building GET /keys/{hash}: %w", err)
	}
	out := new(GetKeyResponse)
	if err := send(ctx, cfg, opGet, hreq, out, ""); err != nil {
		return nil, err
	}
	return out, nil
}

// APIKeysGetCurrentKeyMetadata describes the calling key with GET /key. It
// works with any valid key, not only management keys.
func APIKeysGetCurrentKeyMetadata(ctx context.Context, c *Client, opts ...Option) (*GetCurrentKeyResponse, error) {
	cfg, err := c.callConfig(opts)
	if err != nil {
		return nil, err
	}
	hreq, err := newRequest(ctx, cfg, opCurrentKey, "", "", nil)
	if err != nil {
		return nil, fmt.Errorf("orkeys: building GET /key: %w", err)
	}
	out := new(GetCurrentKeyResponse)
	if err := send(ctx, cfg, opCurrentKey, hreq, out, ""); err != nil {
		return nil, err
	}
	return out, nil
}

// List is APIKeysList as a method.
func (a *APIKeys) List(ctx context.Context, req ListRequest, opts ...Option) (*ListResponse, error) {
	return APIKeysList(ctx, a.c, req, opts...)
}

// Create is APIKeysCreate as a method.
func (a *APIKeys) Create(ctx context.Context, req CreateKeysRequest, opts ...Option) (*CreateKeysResponse, error) {
	return APIKeysCreate(ctx, a.c, req, opts...)
}

// Update is APIKeysUpdate as a method.
func (a *APIKeys) Update(ctx context.Context, req UpdateKeysRequest, opts ...Option) (*UpdateKeysResponse, error) {
	return APIKeysUpdate(ctx, a.c, req, opts...)
}

// Delete is APIKeysDelete as a method.
func (a *APIKeys) Delete(ctx context.Context, req DeleteKeysRequest, opts ...Option) (*DeleteKeysResponse, error) {
	return APIKeysDelete(ctx, a.c, req, opts...)
}

// Get is APIKeysGet as a method.
func (a *APIKeys) Get(ctx context.Context, req GetKeyRequest, opts ...Option) (*GetKeyResponse, error) {
	return APIKeysGet(ctx, a.c, req, opts...)
}

// GetCurrentKeyMetadata is APIKeysGetCurrentKeyMetadata as a method.
func (a *APIKeys) GetCurrentKeyMetadata(ctx context.Context, opts ...Option) (*GetCurrentKeyResponse, error) {
	return APIKeysGetCurrentKeyMetadata(ctx, a.c, opts...)
}

// query checks r and encodes it as gen's NewListKeysRequest would: form
// style, in the spec's order, only the parameters that are set. The values
// need no escaping (a bool, digits, a canonical UUID).
// tests/perf_requests_test.go compares the result with gen's.
func (r ListRequest) query() (string, error) {
	var buf [96]byte
	q := buf[:0]
	if r.IncludeDisabled != nil {
		q = append(q, "include_disabled="...)
		q = strconv.AppendBool(q, *r.IncludeDisabled)
	}
	if r.Offset != nil {
		if *r.Offset < 0 {
			return "", invalidf("orkeys: ListRequest.Offset %d: must not be negative", *r.Offset)
		}
		if len(q) > 0 {
			q = append(q, '&')
		}
		q = append(q, "offset="...)
		q = strconv.AppendInt(q, int64(*r.Offset), 10)
	}
	if r.WorkspaceID != nil {
		id, err := uuid.Parse(*r.WorkspaceID)
		if err != nil {
			return "", invalidf("orkeys: ListRequest.WorkspaceID %q is not a UUID", *r.WorkspaceID)
		}
		if len(q) > 0 {
			q = append(q, '&')
		}
		q = append(q, "workspace_id="...)
		q = append(q, id.String()...)
	}
	return string(q), nil
}

// checkHash rejects hashes that cannot name a key: empty, or a dot segment
// that would move the request to another path. Anything else is escaped as
// one path segment by gen.
func checkHash(h string) error {
	switch h {
	case "":
		return invalid("orkeys: empty key hash")
	case ".", "..":
		return invalidf("orkeys: key hash %q is not a valid hash", h)
	}
	return nil
}

func validateCreate(b *CreateKeysRequestBody) error {
	if b.Name == "" {
		return invalid("orkeys: CreateKeysRequestBody.Name is required")
	}
	if err := checkLimit("CreateKeysRequestBody.Limit", b.Limit); err != nil {
		return err
	}
	if err := checkLimitReset("CreateKeysRequestBody.LimitReset", b.LimitReset); err != nil {
		return err
	}
	if v, err := b.CreatorUserID.Get(); err == nil && v == "" {
		return invalid("orkeys: CreateKeysRequestBody.CreatorUserID must not be empty (leave it unset instead)")
	}
	if t, err := b.ExpiresAt.Get(); err == nil {
		if t.IsZero() {
			return invalid("orkeys: CreateKeysRequestBody.ExpiresAt is the zero time")
		}
		// The API accepts UTC only; the same instant in UTC is what the
		// caller meant. b is the caller's copy, so this changes nothing of
		// theirs.
		b.ExpiresAt.Set(t.UTC())
	}
	return nil
}

func validateUpdate(b *UpdateKeysRequestBody) error {
	if b.Name != nil && *b.Name == "" {
		return invalid("orkeys: UpdateKeysRequestBody.Name must not be empty (leave it nil to keep the name)")
	}
	if err := checkLimit("UpdateKeysRequestBody.Limit", b.Limit); err != nil {
		return err
	}
	return checkLimitReset("UpdateKeysRequestBody.LimitReset", b.LimitReset)
}

func checkLimit(field string, n nullable.Nullable[float64]) error {
	v, err := n.Get()
	if err != nil { // unset or null
		return nil
	}
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return invalidf("orkeys: %s %v: must be a finite amount of USD, 0 or more", field, v)
	}
	return nil
}

func checkLimitReset(field string, n nullable.Nullable[LimitReset]) error {
	v, err := n.Get()
	if err != nil {
		return nil
	}
	if !v.Valid() {
		return invalidf("orkeys: %s %q: want %q, %q or %q (or null for no reset)", field, v, LimitResetDaily, LimitResetWeekly, LimitResetMonthly)
	}
	return nil
}
