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
