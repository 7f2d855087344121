package facade_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/fake"
	"github.com/orkeys/orkeys/gen"
	"github.com/orkeys/orkeys/secret"
)

// One table-driven harness for the management plane's operations: each
// planeOp runs against the fake for its success path, then against the
// fake's scripted faults for each failure path, and with bad input for its
// checks.

// planeFixture is a fake seeded with one of everything an operation may
// name: a workspace (slug "team", no keys) with a member and a monthly
// budget, a guardrail, a key, the key assigned to the guardrail and the
// member to a second one.
type planeFixture struct {
	srv       *fake.Server
	workspace gen.Workspace
	guardrail gen.Guardrail
	keyHash   string
	member    string
	byok      gen.BYOKKey
}

func newPlaneFixture(t *testing.T) *planeFixture {
	t.Helper()
	srv := fake.NewServer()
	t.Cleanup(srv.Close)
	f := &planeFixture{srv: srv, member: "user_alice"}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(srv.AddMember(gen.OrganizationMember{ID: f.member, Email: "alice@example.com"}))
	var err error
	f.workspace, err = srv.AddWorkspace(gen.CreateWorkspaceRequest{Name: "Team", Slug: "team"})
	must(err)
	must(srv.SetBudget("team", facade.BudgetMonthly, 100))
	f.guardrail, err = srv.AddGuardrail(gen.CreateGuardrailRequest{Name: "cap"})
	must(err)
	k, err := srv.AddKey(gen.CreateKeysRequestBody{Name: "k"})
	must(err)
	f.keyHash = k.Data.Hash
	// A second guardrail, assigned to the member.
	must(srv.LoadSeed([]byte(fmt.Sprintf(`{"guardrails":[{"name":"other","members":[%q]}]}`, f.member))))
	c := f.client(t)
	if _, err := c.Workspaces.BulkAddMembers(t.Context(), facade.BulkAddWorkspaceMembersRequest{ID: "team",
		RequestBody: facade.BulkAddWorkspaceMembersRequestBody{UserIds: []string{f.member}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Guardrails.BulkAssignKeys(t.Context(), facade.BulkAssignKeysToGuardrailRequest{ID: f.guardrail.ID,
		RequestBody: facade.BulkAssignKeysRequestBody{KeyHashes: []string{f.keyHash}}}); err != nil {
		t.Fatal(err)
	}
	b, err := c.BYOK.Create(t.Context(), facade.CreateBYOKKeyRequest{RequestBody: facade.CreateBYOKKeyRequestBody{
		Provider: "openai", Key: secret.New(providerKey), AllowedModels: &[]string{"openai/gpt-4.1"}}})
	if err != nil {
		t.Fatal(err)
	}
	f.byok = b.Data
	srv.ResetRequests()
	return f
}

// providerKey is a provider's key as a user brings it.
const providerKey = "sk-proj-PROVIDERSECRET0123456789abcdefXYZ9"

// client talks to the fixture's fake with its management key, without
// retries unless opts say otherwise.
func (f *planeFixture) client(t *testing.T, opts ...facade.Option) *facade.Client {
	t.Helper()
	base := []facade.Option{
		facade.WithServerURL(f.srv.URL),
		facade.WithAPIKey(f.srv.ManagementKey),
		facade.WithRetryConfig(facade.RetryConfig{Strategy: facade.StrategyNone}),
	}
	c, err := facade.New(append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// planeOp is one operation in the harness. call runs it with valid input
// naming the fixture's things and checks its answer; bad holds inputs it
// must refuse before sending.
type planeOp struct {
	name         string
	method, path string // path as the fake's Fault.Path matches it
	create       bool   // follows the create rule
	call         func(ctx context.Context, c *facade.Client, f *planeFixture) error
	bad          map[string]func(ctx context.Context, c *facade.Client, f *planeFixture) error
}

const noSuchUUID = "0df9e665-d932-4740-b2c7-b52af166bc11"

// expect fails with what when ok is false.
func expect(ok bool, format string, args ...any) error {
	if ok {
		return nil
	}
	return fmt.Errorf(format, args...)
}

var planeOps = []planeOp{
	{
		name: "GuardrailsList", method: "GET", path: "/guardrails",
		call: func(ctx context.Context, c *facade.Client, f *planeFixture) error {
			v, err := c.Guardrails.List(ctx, facade.ListGuardrailsRequest{})
			if err != nil {
				return err
			}
			return expect(v.TotalCount == 2 && len(v.Data) == 2, "list = %+v", v)
		},
		bad: map[string]func(context.Context, *facade.Client, *planeFixture) error{
			"negative offset": func(ctx context.Context, c *facade.Client, _ *planeFixture) error {
				_, err := c.Guardrails.List(ctx, facade.ListGuardrailsRequest{Offset: facade.Ptr(-1)})
				return err
			},
			"limit over 100": func(ctx context.Context, c *facade.Client, _ *planeFixture) error {
				_, err := c.Guardrails.List(ctx, facade.ListGuardrailsRequest{Limit: facade.Ptr(101)})
				return err
			},
			"workspace id no UUID": func(ctx context.Context, c *facade.Client, _ *planeFixture) error {
				_, err := c.Guardrails.List(ctx, facade.ListGuardrailsRequest{WorkspaceID: facade.Ptr("team")})
				return err
			},
		},
	},
	{
		name: "GuardrailsCreate", method: "POST", path: "/guardrails", create: true,
		call: func(ctx context.Context, c *facade.Client, f *planeFixture) error {
			v, err := c.Guardrails.Create(ctx, facade.CreateGuardrailRequest{RequestBody: facade.CreateGuardrailRequestBody{
				Name: "new", LimitUsd: facade.Ptr(5.0), ResetInterval: facade.Ptr(facade.GuardrailIntervalWeekly), WorkspaceID: &f.workspace.ID,
				AllowedProviders: &[]string{"openai"},
			}})
			if err != nil {
				return err
			}
			return expect(v.Data.ID != "" && *v.Data.WorkspaceID == f.workspace.ID && *v.Data.LimitUsd == 5, "created %+v", v.Data)
		},
		bad: map[string]func(context.Context, *facade.Client, *planeFixture) error{
			"limit without reset interval": func(ctx context.Context, c *facade.Client, _ *planeFixture) error {
				_, err := c.Guardrails.Create(ctx, facade.CreateGuardrailRequest{RequestBody: facade.CreateGuardrailRequestBody{Name: "g", LimitUsd: facade.Ptr(5.0)}})
				return err
			},
			"negative limit": func(ctx context.Context, c *facade.Client, _ *planeFixture) error {
				_, err := c.Guardrails.Create(ctx, facade.CreateGuardrailRequest{RequestBody: facade.CreateGuardrailRequestBody{
					Name: "g", LimitUsd: facade.Ptr(-1.0), ResetInterval: facade.Ptr(facade.GuardrailIntervalDaily)}})
				return err
			},
			"unknown reset interval": func(ctx context.Context, c *facade.Client, _ *planeFixture) error {
				_, err := c.Guardrails.Create(ctx, facade.CreateGuardrailRequest{RequestBody: facade.CreateGuardrailRequestBody{
					Name: "g", ResetInterval: facade.Ptr(facade.GuardrailInterval("yearly"))}})
				return err
			},
			"empty name": func(ctx context.Context, c *facade.Client, _ *planeFixture) error {
				_, err := c.Guardrails.Create(ctx, facade.CreateGuardrailRequest{})
				return err
			},
			"empty provider list": func(ctx context.Context, c *facade.Client, _ *planeFixture) error {
				_, err := c.Guardrails.Create(ctx, facade.CreateGuardrailRequest{RequestBody: facade.CreateGuardrailRequestBody{Name: "g", AllowedProviders: &[]string{}}})
				return err
			},
			"workspace id no UUID": func(ctx context.Context, c *facade.Client, _ *planeFixture) error {
				_, err := c.Guardrails.Create(ctx, facade.CreateGuardrailRequest{RequestBody: facade.CreateGuardrailRequestBody{Name: "g", WorkspaceID: facade.Ptr("team")}})
				return err
			},
		},
	},
	{
		name: "GuardrailsGet", method: "GET", path: "/guardrails/{id}",
		call: func(ctx context.Context, c *facade.Client, f *planeFixture) error {
			v, err := c.Guardrails.Get(ctx, facade.GetGuardrailRequest{ID: f.guardrail.ID})
			if err != nil {
				return err
			}
			return expect(v.Data.Name == "cap", "got %+v", v.Data)
		},
		bad: badGuardrailID(func(ctx context.Context, c *facade.Client, id string) error {
			_, err := c.Guardrails.Get(ctx, facade.GetGuardrailRequest{ID: id})
			return err
		}),
	},
	{
		name: "GuardrailsUpdate", method: "PATCH", path: "/guardrails/{id}",
		call: func(ctx context.Context, c *facade.Client, f *planeFixture) error {
			v, err := c.Guardrails.Update(ctx, facade.UpdateGuardrailRequest{ID: f.guardrail.ID, RequestBody: facade.UpdateGuardrailRequestBody{
				Description: facade.Value("d"), AllowedModels: facade.Value([]string{"openai/gpt-4.1"}),
			}})
			if err != nil {
				return err
			}
			return expect(*v.Data.Description == "d" && len(*v.Data.AllowedModels) == 1, "updated %+v", v.Data)
		},
		bad: mergeBad(badGuardrailID(func(ctx context.Context, c *facade.Client, id string) error {
			_, err := c.Guardrails.Update(ctx, facade.UpdateGuardrailRequest{ID: id, RequestBody: facade.UpdateGuardrailRequestBody{Name: facade.Ptr("n")}})
			return err
		}), map[string]func(context.Context, *facade.Client, *planeFixture) error{
			"changes nothing": func(ctx context.Context, c *facade.Client, f *planeFixture) error {
				_, err := c.Guardrails.Update(ctx, facade.UpdateGuardrailRequest{ID: f.guardrail.ID})
				return err
			},
			"limit with reset cleared": func(ctx context.Context, c *facade.Client, f *planeFixture) error {
				_, err := c.Guardrails.Update(ctx, facade.UpdateGuardrailRequest{ID: f.guardrail.ID, RequestBody: facade.UpdateGuardrailRequestBody{
					LimitUsd: facade.Value(5.0), ResetInterval: facade.Null[facade.GuardrailInterval]()}})
				return err
			},
			"empty model list": func(ctx context.Context, c *facade.Client, f *planeFixture) error {
				_, err := c.Guardrails.Update(ctx, facade.UpdateGuardrailRequest{ID: f.guardrail.ID, RequestBody: facade.UpdateGuardrailRequestBody{
					AllowedModels: facade.Value([]string{})}})
				return err
			},
		}),
	},
	{
		name: "GuardrailsDelete", method: "DELETE", path: "/guardrails/{id}",
		call: func(ctx context.Context, c *facade.Client, f *planeFixture) error {
			v, err := c.Guardrails.Delete(ctx, facade.DeleteGuardrailRequest{ID: f.guardrail.ID})
			if err != nil {
				return err
			}
			return expect(v.Deleted, "deleted = false")
		},
		bad: badGuardrailID(func(ctx context.Context, c *facade.Client, id string) error {
			_, err := c.Guardrails.Delete(ctx, facade.DeleteGuardrailRequest{ID: id})
			return err
		}),
	},
	bulkGuardrailOp("GuardrailsBulkAssignKeys", "/guardrails/{id}/assignments/keys", func(ctx context.Context, c *facade.Client, id string, ids []string) (int, error) {
		v, err := c.Guardrails.BulkAssignKeys(ctx, facade.BulkAssignKeysToGuardrailRequest{ID: id, RequestBody: facade.BulkAssignKeysRequestBody{KeyHashes: ids}})
		if err != nil {
			return 0, err
		}
		return v.AssignedCount, nil
	}, func(f *planeFixture) ([]string, int) { return []string{f.keyHash}, 0 }),
	bulkGuardrailOp("GuardrailsBulkUnassignKeys", "/guardrails/{id}/assignments/keys/remove", func(ctx context.Context, c *facade.Client, id string, ids []string) (int, error) {
		v, err := c.Guardrails.BulkUnassignKeys(ctx, facade.BulkUnassignKeysFromGuardrailRequest{ID: id, RequestBody: facade.BulkUnassignKeysRequestBody{KeyHashes: ids}})
		if err != nil {
			return 0, err
		}
		return v.UnassignedCount, nil
	}, func(f *planeFixture) ([]string, int) { return []string{f.keyHash}, 1 }),
	bulkGuardrailOp("GuardrailsBulkAssignMembers", "/guardrails/{id}/assignments/members", func(ctx context.Context, c *facade.Client, id string, ids []string) (int, error) {
		v, err := c.Guardrails.BulkAssignMembers(ctx, facade.BulkAssignMembersToGuardrailRequest{ID: id, RequestBody: facade.BulkAssignMembersRequestBody{MemberUserIds: ids}})
		if err != nil {
			return 0, err
		}
		return v.AssignedCount, nil
	}, func(f *planeFixture) ([]string, int) { return []string{f.member}, 1 }),
	bulkGuardrailOp("GuardrailsBulkUnassignMembers", "/guardrails/{id}/assignments/members/remove", func(ctx context.Context, c *facade.Client, id string, ids []string) (int, error) {
		v, err := c.Guardrails.BulkUnassignMembers(ctx, facade.BulkUnassignMembersFromGuardrailRequest{ID: id, RequestBody: facade.BulkUnassignMembersRequestBody{MemberUserIds: ids}})
		if err != nil {
			return 0, err
		}
		return v.UnassignedCount, nil
	}, func(f *planeFixture) ([]string, int) { return []string{f.member}, 0 }),
	{
		name: "GuardrailsListGuardrailKeyAssignments", method: "GET", path: "/guardrails/{id}/assignments/keys",
		call: func(ctx context.Context, c *facade.Client, f *planeFixture) error {
			v, err := c.Guardrails.ListGuardrailKeyAssignments(ctx, facade.ListGuardrailKeyAssignmentsRequest{ID: f.guardrail.ID})
			if err != nil {
				return err
			}
			return expect(v.TotalCount == 1 && v.Data[0].KeyHash == f.keyHash, "assignments %+v", v)
		},
		bad: badGuardrailID(func(ctx context.Context, c *facade.Client, id string) error {
			_, err := c.Guardrails.ListGuardrailKeyAssignments(ctx, facade.ListGuardrailKeyAssignmentsRequest{ID: id})
			return err
		}),
	},
	{
		name: "GuardrailsListGuardrailMemberAssignments", method: "GET", path: "/guardrails/{id}/assignments/members",
		call: func(ctx context.Context, c *facade.Client, f *planeFixture) error {
			v, err := c.Guardrails.ListGuardrailMemberAssignments(ctx, facade.ListGuardrailMemberAssignmentsRequest{ID: f.guardrail.ID, Limit: facade.Ptr(10)})
			if err != nil {
				return err
			}
			return expect(v.TotalCount == 0 && v.Data != nil, "assignments %+v", v)
		},
		bad: badGuardrailID(func(ctx context.Context, c *facade.Client, id string) error {
			_, err := c.Guardrails.ListGuardrailMemberAssignments(ctx, facade.ListGuardrailMemberAssignmentsRequest{ID: id})
			return err
		}),
	},
	{
		name: "GuardrailsListKeyAssignments", method: "GET", path: "/guardrails/assignments/keys",
		call: func(ctx context.Context, c *facade.Client, f *planeFixture) error {
			v, err := c.Guardrails.ListKeyAssignments(ctx, facade.ListKeyAssignmentsRequest{})
			if err != nil {
				return err
			}
			return expect(v.TotalCount == 1, "assignments %+v", v)
		},
		bad: badPage(func(ctx context.Context, c *facade.Client, offset, limit *int) error {
			_, err := c.Guardrails.ListKeyAssignments(ctx, facade.ListKeyAssignmentsRequest{Offset: offset, Limit: limit})
			return err
		}),
	},
	{
		name: "GuardrailsListMemberAssignments", method: "GET", path: "/guardrails/assignments/members",
		call: func(ctx context.Context, c *facade.Client, f *planeFixture) error {
			v, err := c.Guardrails.ListMemberAssignments(ctx, facade.ListMemberAssignmentsRequest{})
			if err != nil {
				return err
			}
			return expect(v.TotalCount == 1 && v.Data[0].UserID == f.member, "assignments %+v", v)
		},
		bad: badPage(func(ctx context.Context, c *facade.Client, offset, limit *int) error {
			_, err := c.Guardrails.ListMemberAssignments(ctx, facade.ListMemberAssignmentsRequest{Offset: offset, Limit: limit})
			return err
		}),
	},
	{
		name: "WorkspacesList", method: "GET", path: "/workspaces",
		call: func(ctx context.Context, c *facade.Client, f *planeFixture) error {
			v, err := c.Workspaces.List(ctx, facade.ListWorkspacesRequest{})
			if err != nil {
				return err
			}
			return expect(v.TotalCount == 2, "workspaces %+v", v)
		},
		bad: badPage(func(ctx context.Context, c *facade.Client, offset, limit *int) error {
			_, err := c.Workspaces.List(ctx, facade.ListWorkspacesRequest{Offset: offset, Limit: limit})
			return err
		}),
	},
	{
		name: "WorkspacesCreate", method: "POST", path: "/workspaces", create: true,
		call: func(ctx context.Context, c *facade.Client, f *planeFixture) error {
			v, err := c.Workspaces.Create(ctx, facade.CreateWorkspaceRequest{RequestBody: facade.CreateWorkspaceRequestBody{Name: "Ops", Slug: "ops"}})
			if err != nil {
				return err
			}
			return expect(v.Data.Slug == "ops" && v.Data.ID != "", "created %+v", v.Data)
		},
		bad: map[string]func(context.Context, *facade.Client, *planeFixture) error{
			"bad slug": func(ctx context.Context, c *facade.Client, _ *planeFixture) error {
				_, err := c.Workspaces.Create(ctx, facade.CreateWorkspaceRequest{RequestBody: facade.CreateWorkspaceRequestBody{Name: "Ops", Slug: "Ops Team"}})
				return err
			},
			"empty name": func(ctx context.Context, c *facade.Client, _ *planeFixture) error {
				_, err := c.Workspaces.Create(ctx, facade.CreateWorkspaceRequest{RequestBody: facade.CreateWorkspaceRequestBody{Slug: "ops"}})
				return err
			},
		},
	},
	{
		name: "WorkspacesGet", method: "GET", path: "/workspaces/{id}",
		call: func(ctx context.Context, c *facade.Client, f *planeFixture) error {
			for _, ref := range []string{"team", f.workspace.ID} {
				v, err := c.Workspaces.Get(ctx, facade.GetWorkspaceRequest{ID: ref})
				if err != nil {
					return err
				}
				if v.Data.ID != f.workspace.ID {
					return fmt.Errorf("get %s = %+v", ref, v.Data)
				}
			}
			return nil
		},
		bad: badWorkspaceRef(func(ctx context.Context, c *facade.Client, ref string) error {
			_, err := c.Workspaces.Get(ctx, facade.GetWorkspaceRequest{ID: ref})
			return err
		}),
	},
	{
		name: "WorkspacesUpdate", method: "PATCH", path: "/workspaces/{id}",
		call: func(ctx context.Context, c *facade.Client, f *planeFixture) error {
			v, err := c.Workspaces.Update(ctx, facade.UpdateWorkspaceRequest{ID: "team", RequestBody: facade.UpdateWorkspaceRequestBody{
				Slug: facade.Ptr("team-2"), Description: facade.Null[string]()}})
			if err != nil {
				return err
			}
			return expect(v.Data.Slug == "team-2" && v.Data.Description == nil, "updated %+v", v.Data)
		},
		bad: mergeBad(badWorkspaceRef(func(ctx context.Context, c *facade.Client, ref string) error {
			_, err := c.Workspaces.Update(ctx, facade.UpdateWorkspaceRequest{ID: ref, RequestBody: facade.UpdateWorkspaceRequestBody{Name: facade.Ptr("n")}})
			return err
		}), map[string]func(context.Context, *facade.Client, *planeFixture) error{
			"changes nothing": func(ctx context.Context, c *facade.Client, _ *planeFixture) error {
				_, err := c.Workspaces.Update(ctx, facade.UpdateWorkspaceRequest{ID: "team"})
				return err
			},
			"bad slug": func(ctx context.Context, c *facade.Client, _ *planeFixture) error {
				_, err := c.Workspaces.Update(ctx, facade.UpdateWorkspaceRequest{ID: "team", RequestBody: facade.UpdateWorkspaceRequestBody{Slug: facade.Ptr("-x")}})
				return err
			},
		}),
	},
	{
		name: "WorkspacesDelete", method: "DELETE", path: "/workspaces/{id}",
		call: func(ctx context.Context, c *facade.Client, f *planeFixture) error {
			// The workspace holds no key (TestWorkspacesDeleteWithActiveKeys
			// has the refusal).
			v, err := c.Workspaces.Delete(ctx, facade.DeleteWorkspaceRequest{ID: "team"})
			if err != nil {
				return err
			}
			return expect(v.Deleted, "deleted = false")
		},
		bad: badWorkspaceRef(func(ctx context.Context, c *facade.Client, ref string) error {
			_, err := c.Workspaces.Delete(ctx, facade.DeleteWorkspaceRequest{ID: ref})
			return err
		}),
	},
	{
		name: "WorkspacesListMembers", method: "GET", path: "/workspaces/{id}/members",
		call: func(ctx context.Context, c *facade.Client, f *planeFixture) error {
			v, err := c.Workspaces.ListMembers(ctx, facade.ListWorkspaceMembersRequest{ID: "team"})
			if err != nil {
				return err
			}
			return expect(v.TotalCount == 1 && v.Data[0].UserID == f.member, "members %+v", v)
		},
		bad: mergeBad(badWorkspaceRef(func(ctx context.Context, c *facade.Client, ref string) error {
			_, err := c.Workspaces.ListMembers(ctx, facade.ListWorkspaceMembersRequest{ID: ref})
			return err
		}), badPage(func(ctx context.Context, c *facade.Client, offset, limit *int) error {
			_, err := c.Workspaces.ListMembers(ctx, facade.ListWorkspaceMembersRequest{ID: "team", Offset: offset, Limit: limit})
			return err
		})),
	},
	bulkMembersOp("WorkspacesBulkAddMembers", "/workspaces/{id}/members/add", func(ctx context.Context, c *facade.Client, ref string, ids []string) (int, error) {
		v, err := c.Workspaces.BulkAddMembers(ctx, facade.BulkAddWorkspaceMembersRequest{ID: ref, RequestBody: facade.BulkAddWorkspaceMembersRequestBody{UserIds: ids}})
		if err != nil {
			return 0, err
		}
		return v.AddedCount, nil
	}, 0),
	bulkMembersOp("WorkspacesBulkRemoveMembers", "/workspaces/{id}/members/remove", func(ctx context.Context, c *facade.Client, ref string, ids []string) (int, error) {
		v, err := c.Workspaces.BulkRemoveMembers(ctx, facade.BulkRemoveWorkspaceMembersRequest{ID: ref, RequestBody: facade.BulkRemoveWorkspaceMembersRequestBody{UserIds: ids}})
		if err != nil {
			return 0, err
		}
		return v.RemovedCount, nil
	}, 1),
	{
		name: "WorkspacesListBudgets", method: "GET", path: "/workspaces/{id}/budgets",
		call: func(ctx context.Context, c *facade.Client, f *planeFixture) error {
			v, err := c.Workspaces.ListBudgets(ctx, facade.ListWorkspaceBudgetsRequest{ID: "team"})
			if err != nil {
				return err
			}
			return expect(len(v.Data) == 1 && v.Data[0].LimitUsd == 100, "budgets %+v", v)
		},
		bad: badWorkspaceRef(func(ctx context.Context, c *facade.Client, ref string) error {
			_, err := c.Workspaces.ListBudgets(ctx, facade.ListWorkspaceBudgetsRequest{ID: ref})
			return err
		}),
	},
	{
		name: "WorkspacesGetBudget", method: "GET", path: "/workspaces/{id}/budgets/{interval}",
		call: func(ctx context.Context, c *facade.Client, f *planeFixture) error {
			v, err := c.Workspaces.GetBudget(ctx, facade.GetWorkspaceBudgetRequest{ID: "team", Interval: facade.BudgetMonthly})
			if err != nil {
				return err
			}
			return expect(v.Data.LimitUsd == 100 && *v.Data.ResetInterval == facade.GuardrailIntervalMonthly, "budget %+v", v.Data)
		},
		bad: badBudgetRef(func(ctx context.Context, c *facade.Client, ref string, i facade.WorkspaceBudgetInterval) error {
			_, err := c.Workspaces.GetBudget(ctx, facade.GetWorkspaceBudgetRequest{ID: ref, Interval: i})
			return err
		}),
	},
	{
		name: "WorkspacesSetBudget", method: "PUT", path: "/workspaces/{id}/budgets/{interval}",
		call: func(ctx context.Context, c *facade.Client, f *planeFixture) error {
			v, err := c.Workspaces.SetBudget(ctx, facade.UpsertWorkspaceBudgetRequest{ID: "team", Interval: facade.BudgetLifetime,
				RequestBody: facade.UpsertWorkspaceBudgetRequestBody{LimitUsd: 500}})
			if err != nil {
				return err
			}
			if v.Data.LimitUsd != 500 || v.Data.ResetInterval != nil {
				return fmt.Errorf("lifetime budget %+v", v.Data)
			}
			// The API's order rule comes back as a typed 400.
			_, err = c.Workspaces.SetBudget(ctx, facade.UpsertWorkspaceBudgetRequest{ID: "team", Interval: facade.BudgetDaily,
				RequestBody: facade.UpsertWorkspaceBudgetRequestBody{LimitUsd: 200}})
			if e, ok := errors.AsType[*facade.BadRequestResponseError](err); !ok || !strings.Contains(e.Message, "strictly decrease") {
				return fmt.Errorf("daily over monthly: %v, want a 400 naming the order", err)
			}
			return nil
		},
		bad: mergeBad(badBudgetRef(func(ctx context.Context, c *facade.Client, ref string, i facade.WorkspaceBudgetInterval) error {
			_, err := c.Workspaces.SetBudget(ctx, facade.UpsertWorkspaceBudgetRequest{ID: ref, Interval: i, RequestBody: facade.UpsertWorkspaceBudgetRequestBody{LimitUsd: 1}})
			return err
		}), map[string]func(context.Context, *facade.Client, *planeFixture) error{
			"zero limit": func(ctx context.Context, c *facade.Client, _ *planeFixture) error {
				_, err := c.Workspaces.SetBudget(ctx, facade.UpsertWorkspaceBudgetRequest{ID: "team", Interval: facade.BudgetDaily})
				return err
			},
			"negative limit": func(ctx context.Context, c *facade.Client, _ *planeFixture) error {
				_, err := c.Workspaces.SetBudget(ctx, facade.UpsertWorkspaceBudgetRequest{ID: "team", Interval: facade.BudgetDaily,
					RequestBody: facade.UpsertWorkspaceBudgetRequestBody{LimitUsd: -1}})
				return err
			},
		}),
	},
	{
		name: "WorkspacesDeleteBudget", method: "DELETE", path: "/workspaces/{id}/budgets/{interval}",
		call: func(ctx context.Context, c *facade.Client, f *planeFixture) error {
			v, err := c.Workspaces.DeleteBudget(ctx, facade.DeleteWorkspaceBudgetRequest{ID: "team", Interval: facade.BudgetMonthly})
			if err != nil {
				return err
			}
			return expect(v.Deleted, "deleted = false")
		},
		bad: badBudgetRef(func(ctx context.Context, c *facade.Client, ref string, i facade.WorkspaceBudgetInterval) error {
			_, err := c.Workspaces.DeleteBudget(ctx, facade.DeleteWorkspaceBudgetRequest{ID: ref, Interval: i})
			return err
		}),
	},
	{
		name: "BYOKList", method: "GET", path: "/byok",
		call: func(ctx context.Context, c *facade.Client, f *planeFixture) error {
			v, err := c.BYOK.List(ctx, facade.ListBYOKKeysRequest{Provider: facade.Ptr(facade.BYOKProviderSlug("openai"))})
			if err != nil {
				return err
			}
			return expect(v.TotalCount == 1 && v.Data[0].ID == f.byok.ID, "list %+v", v)
		},
		bad: mergeBad(badPage(func(ctx context.Context, c *facade.Client, offset, limit *int) error {
			_, err := c.BYOK.List(ctx, facade.ListBYOKKeysRequest{Offset: offset, Limit: limit})
			return err
		}), badInputs{"workspace id no UUID": func(ctx context.Context, c *facade.Client, _ *planeFixture) error {
			_, err := c.BYOK.List(ctx, facade.ListBYOKKeysRequest{WorkspaceID: facade.Ptr("team")})
			return err
		}}),
	},
	{
		name: "BYOKCreate", method: "POST", path: "/byok", create: true,
		call: func(ctx context.Context, c *facade.Client, f *planeFixture) error {
			v, err := c.BYOK.Create(ctx, facade.CreateBYOKKeyRequest{RequestBody: facade.CreateBYOKKeyRequestBody{
				Provider: "anthropic", Key: secret.New(providerKey), Name: facade.Ptr("claude"), WorkspaceID: &f.workspace.ID}})
			if err != nil {
				return err
			}
			return expect(v.Data.Label != "" && v.Data.Provider == "anthropic" && *v.Data.WorkspaceID == f.workspace.ID, "created %+v", v.Data)
		},
		bad: badInputs{
			"no key": func(ctx context.Context, c *facade.Client, _ *planeFixture) error {
				_, err := c.BYOK.Create(ctx, facade.CreateBYOKKeyRequest{RequestBody: facade.CreateBYOKKeyRequestBody{Provider: "openai"}})
				return err
			},
			"no provider": func(ctx context.Context, c *facade.Client, _ *planeFixture) error {
				_, err := c.BYOK.Create(ctx, facade.CreateBYOKKeyRequest{RequestBody: facade.CreateBYOKKeyRequestBody{Key: secret.New(providerKey)}})
				return err
			},
			"empty list": func(ctx context.Context, c *facade.Client, _ *planeFixture) error {
				_, err := c.BYOK.Create(ctx, facade.CreateBYOKKeyRequest{RequestBody: facade.CreateBYOKKeyRequestBody{
					Provider: "openai", Key: secret.New(providerKey), AllowedUserIds: &[]string{}}})
				return err
			},
			"workspace id no UUID": func(ctx context.Context, c *facade.Client, _ *planeFixture) error {
				_, err := c.BYOK.Create(ctx, facade.CreateBYOKKeyRequest{RequestBody: facade.CreateBYOKKeyRequestBody{
					Provider: "openai", Key: secret.New(providerKey), WorkspaceID: facade.Ptr("team")}})
				return err
			},
		},
	},
	{
		name: "BYOKGet", method: "GET", path: "/byok/{id}",
		call: func(ctx context.Context, c *facade.Client, f *planeFixture) error {
			v, err := c.BYOK.Get(ctx, facade.GetBYOKKeyRequest{ID: f.byok.ID})
			if err != nil {
				return err
			}
			return expect(v.Data.Label == f.byok.Label, "got %+v", v.Data)
		},
		bad: badGuardrailID(func(ctx context.Context, c *facade.Client, id string) error {
			_, err := c.BYOK.Get(ctx, facade.GetBYOKKeyRequest{ID: id})
			return err
		}),
	},
	{
		name: "BYOKUpdate", method: "PATCH", path: "/byok/{id}",
		call: func(ctx context.Context, c *facade.Client, f *planeFixture) error {
			before := f.srv.BYOKKeyHash(f.byok.ID)
			v, err := c.BYOK.Update(ctx, facade.UpdateBYOKKeyRequest{ID: f.byok.ID, RequestBody: facade.UpdateBYOKKeyRequestBody{
				Key: facade.Ptr(secret.New("sk-proj-ROTATED0000000000000000000000abcd")), AllowedModels: facade.Null[[]string]()}})
			if err != nil {
				return err
			}
			return expect(v.Data.AllowedModels == nil && v.Data.Label == "sk-...abcd" && f.srv.BYOKKeyHash(f.byok.ID) != before, "updated %+v", v.Data)
		},
		bad: mergeBad(badGuardrailID(func(ctx context.Context, c *facade.Client, id string) error {
			_, err := c.BYOK.Update(ctx, facade.UpdateBYOKKeyRequest{ID: id, RequestBody: facade.UpdateBYOKKeyRequestBody{Disabled: facade.Ptr(true)}})
			return err
		}), badInputs{
			"changes nothing": func(ctx context.Context, c *facade.Client, f *planeFixture) error {
				_, err := c.BYOK.Update(ctx, facade.UpdateBYOKKeyRequest{ID: f.byok.ID})
				return err
			},
			"empty key": func(ctx context.Context, c *facade.Client, f *planeFixture) error {
				_, err := c.BYOK.Update(ctx, facade.UpdateBYOKKeyRequest{ID: f.byok.ID, RequestBody: facade.UpdateBYOKKeyRequestBody{Key: &secret.Key{}}})
				return err
			},
			"empty list": func(ctx context.Context, c *facade.Client, f *planeFixture) error {
				_, err := c.BYOK.Update(ctx, facade.UpdateBYOKKeyRequest{ID: f.byok.ID, RequestBody: facade.UpdateBYOKKeyRequestBody{AllowedAPIKeyHashes: facade.Value([]string{})}})
				return err
			},
		}),
	},
	{
		name: "BYOKDelete", method: "DELETE", path: "/byok/{id}",
		call: func(ctx context.Context, c *facade.Client, f *planeFixture) error {
			v, err := c.BYOK.Delete(ctx, facade.DeleteBYOKKeyRequest{ID: f.byok.ID})
			if err != nil {
				return err
			}
			return expect(v.Deleted, "deleted = false")
		},
		bad: badGuardrailID(func(ctx context.Context, c *facade.Client, id string) error {
			_, err := c.BYOK.Delete(ctx, facade.DeleteBYOKKeyRequest{ID: id})
			return err
		}),
	},
	{
		name: "OrganizationListMembers", method: "GET", path: "/organization/members",
		call: func(ctx context.Context, c *facade.Client, f *planeFixture) error {
			v, err := c.Organization.ListMembers(ctx, facade.ListOrganizationMembersRequest{})
			if err != nil {
				return err
			}
			return expect(v.TotalCount == 2 && v.Data[1].ID == f.member, "members %+v", v)
		},
		bad: badPage(func(ctx context.Context, c *facade.Client, offset, limit *int) error {
			_, err := c.Organization.ListMembers(ctx, facade.ListOrganizationMembersRequest{Offset: offset, Limit: limit})
			return err
		}),
	},
}

type badInputs = map[string]func(context.Context, *facade.Client, *planeFixture) error

func mergeBad(all ...badInputs) badInputs {
	out := badInputs{}
	for _, m := range all {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

func badGuardrailID(call func(ctx context.Context, c *facade.Client, id string) error) badInputs {
	out := badInputs{}
	for name, id := range map[string]string{"empty id": "", "id no UUID": "cap", "id with a slash": noSuchUUID + "/x"} {
		out[name] = func(ctx context.Context, c *facade.Client, _ *planeFixture) error { return call(ctx, c, id) }
	}
	return out
}

func badWorkspaceRef(call func(ctx context.Context, c *facade.Client, ref string) error) badInputs {
	out := badInputs{}
	for name, ref := range map[string]string{"empty ref": "", "dot ref": "..", "ref with a slash": "team/x", "upper-case slug": "Team"} {
		out[name] = func(ctx context.Context, c *facade.Client, _ *planeFixture) error { return call(ctx, c, ref) }
	}
	return out
}

func badBudgetRef(call func(ctx context.Context, c *facade.Client, ref string, i facade.WorkspaceBudgetInterval) error) badInputs {
	out := badWorkspaceRef(func(ctx context.Context, c *facade.Client, ref string) error {
		return call(ctx, c, ref, facade.BudgetDaily)
	})
	out["unknown interval"] = func(ctx context.Context, c *facade.Client, _ *planeFixture) error {
		return call(ctx, c, "team", "yearly")
	}
	out["empty interval"] = func(ctx context.Context, c *facade.Client, _ *planeFixture) error { return call(ctx, c, "team", "") }
	return out
}

func badPage(call func(ctx context.Context, c *facade.Client, offset, limit *int) error) badInputs {
	return badInputs{
		"negative offset": func(ctx context.Context, c *facade.Client, _ *planeFixture) error {
			return call(ctx, c, facade.Ptr(-1), nil)
		},
		"zero limit": func(ctx context.Context, c *facade.Client, _ *planeFixture) error {
			return call(ctx, c, nil, facade.Ptr(0))
		},
		"limit over 100": func(ctx context.Context, c *facade.Client, _ *planeFixture) error {
			return call(ctx, c, nil, facade.Ptr(101))
		},
	}
}

// bulkGuardrailOp is a bulk (un)assignment: ids gives the fixture's ids to
// send and the count the fake answers for them.
func bulkGuardrailOp(name, path string, do func(ctx context.Context, c *facade.Client, id string, ids []string) (int, error), ids func(*planeFixture) ([]string, int)) planeOp {
	return planeOp{
		name: name, method: "POST", path: path,
		call: func(ctx context.Context, c *facade.Client, f *planeFixture) error {
			send, want := ids(f)
			n, err := do(ctx, c, f.guardrail.ID, send)
			if err != nil {
				return err
			}
			return expect(n == want, "count = %d, want %d", n, want)
		},
		bad: mergeBad(badGuardrailID(func(ctx context.Context, c *facade.Client, id string) error {
			_, err := do(ctx, c, id, []string{"x"})
			return err
		}), badInputs{
			"no ids": func(ctx context.Context, c *facade.Client, f *planeFixture) error {
				_, err := do(ctx, c, f.guardrail.ID, nil)
				return err
			},
			"an empty id": func(ctx context.Context, c *facade.Client, f *planeFixture) error {
				_, err := do(ctx, c, f.guardrail.ID, []string{"a", ""})
				return err
			},
		}),
	}
}

func bulkMembersOp(name, path string, do func(ctx context.Context, c *facade.Client, ref string, ids []string) (int, error), want int) planeOp {
	return planeOp{
		name: name, method: "POST", path: path,
		call: func(ctx context.Context, c *facade.Client, f *planeFixture) error {
			n, err := do(ctx, c, "team", []string{f.member})
			if err != nil {
				return err
			}
			return expect(n == want, "count = %d, want %d", n, want)
		},
		bad: mergeBad(badWorkspaceRef(func(ctx context.Context, c *facade.Client, ref string) error {
			_, err := do(ctx, c, ref, []string{"u"})
			return err
		}), badInputs{
			"no ids": func(ctx context.Context, c *facade.Client, _ *planeFixture) error {
				_, err := do(ctx, c, "team", []string{})
				return err
			},
			"over 100 ids": func(ctx context.Context, c *facade.Client, _ *planeFixture) error {
				_, err := do(ctx, c, "team", make101())
				return err
			},
		}),
	}
}

func make101() []string {
	ids := make([]string, facade.MaxBulkMembers+1)
	for i := range ids {
		ids[i] = fmt.Sprintf("user_%d", i)
	}
	return ids
}
