package fake

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/orkeys/orkeys/fake/internal/fakeapi"
)

// The fake validates against the copy of api/openapi.yaml embedded in
// fakeapi; it must be the document on disk (a stale copy fails
// check-generate too, but this catches it in a plain `go test`).
func TestEmbeddedSpecIsCurrent(t *testing.T) {
	disk, err := openapi3.NewLoader().LoadFromFile("../api/openapi.yaml")
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	embedded, err := fakeapi.GetSpec()
	if err != nil {
		t.Fatalf("embedded spec: %v", err)
	}
	if err := embedded.Validate(context.Background()); err != nil {
		t.Fatalf("validate embedded: %v", err)
	}
	// oapi-codegen capitalises operation IDs in the copy it embeds.
	for _, doc := range []*openapi3.T{disk, embedded} {
		for _, item := range doc.Paths.Map() {
			for _, op := range item.Operations() {
				op.OperationID = strings.ToLower(op.OperationID)
			}
		}
	}
	want, _ := disk.MarshalJSON()
	got, _ := embedded.MarshalJSON()
	if string(want) != string(got) {
		t.Error("the embedded spec differs from api/openapi.yaml: run make generate")
	}
}

// The fake validates requests with kin-openapi's OpenAPI 3.0 validator
// (newAPI, for speed), which checks a 3.1 schema exactly as JSON Schema
// 2020-12 does as long as the schema uses no keyword that only 2020-12
// knows. This holds the spec to that; a schema that needs one of them means
// dropping the fast path in newAPI.
func TestSpecNeedsNoJSONSchema2020(t *testing.T) {
	doc, err := fakeapi.GetSpec()
	if err != nil {
		t.Fatal(err)
	}
	err = doc.WalkSchemas(func(ptr string, ref *openapi3.SchemaRef) error {
		s := ref.Value
		// kin-openapi's own list (schemaHasJSONSchema2020FallbackGuardKeyword),
		// and nullable, which 3.0 honours and 3.1 ignores.
		if s.Const != nil || len(s.PrefixItems) != 0 || s.Contains != nil ||
			len(s.PatternProperties) != 0 || len(s.DependentSchemas) != 0 || s.PropertyNames != nil ||
			s.UnevaluatedItems.Has != nil || s.UnevaluatedItems.Schema != nil ||
			s.UnevaluatedProperties.Has != nil || s.UnevaluatedProperties.Schema != nil ||
			s.If != nil || s.Then != nil || s.Else != nil ||
			len(s.DependentRequired) != 0 || len(s.Defs) != 0 || s.ContentSchema != nil || s.Nullable {
			t.Errorf("schema %s uses a keyword the 3.0 validator reads differently from JSON Schema 2020-12", ptr)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// The fast validator and the 3.1 one accept and refuse the same requests.
func TestFastValidationAgrees(t *testing.T) {
	fast, err := newAPI(true)
	if err != nil {
		t.Fatal(err)
	}
	full, err := newAPI(false)
	if err != nil {
		t.Fatal(err)
	}
	const hash = "/keys/f01d52606dc8f0a8303a7b5cc3fa07109c2e346cec7c0a16b40de462992ce943"
	const ws = "0df9e665-d932-4740-b2c7-b52af166bc11"
	var accepted, refused int
	for _, tc := range []struct{ method, target, body string }{
		{"GET", "/keys", ""},
		{"GET", "/keys?offset=0&include_disabled=true&workspace_id=" + ws, ""},
		{"GET", "/keys?offset=-1", ""},
		{"GET", "/keys?offset=x", ""},
		{"GET", "/keys?offset=1.5", ""},
		{"GET", "/keys?include_disabled=yes", ""},
		{"GET", "/keys?workspace_id=not-a-uuid", ""},
		{"GET", "/keys?workspace_id=0df9e665d9325740b2c7b52af166bc11", ""},
		{"GET", hash, ""},
		{"GET", "/key", ""},
		{"DELETE", hash, ""},
		{"POST", "/keys", `{"name":"a"}`},
		{"POST", "/keys", `{"name":"a","limit":5,"limit_reset":"monthly","include_byok_in_limit":true,"expires_at":"2030-01-01T00:00:00Z","creator_user_id":"u","workspace_id":"` + ws + `","external":{"user":"c","api_key":"` + strings.Repeat("k", 32) + `"}}`},
		{"POST", "/keys", `{"name":"a","limit":null,"limit_reset":null,"expires_at":null,"creator_user_id":null}`},
		{"POST", "/keys", `{}`},
		{"POST", "/keys", `{"name":""}`},
		{"POST", "/keys", `{"name":5}`},
		{"POST", "/keys", `{"name":"a","limit":-1}`},
		{"POST", "/keys", `{"name":"a","limit":"5"}`},
		{"POST", "/keys", `{"name":"a","limit_reset":"yearly"}`},
		{"POST", "/keys", `{"name":"a","include_byok_in_limit":"yes"}`},
		{"POST", "/keys", `{"name":"a","expires_at":"tomorrow"}`},
		{"POST", "/keys", `{"name":"a","creator_user_id":""}`},
		{"POST", "/keys", `{"name":"a","workspace_id":"nope"}`},
		{"POST", "/keys", `{"name":"a","external":{}}`},
		{"POST", "/keys", `{"name":"a","external":{"user":"c","api_key":"short"}}`},
		{"POST", "/keys", `{"name":"a","unknown":1}`},
		{"POST", "/keys", `[]`},
		{"POST", "/keys", `null`},
		{"PATCH", hash, `{}`},
		{"PATCH", hash, `{"name":"b","disabled":true,"limit":null,"limit_reset":null,"include_byok_in_limit":false}`},
		{"PATCH", hash, `{"limit":3,"limit_reset":"daily"}`},
		{"PATCH", hash, `{"name":""}`},
		{"PATCH", hash, `{"disabled":"x"}`},
		{"PATCH", hash, `{"limit":-3}`},
		{"PATCH", hash, `{"limit_reset":"hourly"}`},
		{"PATCH", hash, `{"limit_reset":5}`},

		// The management plane: nullable lists with minItems, anyOf with
		// null, exclusiveMinimum, patterns, uuid paths, enums in paths.
		{"GET", "/guardrails?limit=100&offset=0&workspace_id=" + ws, ""},
		{"GET", "/guardrails?limit=0", ""},
		{"GET", "/guardrails?limit=101", ""},
		{"GET", "/guardrails/" + ws, ""},
		{"GET", "/guardrails/not-a-uuid", ""},
		{"POST", "/guardrails", `{"name":"g","limit_usd":5,"reset_interval":"weekly","allowed_models":["m"],"allowed_data_regions":["eu"],"content_filters":[{"pattern":"x","action":"block"}],"content_filter_builtins":[{"slug":"email","action":"redact"}]}`},
		{"POST", "/guardrails", `{"name":"g","allowed_models":null,"reset_interval":null,"description":null}`},
		{"POST", "/guardrails", `{"name":"g","allowed_models":[]}`},
		{"POST", "/guardrails", `{"name":"g","reset_interval":"yearly"}`},
		{"POST", "/guardrails", `{"name":"g","content_filter_builtins":[{"slug":"nope","action":"redact"}]}`},
		{"POST", "/guardrails", `{"name":""}`},
		{"PATCH", "/guardrails/" + ws, `{"allowed_providers":null,"limit_usd":null,"reset_interval":null,"enforce_zdr_openai":null}`},
		{"PATCH", "/guardrails/" + ws, `{"ignored_providers":[]}`},
		{"POST", "/guardrails/" + ws + "/assignments/keys", `{"key_hashes":["a"]}`},
		{"POST", "/guardrails/" + ws + "/assignments/keys", `{"key_hashes":[]}`},
		{"POST", "/guardrails/" + ws + "/assignments/members/remove", `{"member_user_ids":[""]}`},
		{"POST", "/workspaces", `{"name":"W","slug":"team-a"}`},
		{"POST", "/workspaces", `{"name":"W","slug":"Team A"}`},
		{"POST", "/workspaces", `{"name":"W","slug":"-a"}`},
		{"PATCH", "/workspaces/team-a", `{"description":null,"io_logging_api_key_ids":null}`},
		{"POST", "/workspaces/team-a/members/add", `{"user_ids":["u"]}`},
		{"POST", "/workspaces/team-a/members/add", `{"user_ids":[]}`},
		{"PUT", "/workspaces/team-a/budgets/monthly", `{"limit_usd":5}`},
		{"PUT", "/workspaces/team-a/budgets/monthly", `{"limit_usd":0}`},
		{"PUT", "/workspaces/team-a/budgets/monthly", `{"limit_usd":-1}`},
		{"PUT", "/workspaces/team-a/budgets/yearly", `{"limit_usd":5}`},
		{"GET", "/workspaces/team-a/budgets/lifetime", ""},
		{"POST", "/byok", `{"provider":"openai","key":"k","allowed_api_key_hashes":["` + strings.Repeat("a", 64) + `"],"declared_zdr":null}`},
		{"POST", "/byok", `{"provider":"openai","key":"k","allowed_api_key_hashes":["ABC"]}`},
		{"POST", "/byok", `{"provider":"not-one","key":"k"}`},
		{"POST", "/byok", `{"provider":"openai","key":""}`},
		{"PATCH", "/byok/" + ws, `{"allowed_models":null,"name":null,"key":"k2"}`},
		{"PATCH", "/byok/" + ws, `{"allowed_user_ids":[]}`},
	} {
		var verdicts [2]error
		for i, a := range []*api{fast, full} {
			var body io.Reader = http.NoBody
			if tc.body != "" {
				body = strings.NewReader(tc.body)
			}
			r := httptest.NewRequest(tc.method, basePath+tc.target, body)
			if tc.body != "" {
				r.Header.Set("Content-Type", "application/json")
			}
			route, params, err := a.router.FindRoute(r)
			if err != nil {
				t.Fatalf("%s %s: no route: %v", tc.method, tc.target, err)
			}
			verdicts[i] = a.validate(r, route, params)
		}
		switch {
		case (verdicts[0] == nil) != (verdicts[1] == nil):
			t.Errorf("%s %s %s: fast validation says %v, the 3.1 validator %v", tc.method, tc.target, tc.body, verdicts[0], verdicts[1])
		case verdicts[0] == nil:
			accepted++
		default:
			refused++
		}
	}
	if accepted < 20 || refused < 40 {
		t.Errorf("%d requests accepted, %d refused: the cases no longer test both sides", accepted, refused)
	}
}
