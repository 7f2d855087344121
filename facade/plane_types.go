package facade

import "github.com/orkeys/orkeys/gen"

// The management plane's models are gen's, under the TypeScript SDK's
// names, as for keys. A request body keeps gen's type under a …Body name;
// the …Request types around it carry the path parameters, as the SDK's
// operation requests do.
type (
	// Guardrail restricts spend, models, providers, data handling and
	// content for the keys and members it is assigned to.
	Guardrail = gen.Guardrail
	// GuardrailInterval is how often a guardrail's limit starts over.
	GuardrailInterval = gen.GuardrailInterval
	// ContentFilterEntry is a regular expression a guardrail looks for.
	ContentFilterEntry = gen.ContentFilterEntry
	// ContentFilterBuiltinInput is a built-in filter to apply.
	ContentFilterBuiltinInput = gen.ContentFilterBuiltinInput
	// ContentFilterBuiltinEntry is a built-in filter as a guardrail holds it.
	ContentFilterBuiltinEntry = gen.ContentFilterBuiltinEntry
	// KeyAssignment is one key a guardrail is assigned to.
	KeyAssignment = gen.KeyAssignment
	// MemberAssignment is one member a guardrail is assigned to.
	MemberAssignment = gen.MemberAssignment

	// ListGuardrailsRequest selects a page of GET /guardrails; the zero
	// value is the first page of the default workspace's guardrails.
	ListGuardrailsRequest = gen.ListGuardrailsParams
	// ListGuardrailsResponse is one page of guardrails and their total.
	ListGuardrailsResponse = gen.ListGuardrailsResponse
	// CreateGuardrailRequestBody is the body of POST /guardrails.
	CreateGuardrailRequestBody = gen.CreateGuardrailRequest
	// CreateGuardrailResponse is the answer of POST /guardrails.
	CreateGuardrailResponse = gen.CreateGuardrailResponse
	// GetGuardrailResponse is the answer of GET /guardrails/{id}.
	GetGuardrailResponse = gen.GetGuardrailResponse
	// UpdateGuardrailRequestBody is the body of PATCH /guardrails/{id}: its
	// Nullable fields tell "leave alone", "clear" (Null) and "set" (Value)
	// apart, and a list set replaces the stored one whole.
	UpdateGuardrailRequestBody = gen.UpdateGuardrailRequest
	// UpdateGuardrailResponse is the answer of PATCH /guardrails/{id}.
	UpdateGuardrailResponse = gen.UpdateGuardrailResponse
	// DeleteGuardrailResponse is the answer of DELETE /guardrails/{id}.
	DeleteGuardrailResponse = gen.DeleteGuardrailResponse
	// BulkAssignKeysRequestBody names the keys to assign, by hash.
	BulkAssignKeysRequestBody = gen.BulkAssignKeysRequest
	// BulkAssignKeysResponse counts the keys assigned.
	BulkAssignKeysResponse = gen.BulkAssignKeysResponse
	// BulkUnassignKeysRequestBody names the keys to unassign, by hash.
	BulkUnassignKeysRequestBody = gen.BulkUnassignKeysRequest
	// BulkUnassignKeysResponse counts the keys unassigned.
	BulkUnassignKeysResponse = gen.BulkUnassignKeysResponse
	// BulkAssignMembersRequestBody names the members to assign, by user id.
	BulkAssignMembersRequestBody = gen.BulkAssignMembersRequest
	// BulkAssignMembersResponse counts the members assigned.
	BulkAssignMembersResponse = gen.BulkAssignMembersResponse
	// BulkUnassignMembersRequestBody names the members to unassign.
	BulkUnassignMembersRequestBody = gen.BulkUnassignMembersRequest
	// BulkUnassignMembersResponse counts the members unassigned.
	BulkUnassignMembersResponse = gen.BulkUnassignMembersResponse
	// ListKeyAssignmentsRequest selects a page of every guardrail's key
	// assignments (GET /guardrails/assignments/keys).
	ListKeyAssignmentsRequest = gen.ListKeyAssignmentsParams
	// ListKeyAssignmentsResponse is one page of key assignments.
	ListKeyAssignmentsResponse = gen.ListKeyAssignmentsResponse
	// ListMemberAssignmentsRequest selects a page of every guardrail's
	// member assignments (GET /guardrails/assignments/members).
	ListMemberAssignmentsRequest = gen.ListMemberAssignmentsParams
	// ListMemberAssignmentsResponse is one page of member assignments.
	ListMemberAssignmentsResponse = gen.ListMemberAssignmentsResponse

	// Workspace groups keys with their own members, budgets and settings.
	Workspace = gen.Workspace
	// WorkspaceMember is one member's membership of a workspace.
	WorkspaceMember = gen.WorkspaceMember
	// WorkspaceBudget is a workspace's cap for one interval.
	WorkspaceBudget = gen.WorkspaceBudget
	// WorkspaceBudgetInterval names a budget: daily, weekly, monthly, lifetime.
	WorkspaceBudgetInterval = gen.WorkspaceBudgetInterval

	// ListWorkspacesRequest selects a page of GET /workspaces.
	ListWorkspacesRequest = gen.ListWorkspacesParams
	// ListWorkspacesResponse is one page of workspaces and their total.
	ListWorkspacesResponse = gen.ListWorkspacesResponse
	// CreateWorkspaceRequestBody is the body of POST /workspaces.
	CreateWorkspaceRequestBody = gen.CreateWorkspaceRequest
	// CreateWorkspaceResponse is the answer of POST /workspaces.
	CreateWorkspaceResponse = gen.CreateWorkspaceResponse
	// GetWorkspaceResponse is the answer of GET /workspaces/{id}.
	GetWorkspaceResponse = gen.GetWorkspaceResponse
	// UpdateWorkspaceRequestBody is the body of PATCH /workspaces/{id}.
	UpdateWorkspaceRequestBody = gen.UpdateWorkspaceRequest
	// UpdateWorkspaceResponse is the answer of PATCH /workspaces/{id}.
	UpdateWorkspaceResponse = gen.UpdateWorkspaceResponse
	// DeleteWorkspaceResponse is the answer of DELETE /workspaces/{id}.
	DeleteWorkspaceResponse = gen.DeleteWorkspaceResponse
	// ListWorkspaceMembersResponse is one page of a workspace's members.
	ListWorkspaceMembersResponse = gen.ListWorkspaceMembersResponse
	// BulkAddWorkspaceMembersRequestBody names members to add, by user id.
	BulkAddWorkspaceMembersRequestBody = gen.BulkAddWorkspaceMembersRequest
	// BulkAddWorkspaceMembersResponse lists the memberships made.
	BulkAddWorkspaceMembersResponse = gen.BulkAddWorkspaceMembersResponse
	// BulkRemoveWorkspaceMembersRequestBody names members to remove.
	BulkRemoveWorkspaceMembersRequestBody = gen.BulkRemoveWorkspaceMembersRequest
	// BulkRemoveWorkspaceMembersResponse counts the members removed.
	BulkRemoveWorkspaceMembersResponse = gen.BulkRemoveWorkspaceMembersResponse
	// ListWorkspaceBudgetsResponse is a workspace's budgets.
	ListWorkspaceBudgetsResponse = gen.ListWorkspaceBudgetsResponse
	// GetWorkspaceBudgetResponse is one budget.
	GetWorkspaceBudgetResponse = gen.GetWorkspaceBudgetResponse
	// UpsertWorkspaceBudgetRequestBody is the body of PUT …/budgets/{interval}.
	UpsertWorkspaceBudgetRequestBody = gen.UpsertWorkspaceBudgetRequest
	// UpsertWorkspaceBudgetResponse is the budget as set.
	UpsertWorkspaceBudgetResponse = gen.UpsertWorkspaceBudgetResponse
	// DeleteWorkspaceBudgetResponse is the answer of DELETE …/budgets/{interval}.
	DeleteWorkspaceBudgetResponse = gen.DeleteWorkspaceBudgetResponse

	// OrganizationMember is one member of the organization.
	OrganizationMember = gen.OrganizationMember
	// ListOrganizationMembersRequest selects a page of GET /organization/members.
	ListOrganizationMembersRequest = gen.ListOrganizationMembersParams
	// ListOrganizationMembersResponse is one page of members and their total.
	ListOrganizationMembersResponse = gen.ListOrganizationMembersResponse
)

// The intervals a guardrail's limit resets on, and a workspace's budgets.
const (
	GuardrailIntervalDaily   = gen.GuardrailIntervalDaily
	GuardrailIntervalWeekly  = gen.GuardrailIntervalWeekly
	GuardrailIntervalMonthly = gen.GuardrailIntervalMonthly

	BudgetDaily    = gen.WorkspaceBudgetIntervalDaily
	BudgetWeekly   = gen.WorkspaceBudgetIntervalWeekly
	BudgetMonthly  = gen.WorkspaceBudgetIntervalMonthly
	BudgetLifetime = gen.WorkspaceBudgetIntervalLifetime
)

// PlanePageSize is the most records one page of the management plane's
// lists holds; the API's default is 50.
const PlanePageSize = 100

// CreateGuardrailRequest is the input of GuardrailsCreate.
type CreateGuardrailRequest struct {
	RequestBody CreateGuardrailRequestBody
}

// GetGuardrailRequest is the input of GuardrailsGet: the guardrail's UUID.
type GetGuardrailRequest struct {
	ID string
}

// UpdateGuardrailRequest is the input of GuardrailsUpdate.
type UpdateGuardrailRequest struct {
	ID          string
	RequestBody UpdateGuardrailRequestBody
}

// DeleteGuardrailRequest is the input of GuardrailsDelete.
type DeleteGuardrailRequest struct {
	ID string
}

// BulkAssignKeysToGuardrailRequest is the input of GuardrailsBulkAssignKeys.
type BulkAssignKeysToGuardrailRequest struct {
	ID          string
	RequestBody BulkAssignKeysRequestBody
}

// BulkUnassignKeysFromGuardrailRequest is the input of
// GuardrailsBulkUnassignKeys.
type BulkUnassignKeysFromGuardrailRequest struct {
	ID          string
	RequestBody BulkUnassignKeysRequestBody
}

// BulkAssignMembersToGuardrailRequest is the input of
// GuardrailsBulkAssignMembers.
type BulkAssignMembersToGuardrailRequest struct {
	ID          string
	RequestBody BulkAssignMembersRequestBody
}

// BulkUnassignMembersFromGuardrailRequest is the input of
// GuardrailsBulkUnassignMembers.
type BulkUnassignMembersFromGuardrailRequest struct {
	ID          string
	RequestBody BulkUnassignMembersRequestBody
}

// ListGuardrailKeyAssignmentsRequest selects a page of one guardrail's key
// assignments.
type ListGuardrailKeyAssignmentsRequest struct {
	ID            string
	Offset, Limit *int
}

// ListGuardrailMemberAssignmentsRequest selects a page of one guardrail's
// member assignments.
type ListGuardrailMemberAssignmentsRequest struct {
	ID            string
	Offset, Limit *int
}

// CreateWorkspaceRequest is the input of WorkspacesCreate.
type CreateWorkspaceRequest struct {
	RequestBody CreateWorkspaceRequestBody
}

// GetWorkspaceRequest is the input of WorkspacesGet: the workspace's UUID
// or slug.
type GetWorkspaceRequest struct {
	ID string
}

// UpdateWorkspaceRequest is the input of WorkspacesUpdate.
type UpdateWorkspaceRequest struct {
	ID          string
	RequestBody UpdateWorkspaceRequestBody
}

// DeleteWorkspaceRequest is the input of WorkspacesDelete.
type DeleteWorkspaceRequest struct {
	ID string
}

// ListWorkspaceMembersRequest selects a page of a workspace's members.
type ListWorkspaceMembersRequest struct {
	ID            string
	Offset, Limit *int
}

// BulkAddWorkspaceMembersRequest is the input of WorkspacesBulkAddMembers.
type BulkAddWorkspaceMembersRequest struct {
	ID          string
	RequestBody BulkAddWorkspaceMembersRequestBody
}

// BulkRemoveWorkspaceMembersRequest is the input of
// WorkspacesBulkRemoveMembers.
type BulkRemoveWorkspaceMembersRequest struct {
	ID          string
	RequestBody BulkRemoveWorkspaceMembersRequestBody
}

// ListWorkspaceBudgetsRequest is the input of WorkspacesListBudgets.
type ListWorkspaceBudgetsRequest struct {
	ID string
}

// GetWorkspaceBudgetRequest is the input of WorkspacesGetBudget.
type GetWorkspaceBudgetRequest struct {
	ID       string
	Interval WorkspaceBudgetInterval
}

// UpsertWorkspaceBudgetRequest is the input of WorkspacesSetBudget.
type UpsertWorkspaceBudgetRequest struct {
	ID          string
	Interval    WorkspaceBudgetInterval
	RequestBody UpsertWorkspaceBudgetRequestBody
}

// DeleteWorkspaceBudgetRequest is the input of WorkspacesDeleteBudget.
type DeleteWorkspaceBudgetRequest struct {
	ID       string
	Interval WorkspaceBudgetInterval
}
