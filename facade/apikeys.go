package facade

import (
	"context"
	"net/http"

	"github.com/orkeys/orkeys/gen"
)

// Each operation checks its input, then hands call (call.go) the operation,
// gen's request builder with the call's arguments, and what a usable answer
// must carry. An operation added to the spec is one more such function.

// APIKeysList returns one page (at most PageSize keys, newest first) of
// GET /keys. Use APIKeysListAll to walk every page.
func APIKeysList(ctx context.Context, c *Client, req ListRequest, opts ...Option) (*ListResponse, error) {
	if err := checkList(req); err != nil {
		return nil, err
	}
	return call(ctx, c, opts, opList, listBuilder(req), lacksPage)
}

// listPage sends one checked GET /keys on a merged config: ListAll's pages.
func listPage(ctx context.Context, cfg *config, req ListRequest) (*ListResponse, error) {
	return callWith(ctx, cfg, opList, listBuilder(req), lacksPage)
}

func listBuilder(req ListRequest) builder {
	return func(s string) (*http.Request, error) { return gen.NewListKeysRequest(s, &req) }
}

func lacksPage(v *ListResponse) string { return missing(v.Data == nil, "data") }

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
	return call(ctx, c, opts, opUpdate, func(s string) (*http.Request, error) {
		return gen.NewUpdateKeysRequest(s, req.Hash, req.RequestBody)
	}, func(v *UpdateKeysResponse) string { return missing(v.Data.Hash == "", "data.hash") })
}

// APIKeysDelete removes a key with DELETE /keys/{hash}.
func APIKeysDelete(ctx context.Context, c *Client, req DeleteKeysRequest, opts ...Option) (*DeleteKeysResponse, error) {
	if err := checkHash("DeleteKeysRequest.Hash", req.Hash); err != nil {
		return nil, err
	}
	return call(ctx, c, opts, opDelete, func(s string) (*http.Request, error) {
		return gen.NewDeleteKeysRequest(s, req.Hash)
	}, func(v *DeleteKeysResponse) string { return missing(!v.Deleted, `"deleted": true`) })
}

// APIKeysGet fetches one key with GET /keys/{hash}.
func APIKeysGet(ctx context.Context, c *Client, req GetKeyRequest, opts ...Option) (*GetKeyResponse, error) {
	if err := checkHash("GetKeyRequest.Hash", req.Hash); err != nil {
		return nil, err
	}
	return call(ctx, c, opts, opGet, func(s string) (*http.Request, error) {
		return gen.NewGetKeyRequest(s, req.Hash)
	}, func(v *GetKeyResponse) string { return missing(v.Data.Hash == "", "data.hash") })
}

// APIKeysGetCurrentKeyMetadata describes the calling key with GET /key. It
// works with any valid key, not only management keys.
func APIKeysGetCurrentKeyMetadata(ctx context.Context, c *Client, opts ...Option) (*GetCurrentKeyResponse, error) {
	return call(ctx, c, opts, opCurrentKey, gen.NewGetCurrentKeyRequest,
		func(v *GetCurrentKeyResponse) string { return missing(v.Data.Label == "", "data.label") })
}

// missing returns what when lacking is true, for an operation's lacks.
func missing(lacking bool, what string) string {
	if lacking {
		return what
	}
	return ""
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
