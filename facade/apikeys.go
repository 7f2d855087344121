package facade

import (
	"context"
)

// Each operation checks its input, then asks gen's client to build, send
// (through call.Do, which adds the policy) and parse. The operations differ
// only in gen's method and in what a usable answer must carry.

// APIKeysList returns one page (at most PageSize keys, newest first) of
// GET /keys. Use APIKeysListAll to walk every page.
func APIKeysList(ctx context.Context, c *Client, req ListRequest, opts ...Option) (*ListResponse, error) {
	if err := checkList(req); err != nil {
		return nil, err
	}
	cl, err := c.start(ctx, opList, opts)
	if err != nil {
		return nil, err
	}
	return cl.list(ctx, req)
}

// list sends one checked GET /keys; ListAll's pages come here too.
func (cl *call) list(ctx context.Context, req ListRequest) (*ListResponse, error) {
	r, err := cl.api.ListKeysWithResponse(ctx, &req)
	return finish(cl, json200(r, err), err, func(v *ListResponse) string { return missing(v.Data == nil, "data") })
}

// APIKeysCreate creates a key with POST /keys. The plaintext key in the
// response is shown once, as a SecretKey, which shows it only through
// Reveal. A create that fails in a way that leaves open whether the key
// exists returns a *MaybeCreatedError and is never retried. A 2XX answer
// that lacks the plaintext or the hash is an error too; the response is then
// returned beside it so that the caller can delete the key by hash.
func APIKeysCreate(ctx context.Context, c *Client, req CreateKeysRequest, opts ...Option) (*CreateKeysResponse, error) {
	body := req.RequestBody
	if err := checkCreate(&body); err != nil {
		return nil, err
	}
	cl, err := c.start(ctx, opCreate, opts)
	if err != nil {
		return nil, err
	}
	cl.createdName = body.Name
	r, err := cl.api.CreateKeysWithResponse(ctx, body)
	var v *CreateKeysResponse
	if r != nil {
		v = r.JSON201
	}
	// The plaintext exists in this response only: a success without it
	// must not pass for a usable key.
	return finish(cl, v, err, func(v *CreateKeysResponse) string {
		return missing(v.Key.IsZero() || v.Data.Hash == "", "the plaintext key or the hash; the key may exist without a usable secret: delete it by hash")
	})
}

// APIKeysUpdate changes a key with PATCH /keys/{hash}. Fields left unset are
// not sent; nullable fields set to null clear the value. A body that would
// change nothing is refused before sending.
func APIKeysUpdate(ctx context.Context, c *Client, req UpdateKeysRequest, opts ...Option) (*UpdateKeysResponse, error) {
	if err := checkHash("UpdateKeysRequest.Hash", req.Hash); err != nil {
		return nil, err
	}
	if err := checkUpdate(&req.RequestBody); err != nil {
		return nil, err
	}
	cl, err := c.start(ctx, opUpdate, opts)
	if err != nil {
		return nil, err
	}
	r, err := cl.api.UpdateKeysWithResponse(ctx, req.Hash, req.RequestBody)
	return finish(cl, json200(r, err), err, func(v *UpdateKeysResponse) string { return missing(v.Data.Hash == "", "data.hash") })
}

// APIKeysDelete removes a key with DELETE /keys/{hash}.
func APIKeysDelete(ctx context.Context, c *Client, req DeleteKeysRequest, opts ...Option) (*DeleteKeysResponse, error) {
	if err := checkHash("DeleteKeysRequest.Hash", req.Hash); err != nil {
		return nil, err
	}
	cl, err := c.start(ctx, opDelete, opts)
	if err != nil {
		return nil, err
	}
	r, err := cl.api.DeleteKeysWithResponse(ctx, req.Hash)
	return finish(cl, json200(r, err), err, func(v *DeleteKeysResponse) string { return missing(!v.Deleted, `"deleted": true`) })
}

// APIKeysGet fetches one key with GET /keys/{hash}.
func APIKeysGet(ctx context.Context, c *Client, req GetKeyRequest, opts ...Option) (*GetKeyResponse, error) {
	if err := checkHash("GetKeyRequest.Hash", req.Hash); err != nil {
		return nil, err
	}
	cl, err := c.start(ctx, opGet, opts)
	if err != nil {
		return nil, err
	}
	r, err := cl.api.GetKeyWithResponse(ctx, req.Hash)
	return finish(cl, json200(r, err), err, func(v *GetKeyResponse) string { return missing(v.Data.Hash == "", "data.hash") })
}

// APIKeysGetCurrentKeyMetadata describes the calling key with GET /key. It
// works with any valid key, not only management keys.
func APIKeysGetCurrentKeyMetadata(ctx context.Context, c *Client, opts ...Option) (*GetCurrentKeyResponse, error) {
	cl, err := c.start(ctx, opCurrentKey, opts)
	if err != nil {
		return nil, err
	}
	r, err := cl.api.GetCurrentKeyWithResponse(ctx)
	return finish(cl, json200(r, err), err, func(v *GetCurrentKeyResponse) string { return missing(v.Data.Label == "", "data.label") })
}

// missing returns what when lacking is true, for finish.
func missing(lacking bool, what string) string {
	if lacking {
		return what
	}
	return ""
}

// json200 picks the parsed 200 body of any of gen's responses.
func json200[T any, R interface{ GetJSON200() *T }](r R, err error) *T {
	if err != nil {
		return nil
	}
	return r.GetJSON200()
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
