package fake

import (
	"context"
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

// The fake validates with kin-openapi's own validator rather than the JSON
// Schema 2020 one, which it would compile anew for every request (see
// loadAPI). That is sound only while the spec uses no keyword that exists
// in OpenAPI 3.1 alone.
func TestSpecNeedsNo2020Validator(t *testing.T) {
	doc, err := fakeapi.GetSpec()
	if err != nil {
		t.Fatal(err)
	}
	check := func(where string, ref *openapi3.SchemaRef) {
		if ref == nil {
			return
		}
		err := ref.WalkSubtree(func(path string, r *openapi3.SchemaRef) error {
			s := r.Value
			if s == nil {
				return nil
			}
			if s.Const != nil || len(s.PrefixItems) != 0 || s.Contains != nil || s.MinContains != nil ||
				s.MaxContains != nil || len(s.PatternProperties) != 0 || len(s.DependentSchemas) != 0 ||
				s.PropertyNames != nil || s.UnevaluatedItems.Has != nil || s.UnevaluatedItems.Schema != nil ||
				s.UnevaluatedProperties.Has != nil || s.UnevaluatedProperties.Schema != nil ||
				s.If != nil || s.Then != nil || s.Else != nil || len(s.DependentRequired) != 0 ||
				len(s.Defs) != 0 || s.ContentSchema != nil || s.ExclusiveMin.Value != nil || s.ExclusiveMax.Value != nil {
				t.Errorf("%s %s uses a JSON Schema 2020 keyword: validate with EnableJSONSchema2020 again (and cache it)", where, path)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for p, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			where := method + " " + p
			for _, param := range append(item.Parameters, op.Parameters...) {
				if param.Value != nil {
					check(where+" parameter "+param.Value.Name, param.Value.Schema)
				}
			}
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				for ct, media := range op.RequestBody.Value.Content {
					check(where+" body "+ct, media.Schema)
				}
			}
		}
	}
}
