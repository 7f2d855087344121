package tests

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/orkeys/orkeys/fake"
)

// tssdkCheckPlane asserts on what the SDK returned at each step of
// plane.mjs: every answer decoded (the script would have failed otherwise),
// and the fake's rules show through the SDK.
func tssdkCheckPlane(t *testing.T, steps map[string]json.RawMessage) {
	get := func(step string, v any) {
		t.Helper()
		raw, ok := steps[step]
		if !ok {
			t.Errorf("step %q: not reported", step)
			return
		}
		if err := json.Unmarshal(raw, v); err != nil {
			t.Errorf("step %q: %v in %s", step, err, raw)
		}
	}
	var org struct {
		TotalCount int      `json:"totalCount"`
		IDs        []string `json:"ids"`
	}
	if get("org_members", &org); org.TotalCount < 1 || !slices.Contains(org.IDs, fake.DefaultCreatorUserID) {
		t.Errorf("org_members: %+v, want the owner among them", org)
	}
	var ws struct {
		ID, Slug, CreatedAt string
	}
	if get("workspace_create", &ws); ws.Slug != "ts-team" || ws.ID == "" || ws.CreatedAt == "" {
		t.Errorf("workspace_create: %+v", ws)
	}
	var upd struct {
		Name        string  `json:"name"`
		Description *string `json:"description"`
		UpdatedAt   *string `json:"updatedAt"`
	}
	if get("workspace_update", &upd); upd.Name != "TS Team 2" || upd.Description != nil || upd.UpdatedAt == nil {
		t.Errorf("workspace_update: %+v, want the new name, the description cleared by null, updatedAt set", upd)
	}
	var list struct {
		TotalCount int      `json:"totalCount"`
		Slugs      []string `json:"slugs"`
	}
	if get("workspace_list", &list); list.TotalCount != 2 || !slices.Equal(list.Slugs, []string{fake.DefaultWorkspaceSlug, "ts-team"}) {
		t.Errorf("workspace_list: %+v, want the default workspace and ts-team", list)
	}
	var budgets struct {
		Monthly, Weekly float64
		WeeklyReset     string `json:"weeklyReset"`
		BYOK            bool   `json:"byok"`
	}
	if get("budget_set", &budgets); budgets.Monthly != 100 || budgets.Weekly != 40 || budgets.WeeklyReset != "weekly" || !budgets.BYOK {
		t.Errorf("budget_set: %+v", budgets)
	}
	for _, step := range []string{"budget_order", "guardrail_invalid", "workspace_delete_refused"} {
		var e tssdkErrorResult
		if get(step, &e); e.StatusCode != 400 || e.Code != 400 || e.Message == "" {
			t.Errorf("%s: %+v, want a 400 in the documented envelope", step, e)
		}
	}
	var gone tssdkErrorResult
	if get("guardrail_gone", &gone); gone.StatusCode != 404 {
		t.Errorf("guardrail_gone: %+v, want 404", gone)
	}
	var g struct {
		ID               string   `json:"id"`
		WorkspaceID      string   `json:"workspaceId"`
		LimitUsd         float64  `json:"limitUsd"`
		ResetInterval    string   `json:"resetInterval"`
		AllowedProviders []string `json:"allowedProviders"`
		BuiltinLabel     string   `json:"builtinLabel"`
	}
	if get("guardrail_create", &g); g.WorkspaceID != ws.ID || g.LimitUsd != 5 || g.ResetInterval != "monthly" || len(g.AllowedProviders) != 2 || g.BuiltinLabel == "" {
		t.Errorf("guardrail_create: %+v", g)
	}
	var gu struct {
		AllowedProviders []string `json:"allowedProviders"`
		Description      *string  `json:"description"`
		LimitUsd         float64  `json:"limitUsd"`
	}
	if get("guardrail_update", &gu); !slices.Equal(gu.AllowedProviders, []string{"google"}) || gu.Description != nil || gu.LimitUsd != 7.5 {
		t.Errorf("guardrail_update: %+v, want providers replaced whole, description cleared, the new limit", gu)
	}
	var counts struct{ Keys, Members int }
	if get("guardrail_assign", &counts); counts.Keys != 1 || counts.Members != 1 {
		t.Errorf("guardrail_assign: %+v", counts)
	}
	var key struct{ Hash string }
	get("key_create", &key)
	var asg struct {
		KeyHashes  []string `json:"keyHashes"`
		MemberIDs  []string `json:"memberIds"`
		AllKeys    int      `json:"allKeys"`
		AllMembers int      `json:"allMembers"`
	}
	if get("guardrail_assignments", &asg); !slices.Equal(asg.KeyHashes, []string{key.Hash}) || len(asg.MemberIDs) != 1 || asg.AllKeys != 1 || asg.AllMembers != 1 {
		t.Errorf("guardrail_assignments: %+v", asg)
	}
	if get("guardrail_unassign", &counts); counts.Keys != 1 || counts.Members != 1 {
		t.Errorf("guardrail_unassign: %+v", counts)
	}
	var del struct {
		Removed int  `json:"removed"`
		Deleted bool `json:"deleted"`
	}
	if get("workspace_delete", &del); del.Removed != 1 || !del.Deleted {
		t.Errorf("workspace_delete: %+v", del)
	}
}

// tssdkBYOK is what byok.mjs reports of a provider key.
type tssdkBYOK struct {
	ID            string    `json:"id"`
	Provider      string    `json:"provider"`
	Label         string    `json:"label"`
	IsRequired    bool      `json:"isRequired"`
	DeclaredZdr   *bool     `json:"declaredZdr"`
	AllowedModels *[]string `json:"allowedModels"`
}

// tssdkCheckBYOK asserts on byok.mjs's steps; the script itself fails a
// step whose answer holds the provider key.
func tssdkCheckBYOK(t *testing.T, steps map[string]json.RawMessage) {
	get := func(step string, v any) {
		t.Helper()
		raw, ok := steps[step]
		if !ok {
			t.Errorf("step %q: not reported", step)
			return
		}
		if err := json.Unmarshal(raw, v); err != nil {
			t.Errorf("step %q: %v in %s", step, err, raw)
		}
	}
	var created, rotated, cleared tssdkBYOK
	if get("byok_create", &created); created.Provider != "openai" || !created.IsRequired || created.DeclaredZdr != nil ||
		created.AllowedModels == nil || created.Label == "" {
		t.Errorf("byok_create: %+v", created)
	}
	if get("byok_rotate", &rotated); rotated.Label == created.Label || rotated.DeclaredZdr == nil || !*rotated.DeclaredZdr {
		t.Errorf("byok_rotate: %+v, want a new label and declared_zdr true", rotated)
	}
	if get("byok_clear", &cleared); cleared.AllowedModels != nil {
		t.Errorf("byok_clear: allowed_models %v, want cleared by null", *cleared.AllowedModels)
	}
	for _, step := range []string{"byok_invalid", "byok_empty_list"} {
		var e tssdkErrorResult
		if get(step, &e); e.StatusCode != 400 {
			t.Errorf("%s: %+v, want 400", step, e)
		}
	}
	var gone tssdkErrorResult
	if get("byok_gone", &gone); gone.StatusCode != 404 {
		t.Errorf("byok_gone: %+v, want 404", gone)
	}
}
