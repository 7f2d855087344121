package tests

import (
	"context"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/orkeys/orkeys/gen"
)

// The spec on disk must be a valid OpenAPI 3.1 document, and the copy embedded
// in gen must be the same document (a stale gen fails check-generate too, but
// this catches it in a plain `go test`).
func TestSpecIsValid(t *testing.T) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile("../api/openapi.yaml")
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("validate: %v", err)
	}
	if got := doc.OpenAPI; got != "3.1.0" {
		t.Errorf("openapi version = %q, want 3.1.0", got)
	}

	embedded, err := gen.GetSpec()
	if err != nil {
		t.Fatalf("embedded spec: %v", err)
	}
	if err := embedded.Validate(context.Background()); err != nil {
		t.Fatalf("validate embedded: %v", err)
	}
	for path, item := range doc.Paths.Map() {
		if embedded.Paths.Value(path) == nil {
			t.Errorf("embedded spec lacks %s", path)
		}
		for method := range item.Operations() {
			if embedded.Paths.Value(path).GetOperation(method) == nil {
				t.Errorf("embedded spec lacks %s %s", method, path)
			}
		}
	}
}

// The spec covers exactly the six operations orkeys promises.
func TestSpecCoversSixOperations(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromFile("../api/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"GET /key":            "getCurrentKey",
		"GET /keys":           "listKeys",
		"POST /keys":          "createKeys",
		"GET /keys/{hash}":    "getKey",
		"PATCH /keys/{hash}":  "updateKeys",
		"DELETE /keys/{hash}": "deleteKeys",
	}
	got := map[string]string{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			got[method+" "+path] = op.OperationID
		}
	}
	if len(got) != len(want) {
		t.Errorf("operations = %v, want %v", got, want)
	}
	for k, id := range want {
		if got[k] != id {
			t.Errorf("%s: operationId %q, want %q", k, got[k], id)
		}
	}
}
