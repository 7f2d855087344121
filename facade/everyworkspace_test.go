package facade_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/fake"
)

// Every workspace's keys, each with its workspace; an error ends the walk
// once; a WorkspaceID is refused, since the walk names them itself.
func TestAPIKeysListAllWorkspaces(t *testing.T) {
	clearEnv(t)
	f := newPlaneFixture(t) // a key in the default workspace, "team" without keys
	ops, err := f.srv.AddWorkspace(facade.CreateWorkspaceRequestBody{Name: "Ops", Slug: "ops"})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"ops-1", "ops-2"} {
		if _, err := f.srv.AddKey(facade.CreateKeysRequestBody{Name: name, WorkspaceID: &ops.ID}); err != nil {
			t.Fatal(err)
		}
	}
	c := f.client(t)
	var got []string
	for k, err := range c.APIKeys.AllWorkspaces(t.Context(), facade.ListRequest{}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, k.Name+"@"+k.WorkspaceID[:4])
	}
	want := []string{"k@" + fake.DefaultWorkspaceID[:4], "ops-2@" + ops.ID[:4], "ops-1@" + ops.ID[:4]}
	if !slices.Equal(got, want) {
		t.Errorf("keys = %v, want %v", got, want)
	}

	f.srv.Inject(fake.Fault{Method: "GET", Path: "/keys", Status: 500})
	n, errs := 0, 0
	for _, err := range c.APIKeys.AllWorkspaces(t.Context(), facade.ListRequest{}) {
		if err != nil {
			errs++
			if _, ok := errors.AsType[*facade.InternalServerResponseError](err); !ok {
				t.Errorf("err = %v", err)
			}
			continue
		}
		n++
	}
	if n != 0 || errs != 1 {
		t.Errorf("after a 500: %d keys, %d errors; want 0 and 1", n, errs)
	}
	for _, err := range c.APIKeys.AllWorkspaces(t.Context(), facade.ListRequest{WorkspaceID: &ops.ID}) {
		if !errors.Is(err, facade.ErrInvalidInput) {
			t.Errorf("with a WorkspaceID: %v", err)
		}
	}
}
