package fake

import "net/http"

// An *apiError answers as any management-plane operation's error, so that
// each handler returns the store's refusal as it is.

func (e *apiError) VisitListGuardrailsResponse(w http.ResponseWriter) error  { return e.visit(w) }
func (e *apiError) VisitCreateGuardrailResponse(w http.ResponseWriter) error { return e.visit(w) }
func (e *apiError) VisitGetGuardrailResponse(w http.ResponseWriter) error    { return e.visit(w) }
func (e *apiError) VisitUpdateGuardrailResponse(w http.ResponseWriter) error { return e.visit(w) }
func (e *apiError) VisitDeleteGuardrailResponse(w http.ResponseWriter) error { return e.visit(w) }
func (e *apiError) VisitListGuardrailKeyAssignmentsResponse(w http.ResponseWriter) error {
	return e.visit(w)
}
func (e *apiError) VisitListKeyAssignmentsResponse(w http.ResponseWriter) error { return e.visit(w) }
func (e *apiError) VisitBulkAssignKeysToGuardrailResponse(w http.ResponseWriter) error {
	return e.visit(w)
}
func (e *apiError) VisitBulkUnassignKeysFromGuardrailResponse(w http.ResponseWriter) error {
	return e.visit(w)
}
func (e *apiError) VisitListGuardrailMemberAssignmentsResponse(w http.ResponseWriter) error {
	return e.visit(w)
}
func (e *apiError) VisitListMemberAssignmentsResponse(w http.ResponseWriter) error { return e.visit(w) }
func (e *apiError) VisitBulkAssignMembersToGuardrailResponse(w http.ResponseWriter) error {
	return e.visit(w)
}
func (e *apiError) VisitBulkUnassignMembersFromGuardrailResponse(w http.ResponseWriter) error {
	return e.visit(w)
}
func (e *apiError) VisitListOrganizationMembersResponse(w http.ResponseWriter) error {
	return e.visit(w)
}
func (e *apiError) VisitListWorkspacesResponse(w http.ResponseWriter) error       { return e.visit(w) }
func (e *apiError) VisitCreateWorkspaceResponse(w http.ResponseWriter) error      { return e.visit(w) }
func (e *apiError) VisitGetWorkspaceResponse(w http.ResponseWriter) error         { return e.visit(w) }
func (e *apiError) VisitUpdateWorkspaceResponse(w http.ResponseWriter) error      { return e.visit(w) }
func (e *apiError) VisitDeleteWorkspaceResponse(w http.ResponseWriter) error      { return e.visit(w) }
func (e *apiError) VisitListWorkspaceMembersResponse(w http.ResponseWriter) error { return e.visit(w) }
func (e *apiError) VisitBulkAddWorkspaceMembersResponse(w http.ResponseWriter) error {
	return e.visit(w)
}
func (e *apiError) VisitBulkRemoveWorkspaceMembersResponse(w http.ResponseWriter) error {
	return e.visit(w)
}
func (e *apiError) VisitListWorkspaceBudgetsResponse(w http.ResponseWriter) error  { return e.visit(w) }
func (e *apiError) VisitGetWorkspaceBudgetResponse(w http.ResponseWriter) error    { return e.visit(w) }
func (e *apiError) VisitUpsertWorkspaceBudgetResponse(w http.ResponseWriter) error { return e.visit(w) }
func (e *apiError) VisitDeleteWorkspaceBudgetResponse(w http.ResponseWriter) error { return e.visit(w) }
func (e *apiError) VisitListBYOKKeysResponse(w http.ResponseWriter) error          { return e.visit(w) }
func (e *apiError) VisitCreateBYOKKeyResponse(w http.ResponseWriter) error         { return e.visit(w) }
func (e *apiError) VisitGetBYOKKeyResponse(w http.ResponseWriter) error            { return e.visit(w) }
func (e *apiError) VisitUpdateBYOKKeyResponse(w http.ResponseWriter) error         { return e.visit(w) }
func (e *apiError) VisitDeleteBYOKKeyResponse(w http.ResponseWriter) error         { return e.visit(w) }
