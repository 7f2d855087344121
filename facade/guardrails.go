package facade

import (
	"context"
	"iter"
	"net/http"

	"github.com/orkeys/orkeys/gen"
)

// Guardrails: GET/POST /guardrails, GET/PATCH/DELETE /guardrails/{id}, and
// their key and member assignments. POST /guardrails follows the create
// rule; the bulk assign and unassign POSTs are idempotent in effect (the
// same list sent twice leaves the same assignments) and are retried like
// the PUTs, PATCHes and DELETEs.

var (
	opGuardrailsList           = &operation{http.MethodGet, "/guardrails", true, http.StatusOK}
	opGuardrailsCreate         = &operation{http.MethodPost, "/guardrails", false, http.StatusCreated}
	opGuardrailsGet            = &operation{http.MethodGet, "/guardrails/{id}", true, http.StatusOK}
	opGuardrailsUpdate         = &operation{http.MethodPatch, "/guardrails/{id}", true, http.StatusOK}
	opGuardrailsDelete         = &operation{http.MethodDelete, "/guardrails/{id}", true, http.StatusOK}
	opGuardrailKeys            = &operation{http.MethodGet, "/guardrails/{id}/assignments/keys", true, http.StatusOK}
	opGuardrailAssignKeys      = &operation{http.MethodPost, "/guardrails/{id}/assignments/keys", true, http.StatusOK}
	opGuardrailUnassignKeys    = &operation{http.MethodPost, "/guardrails/{id}/assignments/keys/remove", true, http.StatusOK}
	opGuardrailMembers         = &operation{http.MethodGet, "/guardrails/{id}/assignments/members", true, http.StatusOK}
	opGuardrailAssignMembers   = &operation{http.MethodPost, "/guardrails/{id}/assignments/members", true, http.StatusOK}
	opGuardrailUnassignMembers = &operation{http.MethodPost, "/guardrails/{id}/assignments/members/remove", true, http.StatusOK}
	opKeyAssignments           = &operation{http.MethodGet, "/guardrails/assignments/keys", true, http.StatusOK}
	opMemberAssignments        = &operation{http.MethodGet, "/guardrails/assignments/members", true, http.StatusOK}
)

// GuardrailsList returns one page of GET /guardrails: the default
// workspace's guardrails unless WorkspaceID names another.
func GuardrailsList(ctx context.Context, c *Client, req ListGuardrailsRequest, opts ...Option) (*ListGuardrailsResponse, error) {
	if err := checkGuardrailList(req, req.Limit); err != nil {
		return nil, err
	}
	return call(ctx, c, opts, opGuardrailsList, guardrailsPage(req), lacksGuardrails)
}

// GuardrailsListAll walks every page of GET /guardrails from req.Offset,
// PlanePageSize at a time (walkPages says what the walk guarantees).
func GuardrailsListAll(ctx context.Context, c *Client, req ListGuardrailsRequest, opts ...Option) iter.Seq2[Guardrail, error] {
	return walkPages(ctx, c, opts, opGuardrailsList, checkGuardrailList(req, nil), req.Offset,
		pages(opGuardrailsList, func(o int) builder {
			p := req
			p.Offset, p.Limit = at(o)
			return guardrailsPage(p)
		}, lacksGuardrails, func(v *ListGuardrailsResponse) ([]Guardrail, int) { return v.Data, v.TotalCount }),
		func(g *Guardrail) string { return g.ID })
}

func guardrailsPage(req ListGuardrailsRequest) builder {
	return func(s string) (*http.Request, error) { return gen.NewListGuardrailsRequest(s, &req) }
}

func lacksGuardrails(v *ListGuardrailsResponse) string { return lacksData(v.Data) }

func checkGuardrailList(req ListGuardrailsRequest, limit *int) error {
	if err := checkPage("ListGuardrailsRequest", req.Offset, limit); err != nil {
		return err
	}
	return checkOptionalUUID("ListGuardrailsRequest.WorkspaceID", req.WorkspaceID)
}

// GuardrailsCreate creates a guardrail with POST /guardrails. It restricts
// nothing until assigned (GuardrailsBulkAssignKeys, …BulkAssignMembers).
// A LimitUsd needs a ResetInterval. A failure that leaves open whether the
// guardrail exists is a *MaybeCreatedError and is never retried.
func GuardrailsCreate(ctx context.Context, c *Client, req CreateGuardrailRequest, opts ...Option) (*CreateGuardrailResponse, error) {
	body := req.RequestBody
	if err := checkCreateGuardrail(&body); err != nil {
		return nil, err
	}
	return callCreate(ctx, c, opts, opGuardrailsCreate, body.Name, func(s string) (*http.Request, error) {
		return gen.NewCreateGuardrailRequest(s, body)
	}, func(v *CreateGuardrailResponse) string { return missing(v.Data.ID == "", "data.id") })
}

// GuardrailsGet fetches one guardrail with GET /guardrails/{id}.
func GuardrailsGet(ctx context.Context, c *Client, req GetGuardrailRequest, opts ...Option) (*GetGuardrailResponse, error) {
	if err := checkGuardrailID("GetGuardrailRequest.ID", req.ID); err != nil {
		return nil, err
	}
	return call(ctx, c, opts, opGuardrailsGet, func(s string) (*http.Request, error) {
		return gen.NewGetGuardrailRequest(s, req.ID)
	}, func(v *GetGuardrailResponse) string { return missing(v.Data.ID == "", "data.id") })
}

// GuardrailsUpdate changes a guardrail with PATCH /guardrails/{id}. Fields
// left unset are not sent, Null clears, and a list set replaces the stored
// one whole: send the full set every time. A body that changes nothing is
// refused before sending.
func GuardrailsUpdate(ctx context.Context, c *Client, req UpdateGuardrailRequest, opts ...Option) (*UpdateGuardrailResponse, error) {
	if err := checkGuardrailID("UpdateGuardrailRequest.ID", req.ID); err != nil {
		return nil, err
	}
	body := req.RequestBody
	if err := checkUpdateGuardrail(&body); err != nil {
		return nil, err
	}
	return call(ctx, c, opts, opGuardrailsUpdate, func(s string) (*http.Request, error) {
		return gen.NewUpdateGuardrailRequest(s, req.ID, body)
	}, func(v *UpdateGuardrailResponse) string { return missing(v.Data.ID == "", "data.id") })
}

// GuardrailsDelete deletes a guardrail, and every assignment of it, with
// DELETE /guardrails/{id}.
func GuardrailsDelete(ctx context.Context, c *Client, req DeleteGuardrailRequest, opts ...Option) (*DeleteGuardrailResponse, error) {
	if err := checkGuardrailID("DeleteGuardrailRequest.ID", req.ID); err != nil {
		return nil, err
	}
	return call(ctx, c, opts, opGuardrailsDelete, func(s string) (*http.Request, error) {
		return gen.NewDeleteGuardrailRequest(s, req.ID)
	}, lacksDeleted[DeleteGuardrailResponse](func(v *DeleteGuardrailResponse) bool { return v.Deleted }))
}

// GuardrailsBulkAssignKeys assigns the guardrail to keys by hash. A key
// holds at most one guardrail: this one replaces any other.
func GuardrailsBulkAssignKeys(ctx context.Context, c *Client, req BulkAssignKeysToGuardrailRequest, opts ...Option) (*BulkAssignKeysResponse, error) {
	if err := checkBulk("BulkAssignKeysToGuardrailRequest", req.ID, "KeyHashes", req.RequestBody.KeyHashes); err != nil {
		return nil, err
	}
	return call[BulkAssignKeysResponse](ctx, c, opts, opGuardrailAssignKeys, func(s string) (*http.Request, error) {
		return gen.NewBulkAssignKeysToGuardrailRequest(s, req.ID, req.RequestBody)
	}, nil)
}

// GuardrailsBulkUnassignKeys takes the guardrail off keys by hash.
func GuardrailsBulkUnassignKeys(ctx context.Context, c *Client, req BulkUnassignKeysFromGuardrailRequest, opts ...Option) (*BulkUnassignKeysResponse, error) {
	if err := checkBulk("BulkUnassignKeysFromGuardrailRequest", req.ID, "KeyHashes", req.RequestBody.KeyHashes); err != nil {
		return nil, err
	}
	return call[BulkUnassignKeysResponse](ctx, c, opts, opGuardrailUnassignKeys, func(s string) (*http.Request, error) {
		return gen.NewBulkUnassignKeysFromGuardrailRequest(s, req.ID, req.RequestBody)
	}, nil)
}

// GuardrailsBulkAssignMembers assigns the guardrail to organization members
// by user id.
func GuardrailsBulkAssignMembers(ctx context.Context, c *Client, req BulkAssignMembersToGuardrailRequest, opts ...Option) (*BulkAssignMembersResponse, error) {
	if err := checkBulk("BulkAssignMembersToGuardrailRequest", req.ID, "MemberUserIds", req.RequestBody.MemberUserIds); err != nil {
		return nil, err
	}
	return call[BulkAssignMembersResponse](ctx, c, opts, opGuardrailAssignMembers, func(s string) (*http.Request, error) {
		return gen.NewBulkAssignMembersToGuardrailRequest(s, req.ID, req.RequestBody)
	}, nil)
}

// GuardrailsBulkUnassignMembers takes the guardrail off organization
// members by user id.
func GuardrailsBulkUnassignMembers(ctx context.Context, c *Client, req BulkUnassignMembersFromGuardrailRequest, opts ...Option) (*BulkUnassignMembersResponse, error) {
	if err := checkBulk("BulkUnassignMembersFromGuardrailRequest", req.ID, "MemberUserIds", req.RequestBody.MemberUserIds); err != nil {
		return nil, err
	}
	return call[BulkUnassignMembersResponse](ctx, c, opts, opGuardrailUnassignMembers, func(s string) (*http.Request, error) {
		return gen.NewBulkUnassignMembersFromGuardrailRequest(s, req.ID, req.RequestBody)
	}, nil)
}

func checkBulk(setting, id, field string, ids []string) error {
	if err := checkGuardrailID(setting+".ID", id); err != nil {
		return err
	}
	return checkIDs(setting+".RequestBody."+field, ids, 0)
}

// GuardrailsListGuardrailKeyAssignments returns one page of the keys a
// guardrail is assigned to.
func GuardrailsListGuardrailKeyAssignments(ctx context.Context, c *Client, req ListGuardrailKeyAssignmentsRequest, opts ...Option) (*ListKeyAssignmentsResponse, error) {
	if err := checkAssignmentsOf("ListGuardrailKeyAssignmentsRequest", req.ID, req.Offset, req.Limit); err != nil {
		return nil, err
	}
	return call(ctx, c, opts, opGuardrailKeys, guardrailKeysPage(req), lacksKeyAssignments)
}

// GuardrailsListGuardrailKeyAssignmentsAll walks every page of a
// guardrail's key assignments.
func GuardrailsListGuardrailKeyAssignmentsAll(ctx context.Context, c *Client, req ListGuardrailKeyAssignmentsRequest, opts ...Option) iter.Seq2[KeyAssignment, error] {
	return walkPages(ctx, c, opts, opGuardrailKeys, checkAssignmentsOf("ListGuardrailKeyAssignmentsRequest", req.ID, req.Offset, nil), req.Offset,
		pages(opGuardrailKeys, func(o int) builder {
			p := req
			p.Offset, p.Limit = at(o)
			return guardrailKeysPage(p)
		}, lacksKeyAssignments, keyAssignmentsOf), keyAssignmentID)
}

func guardrailKeysPage(req ListGuardrailKeyAssignmentsRequest) builder {
	return func(s string) (*http.Request, error) {
		return gen.NewListGuardrailKeyAssignmentsRequest(s, req.ID, &gen.ListGuardrailKeyAssignmentsParams{Offset: req.Offset, Limit: req.Limit})
	}
}

// GuardrailsListGuardrailMemberAssignments returns one page of the members
// a guardrail is assigned to.
func GuardrailsListGuardrailMemberAssignments(ctx context.Context, c *Client, req ListGuardrailMemberAssignmentsRequest, opts ...Option) (*ListMemberAssignmentsResponse, error) {
	if err := checkAssignmentsOf("ListGuardrailMemberAssignmentsRequest", req.ID, req.Offset, req.Limit); err != nil {
		return nil, err
	}
	return call(ctx, c, opts, opGuardrailMembers, guardrailMembersPage(req), lacksMemberAssignments)
}

// GuardrailsListGuardrailMemberAssignmentsAll walks every page of a
// guardrail's member assignments.
func GuardrailsListGuardrailMemberAssignmentsAll(ctx context.Context, c *Client, req ListGuardrailMemberAssignmentsRequest, opts ...Option) iter.Seq2[MemberAssignment, error] {
	return walkPages(ctx, c, opts, opGuardrailMembers, checkAssignmentsOf("ListGuardrailMemberAssignmentsRequest", req.ID, req.Offset, nil), req.Offset,
		pages(opGuardrailMembers, func(o int) builder {
			p := req
			p.Offset, p.Limit = at(o)
			return guardrailMembersPage(p)
		}, lacksMemberAssignments, memberAssignmentsOf), memberAssignmentID)
}

func guardrailMembersPage(req ListGuardrailMemberAssignmentsRequest) builder {
	return func(s string) (*http.Request, error) {
		return gen.NewListGuardrailMemberAssignmentsRequest(s, req.ID, &gen.ListGuardrailMemberAssignmentsParams{Offset: req.Offset, Limit: req.Limit})
	}
}

func checkAssignmentsOf(setting, id string, offset, limit *int) error {
	if err := checkGuardrailID(setting+".ID", id); err != nil {
		return err
	}
	return checkPage(setting, offset, limit)
}

// GuardrailsListKeyAssignments returns one page of every guardrail's key
// assignments.
func GuardrailsListKeyAssignments(ctx context.Context, c *Client, req ListKeyAssignmentsRequest, opts ...Option) (*ListKeyAssignmentsResponse, error) {
	if err := checkPage("ListKeyAssignmentsRequest", req.Offset, req.Limit); err != nil {
		return nil, err
	}
	return call(ctx, c, opts, opKeyAssignments, keyAssignmentsPage(req), lacksKeyAssignments)
}

// GuardrailsListKeyAssignmentsAll walks every page of every guardrail's key
// assignments.
func GuardrailsListKeyAssignmentsAll(ctx context.Context, c *Client, req ListKeyAssignmentsRequest, opts ...Option) iter.Seq2[KeyAssignment, error] {
	return walkPages(ctx, c, opts, opKeyAssignments, checkPage("ListKeyAssignmentsRequest", req.Offset, nil), req.Offset,
		pages(opKeyAssignments, func(o int) builder {
			p := req
			p.Offset, p.Limit = at(o)
			return keyAssignmentsPage(p)
		}, lacksKeyAssignments, keyAssignmentsOf), keyAssignmentID)
}

func keyAssignmentsPage(req ListKeyAssignmentsRequest) builder {
	return func(s string) (*http.Request, error) { return gen.NewListKeyAssignmentsRequest(s, &req) }
}

// GuardrailsListMemberAssignments returns one page of every guardrail's
// member assignments.
func GuardrailsListMemberAssignments(ctx context.Context, c *Client, req ListMemberAssignmentsRequest, opts ...Option) (*ListMemberAssignmentsResponse, error) {
	if err := checkPage("ListMemberAssignmentsRequest", req.Offset, req.Limit); err != nil {
		return nil, err
	}
	return call(ctx, c, opts, opMemberAssignments, memberAssignmentsPage(req), lacksMemberAssignments)
}

// GuardrailsListMemberAssignmentsAll walks every page of every guardrail's
// member assignments.
func GuardrailsListMemberAssignmentsAll(ctx context.Context, c *Client, req ListMemberAssignmentsRequest, opts ...Option) iter.Seq2[MemberAssignment, error] {
	return walkPages(ctx, c, opts, opMemberAssignments, checkPage("ListMemberAssignmentsRequest", req.Offset, nil), req.Offset,
		pages(opMemberAssignments, func(o int) builder {
			p := req
			p.Offset, p.Limit = at(o)
			return memberAssignmentsPage(p)
		}, lacksMemberAssignments, memberAssignmentsOf), memberAssignmentID)
}

func memberAssignmentsPage(req ListMemberAssignmentsRequest) builder {
	return func(s string) (*http.Request, error) { return gen.NewListMemberAssignmentsRequest(s, &req) }
}

func lacksKeyAssignments(v *ListKeyAssignmentsResponse) string       { return lacksData(v.Data) }
func lacksMemberAssignments(v *ListMemberAssignmentsResponse) string { return lacksData(v.Data) }
func keyAssignmentsOf(v *ListKeyAssignmentsResponse) ([]KeyAssignment, int) {
	return v.Data, v.TotalCount
}
func memberAssignmentsOf(v *ListMemberAssignmentsResponse) ([]MemberAssignment, int) {
	return v.Data, v.TotalCount
}
func keyAssignmentID(a *KeyAssignment) string       { return a.ID }
func memberAssignmentID(a *MemberAssignment) string { return a.ID }
