package fake

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/orkeys/orkeys/fake/internal/fakeapi"
	"github.com/orkeys/orkeys/gen"
)

// operations implements fakeapi.StrictServerInterface on the store. By the time
// a call gets here the gate has authenticated the caller and validated the
// request against the spec; what is left are the rules a schema cannot say
// (expires_at in the future, unknown hashes).
type operations struct {
	s *Server
}

var _ fakeapi.StrictServerInterface = operations{}

func (o operations) GetCurrentKey(ctx context.Context, _ fakeapi.GetCurrentKeyRequestObject) (fakeapi.GetCurrentKeyResponseObject, error) {
	c := callerFrom(ctx)
	if c.management {
		return fakeapi.GetCurrentKey200JSONResponse{Data: managementCurrent(labelFor(o.s.ManagementKey))}, nil
	}
	cur, ok := o.s.keys.current(c.hash)
	if !ok { // deleted between authentication and now
		return fakeapi.GetCurrentKey401JSONResponse{UnauthorizedJSONResponse: fakeapi.UnauthorizedJSONResponse(envelope(http.StatusUnauthorized, msgUnknownKey))}, nil
	}
	return fakeapi.GetCurrentKey200JSONResponse{Data: cur}, nil
}

func (o operations) ListKeys(_ context.Context, req fakeapi.ListKeysRequestObject) (fakeapi.ListKeysResponseObject, error) {
	p := req.Params
	workspace := DefaultWorkspaceID
	if p.WorkspaceID != nil {
		workspace = strings.ToLower(*p.WorkspaceID)
	}
	offset := 0
	if p.Offset != nil {
		offset = *p.Offset
	}
	if offset < 0 { // the spec says minimum 0; the gate has already refused it
		return fakeapi.ListKeys400JSONResponse{BadRequestJSONResponse: fakeapi.BadRequestJSONResponse(envelope(http.StatusBadRequest, "offset must be 0 or more"))}, nil
	}
	return fakeapi.ListKeys200JSONResponse{Data: o.s.keys.list(p.IncludeDisabled, workspace, offset)}, nil
}

func (o operations) CreateKeys(_ context.Context, req fakeapi.CreateKeysRequestObject) (fakeapi.CreateKeysResponseObject, error) {
	created, aerr := o.s.keys.create(*req.Body)
	if aerr != nil {
		return fakeapi.CreateKeys400JSONResponse{BadRequestJSONResponse: fakeapi.BadRequestJSONResponse(envelope(aerr.status, aerr.message))}, nil
	}
	return createdResponse(created), nil
}

// createdResponse writes a new key's answer with its plaintext: the one
// place the key must leave in clear, which the generated 201 type cannot do
// because secret.Key encodes itself redacted.
type createdResponse gen.CreateKeysResponse

func (c createdResponse) VisitCreateKeysResponse(w http.ResponseWriter) error {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	return json.NewEncoder(w).Encode(struct {
		Data gen.APIKey `json:"data"`
		Key  string     `json:"key"`
	}{c.Data, c.Key.Reveal()})
}

func (o operations) GetKey(_ context.Context, req fakeapi.GetKeyRequestObject) (fakeapi.GetKeyResponseObject, error) {
	k, aerr := o.s.keys.get(req.Hash)
	if aerr != nil {
		return fakeapi.GetKey404JSONResponse{NotFoundJSONResponse: fakeapi.NotFoundJSONResponse(envelope(aerr.status, aerr.message))}, nil
	}
	return fakeapi.GetKey200JSONResponse{Data: k}, nil
}

func (o operations) UpdateKeys(_ context.Context, req fakeapi.UpdateKeysRequestObject) (fakeapi.UpdateKeysResponseObject, error) {
	k, aerr := o.s.keys.update(req.Hash, *req.Body)
	switch {
	case aerr == nil:
		return fakeapi.UpdateKeys200JSONResponse{Data: k}, nil
	case aerr.status == http.StatusNotFound:
		return fakeapi.UpdateKeys404JSONResponse{NotFoundJSONResponse: fakeapi.NotFoundJSONResponse(envelope(aerr.status, aerr.message))}, nil
	default:
		return fakeapi.UpdateKeys400JSONResponse{BadRequestJSONResponse: fakeapi.BadRequestJSONResponse(envelope(aerr.status, aerr.message))}, nil
	}
}

func (o operations) DeleteKeys(_ context.Context, req fakeapi.DeleteKeysRequestObject) (fakeapi.DeleteKeysResponseObject, error) {
	if aerr := o.s.keys.delete(req.Hash); aerr != nil {
		return fakeapi.DeleteKeys404JSONResponse{NotFoundJSONResponse: fakeapi.NotFoundJSONResponse(envelope(aerr.status, aerr.message))}, nil
	}
	return fakeapi.DeleteKeys200JSONResponse{Deleted: true}, nil
}

func (o operations) GetCredits(context.Context, fakeapi.GetCreditsRequestObject) (fakeapi.GetCreditsResponseObject, error) {
	return fakeapi.GetCredits200JSONResponse{Data: o.s.keys.creditsNow()}, nil
}

func (o operations) GetUserActivity(_ context.Context, req fakeapi.GetUserActivityRequestObject) (fakeapi.GetUserActivityResponseObject, error) {
	items, aerr := o.s.keys.activityFor(req.Params)
	if aerr != nil {
		return fakeapi.GetUserActivity400JSONResponse{BadRequestJSONResponse: fakeapi.BadRequestJSONResponse(envelope(aerr.status, aerr.message))}, nil
	}
	return fakeapi.GetUserActivity200JSONResponse{Data: items}, nil
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
