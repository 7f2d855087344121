package fake_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/orkeys/orkeys/fake"
	"github.com/orkeys/orkeys/gen"
)

// Tests of the management plane's rules, one per rule the fake models.

const unknownUUID = "0df9e665-d932-4740-b2c7-b52af166bc11"

func (e *env) workspace(name, slug string) gen.Workspace {
	e.t.Helper()
	r := e.mgmt("POST", "/workspaces", fmt.Sprintf(`{"name":%q,"slug":%q}`, name, slug))
	if r.Status != http.StatusCreated {
		e.t.Fatalf("create workspace %s: %d %s", slug, r.Status, r.Body)
	}
	return decode[gen.CreateWorkspaceResponse](e.t, r).Data
}

func (e *env) guardrail(body string) gen.Guardrail {
	e.t.Helper()
	r := e.mgmt("POST", "/guardrails", body)
	if r.Status != http.StatusCreated {
		e.t.Fatalf("create guardrail %s: %d %s", body, r.Status, r.Body)
	}
	return decode[gen.CreateGuardrailResponse](e.t, r).Data
}

func (e *env) wantOK(r reply) {
	e.t.Helper()
	if r.Status != http.StatusOK {
		e.t.Fatalf("status %d, want 200: %s", r.Status, r.Body)
	}
}

func TestDefaultWorkspaceAlwaysExists(t *testing.T) {
	e := newEnv(t)
	list := decode[gen.ListWorkspacesResponse](t, e.mgmt("GET", "/workspaces", ""))
	if list.TotalCount != 1 || len(list.Data) != 1 || list.Data[0].ID != fake.DefaultWorkspaceID || list.Data[0].Slug != fake.DefaultWorkspaceSlug {
		t.Fatalf("a new fake's workspaces = %+v, want the default one", list)
	}
	for _, ref := range []string{fake.DefaultWorkspaceID, strings.ToUpper(fake.DefaultWorkspaceID), fake.DefaultWorkspaceSlug} {
		if got := decode[gen.GetWorkspaceResponse](t, e.mgmt("GET", "/workspaces/"+ref, "")).Data.ID; got != fake.DefaultWorkspaceID {
			t.Errorf("GET /workspaces/%s = %q", ref, got)
		}
	}
	e.mgmt("DELETE", "/workspaces/"+fake.DefaultWorkspaceSlug, "").wantError(t, http.StatusForbidden, "default workspace")
	e.wantOK(e.mgmt("GET", "/workspaces/"+fake.DefaultWorkspaceID, ""))
}

func TestListKeysWithoutWorkspaceListsTheDefaultOnes(t *testing.T) {
	e := newEnv(t)
	ws := e.workspace("Team", "team")
	e.create(`{"name":"in-default"}`)
	e.create(fmt.Sprintf(`{"name":"in-team","workspace_id":%q}`, ws.ID))
	names := func(path string) []string {
		var out []string
		for _, k := range decodeList(t, e.mgmt("GET", path, "")) {
			out = append(out, k.Name)
		}
		return out
	}
	if got := names("/keys"); !slices.Equal(got, []string{"in-default"}) {
		t.Errorf("GET /keys = %v, want the default workspace's key only", got)
	}
	if got := names("/keys?workspace_id=" + ws.ID); !slices.Equal(got, []string{"in-team"}) {
		t.Errorf("GET /keys?workspace_id = %v", got)
	}
}

func TestBudgetsMustStrictlyDecrease(t *testing.T) {
	e := newEnv(t)
	ws := e.workspace("Team", "team")
	put := func(interval, body string) reply { return e.mgmt("PUT", "/workspaces/team/budgets/"+interval, body) }
	e.wantOK(put("monthly", `{"limit_usd":100}`))
	put("weekly", `{"limit_usd":100}`).wantError(t, http.StatusBadRequest, "strictly decrease")
	put("lifetime", `{"limit_usd":99.5}`).wantError(t, http.StatusBadRequest, "strictly decrease")
	e.wantOK(put("weekly", `{"limit_usd":50}`))
	put("daily", `{"limit_usd":60}`).wantError(t, http.StatusBadRequest, "strictly decrease")
	put("monthly", `{"limit_usd":40}`).wantError(t, http.StatusBadRequest, "strictly decrease")
	e.wantOK(put("daily", `{"limit_usd":10}`))
	set := decode[gen.UpsertWorkspaceBudgetResponse](t, put("lifetime", `{"limit_usd":1000,"include_byok_in_budgets":true}`))
	if set.Data.ResetInterval != nil || set.Data.WorkspaceID != ws.ID || set.IncludeByokInBudgets == nil || !*set.IncludeByokInBudgets {
		t.Errorf("lifetime budget = %+v", set)
	}
	put("daily", `{"limit_usd":0}`).wantError(t, http.StatusBadRequest)

	list := decode[gen.ListWorkspaceBudgetsResponse](t, e.mgmt("GET", "/workspaces/team/budgets", ""))
	var got []string
	for _, b := range list.Data {
		got = append(got, fmt.Sprint(b.LimitUsd))
	}
	if !slices.Equal(got, []string{"10", "50", "100", "1000"}) || !*list.IncludeByokInBudgets {
		t.Errorf("budgets = %v (byok %v), want daily to lifetime 10 50 100 1000, byok on for all", got, *list.IncludeByokInBudgets)
	}
	week := decode[gen.GetWorkspaceBudgetResponse](t, e.mgmt("GET", "/workspaces/"+ws.ID+"/budgets/weekly", ""))
	if week.Data.LimitUsd != 50 || week.Data.ResetInterval == nil || *week.Data.ResetInterval != gen.GuardrailIntervalWeekly {
		t.Errorf("weekly = %+v", week.Data)
	}
	e.wantOK(e.mgmt("DELETE", "/workspaces/team/budgets/weekly", ""))
	e.wantOK(e.mgmt("DELETE", "/workspaces/team/budgets/weekly", "")) // already gone: still fine
	e.mgmt("GET", "/workspaces/team/budgets/weekly", "").wantError(t, http.StatusNotFound)
	e.mgmt("PUT", "/workspaces/team/budgets/yearly", `{"limit_usd":1}`).wantError(t, http.StatusBadRequest)
}

func TestWorkspaceWithActiveKeysCannotBeDeleted(t *testing.T) {
	e := newEnv(t)
	ws := e.workspace("Team", "team")
	key := e.create(fmt.Sprintf(`{"name":"busy","workspace_id":%q}`, ws.ID))
	e.mgmt("DELETE", "/workspaces/team", "").wantError(t, http.StatusBadRequest, "active API keys")
	e.wantOK(e.mgmt("PATCH", "/keys/"+key.Data.Hash, `{"disabled":true}`))
	g := e.guardrail(fmt.Sprintf(`{"name":"team-cap","workspace_id":%q}`, ws.ID))
	e.wantOK(e.mgmt("DELETE", "/workspaces/team", ""))
	e.mgmt("GET", "/workspaces/"+ws.ID, "").wantError(t, http.StatusNotFound)
	e.mgmt("GET", "/guardrails/"+g.ID, "").wantError(t, http.StatusNotFound) // its guardrails went with it
}

func TestDeletingAGuardrailRemovesItsAssignments(t *testing.T) {
	e := newEnv(t)
	g := e.guardrail(`{"name":"cap"}`)
	key := e.create(`{"name":"k"}`)
	e.wantOK(e.mgmt("POST", "/guardrails/"+g.ID+"/assignments/keys", fmt.Sprintf(`{"key_hashes":[%q]}`, key.Data.Hash)))
	e.wantOK(e.mgmt("POST", "/guardrails/"+g.ID+"/assignments/members", fmt.Sprintf(`{"member_user_ids":[%q]}`, fake.DefaultCreatorUserID)))
	e.wantOK(e.mgmt("DELETE", "/guardrails/"+g.ID, ""))
	if n := decode[gen.ListKeyAssignmentsResponse](t, e.mgmt("GET", "/guardrails/assignments/keys", "")).TotalCount; n != 0 {
		t.Errorf("key assignments after the delete = %d", n)
	}
	if n := decode[gen.ListMemberAssignmentsResponse](t, e.mgmt("GET", "/guardrails/assignments/members", "")).TotalCount; n != 0 {
		t.Errorf("member assignments after the delete = %d", n)
	}
	e.mgmt("GET", "/guardrails/"+g.ID+"/assignments/keys", "").wantError(t, http.StatusNotFound)
}

func TestAKeyHoldsOneGuardrail(t *testing.T) {
	e := newEnv(t)
	g1, g2 := e.guardrail(`{"name":"one"}`), e.guardrail(`{"name":"two"}`)
	key := e.create(`{"name":"k"}`)
	body := fmt.Sprintf(`{"key_hashes":[%q]}`, key.Data.Hash)
	if n := decode[gen.BulkAssignKeysResponse](t, e.mgmt("POST", "/guardrails/"+g1.ID+"/assignments/keys", body)).AssignedCount; n != 1 {
		t.Errorf("assigned_count = %d, want 1", n)
	}
	if n := decode[gen.BulkAssignKeysResponse](t, e.mgmt("POST", "/guardrails/"+g1.ID+"/assignments/keys", body)).AssignedCount; n != 0 {
		t.Errorf("assigning again: assigned_count = %d, want 0", n)
	}
	e.wantOK(e.mgmt("POST", "/guardrails/"+g2.ID+"/assignments/keys", body))
	all := decode[gen.ListKeyAssignmentsResponse](t, e.mgmt("GET", "/guardrails/assignments/keys", ""))
	if all.TotalCount != 1 || all.Data[0].GuardrailID != g2.ID || all.Data[0].KeyName != "k" || all.Data[0].KeyLabel != key.Data.Label {
		t.Fatalf("assignments = %+v, want the key under the second guardrail only", all)
	}
	if n := decode[gen.ListKeyAssignmentsResponse](t, e.mgmt("GET", "/guardrails/"+g1.ID+"/assignments/keys", "")).TotalCount; n != 0 {
		t.Errorf("first guardrail still holds %d keys", n)
	}
	// Taking the first guardrail off changes nothing now; the second's does.
	if n := decode[gen.BulkUnassignKeysResponse](t, e.mgmt("POST", "/guardrails/"+g1.ID+"/assignments/keys/remove", body)).UnassignedCount; n != 0 {
		t.Errorf("unassign from the first: %d", n)
	}
	if n := decode[gen.BulkUnassignKeysResponse](t, e.mgmt("POST", "/guardrails/"+g2.ID+"/assignments/keys/remove", body)).UnassignedCount; n != 1 {
		t.Errorf("unassign from the second: %d", n)
	}
	// A deleted key holds no guardrail.
	e.wantOK(e.mgmt("POST", "/guardrails/"+g2.ID+"/assignments/keys", body))
	e.wantOK(e.mgmt("DELETE", "/keys/"+key.Data.Hash, ""))
	if n := decode[gen.ListKeyAssignmentsResponse](t, e.mgmt("GET", "/guardrails/assignments/keys", "")).TotalCount; n != 0 {
		t.Errorf("a deleted key still holds a guardrail")
	}
}

func TestSlugsAreUnique(t *testing.T) {
	e := newEnv(t)
	e.workspace("A", "team-a")
	b := e.workspace("B", "team-b")
	e.mgmt("POST", "/workspaces", `{"name":"again","slug":"team-a"}`).wantError(t, http.StatusBadRequest, "taken")
	e.mgmt("POST", "/workspaces", `{"name":"x","slug":"default"}`).wantError(t, http.StatusBadRequest, "taken")
	e.mgmt("PATCH", "/workspaces/"+b.ID, `{"slug":"team-a"}`).wantError(t, http.StatusBadRequest, "taken")
	e.mgmt("POST", "/workspaces", `{"name":"x","slug":"Bad--Slug"}`).wantError(t, http.StatusBadRequest)
	// Keeping its own slug is no conflict.
	e.wantOK(e.mgmt("PATCH", "/workspaces/team-b", `{"slug":"team-b","name":"Bee"}`))
}

func TestUnknownIDsGet404(t *testing.T) {
	e := newEnv(t)
	g := e.guardrail(`{"name":"g"}`)
	key := e.create(`{"name":"k"}`)
	for _, tc := range []struct{ method, path, body string }{
		{"GET", "/guardrails/" + unknownUUID, ""},
		{"PATCH", "/guardrails/" + unknownUUID, `{"name":"x"}`},
		{"DELETE", "/guardrails/" + unknownUUID, ""},
		{"GET", "/guardrails/" + unknownUUID + "/assignments/keys", ""},
		{"POST", "/guardrails/" + unknownUUID + "/assignments/keys", fmt.Sprintf(`{"key_hashes":[%q]}`, key.Data.Hash)},
		{"POST", "/guardrails/" + unknownUUID + "/assignments/keys/remove", `{"key_hashes":["x"]}`},
		{"GET", "/guardrails/" + unknownUUID + "/assignments/members", ""},
		{"POST", "/guardrails/" + unknownUUID + "/assignments/members", `{"member_user_ids":["u"]}`},
		{"POST", "/guardrails/" + unknownUUID + "/assignments/members/remove", `{"member_user_ids":["u"]}`},
		{"POST", "/guardrails/" + g.ID + "/assignments/keys", `{"key_hashes":["` + strings.Repeat("0", 64) + `"]}`},
		{"POST", "/guardrails/" + g.ID + "/assignments/members", `{"member_user_ids":["user_nobody"]}`},
		{"GET", "/workspaces/nope", ""},
		{"GET", "/workspaces/" + unknownUUID, ""},
		{"PATCH", "/workspaces/nope", `{"name":"x"}`},
		{"DELETE", "/workspaces/nope", ""},
		{"GET", "/workspaces/nope/members", ""},
		{"POST", "/workspaces/nope/members/add", `{"user_ids":["u"]}`},
		{"POST", "/workspaces/nope/members/remove", `{"user_ids":["u"]}`},
		{"POST", "/workspaces/default/members/add", `{"user_ids":["user_nobody"]}`},
		{"GET", "/workspaces/nope/budgets", ""},
		{"GET", "/workspaces/nope/budgets/daily", ""},
		{"PUT", "/workspaces/nope/budgets/daily", `{"limit_usd":1}`},
		{"DELETE", "/workspaces/nope/budgets/daily", ""},
	} {
		r := e.mgmt(tc.method, tc.path, tc.body)
		if r.Status != http.StatusNotFound {
			t.Errorf("%s %s: %d %s, want 404", tc.method, tc.path, r.Status, r.Body)
		}
	}
	// A guardrail id that is no UUID is a bad request, not an unknown one.
	e.mgmt("GET", "/guardrails/not-a-uuid", "").wantError(t, http.StatusBadRequest)
}

// planeOperations is one request to each management-plane operation.
var planeOperations = []struct{ method, path, body string }{
	{"GET", "/guardrails", ""},
	{"POST", "/guardrails", `{"name":"g"}`},
	{"GET", "/guardrails/" + unknownUUID, ""},
	{"PATCH", "/guardrails/" + unknownUUID, `{"name":"x"}`},
	{"DELETE", "/guardrails/" + unknownUUID, ""},
	{"GET", "/guardrails/" + unknownUUID + "/assignments/keys", ""},
	{"POST", "/guardrails/" + unknownUUID + "/assignments/keys", `{"key_hashes":["h"]}`},
	{"POST", "/guardrails/" + unknownUUID + "/assignments/keys/remove", `{"key_hashes":["h"]}`},
	{"GET", "/guardrails/" + unknownUUID + "/assignments/members", ""},
	{"POST", "/guardrails/" + unknownUUID + "/assignments/members", `{"member_user_ids":["u"]}`},
	{"POST", "/guardrails/" + unknownUUID + "/assignments/members/remove", `{"member_user_ids":["u"]}`},
	{"GET", "/guardrails/assignments/keys", ""},
	{"GET", "/guardrails/assignments/members", ""},
	{"GET", "/organization/members", ""},
	{"GET", "/workspaces", ""},
	{"POST", "/workspaces", `{"name":"w","slug":"w"}`},
	{"GET", "/workspaces/default", ""},
	{"PATCH", "/workspaces/default", `{"name":"x"}`},
	{"DELETE", "/workspaces/w", ""},
	{"GET", "/workspaces/default/members", ""},
	{"POST", "/workspaces/default/members/add", `{"user_ids":["u"]}`},
	{"POST", "/workspaces/default/members/remove", `{"user_ids":["u"]}`},
	{"GET", "/workspaces/default/budgets", ""},
	{"GET", "/workspaces/default/budgets/daily", ""},
	{"PUT", "/workspaces/default/budgets/daily", `{"limit_usd":1}`},
	{"DELETE", "/workspaces/default/budgets/daily", ""},
}

func TestPlaneNeedsAManagementKey(t *testing.T) {
	e := newEnv(t)
	regular := e.create(`{"name":"inference"}`).Key.Reveal()
	for _, op := range planeOperations {
		e.do(op.method, op.path, regular, op.body).wantError(t, http.StatusForbidden, "management")
		e.do(op.method, op.path, "", op.body).wantError(t, http.StatusUnauthorized)
	}
	if n := len(decode[gen.ListGuardrailsResponse](t, e.mgmt("GET", "/guardrails", "")).Data); n != 0 {
		t.Errorf("a refused create made %d guardrails", n)
	}
}

func TestGuardrailLimitNeedsAResetInterval(t *testing.T) {
	e := newEnv(t)
	e.mgmt("POST", "/guardrails", `{"name":"g","limit_usd":5}`).wantError(t, http.StatusBadRequest, "reset_interval")
	g := e.guardrail(`{"name":"g","limit_usd":5,"reset_interval":"weekly"}`)
	e.mgmt("PATCH", "/guardrails/"+g.ID, `{"reset_interval":null}`).wantError(t, http.StatusBadRequest, "reset_interval")
	e.mgmt("POST", "/guardrails", `{"name":"g","limit_usd":-1,"reset_interval":"daily"}`).wantError(t, http.StatusBadRequest)
	// Clearing both together is fine: no limit needs no reset.
	got := decode[gen.UpdateGuardrailResponse](t, e.mgmt("PATCH", "/guardrails/"+g.ID, `{"limit_usd":null,"reset_interval":null}`)).Data
	if got.LimitUsd != nil || got.ResetInterval != nil {
		t.Errorf("after clearing: limit %v reset %v", got.LimitUsd, got.ResetInterval)
	}
}

func TestGuardrailPatchSemantics(t *testing.T) {
	e := newEnv(t)
	g := e.guardrail(`{"name":"g","description":"d","allowed_providers":["openai","anthropic"],"allowed_models":["openai/gpt-4.1"],
		"enforce_zdr":true,"enforce_zdr_openai":false,"content_filter_builtins":[{"slug":"credit-card","action":"redact"}]}`)
	if g.EnforceZdrOpenai == nil || *g.EnforceZdrOpenai || g.EnforceZdrAnthropic == nil || !*g.EnforceZdrAnthropic {
		t.Errorf("enforce_zdr did not fill only the unset switches: %+v", g)
	}
	if b := *g.ContentFilterBuiltins; len(b) != 1 || b[0].Label == nil || *b[0].Label != "[CREDIT_CARD]" {
		t.Errorf("builtin filter = %+v, want a label chosen by the fake", b)
	}
	if g.WorkspaceID == nil || *g.WorkspaceID != fake.DefaultWorkspaceID || g.UpdatedAt != nil {
		t.Errorf("new guardrail: workspace %v, updated_at %v", g.WorkspaceID, g.UpdatedAt)
	}
	got := decode[gen.UpdateGuardrailResponse](t, e.mgmt("PATCH", "/guardrails/"+g.ID, `{"allowed_providers":["google"],"allowed_models":null}`)).Data
	if !slices.Equal(*got.AllowedProviders, []string{"google"}) {
		t.Errorf("allowed_providers = %v, want the list replaced whole", *got.AllowedProviders)
	}
	if got.AllowedModels != nil {
		t.Errorf("allowed_models = %v, want cleared by null", *got.AllowedModels)
	}
	if got.Description == nil || *got.Description != "d" || got.Name != "g" {
		t.Errorf("absent fields changed: %+v", got)
	}
	if got.UpdatedAt == nil {
		t.Error("updated_at not set")
	}
	// An empty list is no list: the API refuses it.
	e.mgmt("PATCH", "/guardrails/"+g.ID, `{"allowed_providers":[]}`).wantError(t, http.StatusBadRequest)
}

func TestGuardrailsListByWorkspace(t *testing.T) {
	e := newEnv(t)
	ws := e.workspace("Team", "team")
	for i := range 3 {
		e.guardrail(fmt.Sprintf(`{"name":"d%d"}`, i))
	}
	e.guardrail(fmt.Sprintf(`{"name":"t","workspace_id":%q}`, ws.ID))
	page := decode[gen.ListGuardrailsResponse](t, e.mgmt("GET", "/guardrails?offset=1&limit=1", ""))
	if page.TotalCount != 3 || len(page.Data) != 1 || page.Data[0].Name != "d1" {
		t.Errorf("second page of one = %+v", page)
	}
	team := decode[gen.ListGuardrailsResponse](t, e.mgmt("GET", "/guardrails?workspace_id="+ws.ID, ""))
	if team.TotalCount != 1 || team.Data[0].Name != "t" {
		t.Errorf("team guardrails = %+v", team)
	}
	e.mgmt("POST", "/guardrails", `{"name":"x","workspace_id":"`+unknownUUID+`"}`).wantError(t, http.StatusBadRequest, "workspace")
	e.mgmt("GET", "/guardrails?limit=101", "").wantError(t, http.StatusBadRequest)
}

func TestMembers(t *testing.T) {
	e := newEnv(t)
	for _, id := range []string{"user_a", "user_b"} {
		if err := e.srv.AddMember(gen.OrganizationMember{ID: id, Email: id + "@example.com"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.srv.AddMember(gen.OrganizationMember{ID: "user_a", Email: "again@example.com"}); err == nil {
		t.Error("AddMember accepted a member twice")
	}
	org := decode[gen.ListOrganizationMembersResponse](t, e.mgmt("GET", "/organization/members", ""))
	if org.TotalCount != 3 || org.Data[0].ID != fake.DefaultCreatorUserID || org.Data[0].Role != fake.RoleAdmin || org.Data[1].Role != fake.RoleMember {
		t.Fatalf("organization members = %+v", org)
	}
	if n := decode[gen.ListWorkspaceMembersResponse](t, e.mgmt("GET", "/workspaces/default/members", "")).TotalCount; n != 3 {
		t.Errorf("default workspace members = %d, want every organization member", n)
	}
	ws := e.workspace("Team", "team")
	added := decode[gen.BulkAddWorkspaceMembersResponse](t, e.mgmt("POST", "/workspaces/team/members/add", `{"user_ids":["user_a","user_b"]}`))
	if added.AddedCount != 2 || len(added.Data) != 2 || added.Data[0].WorkspaceID != ws.ID {
		t.Errorf("add = %+v", added)
	}
	e.create(fmt.Sprintf(`{"name":"a-key","workspace_id":%q,"creator_user_id":"user_a"}`, ws.ID))
	e.mgmt("POST", "/workspaces/team/members/remove", `{"user_ids":["user_a"]}`).wantError(t, http.StatusBadRequest, "active API keys")
	if n := decode[gen.BulkRemoveWorkspaceMembersResponse](t, e.mgmt("POST", "/workspaces/team/members/remove", `{"user_ids":["user_b","user_nobody"]}`)).RemovedCount; n != 1 {
		t.Errorf("removed_count = %d, want 1", n)
	}
	e.mgmt("POST", "/workspaces/default/members/remove", `{"user_ids":["user_b"]}`).wantError(t, http.StatusBadRequest, "default workspace")
	got := decode[gen.ListWorkspaceMembersResponse](t, e.mgmt("GET", "/workspaces/team/members", ""))
	if got.TotalCount != 1 || got.Data[0].UserID != "user_a" {
		t.Errorf("team members = %+v", got)
	}
	// Member guardrails: several per member, each assignment once.
	g := e.guardrail(`{"name":"g"}`)
	body := `{"member_user_ids":["user_a","user_b"]}`
	if n := decode[gen.BulkAssignMembersResponse](t, e.mgmt("POST", "/guardrails/"+g.ID+"/assignments/members", body)).AssignedCount; n != 2 {
		t.Errorf("assigned %d members", n)
	}
	if n := decode[gen.BulkUnassignMembersResponse](t, e.mgmt("POST", "/guardrails/"+g.ID+"/assignments/members/remove", `{"member_user_ids":["user_b"]}`)).UnassignedCount; n != 1 {
		t.Errorf("unassigned %d members", n)
	}
	left := decode[gen.ListMemberAssignmentsResponse](t, e.mgmt("GET", "/guardrails/"+g.ID+"/assignments/members", ""))
	if left.TotalCount != 1 || left.Data[0].UserID != "user_a" || left.Data[0].OrganizationID != fake.DefaultOrganizationID {
		t.Errorf("member assignments = %+v", left)
	}
}

func TestPlaneSeeding(t *testing.T) {
	e := newEnv(t)
	ws, err := e.srv.AddWorkspace(gen.CreateWorkspaceRequest{Name: "Seeded", Slug: "seeded"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.srv.AddWorkspace(gen.CreateWorkspaceRequest{Name: "Again", Slug: "seeded"}); err == nil {
		t.Error("AddWorkspace accepted a taken slug")
	}
	if err := e.srv.SetBudget("seeded", gen.WorkspaceBudgetIntervalMonthly, 20); err != nil {
		t.Fatal(err)
	}
	if err := e.srv.SetBudget("seeded", gen.WorkspaceBudgetIntervalDaily, 30); err == nil {
		t.Error("SetBudget accepted a daily budget over the monthly one")
	}
	limit, monthly := 5.0, gen.GuardrailIntervalMonthly
	g, err := e.srv.AddGuardrail(gen.CreateGuardrailRequest{Name: "cap", LimitUsd: &limit, ResetInterval: &monthly, WorkspaceID: &ws.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.srv.AddGuardrail(gen.CreateGuardrailRequest{Name: "cap", LimitUsd: &limit}); err == nil {
		t.Error("AddGuardrail accepted a limit without reset interval")
	}
	if got := decode[gen.GetGuardrailResponse](t, e.mgmt("GET", "/guardrails/"+g.ID, "")).Data; got.Name != "cap" || *got.WorkspaceID != ws.ID {
		t.Errorf("seeded guardrail = %+v", got)
	}
	if n := len(e.srv.Requests()); n != 1 {
		t.Errorf("seeding recorded requests: %d, want only the GET", n)
	}
}

// A workspace's default guardrail exists once first configured by PATCH,
// as upstream: GET is 404 before, and its name is not the caller's.
func TestWorkspaceDefaultGuardrail(t *testing.T) {
	e := newEnv(t)
	ws := e.workspace("Team", "team")
	path := "/guardrails/" + ws.DefaultGuardrailID
	e.mgmt("GET", path, "").wantError(t, http.StatusNotFound)
	g := decode[gen.UpdateGuardrailResponse](t, e.mgmt("PATCH", path, `{"allowed_providers":["openai"]}`)).Data
	if g.ID != ws.DefaultGuardrailID || *g.WorkspaceID != ws.ID || !strings.Contains(g.Name, "Team") {
		t.Errorf("materialized %+v", g)
	}
	e.wantOK(e.mgmt("GET", path, ""))
	e.mgmt("PATCH", path, `{"name":"mine"}`).wantError(t, http.StatusBadRequest, "name")
	e.mgmt("PATCH", "/guardrails/"+unknownUUID, `{"name":"x"}`).wantError(t, http.StatusNotFound)
	// A refused first PATCH materializes nothing.
	other := e.workspace("Other", "other")
	e.mgmt("PATCH", "/guardrails/"+other.DefaultGuardrailID, `{"limit_usd":5}`).wantError(t, http.StatusBadRequest)
	e.mgmt("GET", "/guardrails/"+other.DefaultGuardrailID, "").wantError(t, http.StatusNotFound)
}
