package facade

import (
	"context"
	"iter"
)

// The management plane's operations as methods of Client's services:
// c.Guardrails.Create(ctx, req) is GuardrailsCreate(ctx, c, req), and
// c.Guardrails.All is GuardrailsListAll, as c.APIKeys.All is APIKeysListAll.

// GuardrailsService groups the guardrail operations: c.Guardrails.
type GuardrailsService struct{ c *Client }

// WorkspacesService groups the workspace operations: c.Workspaces.
type WorkspacesService struct{ c *Client }

// OrganizationService groups the organization operations: c.Organization.
type OrganizationService struct{ c *Client }

// BYOKService groups the provider-key operations: c.BYOK.
type BYOKService struct{ c *Client }

// List is BYOKList as a method.
func (b *BYOKService) List(ctx context.Context, req ListBYOKKeysRequest, opts ...Option) (*ListBYOKKeysResponse, error) {
	return BYOKList(ctx, b.c, req, opts...)
}

// All is BYOKListAll as a method.
func (b *BYOKService) All(ctx context.Context, req ListBYOKKeysRequest, opts ...Option) iter.Seq2[BYOKKey, error] {
	return BYOKListAll(ctx, b.c, req, opts...)
}

// Create is BYOKCreate as a method.
func (b *BYOKService) Create(ctx context.Context, req CreateBYOKKeyRequest, opts ...Option) (*CreateBYOKKeyResponse, error) {
	return BYOKCreate(ctx, b.c, req, opts...)
}

// Get is BYOKGet as a method.
func (b *BYOKService) Get(ctx context.Context, req GetBYOKKeyRequest, opts ...Option) (*GetBYOKKeyResponse, error) {
	return BYOKGet(ctx, b.c, req, opts...)
}

// Update is BYOKUpdate as a method.
func (b *BYOKService) Update(ctx context.Context, req UpdateBYOKKeyRequest, opts ...Option) (*UpdateBYOKKeyResponse, error) {
	return BYOKUpdate(ctx, b.c, req, opts...)
}

// Delete is BYOKDelete as a method.
func (b *BYOKService) Delete(ctx context.Context, req DeleteBYOKKeyRequest, opts ...Option) (*DeleteBYOKKeyResponse, error) {
	return BYOKDelete(ctx, b.c, req, opts...)
}

// List is GuardrailsList as a method.
func (g *GuardrailsService) List(ctx context.Context, req ListGuardrailsRequest, opts ...Option) (*ListGuardrailsResponse, error) {
	return GuardrailsList(ctx, g.c, req, opts...)
}

// All is GuardrailsListAll as a method.
func (g *GuardrailsService) All(ctx context.Context, req ListGuardrailsRequest, opts ...Option) iter.Seq2[Guardrail, error] {
	return GuardrailsListAll(ctx, g.c, req, opts...)
}

// Create is GuardrailsCreate as a method.
func (g *GuardrailsService) Create(ctx context.Context, req CreateGuardrailRequest, opts ...Option) (*CreateGuardrailResponse, error) {
	return GuardrailsCreate(ctx, g.c, req, opts...)
}

// Get is GuardrailsGet as a method.
func (g *GuardrailsService) Get(ctx context.Context, req GetGuardrailRequest, opts ...Option) (*GetGuardrailResponse, error) {
	return GuardrailsGet(ctx, g.c, req, opts...)
}

// Update is GuardrailsUpdate as a method.
func (g *GuardrailsService) Update(ctx context.Context, req UpdateGuardrailRequest, opts ...Option) (*UpdateGuardrailResponse, error) {
	return GuardrailsUpdate(ctx, g.c, req, opts...)
}

// Delete is GuardrailsDelete as a method.
func (g *GuardrailsService) Delete(ctx context.Context, req DeleteGuardrailRequest, opts ...Option) (*DeleteGuardrailResponse, error) {
	return GuardrailsDelete(ctx, g.c, req, opts...)
}

// BulkAssignKeys is GuardrailsBulkAssignKeys as a method.
func (g *GuardrailsService) BulkAssignKeys(ctx context.Context, req BulkAssignKeysToGuardrailRequest, opts ...Option) (*BulkAssignKeysResponse, error) {
	return GuardrailsBulkAssignKeys(ctx, g.c, req, opts...)
}

// BulkUnassignKeys is GuardrailsBulkUnassignKeys as a method.
func (g *GuardrailsService) BulkUnassignKeys(ctx context.Context, req BulkUnassignKeysFromGuardrailRequest, opts ...Option) (*BulkUnassignKeysResponse, error) {
	return GuardrailsBulkUnassignKeys(ctx, g.c, req, opts...)
}

// BulkAssignMembers is GuardrailsBulkAssignMembers as a method.
func (g *GuardrailsService) BulkAssignMembers(ctx context.Context, req BulkAssignMembersToGuardrailRequest, opts ...Option) (*BulkAssignMembersResponse, error) {
	return GuardrailsBulkAssignMembers(ctx, g.c, req, opts...)
}

// BulkUnassignMembers is GuardrailsBulkUnassignMembers as a method.
func (g *GuardrailsService) BulkUnassignMembers(ctx context.Context, req BulkUnassignMembersFromGuardrailRequest, opts ...Option) (*BulkUnassignMembersResponse, error) {
	return GuardrailsBulkUnassignMembers(ctx, g.c, req, opts...)
}

// ListGuardrailKeyAssignments is GuardrailsListGuardrailKeyAssignments as a method.
func (g *GuardrailsService) ListGuardrailKeyAssignments(ctx context.Context, req ListGuardrailKeyAssignmentsRequest, opts ...Option) (*ListKeyAssignmentsResponse, error) {
	return GuardrailsListGuardrailKeyAssignments(ctx, g.c, req, opts...)
}

// ListGuardrailKeyAssignmentsAll is GuardrailsListGuardrailKeyAssignmentsAll as a method.
func (g *GuardrailsService) ListGuardrailKeyAssignmentsAll(ctx context.Context, req ListGuardrailKeyAssignmentsRequest, opts ...Option) iter.Seq2[KeyAssignment, error] {
	return GuardrailsListGuardrailKeyAssignmentsAll(ctx, g.c, req, opts...)
}

// ListGuardrailMemberAssignments is GuardrailsListGuardrailMemberAssignments as a method.
func (g *GuardrailsService) ListGuardrailMemberAssignments(ctx context.Context, req ListGuardrailMemberAssignmentsRequest, opts ...Option) (*ListMemberAssignmentsResponse, error) {
	return GuardrailsListGuardrailMemberAssignments(ctx, g.c, req, opts...)
}

// ListGuardrailMemberAssignmentsAll is GuardrailsListGuardrailMemberAssignmentsAll as a method.
func (g *GuardrailsService) ListGuardrailMemberAssignmentsAll(ctx context.Context, req ListGuardrailMemberAssignmentsRequest, opts ...Option) iter.Seq2[MemberAssignment, error] {
	return GuardrailsListGuardrailMemberAssignmentsAll(ctx, g.c, req, opts...)
}

// ListKeyAssignments is GuardrailsListKeyAssignments as a method.
func (g *GuardrailsService) ListKeyAssignments(ctx context.Context, req ListKeyAssignmentsRequest, opts ...Option) (*ListKeyAssignmentsResponse, error) {
	return GuardrailsListKeyAssignments(ctx, g.c, req, opts...)
}

// ListKeyAssignmentsAll is GuardrailsListKeyAssignmentsAll as a method.
func (g *GuardrailsService) ListKeyAssignmentsAll(ctx context.Context, req ListKeyAssignmentsRequest, opts ...Option) iter.Seq2[KeyAssignment, error] {
	return GuardrailsListKeyAssignmentsAll(ctx, g.c, req, opts...)
}

// ListMemberAssignments is GuardrailsListMemberAssignments as a method.
func (g *GuardrailsService) ListMemberAssignments(ctx context.Context, req ListMemberAssignmentsRequest, opts ...Option) (*ListMemberAssignmentsResponse, error) {
	return GuardrailsListMemberAssignments(ctx, g.c, req, opts...)
}

// ListMemberAssignmentsAll is GuardrailsListMemberAssignmentsAll as a method.
func (g *GuardrailsService) ListMemberAssignmentsAll(ctx context.Context, req ListMemberAssignmentsRequest, opts ...Option) iter.Seq2[MemberAssignment, error] {
	return GuardrailsListMemberAssignmentsAll(ctx, g.c, req, opts...)
}

// List is WorkspacesList as a method.
func (w *WorkspacesService) List(ctx context.Context, req ListWorkspacesRequest, opts ...Option) (*ListWorkspacesResponse, error) {
	return WorkspacesList(ctx, w.c, req, opts...)
}

// All is WorkspacesListAll as a method.
func (w *WorkspacesService) All(ctx context.Context, req ListWorkspacesRequest, opts ...Option) iter.Seq2[Workspace, error] {
	return WorkspacesListAll(ctx, w.c, req, opts...)
}

// Create is WorkspacesCreate as a method.
func (w *WorkspacesService) Create(ctx context.Context, req CreateWorkspaceRequest, opts ...Option) (*CreateWorkspaceResponse, error) {
	return WorkspacesCreate(ctx, w.c, req, opts...)
}

// Get is WorkspacesGet as a method.
func (w *WorkspacesService) Get(ctx context.Context, req GetWorkspaceRequest, opts ...Option) (*GetWorkspaceResponse, error) {
	return WorkspacesGet(ctx, w.c, req, opts...)
}

// Update is WorkspacesUpdate as a method.
func (w *WorkspacesService) Update(ctx context.Context, req UpdateWorkspaceRequest, opts ...Option) (*UpdateWorkspaceResponse, error) {
	return WorkspacesUpdate(ctx, w.c, req, opts...)
}

// Delete is WorkspacesDelete as a method.
func (w *WorkspacesService) Delete(ctx context.Context, req DeleteWorkspaceRequest, opts ...Option) (*DeleteWorkspaceResponse, error) {
	return WorkspacesDelete(ctx, w.c, req, opts...)
}

// ListMembers is WorkspacesListMembers as a method.
func (w *WorkspacesService) ListMembers(ctx context.Context, req ListWorkspaceMembersRequest, opts ...Option) (*ListWorkspaceMembersResponse, error) {
	return WorkspacesListMembers(ctx, w.c, req, opts...)
}

// ListMembersAll is WorkspacesListMembersAll as a method.
func (w *WorkspacesService) ListMembersAll(ctx context.Context, req ListWorkspaceMembersRequest, opts ...Option) iter.Seq2[WorkspaceMember, error] {
	return WorkspacesListMembersAll(ctx, w.c, req, opts...)
}

// BulkAddMembers is WorkspacesBulkAddMembers as a method.
func (w *WorkspacesService) BulkAddMembers(ctx context.Context, req BulkAddWorkspaceMembersRequest, opts ...Option) (*BulkAddWorkspaceMembersResponse, error) {
	return WorkspacesBulkAddMembers(ctx, w.c, req, opts...)
}

// BulkRemoveMembers is WorkspacesBulkRemoveMembers as a method.
func (w *WorkspacesService) BulkRemoveMembers(ctx context.Context, req BulkRemoveWorkspaceMembersRequest, opts ...Option) (*BulkRemoveWorkspaceMembersResponse, error) {
	return WorkspacesBulkRemoveMembers(ctx, w.c, req, opts...)
}

// ListBudgets is WorkspacesListBudgets as a method.
func (w *WorkspacesService) ListBudgets(ctx context.Context, req ListWorkspaceBudgetsRequest, opts ...Option) (*ListWorkspaceBudgetsResponse, error) {
	return WorkspacesListBudgets(ctx, w.c, req, opts...)
}

// GetBudget is WorkspacesGetBudget as a method.
func (w *WorkspacesService) GetBudget(ctx context.Context, req GetWorkspaceBudgetRequest, opts ...Option) (*GetWorkspaceBudgetResponse, error) {
	return WorkspacesGetBudget(ctx, w.c, req, opts...)
}

// SetBudget is WorkspacesSetBudget as a method.
func (w *WorkspacesService) SetBudget(ctx context.Context, req UpsertWorkspaceBudgetRequest, opts ...Option) (*UpsertWorkspaceBudgetResponse, error) {
	return WorkspacesSetBudget(ctx, w.c, req, opts...)
}

// DeleteBudget is WorkspacesDeleteBudget as a method.
func (w *WorkspacesService) DeleteBudget(ctx context.Context, req DeleteWorkspaceBudgetRequest, opts ...Option) (*DeleteWorkspaceBudgetResponse, error) {
	return WorkspacesDeleteBudget(ctx, w.c, req, opts...)
}

// ListMembers is OrganizationListMembers as a method.
func (o *OrganizationService) ListMembers(ctx context.Context, req ListOrganizationMembersRequest, opts ...Option) (*ListOrganizationMembersResponse, error) {
	return OrganizationListMembers(ctx, o.c, req, opts...)
}

// ListMembersAll is OrganizationListMembersAll as a method.
func (o *OrganizationService) ListMembersAll(ctx context.Context, req ListOrganizationMembersRequest, opts ...Option) iter.Seq2[OrganizationMember, error] {
	return OrganizationListMembersAll(ctx, o.c, req, opts...)
}
