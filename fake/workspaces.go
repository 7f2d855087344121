package fake

import (
	"net/http"
	"time"

	"github.com/google/uuid"

	"github.com/orkeys/orkeys/gen"
	"github.com/orkeys/orkeys/internal/rules"
)

// Workspaces: the default one (DefaultWorkspaceID, slug "default") always
// exists, holds every organization member and cannot be deleted; others
// hold the members added to them. Slugs are unique. A workspace that still
// has active (enabled) keys cannot be deleted; deleting one removes its
// budgets, memberships and guardrails. Budgets must strictly fall from
// lifetime to daily.

// AddWorkspace creates a workspace as POST /workspaces would, without HTTP
// and without recording a request: for seeding. It applies the same rules.
func (s *Server) AddWorkspace(body gen.CreateWorkspaceRequest) (gen.Workspace, error) {
	w, aerr := s.keys.createWorkspace(body)
	if aerr != nil {
		return gen.Workspace{}, errorf("AddWorkspace", "%s", aerr.message)
	}
	return w, nil
}

// SetBudget sets a workspace's budget as PUT /workspaces/{ref}/budgets/{interval}
// would, without HTTP: for seeding.
func (s *Server) SetBudget(ref string, interval gen.WorkspaceBudgetInterval, limitUSD float64) error {
	if _, aerr := s.keys.putBudget(ref, interval, gen.UpsertWorkspaceBudgetRequest{LimitUsd: limitUSD}); aerr != nil {
		return errorf("SetBudget", "%s", aerr.message)
	}
	return nil
}

func (p *plane) addWorkspace(id string, body gen.CreateWorkspaceRequest, now time.Time) *workspaceRec {
	rate := 1.0
	if body.IoLoggingSamplingRate != nil {
		rate = *body.IoLoggingSamplingRate
	}
	w := &workspaceRec{
		seq: p.next(),
		w: gen.Workspace{
			ID:                              id,
			Name:                            body.Name,
			Slug:                            body.Slug,
			Description:                     clone(body.Description),
			DefaultGuardrailID:              defaultGuardrailID(id),
			DefaultTextModel:                clone(body.DefaultTextModel),
			DefaultImageModel:               clone(body.DefaultImageModel),
			DefaultProviderSort:             clone(body.DefaultProviderSort),
			DisabledServerTools:             cloneSlice(body.DisabledServerTools),
			IncludeByokInBudgets:            ptr(false),
			IsObservabilityIoLoggingEnabled: body.IsObservabilityIoLoggingEnabled != nil && *body.IsObservabilityIoLoggingEnabled,
			IsObservabilityBroadcastEnabled: body.IsObservabilityBroadcastEnabled != nil && *body.IsObservabilityBroadcastEnabled,
			IsDataDiscountLoggingEnabled:    body.IsDataDiscountLoggingEnabled == nil || *body.IsDataDiscountLoggingEnabled,
			IoLoggingSamplingRate:           rate,
			IoLoggingAPIKeyIds:              cloneSlice(body.IoLoggingAPIKeyIds),
			CreatedAt:                       ts(now),
			CreatedBy:                       ptr(DefaultCreatorUserID),
		},
		members: map[string]*assignmentRec{},
		budgets: map[gen.WorkspaceBudgetInterval]*budgetRec{},
	}
	p.workspaces[id] = w
	return w
}

// slugTaken reports whether another workspace than self has slug.
func (p *plane) slugTaken(slug, self string) bool {
	for id, w := range p.workspaces {
		if w.w.Slug == slug && id != self {
			return true
		}
	}
	return false
}

func checkSlug(slug string) *apiError {
	if err := rules.Slug(slug); err != nil {
		return badRequest("slug " + err.Error())
	}
	return nil
}

func (st *store) createWorkspace(body gen.CreateWorkspaceRequest) (gen.Workspace, *apiError) {
	if err := rules.Name(body.Name); err != nil {
		return gen.Workspace{}, badRequest("name " + err.Error())
	}
	if aerr := checkSlug(body.Slug); aerr != nil {
		return gen.Workspace{}, aerr
	}
	now := st.now().UTC()
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.plane.slugTaken(body.Slug, "") {
		return gen.Workspace{}, badRequest("slug " + body.Slug + " is taken by another workspace")
	}
	return cloneWorkspace(st.plane.addWorkspace(newID(), body, now).w), nil
}

func (st *store) listWorkspaces(offset, limit *int) ([]gen.Workspace, int) {
	st.mu.Lock()
	defer st.mu.Unlock()
	all := sortedBySeq(st.plane.workspaces, func(w *workspaceRec) uint64 { return w.seq })
	return pageOf(all, offset, limit, func(w *workspaceRec) gen.Workspace { return cloneWorkspace(w.w) }), len(all)
}

func (st *store) getWorkspace(ref string) (gen.Workspace, *apiError) {
	st.mu.Lock()
	defer st.mu.Unlock()
	w, aerr := st.plane.workspace(ref)
	if aerr != nil {
		return gen.Workspace{}, aerr
	}
	return cloneWorkspace(w.w), nil
}

func (st *store) updateWorkspace(ref string, body gen.UpdateWorkspaceRequest) (gen.Workspace, *apiError) {
	if body.Name != nil && *body.Name == "" {
		return gen.Workspace{}, badRequest("name must not be empty")
	}
	if body.Slug != nil {
		if aerr := checkSlug(*body.Slug); aerr != nil {
			return gen.Workspace{}, aerr
		}
	}
	now := st.now().UTC()
	st.mu.Lock()
	defer st.mu.Unlock()
	rec, aerr := st.plane.workspace(ref)
	if aerr != nil {
		return gen.Workspace{}, aerr
	}
	if body.Slug != nil && st.plane.slugTaken(*body.Slug, rec.w.ID) {
		return gen.Workspace{}, badRequest("slug " + *body.Slug + " is taken by another workspace")
	}
	w := cloneWorkspace(rec.w)
	if body.Name != nil {
		w.Name = *body.Name
	}
	if body.Slug != nil {
		w.Slug = *body.Slug
	}
	patch(&w.Description, body.Description)
	patch(&w.DefaultTextModel, body.DefaultTextModel)
	patch(&w.DefaultImageModel, body.DefaultImageModel)
	patch(&w.DefaultProviderSort, body.DefaultProviderSort)
	patch(&w.DisabledServerTools, body.DisabledServerTools)
	patch(&w.IoLoggingAPIKeyIds, body.IoLoggingAPIKeyIds)
	for _, f := range []struct {
		dst *bool
		src *bool
	}{
		{&w.IsObservabilityIoLoggingEnabled, body.IsObservabilityIoLoggingEnabled},
		{&w.IsObservabilityBroadcastEnabled, body.IsObservabilityBroadcastEnabled},
		{&w.IsDataDiscountLoggingEnabled, body.IsDataDiscountLoggingEnabled},
	} {
		if f.src != nil {
			*f.dst = *f.src
		}
	}
	if body.IoLoggingSamplingRate != nil {
		w.IoLoggingSamplingRate = *body.IoLoggingSamplingRate
	}
	w.UpdatedAt = ptr(ts(now))
	rec.w = w
	return cloneWorkspace(w), nil
}

// deleteWorkspace refuses the default workspace (403, as upstream while
// that is not generally available) and one with active keys (400).
func (st *store) deleteWorkspace(ref string) *apiError {
	st.mu.Lock()
	defer st.mu.Unlock()
	w, aerr := st.plane.workspace(ref)
	if aerr != nil {
		return aerr
	}
	if w.w.ID == DefaultWorkspaceID {
		return &apiError{http.StatusForbidden, "The default workspace cannot be deleted"}
	}
	if n := st.activeKeys(w.w.ID, ""); n > 0 {
		return badRequest("The workspace still has active API keys; delete or disable them first")
	}
	for id, g := range st.plane.guardrails {
		if g.g.WorkspaceID != nil && *g.g.WorkspaceID == w.w.ID {
			st.plane.dropGuardrail(id)
		}
	}
	delete(st.plane.workspaces, w.w.ID)
	return nil
}

// activeKeys counts the enabled keys of a workspace, of one creator when
// user is not "". The caller holds st.mu.
func (st *store) activeKeys(workspace, user string) int {
	n := 0
	for _, k := range st.byHash {
		if k.workspaceID == workspace && !k.disabled && (user == "" || k.creatorID == user) {
			n++
		}
	}
	return n
}

// memberships lists a workspace's members: every organization member for
// the default workspace, else those added. The caller holds st.mu.
func (st *store) memberships(w *workspaceRec) []gen.WorkspaceMember {
	var out []gen.WorkspaceMember
	for _, m := range sortedBySeq(st.plane.members, func(m *memberRec) uint64 { return m.seq }) {
		a, ok := w.members[m.m.ID]
		if w.w.ID == DefaultWorkspaceID {
			ok, a = true, &assignmentRec{id: membershipID(w.w.ID, m.m.ID), createdAt: w.w.CreatedAt.Time}
		}
		if !ok {
			continue
		}
		out = append(out, gen.WorkspaceMember{
			ID: a.id, WorkspaceID: w.w.ID, UserID: m.m.ID, Role: workspaceRole(m.m.Role), CreatedAt: ts(a.createdAt),
		})
	}
	return out
}

// membershipID is a default-workspace membership's id, stable per member.
func membershipID(workspace, user string) string {
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte("orkeys-fake:"+workspace+"/"+user)).String()
}

// workspaceRole is the role a member has in a workspace: the one they hold
// in the organization.
func workspaceRole(r gen.OrganizationRole) gen.WorkspaceMemberRole {
	if r == RoleAdmin {
		return gen.WorkspaceMemberRoleAdmin
	}
	return gen.WorkspaceMemberRoleMember
}

func (st *store) listWorkspaceMembers(ref string, offset, limit *int) ([]gen.WorkspaceMember, int, *apiError) {
	st.mu.Lock()
	defer st.mu.Unlock()
	w, aerr := st.plane.workspace(ref)
	if aerr != nil {
		return nil, 0, aerr
	}
	all := st.memberships(w)
	return pageOf(all, offset, limit, func(m gen.WorkspaceMember) gen.WorkspaceMember { return m }), len(all), nil
}

// addMembers adds organization members (each must be one) to a workspace;
// adding one again changes nothing and counts 0.
func (st *store) addMembers(ref string, users []string) ([]gen.WorkspaceMember, int, *apiError) {
	now := st.now().UTC()
	st.mu.Lock()
	defer st.mu.Unlock()
	w, aerr := st.plane.workspace(ref)
	if aerr != nil {
		return nil, 0, aerr
	}
	for _, u := range users {
		if _, ok := st.plane.members[u]; !ok {
			return nil, 0, notFound("organization member", u)
		}
	}
	n := 0
	for _, u := range users {
		if _, ok := w.members[u]; !ok && w.w.ID != DefaultWorkspaceID {
			w.members[u] = &assignmentRec{seq: st.plane.next(), id: newID(), createdAt: now}
			n++
		}
	}
	var added []gen.WorkspaceMember
	for _, m := range st.memberships(w) {
		for _, u := range users {
			if m.UserID == u {
				added = append(added, m)
				break
			}
		}
	}
	return added, n, nil
}

// removeMembers refuses the default workspace and members who still have
// active keys in the workspace.
func (st *store) removeMembers(ref string, users []string) (int, *apiError) {
	st.mu.Lock()
	defer st.mu.Unlock()
	w, aerr := st.plane.workspace(ref)
	if aerr != nil {
		return 0, aerr
	}
	if w.w.ID == DefaultWorkspaceID {
		return 0, badRequest("Every organization member belongs to the default workspace")
	}
	for _, u := range users {
		if _, ok := w.members[u]; ok && st.activeKeys(w.w.ID, u) > 0 {
			return 0, badRequest("Member " + u + " still has active API keys in the workspace")
		}
	}
	n := 0
	for _, u := range users {
		if _, ok := w.members[u]; ok {
			delete(w.members, u)
			n++
		}
	}
	return n, nil
}

// budgetReset is a budget's reset_interval: null for lifetime.
func budgetReset(i gen.WorkspaceBudgetInterval) *gen.GuardrailInterval {
	if i == gen.WorkspaceBudgetIntervalLifetime {
		return nil
	}
	return ptr(gen.GuardrailInterval(i))
}

func (w *workspaceRec) budget(i gen.WorkspaceBudgetInterval) gen.WorkspaceBudget {
	b := w.budgets[i]
	return gen.WorkspaceBudget{
		ID: b.id, WorkspaceID: w.w.ID, LimitUsd: b.limit, ResetInterval: budgetReset(i),
		CreatedAt: ts(b.createdAt), UpdatedAt: ts(b.updatedAt),
	}
}

func (st *store) listBudgets(ref string) ([]gen.WorkspaceBudget, bool, *apiError) {
	st.mu.Lock()
	defer st.mu.Unlock()
	w, aerr := st.plane.workspace(ref)
	if aerr != nil {
		return nil, false, aerr
	}
	out := []gen.WorkspaceBudget{}
	for _, i := range rules.BudgetIntervals {
		if _, ok := w.budgets[gen.WorkspaceBudgetInterval(i)]; ok {
			out = append(out, w.budget(gen.WorkspaceBudgetInterval(i)))
		}
	}
	return out, *w.w.IncludeByokInBudgets, nil
}

func (st *store) getBudget(ref string, i gen.WorkspaceBudgetInterval) (gen.WorkspaceBudget, bool, *apiError) {
	st.mu.Lock()
	defer st.mu.Unlock()
	w, aerr := st.plane.workspace(ref)
	if aerr != nil {
		return gen.WorkspaceBudget{}, false, aerr
	}
	if _, ok := w.budgets[i]; !ok {
		return gen.WorkspaceBudget{}, false, notFound("budget", string(i)+" for workspace "+ref)
	}
	return w.budget(i), *w.w.IncludeByokInBudgets, nil
}

// putBudget sets one interval's budget if the workspace's budgets still
// fall strictly from lifetime to daily with it.
func (st *store) putBudget(ref string, i gen.WorkspaceBudgetInterval, body gen.UpsertWorkspaceBudgetRequest) (gen.UpsertWorkspaceBudgetResponse, *apiError) {
	if err := rules.BudgetInterval(string(i)); err != nil {
		return gen.UpsertWorkspaceBudgetResponse{}, badRequest("interval " + err.Error())
	}
	if err := rules.BudgetLimit(body.LimitUsd); err != nil {
		return gen.UpsertWorkspaceBudgetResponse{}, badRequest("limit_usd " + err.Error())
	}
	now := st.now().UTC()
	st.mu.Lock()
	defer st.mu.Unlock()
	w, aerr := st.plane.workspace(ref)
	if aerr != nil {
		return gen.UpsertWorkspaceBudgetResponse{}, aerr
	}
	limits := map[string]float64{string(i): body.LimitUsd}
	for k, b := range w.budgets {
		if k != i {
			limits[string(k)] = b.limit
		}
	}
	if err := rules.BudgetOrder(limits); err != nil {
		return gen.UpsertWorkspaceBudgetResponse{}, badRequest("Budget limits must strictly decrease as the interval narrows: " + err.Error())
	}
	b, ok := w.budgets[i]
	if !ok {
		b = &budgetRec{id: newID(), createdAt: now}
		w.budgets[i] = b
	}
	b.limit, b.updatedAt = body.LimitUsd, now
	if body.IncludeByokInBudgets != nil {
		w.w.IncludeByokInBudgets = ptr(*body.IncludeByokInBudgets)
	}
	return gen.UpsertWorkspaceBudgetResponse{Data: w.budget(i), IncludeByokInBudgets: ptr(*w.w.IncludeByokInBudgets)}, nil
}

// deleteBudget succeeds whether or not the budget was set.
func (st *store) deleteBudget(ref string, i gen.WorkspaceBudgetInterval) *apiError {
	st.mu.Lock()
	defer st.mu.Unlock()
	w, aerr := st.plane.workspace(ref)
	if aerr != nil {
		return aerr
	}
	delete(w.budgets, i)
	return nil
}

// cloneWorkspace copies every pointer and list.
func cloneWorkspace(w gen.Workspace) gen.Workspace {
	w.Description, w.DefaultTextModel, w.DefaultImageModel = clone(w.Description), clone(w.DefaultTextModel), clone(w.DefaultImageModel)
	w.DefaultProviderSort, w.CreatedBy, w.UpdatedAt = clone(w.DefaultProviderSort), clone(w.CreatedBy), clone(w.UpdatedAt)
	w.IncludeByokInBudgets = clone(w.IncludeByokInBudgets)
	w.DisabledServerTools, w.IoLoggingAPIKeyIds = cloneSlice(w.DisabledServerTools), cloneSlice(w.IoLoggingAPIKeyIds)
	return w
}
