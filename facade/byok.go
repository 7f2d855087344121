package facade

import (
	"bytes"
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"slices"

	"github.com/orkeys/orkeys/gen"
	"github.com/orkeys/orkeys/internal/rules"
	"github.com/orkeys/orkeys/secret"
)

// Provider keys (bring your own key): GET/POST /byok, GET/PATCH/DELETE
// /byok/{id}. The provider key is a SecretKey in requests: redacted in fmt,
// slog and JSON, revealed only into the request's own bytes, and scrubbed
// from every error the call returns. Answers never hold it, only a masked
// label. Rotating it is BYOKUpdate with a new Key: one PATCH replaces the
// key in place and returns no secret, so a rotation helper would add
// nothing.

type (
	// BYOKKey is a stored provider key, without the key.
	BYOKKey = gen.BYOKKey
	// BYOKProviderSlug is an upstream provider, such as "openai".
	BYOKProviderSlug = gen.BYOKProviderSlug
	// ListBYOKKeysRequest selects a page of GET /byok: the default
	// workspace's provider keys unless WorkspaceID names another.
	ListBYOKKeysRequest = gen.ListBYOKKeysParams
	// ListBYOKKeysResponse is one page of provider keys and their total.
	ListBYOKKeysResponse = gen.ListBYOKKeysResponse
	// CreateBYOKKeyRequestBody is the body of POST /byok; Key is the
	// provider's key.
	CreateBYOKKeyRequestBody = gen.CreateBYOKKeyRequest
	// CreateBYOKKeyResponse is the answer of POST /byok.
	CreateBYOKKeyResponse = gen.CreateBYOKKeyResponse
	// GetBYOKKeyResponse is the answer of GET /byok/{id}.
	GetBYOKKeyResponse = gen.GetBYOKKeyResponse
	// UpdateBYOKKeyRequestBody is the body of PATCH /byok/{id}: Key rotates
	// the stored key; the lists take Null to clear them.
	UpdateBYOKKeyRequestBody = gen.UpdateBYOKKeyRequest
	// UpdateBYOKKeyResponse is the answer of PATCH /byok/{id}.
	UpdateBYOKKeyResponse = gen.UpdateBYOKKeyResponse
	// DeleteBYOKKeyResponse is the answer of DELETE /byok/{id}.
	DeleteBYOKKeyResponse = gen.DeleteBYOKKeyResponse
)

// CreateBYOKKeyRequest is the input of BYOKCreate.
type CreateBYOKKeyRequest struct {
	RequestBody CreateBYOKKeyRequestBody
}

// GetBYOKKeyRequest is the input of BYOKGet: the provider key's UUID.
type GetBYOKKeyRequest struct {
	ID string
}

// UpdateBYOKKeyRequest is the input of BYOKUpdate.
type UpdateBYOKKeyRequest struct {
	ID          string
	RequestBody UpdateBYOKKeyRequestBody
}

// DeleteBYOKKeyRequest is the input of BYOKDelete.
type DeleteBYOKKeyRequest struct {
	ID string
}

var (
	opBYOKList   = &operation{http.MethodGet, "/byok", true, http.StatusOK}
	opBYOKCreate = &operation{http.MethodPost, "/byok", false, http.StatusCreated}
	opBYOKGet    = &operation{http.MethodGet, "/byok/{id}", true, http.StatusOK}
	opBYOKUpdate = &operation{http.MethodPatch, "/byok/{id}", true, http.StatusOK}
	opBYOKDelete = &operation{http.MethodDelete, "/byok/{id}", true, http.StatusOK}
)

// BYOKList returns one page of GET /byok.
func BYOKList(ctx context.Context, c *Client, req ListBYOKKeysRequest, opts ...Option) (*ListBYOKKeysResponse, error) {
	if err := checkBYOKList(req, req.Limit); err != nil {
		return nil, err
	}
	return call(ctx, c, opts, opBYOKList, byokPage(req), lacksBYOKList)
}

// BYOKListAll walks every page of GET /byok from req.Offset.
func BYOKListAll(ctx context.Context, c *Client, req ListBYOKKeysRequest, opts ...Option) iter.Seq2[BYOKKey, error] {
	return walkPages(ctx, c, opts, opBYOKList, checkBYOKList(req, nil), req.Offset,
		pages(opBYOKList, func(o int) builder {
			p := req
			p.Offset, p.Limit = at(o)
			return byokPage(p)
		}, lacksBYOKList, func(v *ListBYOKKeysResponse) ([]BYOKKey, int) { return v.Data, v.TotalCount }),
		func(k *BYOKKey) string { return k.ID })
}

func byokPage(req ListBYOKKeysRequest) builder {
	return func(s string) (*http.Request, error) { return gen.NewListBYOKKeysRequest(s, &req) }
}

func lacksBYOKList(v *ListBYOKKeysResponse) string { return lacksData(v.Data) }

func checkBYOKList(req ListBYOKKeysRequest, limit *int) error {
	if err := checkPage("ListBYOKKeysRequest", req.Offset, limit); err != nil {
		return err
	}
	return checkOptionalUUID("ListBYOKKeysRequest.WorkspaceID", req.WorkspaceID)
}

// BYOKCreate stores a provider key with POST /byok. A failure that leaves
// open whether it was stored is a *MaybeCreatedError and is never retried.
func BYOKCreate(ctx context.Context, c *Client, req CreateBYOKKeyRequest, opts ...Option) (*CreateBYOKKeyResponse, error) {
	body := req.RequestBody
	if err := checkCreateBYOK(&body); err != nil {
		return nil, err
	}
	raw, err := json.Marshal(struct {
		*CreateBYOKKeyRequestBody
		Key string `json:"key"` // the one place the provider key is revealed
	}{&body, body.Key.Reveal()})
	if err != nil {
		return nil, err
	}
	name := string(body.Provider)
	if body.Name != nil {
		name = *body.Name
	}
	return callCreate(ctx, c, append(slices.Clip(opts), withSecret(body.Key)), opBYOKCreate, name, func(s string) (*http.Request, error) {
		return gen.NewCreateBYOKKeyRequestWithBody(s, "application/json", bytes.NewReader(raw))
	}, lacksBYOK[CreateBYOKKeyResponse](func(v *CreateBYOKKeyResponse) *BYOKKey { return &v.Data }))
}

// BYOKGet fetches one provider key's settings with GET /byok/{id}.
func BYOKGet(ctx context.Context, c *Client, req GetBYOKKeyRequest, opts ...Option) (*GetBYOKKeyResponse, error) {
	if err := checkID("GetBYOKKeyRequest.ID", req.ID); err != nil {
		return nil, err
	}
	return call(ctx, c, opts, opBYOKGet, func(s string) (*http.Request, error) {
		return gen.NewGetBYOKKeyRequest(s, req.ID)
	}, lacksBYOK[GetBYOKKeyResponse](func(v *GetBYOKKeyResponse) *BYOKKey { return &v.Data }))
}

// BYOKUpdate changes a provider key with PATCH /byok/{id}; a Key rotates
// the stored key in place. Fields left unset are not sent, Null clears a
// restriction list, and an empty list is refused before sending.
func BYOKUpdate(ctx context.Context, c *Client, req UpdateBYOKKeyRequest, opts ...Option) (*UpdateBYOKKeyResponse, error) {
	if err := checkID("UpdateBYOKKeyRequest.ID", req.ID); err != nil {
		return nil, err
	}
	body := req.RequestBody
	if err := checkUpdateBYOK(&body); err != nil {
		return nil, err
	}
	var key *string
	var secretKey secret.Key
	if body.Key != nil {
		key, secretKey = Ptr(body.Key.Reveal()), *body.Key
	}
	raw, err := json.Marshal(struct {
		*UpdateBYOKKeyRequestBody
		Key *string `json:"key,omitempty"` // the one place the provider key is revealed
	}{&body, key})
	if err != nil {
		return nil, err
	}
	return call(ctx, c, append(slices.Clip(opts), withSecret(secretKey)), opBYOKUpdate, func(s string) (*http.Request, error) {
		return gen.NewUpdateBYOKKeyRequestWithBody(s, req.ID, "application/json", bytes.NewReader(raw))
	}, lacksBYOK[UpdateBYOKKeyResponse](func(v *UpdateBYOKKeyResponse) *BYOKKey { return &v.Data }))
}

// BYOKDelete deletes a provider key (its key material is wiped) with
// DELETE /byok/{id}.
func BYOKDelete(ctx context.Context, c *Client, req DeleteBYOKKeyRequest, opts ...Option) (*DeleteBYOKKeyResponse, error) {
	if err := checkID("DeleteBYOKKeyRequest.ID", req.ID); err != nil {
		return nil, err
	}
	return call(ctx, c, opts, opBYOKDelete, func(s string) (*http.Request, error) {
		return gen.NewDeleteBYOKKeyRequest(s, req.ID)
	}, lacksDeleted[DeleteBYOKKeyResponse](func(v *DeleteBYOKKeyResponse) bool { return v.Deleted }))
}

func lacksBYOK[R any](k func(*R) *BYOKKey) func(*R) string {
	return func(v *R) string { return missing(k(v).ID == "", "data.id") }
}

func checkCreateBYOK(b *CreateBYOKKeyRequestBody) error {
	const s = "CreateBYOKKeyRequestBody"
	if b.Provider == "" {
		return refuse(s+".Provider", s+".Provider is empty: name the provider, such as openai")
	}
	if b.Key.IsZero() {
		return refuse(s+".Key", s+".Key is empty: the provider's key is required")
	}
	if err := rules.ProviderKey(b.Key.Reveal()); err != nil {
		return refuse(s+".Key", s+".Key "+err.Error())
	}
	if err := checkOptionalUUID(s+".WorkspaceID", b.WorkspaceID); err != nil {
		return err
	}
	lists := map[string]int{}
	for name, l := range map[string]*[]string{"AllowedModels": b.AllowedModels, "AllowedUserIds": b.AllowedUserIds, "AllowedAPIKeyHashes": b.AllowedAPIKeyHashes} {
		if l != nil {
			lists[name] = len(*l)
		}
	}
	return nonEmptyLists(s, lists)
}

func checkUpdateBYOK(b *UpdateBYOKKeyRequestBody) error {
	const s = "UpdateBYOKKeyRequestBody"
	if b.Key != nil && b.Key.IsZero() {
		return refuse(s+".Key", s+".Key is empty: leave it nil to keep the stored key")
	}
	if b.Key != nil {
		if err := rules.ProviderKey(b.Key.Reveal()); err != nil {
			return refuse(s+".Key", s+".Key "+err.Error())
		}
	}
	lists := map[string]int{}
	for name, l := range map[string]Nullable[[]string]{"AllowedModels": b.AllowedModels, "AllowedUserIds": b.AllowedUserIds, "AllowedAPIKeyHashes": b.AllowedAPIKeyHashes} {
		if v, err := l.Get(); err == nil {
			lists[name] = len(v)
		}
	}
	if err := nonEmptyLists(s, lists); err != nil {
		return err
	}
	return refuseEmptyPatch(s, b)
}
