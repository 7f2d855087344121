package provision

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/oapi-codegen/nullable"
	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/secret"
	"github.com/orkeys/orkeys/timestamp"
)

// FacadeBackend is the Backend over a facade.Client: keys here, workspaces
// (with their budgets) and guardrails in facadeplane.go.
type FacadeBackend struct {
	c    *facade.Client
	opts []facade.Option
}

// NewFacadeBackend returns the Backend that calls the API through c, with
// opts on every call.
func NewFacadeBackend(c *facade.Client, opts ...facade.Option) *FacadeBackend {
	return &FacadeBackend{c: c, opts: opts}
}

var _ Backend = (*FacadeBackend)(nil)

// notFound turns the facade's 404 into ErrNotFound, keeping the cause.
func notFound(err error) error {
	var nf *facade.NotFoundResponseError
	if errors.As(err, &nf) {
		return fmt.Errorf("%w: %w", ErrNotFound, err)
	}
	return err
}

func liveKey(k facade.APIKey) LiveKey {
	l := LiveKey{
		Hash:               k.Hash,
		Name:               k.Name,
		WorkspaceID:        k.WorkspaceID,
		Limit:              k.Limit,
		IncludeBYOKInLimit: k.IncludeByokInLimit,
		Disabled:           k.Disabled,
		ExpiresAt:          instant(k.ExpiresAt),
	}
	if k.LimitReset != nil {
		l.LimitReset = string(*k.LimitReset)
	}
	if t := instant(&k.CreatedAt); t != nil {
		l.CreatedAt = *t
	}
	return l
}

// instant is an answer's timestamp as an instant; nil when absent or
// unparsable.
func instant(t *timestamp.Time) *time.Time {
	if t == nil {
		return nil
	}
	return t.Instant()
}

func (b *FacadeBackend) ListKeys(ctx context.Context, workspaceID string) ([]LiveKey, error) {
	req := facade.ListRequest{IncludeDisabled: true}
	if workspaceID != "" {
		req.WorkspaceID = &workspaceID
	}
	var out []LiveKey
	seen := map[string]bool{}
	for k, err := range facade.APIKeysListAll(ctx, b.c, req, b.opts...) {
		if err != nil {
			return nil, err
		}
		if !seen[k.Hash] {
			seen[k.Hash] = true
			out = append(out, liveKey(k))
		}
	}
	return out, nil
}

func (b *FacadeBackend) GetKey(ctx context.Context, hash string) (LiveKey, error) {
	r, err := facade.APIKeysGet(ctx, b.c, facade.GetKeyRequest{Hash: hash}, b.opts...)
	if err != nil {
		return LiveKey{}, notFound(err)
	}
	return liveKey(r.Data), nil
}

func (b *FacadeBackend) CreateKey(ctx context.Context, k KeySpec) (LiveKey, secret.Key, error) {
	body := facade.CreateKeysRequestBody{Name: k.Name, Limit: k.Limit, ExpiresAt: k.ExpiresAt}
	if k.WorkspaceID != "" {
		body.WorkspaceID = &k.WorkspaceID
	}
	if k.LimitReset != "" {
		r := facade.LimitReset(k.LimitReset)
		body.LimitReset = &r
	}
	if k.IncludeBYOKInLimit {
		body.IncludeByokInLimit = &k.IncludeBYOKInLimit
	}
	r, err := facade.APIKeysCreate(ctx, b.c, facade.CreateKeysRequest{RequestBody: body}, b.opts...)
	if err != nil {
		return LiveKey{}, secret.Key{}, err
	}
	return liveKey(r.Data), r.Key, nil
}

func (b *FacadeBackend) UpdateKey(ctx context.Context, hash string, p KeyPatch) (LiveKey, error) {
	body := facade.UpdateKeysRequestBody{Name: p.Name, IncludeByokInLimit: p.IncludeBYOKInLimit, Disabled: p.Disabled}
	switch {
	case p.ClearLimit:
		body.Limit = nullable.NewNullNullable[float64]()
	case p.Limit != nil:
		body.Limit = nullable.NewNullableWithValue(*p.Limit)
	}
	if p.LimitReset != nil {
		if *p.LimitReset == "" {
			body.LimitReset = nullable.NewNullNullable[facade.LimitReset]()
		} else {
			body.LimitReset = nullable.NewNullableWithValue(facade.LimitReset(*p.LimitReset))
		}
	}
	r, err := facade.APIKeysUpdate(ctx, b.c, facade.UpdateKeysRequest{Hash: hash, RequestBody: body}, b.opts...)
	if err != nil {
		return LiveKey{}, notFound(err)
	}
	return liveKey(r.Data), nil
}

func (b *FacadeBackend) DeleteKey(ctx context.Context, hash string) error {
	_, err := facade.APIKeysDelete(ctx, b.c, facade.DeleteKeysRequest{Hash: hash}, b.opts...)
	return notFound(err)
}
