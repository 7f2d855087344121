package fake

import (
	"context"
	"net/http"

	"github.com/orkeys/orkeys/gen"
)

// operations implements gen.StrictServerInterface on the store. By the time
// a call gets here the gate has authenticated the caller and validated the
// request against the spec; what is left are the rules a schema cannot say
// (expires_at in the future, unknown hashes).
type operations struct {
	s *Server
}

var _ gen.StrictServerInterface = operations{}

func (o operations) GetCurrentKey(ctx context.Context, _ gen.GetCurrentKeyRequestObject) (gen.GetCurrentKeyResponseObject, error) {
	c := callerFrom(ctx)
	if c.management {
		return gen.GetCurrentKey200JSONResponse{Data: managementCurrent(labelFor(o.s.ManagementKey))}, nil
	}
	cur, ok := o.s.keys.current(c.hash)
	if !ok { // deleted between authentication and now
		return gen.GetCurrentKey401JSONResponse{UnauthorizedJSONResponse: gen.UnauthorizedJSONResponse(envelope(http.StatusUnauthorized, msgUnknownKey))}, nil
	}
	return gen.GetCurrentKey200JSONResponse{Data: cur}, nil
}

func (o operations) ListKeys(_ context.Context, req gen.ListKeysRequestObject) (gen.ListKeysResponseObject, error) {
	p := req.Params
	includeDisabled := p.IncludeDisabled != nil && *p.IncludeDisabled == gen.ListKeysParamsIncludeDisabledTrue
	workspace := DefaultWorkspaceID
	if p.WorkspaceID != nil {
		workspace = p.WorkspaceID.String()
	}
	offset := 0
	if p.Offset != nil {
		offset = *p.Offset
	}
	if offset < 0 { // the spec says minimum 0; the gate has already refused it
		return gen.ListKeys400JSONResponse{BadRequestJSONResponse: gen.BadRequestJSONResponse(envelope(http.StatusBadRequest, "offset must be 0 or more"))}, nil
	}
	return gen.ListKeys200JSONResponse{Data: o.s.keys.list(includeDisabled, workspace, offset)}, nil
}

func (o operations) CreateKeys(_ context.Context, req gen.CreateKeysRequestObject) (gen.CreateKeysResponseObject, error) {
	created, aerr := o.s.keys.create(*req.Body)
	if aerr != nil {
		return gen.CreateKeys400JSONResponse{BadRequestJSONResponse: gen.BadRequestJSONResponse(envelope(aerr.status, aerr.message))}, nil
	}
	return gen.CreateKeys201JSONResponse(created), nil
}

func (o operations) GetKey(_ context.Context, req gen.GetKeyRequestObject) (gen.GetKeyResponseObject, error) {
	k, aerr := o.s.keys.get(req.Hash)
	if aerr != nil {
		return gen.GetKey404JSONResponse{NotFoundJSONResponse: gen.NotFoundJSONResponse(envelope(aerr.status, aerr.message))}, nil
	}
	return gen.GetKey200JSONResponse{Data: k}, nil
}

func (o operations) UpdateKeys(_ context.Context, req gen.UpdateKeysRequestObject) (gen.UpdateKeysResponseObject, error) {
	k, aerr := o.s.keys.update(req.Hash, *req.Body)
	switch {
	case aerr == nil:
		return gen.UpdateKeys200JSONResponse{Data: k}, nil
	case aerr.status == http.StatusNotFound:
		return gen.UpdateKeys404JSONResponse{NotFoundJSONResponse: gen.NotFoundJSONResponse(envelope(aerr.status, aerr.message))}, nil
	default:
		return gen.UpdateKeys400JSONResponse{BadRequestJSONResponse: gen.BadRequestJSONResponse(envelope(aerr.status, aerr.message))}, nil
	}
}

func (o operations) DeleteKeys(_ context.Context, req gen.DeleteKeysRequestObject) (gen.DeleteKeysResponseObject, error) {
	if aerr := o.s.keys.delete(req.Hash); aerr != nil {
		return gen.DeleteKeys404JSONResponse{NotFoundJSONResponse: gen.NotFoundJSONResponse(envelope(aerr.status, aerr.message))}, nil
	}
	return gen.DeleteKeys200JSONResponse{Deleted: true}, nil
}

// caller is who made a request, as the gate established.
type caller struct {
	management bool
	hash       string // of a regular key
}

type callerKey struct{}

func withCaller(ctx context.Context, c caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

func callerFrom(ctx context.Context) caller {
	c, _ := ctx.Value(callerKey{}).(caller)
	return c
}
