package fake_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/orkeys/orkeys/fake"
	"github.com/orkeys/orkeys/gen"
)

const seedYAML = `
credits: 250
members:
  - {id: user_alice, email: alice@example.com, first_name: Alice, role: "org:admin"}
  - {id: user_bob, email: bob@example.com}
workspaces:
  - name: Team
    slug: team
    members: [user_alice, user_bob]
    budgets: {monthly: 100, daily: 10, lifetime: 500}
keys:
  - name: ci
    limit: 10
    limit_reset: monthly
    workspace: team
    creator_user_id: user_alice
    usage: {usage: 7.5, daily: 1, weekly: 3, monthly: 7.5}
    activity:
      - {days_ago: 1, model: openai/gpt-4.1, provider: OpenAI, usage: 1.5, requests: 12}
      - {day: 2026-11-20, model: openai/gpt-4.1, provider: OpenAI, usage: 2}
  - name: old
    disabled: true
guardrails:
  - name: cap
    limit_usd: 5
    reset_interval: monthly
    workspace: team
    keys: [ci]
    members: [user_bob]
byok:
  - {provider: anthropic, key: sk-ant-made-up-000000000000000000001234, workspace: team, is_required: true}
`

func TestLoadSeed(t *testing.T) {
	day := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	e := newEnv(t, fake.WithClock(func() time.Time { return day }))
	if err := e.srv.LoadSeed([]byte(seedYAML)); err != nil {
		t.Fatal(err)
	}
	org := decode[gen.ListOrganizationMembersResponse](t, e.mgmt("GET", "/organization/members", ""))
	if org.TotalCount != 3 || org.Data[1].Role != fake.RoleAdmin || org.Data[2].Role != fake.RoleMember {
		t.Errorf("members = %+v", org)
	}
	budgets := decode[gen.ListWorkspaceBudgetsResponse](t, e.mgmt("GET", "/workspaces/team/budgets", ""))
	if len(budgets.Data) != 3 {
		t.Errorf("budgets = %+v", budgets.Data)
	}
	ws := decode[gen.GetWorkspaceResponse](t, e.mgmt("GET", "/workspaces/team", "")).Data
	keys := decodeList(t, e.mgmt("GET", "/keys?workspace_id="+ws.ID, ""))
	if len(keys) != 1 || keys[0].Name != "ci" || keys[0].UsageMonthly != 7.5 || *keys[0].LimitRemaining != 2.5 || *keys[0].CreatorUserID != "user_alice" {
		t.Fatalf("team keys = %+v", keys)
	}
	if all := decodeList(t, e.mgmt("GET", "/keys?include_disabled=true", "")); len(all) != 1 || !all[0].Disabled {
		t.Errorf("default workspace keys = %+v, want the disabled one", all)
	}
	credits := decode[gen.GetCreditsResponse](t, e.mgmt("GET", "/credits", "")).Data
	if credits.TotalCredits != 250 || credits.TotalUsage != 3.5 {
		t.Errorf("credits = %+v", credits)
	}
	activity := decode[gen.ActivityResponse](t, e.mgmt("GET", "/activity", "")).Data
	if len(activity) != 2 || activity[0].Date != "2026-12-02" {
		t.Errorf("activity = %+v", activity)
	}
	assigned := decode[gen.ListKeyAssignmentsResponse](t, e.mgmt("GET", "/guardrails/assignments/keys", ""))
	if assigned.TotalCount != 1 || assigned.Data[0].KeyName != "ci" {
		t.Errorf("key assignments = %+v", assigned)
	}
	if n := decode[gen.ListMemberAssignmentsResponse](t, e.mgmt("GET", "/guardrails/assignments/members", "")).TotalCount; n != 1 {
		t.Errorf("member assignments = %d", n)
	}
	byok := decode[gen.ListBYOKKeysResponse](t, e.mgmt("GET", "/byok?workspace_id="+ws.ID, ""))
	if byok.TotalCount != 1 || byok.Data[0].Label != "sk-...1234" || !byok.Data[0].IsRequired {
		t.Errorf("seeded provider keys = %+v", byok)
	}
	// JSON is YAML too.
	if err := newEnv(t).srv.LoadSeed([]byte(`{"members":[{"id":"u","email":"u@example.com"}]}`)); err != nil {
		t.Errorf("JSON seed: %v", err)
	}
}

func TestLoadSeedRefuses(t *testing.T) {
	for seed, want := range map[string]string{
		`keyz: []`: `unknown field "keyz"`,
		`workspaces: [{name: T, slug: t, budgets: {daily: 10, weekly: 5}}]`:             "must be more than",
		`workspaces: [{name: T, slug: t, budgets: {yearly: 10}}]`:                       "yearly",
		`keys: [{name: k, workspace: nowhere}]`:                                         "nowhere",
		`keys: [{name: k, limit: -1}]`:                                                  "limit",
		`guardrails: [{name: g, keys: [missing], limit_usd: 1, reset_interval: daily}]`: "missing",
		`guardrails: [{name: g, limit_usd: 1}]`:                                         "reset_interval",
		`members: [{id: u}]`:                                                            "Email",
		`byok: [{provider: openai, key: k, workspace: nowhere}]`:                        "nowhere",
		`byok: [{provider: openai, key: ""}]`:                                           "key",
		`keys: [{name: k, activity: [{day: someday, model: m, provider: p}]}]`:          "someday",
		`: : :`: "seed",
	} {
		srv := fake.NewServer()
		err := srv.LoadSeed([]byte(seed))
		srv.Close()
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("LoadSeed(%q) = %v, want an error containing %q", seed, err, want)
		}
	}
}

func TestParseFault(t *testing.T) {
	faults, err := fake.ParseFault("post /keys 503 x2")
	if err != nil {
		t.Fatal(err)
	}
	if len(faults) != 2 || faults[0].Method != "POST" || faults[0].Path != "/keys" || faults[1].Status != 503 {
		t.Errorf("faults = %+v", faults)
	}
	for spec, want := range map[string]fake.Fault{
		"GET /keys drop":                      {Method: "GET", Path: "/keys", Drop: true},
		"* * hang":                            {Hang: true},
		"* /keys/{hash} delay=250ms":          {Path: "/keys/{hash}", Delay: 250 * time.Millisecond},
		"GET /api/v1/keys 429 retry-after=1":  {Method: "GET", Path: "/api/v1/keys", Status: 429, Header: http.Header{"Retry-After": {"1"}}},
		"PATCH /guardrails/{id} delay=1s 500": {Method: "PATCH", Path: "/guardrails/{id}", Status: 500, Delay: time.Second},
	} {
		got, err := fake.ParseFault(spec)
		if err != nil || len(got) != 1 {
			t.Errorf("ParseFault(%q) = %v, %v", spec, got, err)
			continue
		}
		g := got[0]
		if g.Method != want.Method || g.Path != want.Path || g.Status != want.Status || g.Drop != want.Drop || g.Hang != want.Hang ||
			g.Delay != want.Delay || g.Header.Get("Retry-After") != want.Header.Get("Retry-After") {
			t.Errorf("ParseFault(%q) = %+v, want %+v", spec, g, want)
		}
	}
	for _, bad := range []string{"", "GET /keys", "GET keys 503", "GET /keys 5030", "GET /keys 99",
		"GET /keys drop 503", "GET /keys drop hang", "GET /keys x0", "GET /keys 503 x", "GET /keys delay=soon", "GET /keys teapot"} {
		if _, err := fake.ParseFault(bad); err == nil {
			t.Errorf("ParseFault(%q) accepted", bad)
		}
	}
}

// A parsed fault plays as Inject's would, and a path recorded in Requests
// scripts a fault as it is: one path convention for both.
func TestParsedFaultPlaysOnARecordedPath(t *testing.T) {
	e := newEnv(t)
	key := e.create(`{"name":"k"}`)
	e.mgmt("GET", "/keys/"+key.Data.Hash, "")
	reqs := e.srv.Requests()
	recorded := reqs[len(reqs)-1].Path
	faults, err := fake.ParseFault("GET " + recorded + " 503 x2")
	if err != nil {
		t.Fatal(err)
	}
	e.srv.Inject(faults...)
	e.tr.allowStatus(http.StatusServiceUnavailable)
	for range 2 {
		e.mgmt("GET", "/keys/"+key.Data.Hash, "").wantError(t, http.StatusServiceUnavailable)
	}
	if r := e.mgmt("GET", "/keys/"+key.Data.Hash, ""); r.Status != http.StatusOK {
		t.Errorf("third GET: %d, want the real answer", r.Status)
	}
}
