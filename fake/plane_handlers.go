package fake

import (
	"context"
	"net/http"

	"github.com/orkeys/orkeys/fake/internal/fakeapi"
	"github.com/orkeys/orkeys/gen"
)

// The management plane's operations. Each handler asks the store and
// answers its value, or its *apiError, which writes itself as any of these
// operations' error answers (plane_answers.go).

func (o operations) ListGuardrails(_ context.Context, req fakeapi.ListGuardrailsRequestObject) (fakeapi.ListGuardrailsResponseObject, error) {
	data, total := o.s.keys.listGuardrails(req.Params)
	return fakeapi.ListGuardrails200JSONResponse{Data: data, TotalCount: total}, nil
}

func (o operations) CreateGuardrail(_ context.Context, req fakeapi.CreateGuardrailRequestObject) (fakeapi.CreateGuardrailResponseObject, error) {
	g, aerr := o.s.keys.createGuardrail(*req.Body)
	if aerr != nil {
		return aerr, nil
	}
	return fakeapi.CreateGuardrail201JSONResponse{Data: g}, nil
}

func (o operations) GetGuardrail(_ context.Context, req fakeapi.GetGuardrailRequestObject) (fakeapi.GetGuardrailResponseObject, error) {
	g, aerr := o.s.keys.getGuardrail(req.ID)
	if aerr != nil {
		return aerr, nil
	}
	return fakeapi.GetGuardrail200JSONResponse{Data: g}, nil
}

func (o operations) UpdateGuardrail(_ context.Context, req fakeapi.UpdateGuardrailRequestObject) (fakeapi.UpdateGuardrailResponseObject, error) {
	g, aerr := o.s.keys.updateGuardrail(req.ID, *req.Body)
	if aerr != nil {
		return aerr, nil
	}
	return fakeapi.UpdateGuardrail200JSONResponse{Data: g}, nil
}

func (o operations) DeleteGuardrail(_ context.Context, req fakeapi.DeleteGuardrailRequestObject) (fakeapi.DeleteGuardrailResponseObject, error) {
	if aerr := o.s.keys.deleteGuardrail(req.ID); aerr != nil {
		return aerr, nil
	}
	return fakeapi.DeleteGuardrail200JSONResponse{Deleted: true}, nil
}

func (o operations) ListGuardrailKeyAssignments(_ context.Context, req fakeapi.ListGuardrailKeyAssignmentsRequestObject) (fakeapi.ListGuardrailKeyAssignmentsResponseObject, error) {
	data, total, aerr := o.s.keys.keyAssignments(req.ID, req.Params.Offset, req.Params.Limit)
	if aerr != nil {
		return aerr, nil
	}
	return fakeapi.ListGuardrailKeyAssignments200JSONResponse{Data: data, TotalCount: total}, nil
}

func (o operations) ListKeyAssignments(_ context.Context, req fakeapi.ListKeyAssignmentsRequestObject) (fakeapi.ListKeyAssignmentsResponseObject, error) {
	data, total, _ := o.s.keys.keyAssignments("", req.Params.Offset, req.Params.Limit)
	return fakeapi.ListKeyAssignments200JSONResponse{Data: data, TotalCount: total}, nil
}

func (o operations) BulkAssignKeysToGuardrail(_ context.Context, req fakeapi.BulkAssignKeysToGuardrailRequestObject) (fakeapi.BulkAssignKeysToGuardrailResponseObject, error) {
	n, aerr := o.s.keys.assignKeys(req.ID, req.Body.KeyHashes)
	if aerr != nil {
		return aerr, nil
	}
	return fakeapi.BulkAssignKeysToGuardrail200JSONResponse{AssignedCount: n}, nil
}

func (o operations) BulkUnassignKeysFromGuardrail(_ context.Context, req fakeapi.BulkUnassignKeysFromGuardrailRequestObject) (fakeapi.BulkUnassignKeysFromGuardrailResponseObject, error) {
	n, aerr := o.s.keys.unassignKeys(req.ID, req.Body.KeyHashes)
	if aerr != nil {
		return aerr, nil
	}
	return fakeapi.BulkUnassignKeysFromGuardrail200JSONResponse{UnassignedCount: n}, nil
}

func (o operations) ListGuardrailMemberAssignments(_ context.Context, req fakeapi.ListGuardrailMemberAssignmentsRequestObject) (fakeapi.ListGuardrailMemberAssignmentsResponseObject, error) {
	data, total, aerr := o.s.keys.memberAssignments(req.ID, req.Params.Offset, req.Params.Limit)
	if aerr != nil {
		return aerr, nil
	}
	return fakeapi.ListGuardrailMemberAssignments200JSONResponse{Data: data, TotalCount: total}, nil
}

func (o operations) ListMemberAssignments(_ context.Context, req fakeapi.ListMemberAssignmentsRequestObject) (fakeapi.ListMemberAssignmentsResponseObject, error) {
	data, total, _ := o.s.keys.memberAssignments("", req.Params.Offset, req.Params.Limit)
	return fakeapi.ListMemberAssignments200JSONResponse{Data: data, TotalCount: total}, nil
}

func (o operations) BulkAssignMembersToGuardrail(_ context.Context, req fakeapi.BulkAssignMembersToGuardrailRequestObject) (fakeapi.BulkAssignMembersToGuardrailResponseObject, error) {
	n, aerr := o.s.keys.assignMembers(req.ID, req.Body.MemberUserIds)
	if aerr != nil {
		return aerr, nil
	}
	return fakeapi.BulkAssignMembersToGuardrail200JSONResponse{AssignedCount: n}, nil
}

func (o operations) BulkUnassignMembersFromGuardrail(_ context.Context, req fakeapi.BulkUnassignMembersFromGuardrailRequestObject) (fakeapi.BulkUnassignMembersFromGuardrailResponseObject, error) {
	n, aerr := o.s.keys.unassignMembers(req.ID, req.Body.MemberUserIds)
	if aerr != nil {
		return aerr, nil
	}
	return fakeapi.BulkUnassignMembersFromGuardrail200JSONResponse{UnassignedCount: n}, nil
}

func (o operations) ListOrganizationMembers(_ context.Context, req fakeapi.ListOrganizationMembersRequestObject) (fakeapi.ListOrganizationMembersResponseObject, error) {
	data, total := o.s.keys.organizationMembers(req.Params.Offset, req.Params.Limit)
	return fakeapi.ListOrganizationMembers200JSONResponse{Data: data, TotalCount: total}, nil
}

func (o operations) ListWorkspaces(_ context.Context, req fakeapi.ListWorkspacesRequestObject) (fakeapi.ListWorkspacesResponseObject, error) {
	data, total := o.s.keys.listWorkspaces(req.Params.Offset, req.Params.Limit)
	return fakeapi.ListWorkspaces200JSONResponse{Data: data, TotalCount: total}, nil
}

func (o operations) CreateWorkspace(_ context.Context, req fakeapi.CreateWorkspaceRequestObject) (fakeapi.CreateWorkspaceResponseObject, error) {
	w, aerr := o.s.keys.createWorkspace(*req.Body)
	if aerr != nil {
		return aerr, nil
	}
	return fakeapi.CreateWorkspace201JSONResponse{Data: w}, nil
}

func (o operations) GetWorkspace(_ context.Context, req fakeapi.GetWorkspaceRequestObject) (fakeapi.GetWorkspaceResponseObject, error) {
	w, aerr := o.s.keys.getWorkspace(req.ID)
	if aerr != nil {
		return aerr, nil
	}
	return fakeapi.GetWorkspace200JSONResponse{Data: w}, nil
}

func (o operations) UpdateWorkspace(_ context.Context, req fakeapi.UpdateWorkspaceRequestObject) (fakeapi.UpdateWorkspaceResponseObject, error) {
	w, aerr := o.s.keys.updateWorkspace(req.ID, *req.Body)
	if aerr != nil {
		return aerr, nil
	}
	return fakeapi.UpdateWorkspace200JSONResponse{Data: w}, nil
}

func (o operations) DeleteWorkspace(_ context.Context, req fakeapi.DeleteWorkspaceRequestObject) (fakeapi.DeleteWorkspaceResponseObject, error) {
	if aerr := o.s.keys.deleteWorkspace(req.ID); aerr != nil {
		return aerr, nil
	}
	return fakeapi.DeleteWorkspace200JSONResponse{Deleted: true}, nil
}

func (o operations) ListWorkspaceMembers(_ context.Context, req fakeapi.ListWorkspaceMembersRequestObject) (fakeapi.ListWorkspaceMembersResponseObject, error) {
	data, total, aerr := o.s.keys.listWorkspaceMembers(req.ID, req.Params.Offset, req.Params.Limit)
	if aerr != nil {
		return aerr, nil
	}
	return fakeapi.ListWorkspaceMembers200JSONResponse{Data: data, TotalCount: total}, nil
}

func (o operations) BulkAddWorkspaceMembers(_ context.Context, req fakeapi.BulkAddWorkspaceMembersRequestObject) (fakeapi.BulkAddWorkspaceMembersResponseObject, error) {
	data, n, aerr := o.s.keys.addMembers(req.ID, req.Body.UserIds)
	if aerr != nil {
		return aerr, nil
	}
	if data == nil {
		data = []gen.WorkspaceMember{}
	}
	return fakeapi.BulkAddWorkspaceMembers200JSONResponse{Data: data, AddedCount: n}, nil
}

func (o operations) BulkRemoveWorkspaceMembers(_ context.Context, req fakeapi.BulkRemoveWorkspaceMembersRequestObject) (fakeapi.BulkRemoveWorkspaceMembersResponseObject, error) {
	n, aerr := o.s.keys.removeMembers(req.ID, req.Body.UserIds)
	if aerr != nil {
		return aerr, nil
	}
	return fakeapi.BulkRemoveWorkspaceMembers200JSONResponse{RemovedCount: n}, nil
}

func (o operations) ListWorkspaceBudgets(_ context.Context, req fakeapi.ListWorkspaceBudgetsRequestObject) (fakeapi.ListWorkspaceBudgetsResponseObject, error) {
	data, byok, aerr := o.s.keys.listBudgets(req.ID)
	if aerr != nil {
		return aerr, nil
	}
	return fakeapi.ListWorkspaceBudgets200JSONResponse{Data: data, IncludeByokInBudgets: &byok}, nil
}

func (o operations) GetWorkspaceBudget(_ context.Context, req fakeapi.GetWorkspaceBudgetRequestObject) (fakeapi.GetWorkspaceBudgetResponseObject, error) {
	b, byok, aerr := o.s.keys.getBudget(req.ID, req.Interval)
	if aerr != nil {
		return aerr, nil
	}
	return fakeapi.GetWorkspaceBudget200JSONResponse{Data: b, IncludeByokInBudgets: &byok}, nil
}

func (o operations) UpsertWorkspaceBudget(_ context.Context, req fakeapi.UpsertWorkspaceBudgetRequestObject) (fakeapi.UpsertWorkspaceBudgetResponseObject, error) {
	r, aerr := o.s.keys.putBudget(req.ID, req.Interval, *req.Body)
	if aerr != nil {
		return aerr, nil
	}
	return fakeapi.UpsertWorkspaceBudget200JSONResponse(r), nil
}

func (o operations) DeleteWorkspaceBudget(_ context.Context, req fakeapi.DeleteWorkspaceBudgetRequestObject) (fakeapi.DeleteWorkspaceBudgetResponseObject, error) {
	if aerr := o.s.keys.deleteBudget(req.ID, req.Interval); aerr != nil {
		return aerr, nil
	}
	return fakeapi.DeleteWorkspaceBudget200JSONResponse{Deleted: true}, nil
}

// visit writes e as the documented error envelope with its status.
func (e *apiError) visit(w http.ResponseWriter) error {
	writeError(w, e.status, e.message)
	return nil
}
