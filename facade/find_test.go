package facade_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/fake"
)

func names(keys []facade.APIKey) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k.Name
	}
	return out
}

// seedMany seeds n keys named filler-000…, then the named keys (newest, so
// first in the listing); the keys whose names are in disabled get disabled.
func seedMany(t *testing.T, h *harness, n int, named []string, disabled ...string) {
	t.Helper()
	for i := range n {
		h.seed(fmt.Sprintf("filler-%03d", i))
	}
	for _, name := range named {
		k := h.seed(name)
		if slices.Contains(disabled, name) {
			_, err := h.c.APIKeys.Update(t.Context(), facade.UpdateKeysRequest{Hash: k.Data.Hash, RequestBody: facade.UpdateKeysRequestBody{Disabled: facade.Ptr(true)}})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	h.srv.ResetRequests()
}

// Find walks every page with disabled keys included and matches the exact
// name, or the prefix; case counts.
func TestFindExactAndPrefixAcrossPages(t *testing.T) {
	h := newHarness(t)
	// The oldest matches sit on the third page.
	for _, name := range []string{"ci", "ci-old"} {
		h.seed(name)
	}
	seedMany(t, h, 220, []string{"CI", "ci", "ci-runner", "cix"}, "ci-runner")

	for _, tc := range []struct {
		req  facade.FindKeysRequest
		want []string
	}{
		{facade.FindKeysRequest{Name: "ci"}, []string{"ci", "ci"}},
		{facade.FindKeysRequest{Name: "ci-", Prefix: true}, []string{"ci-runner", "ci-old"}},
		{facade.FindKeysRequest{Name: "ci", Prefix: true}, []string{"cix", "ci-runner", "ci", "ci-old", "ci"}},
		{facade.FindKeysRequest{Name: "ci-runner"}, []string{"ci-runner"}},
		{facade.FindKeysRequest{Name: "nobody"}, nil},
		{facade.FindKeysRequest{Name: "filler-1", Prefix: true}, nil}, // checked by count below
	} {
		h.srv.ResetRequests()
		got, err := h.c.APIKeys.Find(bounded(t), tc.req, sequential)
		if err != nil {
			t.Fatalf("%+v: %v", tc.req, err)
		}
		if tc.req.Name == "filler-1" {
			if len(got) != 100 {
				t.Errorf("prefix filler-1: %d keys, want 100", len(got))
			}
		} else if !slices.Equal(names(got), tc.want) {
			t.Errorf("%+v: found %v, want %v", tc.req, names(got), tc.want)
		}
		reqs := h.requests(http.MethodGet, "/keys")
		if len(reqs) != 3 {
			t.Errorf("%+v: %d pages read, want 3", tc.req, len(reqs))
		}
		for _, r := range reqs {
			if r.Query.Get("include_disabled") != "true" {
				t.Errorf("page %s without include_disabled=true", r.Query.Encode())
			}
		}
	}
}

// Find searches the default workspace unless told another.
func TestFindWorkspace(t *testing.T) {
	h := newHarness(t)
	if _, err := h.srv.AddKey(facade.CreateKeysRequestBody{Name: "ws-key", WorkspaceID: facade.Ptr(otherWorkspace)}); err != nil {
		t.Fatal(err)
	}
	got, err := facade.APIKeysFind(bounded(t), h.c, facade.FindKeysRequest{Name: "ws-key"})
	if err != nil || len(got) != 0 {
		t.Fatalf("default workspace: %v, %v; want nothing", names(got), err)
	}
	got, err = facade.APIKeysFind(bounded(t), h.c, facade.FindKeysRequest{Name: "ws-key", WorkspaceID: facade.Ptr(otherWorkspace)})
	if err != nil || len(got) != 1 || got[0].WorkspaceID != otherWorkspace {
		t.Fatalf("other workspace: %+v, %v; want the key", got, err)
	}
}

// The tests that count pages use sequential (pagination_test.go): what they
// test is Find's walk, not read-ahead.

// A failed page fails the search, with no partial result: a script asking
// "does it exist?" must not read a failure as "no".
func TestFindPageFails(t *testing.T) {
	h := newHarness(t)
	seedMany(t, h, 150, []string{"ci"})
	// The first page passes (Status 0 runs the real handler); the second
	// answers 403.
	h.srv.Inject(fake.Fault{Method: "GET", Path: "/keys"}, fake.Fault{Method: "GET", Path: "/keys", Status: http.StatusForbidden})
	got, err := h.c.APIKeys.Find(bounded(t), facade.FindKeysRequest{Name: "ci"}, sequential)
	var fb *facade.ForbiddenResponseError
	if got != nil || !errors.As(err, &fb) {
		t.Fatalf("found %v, err %v: want no keys and the 403", names(got), err)
	}
	if n := h.count("GET", "/keys"); n != 2 {
		t.Errorf("%d pages requested, want 2", n)
	}
}

// A key created during the walk shifts the offsets, so the next page repeats
// the last key of the one before; Find reports it once.
func TestFindDeduplicatesShiftedPages(t *testing.T) {
	h := newHarness(t)
	for i := range 100 {
		h.seed(fmt.Sprintf("svc-%03d", i))
	}
	var once sync.Once
	shift := facade.WithAttemptHook(func(context.Context, facade.Attempt) {
		once.Do(func() { h.seed("other") }) // after the first page
	})
	got, err := h.c.APIKeys.Find(bounded(t), facade.FindKeysRequest{Name: "svc-", Prefix: true}, shift, sequential)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, k := range got {
		seen[k.Hash]++
	}
	if len(got) != 100 || len(seen) != 100 {
		t.Errorf("found %d keys (%d distinct), want each of the 100 once", len(got), len(seen))
	}
	if n := h.count("GET", "/keys"); n != 2 {
		t.Errorf("%d pages requested, want 2 (the shift pushed one key onto page 2)", n)
	}
}

func TestFindInvalidInputSendsNothing(t *testing.T) {
	h := newHarness(t)
	for _, tc := range []struct {
		req  facade.FindKeysRequest
		want string
	}{
		{facade.FindKeysRequest{}, "FindKeysRequest.Name must not be empty"},
		{facade.FindKeysRequest{Prefix: true}, "FindKeysRequest.Name must not be empty"},
		{facade.FindKeysRequest{Name: "x", WorkspaceID: facade.Ptr("default")}, "FindKeysRequest.WorkspaceID"},
	} {
		got, err := h.c.APIKeys.Find(bounded(t), tc.req, sequential)
		if got != nil || !errors.Is(err, facade.ErrInvalidInput) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, %v; want ErrInvalidInput saying %q", tc.req, got, err, tc.want)
		}
	}
	if n := len(h.srv.Requests()); n != 0 {
		t.Errorf("%d requests sent, want none", n)
	}
}

// Prefix means the start of the name: "old-ci-1" holds "ci" but does not
// start with it, and a substring match would return it.
func TestFindPrefixIsNotSubstring(t *testing.T) {
	h := newHarness(t)
	for _, name := range []string{"old-ci-1", "ci-2", "xci", "c"} {
		h.seed(name)
	}
	got, err := h.c.APIKeys.Find(bounded(t), facade.FindKeysRequest{Name: "ci", Prefix: true})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(names(got), []string{"ci-2"}) {
		t.Errorf("prefix ci found %v, want [ci-2]", names(got))
	}
}
