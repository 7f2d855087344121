package facade

import (
	"context"
	"iter"
	"net/http"

	"github.com/orkeys/orkeys/gen"
)

// Workspaces: GET/POST /workspaces, GET/PATCH/DELETE /workspaces/{id} (a
// UUID or a slug), members, and budgets per interval. POST /workspaces
// follows the create rule; adding and removing members are idempotent in
// effect and retried, like the PUT, PATCH and DELETEs.

var (
	opWorkspacesList         = &operation{http.MethodGet, "/workspaces", true, http.StatusOK}
	opWorkspacesCreate       = &operation{http.MethodPost, "/workspaces", false, http.StatusCreated}
	opWorkspacesGet          = &operation{http.MethodGet, "/workspaces/{id}", true, http.StatusOK}
	opWorkspacesUpdate       = &operation{http.MethodPatch, "/workspaces/{id}", true, http.StatusOK}
	opWorkspacesDelete       = &operation{http.MethodDelete, "/workspaces/{id}", true, http.StatusOK}
	opWorkspaceMembers       = &operation{http.MethodGet, "/workspaces/{id}/members", true, http.StatusOK}
	opWorkspaceAddMembers    = &operation{http.MethodPost, "/workspaces/{id}/members/add", true, http.StatusOK}
	opWorkspaceRemoveMembers = &operation{http.MethodPost, "/workspaces/{id}/members/remove", true, http.StatusOK}
	opWorkspaceBudgets       = &operation{http.MethodGet, "/workspaces/{id}/budgets", true, http.StatusOK}
	opWorkspaceGetBudget     = &operation{http.MethodGet, "/workspaces/{id}/budgets/{interval}", true, http.StatusOK}
	opWorkspaceSetBudget     = &operation{http.MethodPut, "/workspaces/{id}/budgets/{interval}", true, http.StatusOK}
	opWorkspaceDeleteBudget  = &operation{http.MethodDelete, "/workspaces/{id}/budgets/{interval}", true, http.StatusOK}
)

// MaxBulkMembers is the most user ids one WorkspacesBulkAddMembers or
// WorkspacesBulkRemoveMembers call takes.
const MaxBulkMembers = 100

// WorkspacesList returns one page of GET /workspaces, the default workspace
// included.
func WorkspacesList(ctx context.Context, c *Client, req ListWorkspacesRequest, opts ...Option) (*ListWorkspacesResponse, error) {
	if err := checkPage("ListWorkspacesRequest", req.Offset, req.Limit); err != nil {
		return nil, err
	}
	return call(ctx, c, opts, opWorkspacesList, workspacesPage(req), lacksWorkspaces)
}

// WorkspacesListAll walks every page of GET /workspaces from req.Offset.
func WorkspacesListAll(ctx context.Context, c *Client, req ListWorkspacesRequest, opts ...Option) iter.Seq2[Workspace, error] {
	return walkPages(ctx, c, opts, opWorkspacesList, checkPage("ListWorkspacesRequest", req.Offset, nil), req.Offset,
		pages(opWorkspacesList, func(o int) builder {
			p := req
			p.Offset, p.Limit = at(o)
			return workspacesPage(p)
		}, lacksWorkspaces, func(v *ListWorkspacesResponse) ([]Workspace, int) { return v.Data, v.TotalCount }),
		func(w *Workspace) string { return w.ID })
}

func workspacesPage(req ListWorkspacesRequest) builder {
	return func(s string) (*http.Request, error) { return gen.NewListWorkspacesRequest(s, &req) }
}

func lacksWorkspaces(v *ListWorkspacesResponse) string { return lacksData(v.Data) }

// WorkspacesCreate creates a workspace with POST /workspaces; its slug must
// be unique. A failure that leaves open whether the workspace exists is a
// *MaybeCreatedError and is never retried.
func WorkspacesCreate(ctx context.Context, c *Client, req CreateWorkspaceRequest, opts ...Option) (*CreateWorkspaceResponse, error) {
	body := req.RequestBody
	if err := checkCreateWorkspace(&body); err != nil {
		return nil, err
	}
	return callCreate(ctx, c, opts, opWorkspacesCreate, body.Slug, func(s string) (*http.Request, error) {
		return gen.NewCreateWorkspaceRequest(s, body)
	}, lacksWorkspace[CreateWorkspaceResponse](func(v *CreateWorkspaceResponse) *Workspace { return &v.Data }))
}

// WorkspacesGet fetches one workspace by UUID or slug.
func WorkspacesGet(ctx context.Context, c *Client, req GetWorkspaceRequest, opts ...Option) (*GetWorkspaceResponse, error) {
	if err := checkWorkspaceRef("GetWorkspaceRequest.ID", req.ID); err != nil {
		return nil, err
	}
	return call(ctx, c, opts, opWorkspacesGet, func(s string) (*http.Request, error) {
		return gen.NewGetWorkspaceRequest(s, req.ID)
	}, lacksWorkspace[GetWorkspaceResponse](func(v *GetWorkspaceResponse) *Workspace { return &v.Data }))
}

// WorkspacesUpdate changes a workspace with PATCH /workspaces/{id}. Fields
// left unset are not sent; Null clears. A body that changes nothing is
// refused before sending.
func WorkspacesUpdate(ctx context.Context, c *Client, req UpdateWorkspaceRequest, opts ...Option) (*UpdateWorkspaceResponse, error) {
	if err := checkWorkspaceRef("UpdateWorkspaceRequest.ID", req.ID); err != nil {
		return nil, err
	}
	if err := checkUpdateWorkspace(&req.RequestBody); err != nil {
		return nil, err
	}
	return call(ctx, c, opts, opWorkspacesUpdate, func(s string) (*http.Request, error) {
		return gen.NewUpdateWorkspaceRequest(s, req.ID, req.RequestBody)
	}, lacksWorkspace[UpdateWorkspaceResponse](func(v *UpdateWorkspaceResponse) *Workspace { return &v.Data }))
}

// WorkspacesDelete deletes a workspace with its budgets and guardrails. The
// API refuses one that still has active keys (400) and, for most accounts,
// the default workspace (403).
func WorkspacesDelete(ctx context.Context, c *Client, req DeleteWorkspaceRequest, opts ...Option) (*DeleteWorkspaceResponse, error) {
	if err := checkWorkspaceRef("DeleteWorkspaceRequest.ID", req.ID); err != nil {
		return nil, err
	}
	return call(ctx, c, opts, opWorkspacesDelete, func(s string) (*http.Request, error) {
		return gen.NewDeleteWorkspaceRequest(s, req.ID)
	}, lacksDeleted[DeleteWorkspaceResponse](func(v *DeleteWorkspaceResponse) bool { return v.Deleted }))
}

func lacksWorkspace[R any](w func(*R) *Workspace) func(*R) string {
	return func(v *R) string { return missing(w(v).ID == "", "data.id") }
}

// WorkspacesListMembers returns one page of a workspace's members (every
// organization member, for the default workspace).
func WorkspacesListMembers(ctx context.Context, c *Client, req ListWorkspaceMembersRequest, opts ...Option) (*ListWorkspaceMembersResponse, error) {
	if err := checkMembersOf(req, req.Limit); err != nil {
		return nil, err
	}
	return call(ctx, c, opts, opWorkspaceMembers, workspaceMembersPage(req), lacksWorkspaceMembers)
}

// WorkspacesListMembersAll walks every page of a workspace's members.
func WorkspacesListMembersAll(ctx context.Context, c *Client, req ListWorkspaceMembersRequest, opts ...Option) iter.Seq2[WorkspaceMember, error] {
	return walkPages(ctx, c, opts, opWorkspaceMembers, checkMembersOf(req, nil), req.Offset,
		pages(opWorkspaceMembers, func(o int) builder {
			p := req
			p.Offset, p.Limit = at(o)
			return workspaceMembersPage(p)
		}, lacksWorkspaceMembers, func(v *ListWorkspaceMembersResponse) ([]WorkspaceMember, int) { return v.Data, v.TotalCount }),
		func(m *WorkspaceMember) string { return m.ID })
}

func workspaceMembersPage(req ListWorkspaceMembersRequest) builder {
	return func(s string) (*http.Request, error) {
		return gen.NewListWorkspaceMembersRequest(s, req.ID, &gen.ListWorkspaceMembersParams{Offset: req.Offset, Limit: req.Limit})
	}
}

func lacksWorkspaceMembers(v *ListWorkspaceMembersResponse) string { return lacksData(v.Data) }

func checkMembersOf(req ListWorkspaceMembersRequest, limit *int) error {
	if err := checkWorkspaceRef("ListWorkspaceMembersRequest.ID", req.ID); err != nil {
		return err
	}
	return checkPage("ListWorkspaceMembersRequest", req.Offset, limit)
}

// WorkspacesBulkAddMembers adds organization members to a workspace, at
// most MaxBulkMembers per call; each gets the role they hold in the
// organization.
func WorkspacesBulkAddMembers(ctx context.Context, c *Client, req BulkAddWorkspaceMembersRequest, opts ...Option) (*BulkAddWorkspaceMembersResponse, error) {
	if err := checkMemberList("BulkAddWorkspaceMembersRequest", req.ID, req.RequestBody.UserIds); err != nil {
		return nil, err
	}
	return call(ctx, c, opts, opWorkspaceAddMembers, func(s string) (*http.Request, error) {
		return gen.NewBulkAddWorkspaceMembersRequest(s, req.ID, req.RequestBody)
	}, func(v *BulkAddWorkspaceMembersResponse) string { return lacksData(v.Data) })
}

// WorkspacesBulkRemoveMembers removes members from a workspace, at most
// MaxBulkMembers per call. The API refuses a member who still has active
// keys there.
func WorkspacesBulkRemoveMembers(ctx context.Context, c *Client, req BulkRemoveWorkspaceMembersRequest, opts ...Option) (*BulkRemoveWorkspaceMembersResponse, error) {
	if err := checkMemberList("BulkRemoveWorkspaceMembersRequest", req.ID, req.RequestBody.UserIds); err != nil {
		return nil, err
	}
	return call[BulkRemoveWorkspaceMembersResponse](ctx, c, opts, opWorkspaceRemoveMembers, func(s string) (*http.Request, error) {
		return gen.NewBulkRemoveWorkspaceMembersRequest(s, req.ID, req.RequestBody)
	}, nil)
}

func checkMemberList(setting, ref string, ids []string) error {
	if err := checkWorkspaceRef(setting+".ID", ref); err != nil {
		return err
	}
	return checkIDs(setting+".RequestBody.UserIds", ids, MaxBulkMembers)
}

// WorkspacesListBudgets lists a workspace's budgets, one per interval at
// most.
func WorkspacesListBudgets(ctx context.Context, c *Client, req ListWorkspaceBudgetsRequest, opts ...Option) (*ListWorkspaceBudgetsResponse, error) {
	if err := checkWorkspaceRef("ListWorkspaceBudgetsRequest.ID", req.ID); err != nil {
		return nil, err
	}
	return call(ctx, c, opts, opWorkspaceBudgets, func(s string) (*http.Request, error) {
		return gen.NewListWorkspaceBudgetsRequest(s, req.ID)
	}, func(v *ListWorkspaceBudgetsResponse) string { return lacksData(v.Data) })
}

// WorkspacesGetBudget fetches a workspace's budget for one interval.
func WorkspacesGetBudget(ctx context.Context, c *Client, req GetWorkspaceBudgetRequest, opts ...Option) (*GetWorkspaceBudgetResponse, error) {
	if err := checkBudgetRef("GetWorkspaceBudgetRequest", req.ID, req.Interval); err != nil {
		return nil, err
	}
	return call(ctx, c, opts, opWorkspaceGetBudget, func(s string) (*http.Request, error) {
		return gen.NewGetWorkspaceBudgetRequest(s, req.ID, req.Interval)
	}, func(v *GetWorkspaceBudgetResponse) string { return missing(v.Data.ID == "", "data.id") })
}

// WorkspacesSetBudget creates or replaces a workspace's budget for one
// interval with PUT. Budgets must strictly fall as the interval narrows
// (lifetime > monthly > weekly > daily); the API answers 400 otherwise.
// IncludeByokInBudgets, when set, applies to all of the workspace's budgets.
func WorkspacesSetBudget(ctx context.Context, c *Client, req UpsertWorkspaceBudgetRequest, opts ...Option) (*UpsertWorkspaceBudgetResponse, error) {
	if err := checkBudget(req); err != nil {
		return nil, err
	}
	return call(ctx, c, opts, opWorkspaceSetBudget, func(s string) (*http.Request, error) {
		return gen.NewUpsertWorkspaceBudgetRequest(s, req.ID, req.Interval, req.RequestBody)
	}, func(v *UpsertWorkspaceBudgetResponse) string { return missing(v.Data.ID == "", "data.id") })
}

// WorkspacesDeleteBudget removes a workspace's budget for one interval; it
// succeeds whether or not one was set.
func WorkspacesDeleteBudget(ctx context.Context, c *Client, req DeleteWorkspaceBudgetRequest, opts ...Option) (*DeleteWorkspaceBudgetResponse, error) {
	if err := checkBudgetRef("DeleteWorkspaceBudgetRequest", req.ID, req.Interval); err != nil {
		return nil, err
	}
	return call(ctx, c, opts, opWorkspaceDeleteBudget, func(s string) (*http.Request, error) {
		return gen.NewDeleteWorkspaceBudgetRequest(s, req.ID, req.Interval)
	}, lacksDeleted[DeleteWorkspaceBudgetResponse](func(v *DeleteWorkspaceBudgetResponse) bool { return v.Deleted }))
}

func checkBudgetRef(setting, ref string, i WorkspaceBudgetInterval) error {
	if err := checkWorkspaceRef(setting+".ID", ref); err != nil {
		return err
	}
	return checkBudgetInterval(setting+".Interval", i)
}
