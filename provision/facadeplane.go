package provision

import (
	"context"
	"errors"
	"fmt"

	"github.com/oapi-codegen/nullable"
	"github.com/orkeys/orkeys/facade"
)

// The workspace and guardrail half of FacadeBackend.

// budgetIntervals pairs each interval with its field of Budgets, shortest
// first.
var budgetIntervals = []struct {
	interval facade.WorkspaceBudgetInterval
	field    func(*Budgets) **float64
}{
	{facade.BudgetDaily, func(b *Budgets) **float64 { return &b.Daily }},
	{facade.BudgetWeekly, func(b *Budgets) **float64 { return &b.Weekly }},
	{facade.BudgetMonthly, func(b *Budgets) **float64 { return &b.Monthly }},
	{facade.BudgetLifetime, func(b *Budgets) **float64 { return &b.Lifetime }},
}

func (b *FacadeBackend) GetWorkspace(ctx context.Context, id string) (LiveWorkspace, error) {
	r, err := facade.WorkspacesGet(ctx, b.c, facade.GetWorkspaceRequest{ID: id}, b.opts...)
	if err != nil {
		return LiveWorkspace{}, notFound(err)
	}
	w := r.Data
	live := LiveWorkspace{ID: w.ID, Name: w.Name, Slug: w.Slug}
	if t := instant(&w.CreatedAt); t != nil {
		live.CreatedAt = *t
	}
	if w.Description != nil {
		live.Description = *w.Description
	}
	live.Budgets, err = b.budgets(ctx, id)
	return live, err
}

func (b *FacadeBackend) budgets(ctx context.Context, id string) (Budgets, error) {
	r, err := facade.WorkspacesListBudgets(ctx, b.c, facade.ListWorkspaceBudgetsRequest{ID: id}, b.opts...)
	if err != nil {
		return Budgets{}, notFound(err)
	}
	var out Budgets
	for _, bu := range r.Data {
		interval := facade.BudgetLifetime
		if bu.ResetInterval != nil {
			interval = facade.WorkspaceBudgetInterval(*bu.ResetInterval)
		}
		for _, bi := range budgetIntervals {
			if bi.interval == interval {
				v := bu.LimitUsd
				*bi.field(&out) = &v
			}
		}
	}
	return out, nil
}

func (b *FacadeBackend) CreateWorkspace(ctx context.Context, w LiveWorkspace) (LiveWorkspace, error) {
	body := facade.CreateWorkspaceRequestBody{Name: w.Name, Slug: w.Slug}
	if w.Description != "" {
		body.Description = &w.Description
	}
	r, err := facade.WorkspacesCreate(ctx, b.c, facade.CreateWorkspaceRequest{RequestBody: body}, b.opts...)
	if err != nil {
		return LiveWorkspace{}, err
	}
	w.ID = r.Data.ID
	if err := b.setBudgets(ctx, w.ID, Budgets{}, w.Budgets); err != nil {
		return w, fmt.Errorf("workspace %s made, its budgets not: %w", w.ID, err)
	}
	return w, nil
}

func (b *FacadeBackend) UpdateWorkspace(ctx context.Context, id string, w LiveWorkspace) (LiveWorkspace, error) {
	cur, err := b.GetWorkspace(ctx, id)
	if err != nil {
		return LiveWorkspace{}, err
	}
	var body facade.UpdateWorkspaceRequestBody
	changed := false
	if cur.Name != w.Name {
		body.Name, changed = &w.Name, true
	}
	if cur.Slug != w.Slug {
		body.Slug, changed = &w.Slug, true
	}
	if cur.Description != w.Description {
		changed = true
		if w.Description == "" {
			body.Description = nullable.NewNullNullable[string]()
		} else {
			body.Description = nullable.NewNullableWithValue(w.Description)
		}
	}
	if changed {
		if _, err := facade.WorkspacesUpdate(ctx, b.c, facade.UpdateWorkspaceRequest{ID: id, RequestBody: body}, b.opts...); err != nil {
			return LiveWorkspace{}, notFound(err)
		}
	}
	if err := b.setBudgets(ctx, id, cur.Budgets, w.Budgets); err != nil {
		return LiveWorkspace{}, err
	}
	w.ID = id
	return w, nil
}

// setBudgets moves a workspace's budgets from cur to want without ever
// breaking the API's rule that a longer interval's budget is more than a
// shorter one's: removals first, then raises from the longest interval
// down, then cuts from the shortest up. A new budget below a shorter one
// that is being cut can still be refused; the next run then completes.
func (b *FacadeBackend) setBudgets(ctx context.Context, id string, cur, want Budgets) error {
	type step struct {
		interval facade.WorkspaceBudgetInterval
		to       *float64
	}
	var removes, raises, cuts []step
	for _, bi := range budgetIntervals {
		c, w := *bi.field(&cur), *bi.field(&want)
		switch {
		case sameUSD(c, w):
		case w == nil:
			removes = append(removes, step{bi.interval, nil})
		case c == nil || *w > *c:
			raises = append([]step{{bi.interval, w}}, raises...) // longest first
		default:
			cuts = append(cuts, step{bi.interval, w})
		}
	}
	for _, s := range removes {
		if _, err := facade.WorkspacesDeleteBudget(ctx, b.c, facade.DeleteWorkspaceBudgetRequest{ID: id, Interval: s.interval}, b.opts...); err != nil {
			return fmt.Errorf("removing the %s budget: %w", s.interval, err)
		}
	}
	for _, s := range append(raises, cuts...) {
		req := facade.UpsertWorkspaceBudgetRequest{ID: id, Interval: s.interval, RequestBody: facade.UpsertWorkspaceBudgetRequestBody{LimitUsd: *s.to}}
		if _, err := facade.WorkspacesSetBudget(ctx, b.c, req, b.opts...); err != nil {
			return fmt.Errorf("setting the %s budget: %w", s.interval, err)
		}
	}
	return nil
}

func (b *FacadeBackend) DeleteWorkspace(ctx context.Context, id string) error {
	_, err := facade.WorkspacesDelete(ctx, b.c, facade.DeleteWorkspaceRequest{ID: id}, b.opts...)
	return notFound(err)
}

func liveGuardrail(g facade.Guardrail) LiveGuardrail {
	l := LiveGuardrail{ID: g.ID, Name: g.Name, LimitUSD: g.LimitUsd, IncludeBYOKInBudgets: g.IncludeByokInBudgets}
	if t := instant(&g.CreatedAt); t != nil {
		l.CreatedAt = *t
	}
	if g.Description != nil {
		l.Description = *g.Description
	}
	if g.WorkspaceID != nil {
		l.WorkspaceID = *g.WorkspaceID
	}
	if g.ResetInterval != nil {
		l.ResetInterval = string(*g.ResetInterval)
	}
	if g.AllowedModels != nil {
		l.AllowedModels = *g.AllowedModels
	}
	if g.AllowedProviders != nil {
		l.AllowedProviders = *g.AllowedProviders
	}
	return l
}

func (b *FacadeBackend) ListGuardrails(ctx context.Context, workspaceID string) ([]LiveGuardrail, error) {
	req := facade.ListGuardrailsRequest{}
	if workspaceID != "" {
		req.WorkspaceID = &workspaceID
	}
	var out []LiveGuardrail
	for g, err := range facade.GuardrailsListAll(ctx, b.c, req, b.opts...) {
		if err != nil {
			return nil, err
		}
		out = append(out, liveGuardrail(g))
	}
	return out, nil
}

func (b *FacadeBackend) GetGuardrail(ctx context.Context, id string) (LiveGuardrail, error) {
	r, err := facade.GuardrailsGet(ctx, b.c, facade.GetGuardrailRequest{ID: id}, b.opts...)
	if err != nil {
		return LiveGuardrail{}, notFound(err)
	}
	return liveGuardrail(r.Data), nil
}

func (b *FacadeBackend) CreateGuardrail(ctx context.Context, g LiveGuardrail) (LiveGuardrail, error) {
	body := facade.CreateGuardrailRequestBody{Name: g.Name, LimitUsd: g.LimitUSD}
	if g.Description != "" {
		body.Description = &g.Description
	}
	if g.WorkspaceID != "" {
		body.WorkspaceID = &g.WorkspaceID
	}
	if g.ResetInterval != "" {
		r := facade.GuardrailInterval(g.ResetInterval)
		body.ResetInterval = &r
	}
	if g.IncludeBYOKInBudgets {
		body.IncludeByokInBudgets = &g.IncludeBYOKInBudgets
	}
	if len(g.AllowedModels) > 0 {
		body.AllowedModels = &g.AllowedModels
	}
	if len(g.AllowedProviders) > 0 {
		body.AllowedProviders = &g.AllowedProviders
	}
	r, err := facade.GuardrailsCreate(ctx, b.c, facade.CreateGuardrailRequest{RequestBody: body}, b.opts...)
	if err != nil {
		return LiveGuardrail{}, err
	}
	return liveGuardrail(r.Data), nil
}

// UpdateGuardrail sends every managed field, so the guardrail ends as g
// whatever it was.
func (b *FacadeBackend) UpdateGuardrail(ctx context.Context, id string, g LiveGuardrail) (LiveGuardrail, error) {
	body := facade.UpdateGuardrailRequestBody{Name: &g.Name, IncludeByokInBudgets: &g.IncludeBYOKInBudgets}
	body.Description = nullOr(g.Description != "", g.Description)
	body.LimitUsd = nullable.NewNullNullable[float64]()
	if g.LimitUSD != nil {
		body.LimitUsd = nullable.NewNullableWithValue(*g.LimitUSD)
	}
	body.ResetInterval = nullOr(g.ResetInterval != "", facade.GuardrailInterval(g.ResetInterval))
	body.AllowedModels = nullOr(len(g.AllowedModels) > 0, g.AllowedModels)
	body.AllowedProviders = nullOr(len(g.AllowedProviders) > 0, g.AllowedProviders)
	r, err := facade.GuardrailsUpdate(ctx, b.c, facade.UpdateGuardrailRequest{ID: id, RequestBody: body}, b.opts...)
	if err != nil {
		return LiveGuardrail{}, notFound(err)
	}
	return liveGuardrail(r.Data), nil
}

// nullOr is v when set, else an explicit null, which clears the field.
func nullOr[T any](set bool, v T) nullable.Nullable[T] {
	if set {
		return nullable.NewNullableWithValue(v)
	}
	return nullable.NewNullNullable[T]()
}

func (b *FacadeBackend) DeleteGuardrail(ctx context.Context, id string) error {
	_, err := facade.GuardrailsDelete(ctx, b.c, facade.DeleteGuardrailRequest{ID: id}, b.opts...)
	return notFound(err)
}

func (b *FacadeBackend) KeyGuardrails(ctx context.Context) (map[string]string, error) {
	out := map[string]string{}
	for a, err := range facade.GuardrailsListKeyAssignmentsAll(ctx, b.c, facade.ListKeyAssignmentsRequest{}, b.opts...) {
		if err != nil {
			return nil, err
		}
		out[a.KeyHash] = a.GuardrailID
	}
	return out, nil
}

func (b *FacadeBackend) AssignGuardrail(ctx context.Context, hash, guardrailID, fromID string) error {
	if guardrailID != "" {
		_, err := facade.GuardrailsBulkAssignKeys(ctx, b.c, facade.BulkAssignKeysToGuardrailRequest{ID: guardrailID,
			RequestBody: facade.BulkAssignKeysRequestBody{KeyHashes: []string{hash}}}, b.opts...)
		return err
	}
	if fromID == "" {
		return errors.New("no guardrail to take off the key")
	}
	_, err := facade.GuardrailsBulkUnassignKeys(ctx, b.c, facade.BulkUnassignKeysFromGuardrailRequest{ID: fromID,
		RequestBody: facade.BulkUnassignKeysRequestBody{KeyHashes: []string{hash}}}, b.opts...)
	return err
}
