package main

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/orkeys/orkeys/fake"
	"github.com/orkeys/orkeys/gen"
)

// addOtherWorkspace adds the workspace "other" to srv and returns its id.
func addOtherWorkspace(t *testing.T, srv *fake.Server) string {
	t.Helper()
	w, err := srv.AddWorkspace(gen.CreateWorkspaceRequest{Name: "Other", Slug: "other"})
	if err != nil {
		t.Fatal(err)
	}
	return w.ID
}

// seedPages puts n filler keys into srv, then the named keys (newest), and
// disables the ones named in disabled. The named keys sit on the first
// page; "old-" names go in before the fillers, so onto the last page.
func seedPages(t *testing.T, srv *fake.Server, e env, n int, named []string, disabled ...string) map[string]string {
	t.Helper()
	hashes := map[string]string{}
	add := func(name string) {
		res, err := srv.AddKey(gen.CreateKeysRequestBody{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		hashes[name] = res.Data.Hash
	}
	for _, name := range named {
		if strings.HasPrefix(name, "old-") {
			add(name)
		}
	}
	for i := range n {
		add(fmt.Sprintf("filler-%03d", i))
	}
	for _, name := range named {
		if !strings.HasPrefix(name, "old-") {
			add(name)
		}
	}
	for _, name := range disabled {
		disableKey(t, e, hashes[name])
	}
	srv.ResetRequests()
	return hashes
}

func names(keys []gen.APIKey) []string {
	var out []string
	for _, k := range keys {
		out = append(out, k.Name)
	}
	return out
}

func TestKeysFind(t *testing.T) {
	srv, e := newFake(t)
	seedPages(t, srv, e, 150, []string{"old-ci", "ci", "ci-runner", "CI"}, "old-ci")
	otherWorkspace := addOtherWorkspace(t, srv)
	if _, err := srv.AddKey(gen.CreateKeysRequestBody{Name: "ci", WorkspaceID: ptr(otherWorkspace)}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"ci"}, []string{"ci"}},
		{[]string{"old-ci"}, []string{"old-ci"}}, // disabled, on page 2
		{[]string{"ci", "--prefix"}, []string{"ci-runner", "ci"}},
		{[]string{"old-", "--prefix"}, []string{"old-ci"}},
		{[]string{"nobody"}, nil},
		{[]string{"ci", "--workspace", otherWorkspace}, []string{"ci"}},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			srv.ResetRequests()
			r := runCLI(t, e, "", append([]string{"keys", "find", "-o", "json"}, c.args...)...)
			wantCode(t, r, exitOK)
			var got []gen.APIKey
			decodeOne(t, r.stdout, &got)
			if !slices.Equal(names(got), c.want) {
				t.Errorf("found %v, want %v", names(got), c.want)
			}
			if got == nil {
				t.Error("-o json printed null, want []")
			}
			for _, req := range srv.Requests() {
				if strings.HasSuffix(req.Path, "/keys") && req.Query.Get("include_disabled") != "true" {
					t.Errorf("page without include_disabled: %s", req.Query.Encode())
				}
			}
			if !slices.Contains(c.args, "--workspace") {
				wantPages(t, srv, 0, 100)
			}
		})
	}

	r := runCLI(t, e, "", "keys", "find", "ci", "--prefix")
	wantCode(t, r, exitOK)
	if !strings.HasPrefix(r.stdout, "HASH ") || strings.Count(r.stdout, "\n") != 3 || !strings.Contains(r.stdout, "ci-runner") {
		t.Errorf("table:\n%s", r.stdout)
	}
	r = runCLI(t, e, "", "keys", "find", "nobody")
	wantCode(t, r, exitOK)
	if r.stdout != "No key named \"nobody\" (disabled keys included).\n" {
		t.Errorf("stdout %q", r.stdout)
	}
}

func TestKeysFindErrors(t *testing.T) {
	srv, e := newFake(t)
	seedPages(t, srv, e, 120, []string{"ci"})
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"keys", "find"}, "keys find takes one NAME, got 0 arguments"},
		{[]string{"keys", "find", "a", "b"}, "keys find takes one NAME, got 2 arguments"},
		{[]string{"keys", "find", " "}, "NAME must not be empty"},
		{[]string{"keys", "find", "ci", "--workspace", "No_pe"}, `--workspace "No_pe" is neither a workspace UUID nor a slug`},
		{[]string{"keys", "find", "ci", "--prefix=sometimes"}, `--prefix "sometimes": want true or false`},
	} {
		t.Run(c.want, func(t *testing.T) {
			srv.ResetRequests()
			r := runCLI(t, e, "", c.args...)
			wantCode(t, r, exitUsage)
			if !strings.Contains(r.stderr, c.want) || len(srv.Requests()) != 0 {
				t.Errorf("want %q and nothing sent:\n%s", c.want, r)
			}
		})
	}

	// A page that fails fails the search: no partial answer.
	// Every request after the first fails: read-ahead sends pages 2 to 4
	// together, and page 2 must be among those that fail.
	forbidden := fake.Fault{Method: http.MethodGet, Path: "/keys", Status: http.StatusForbidden}
	srv.Inject(fake.Fault{Method: http.MethodGet, Path: "/keys"}, forbidden, forbidden, forbidden, forbidden)
	r := runCLI(t, e, "", "keys", "find", "ci", "-o", "json")
	wantCode(t, r, exitAuth)
	if r.stdout != "" {
		t.Errorf("stdout %q", r.stdout)
	}
}
