package fake_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/orkeys/orkeys/fake"
	"github.com/orkeys/orkeys/gen"
)

func seed(t *testing.T, srv *fake.Server, body gen.CreateKeysRequestBody) gen.CreateKeysResponse {
	t.Helper()
	created, err := srv.AddKey(body)
	if err != nil {
		t.Fatal(err)
	}
	return created
}

func names(keys []gen.APIKey) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k.Name
	}
	return out
}

func TestListNewestFirstWithEqualTimestamps(t *testing.T) {
	clock := newClock() // never moves: every key has the same created_at
	e := newEnv(t, fake.WithClock(clock.Now))
	for _, n := range []string{"first", "second", "third"} {
		e.create(`{"name":"` + n + `"}`)
	}
	got := names(decodeList(t, e.mgmt("GET", "/keys", "")))
	if fmt.Sprint(got) != "[third second first]" {
		t.Errorf("order = %v, want [third second first]", got)
	}
}

func TestListPages(t *testing.T) {
	e := newEnv(t)
	const n = 205
	for i := range n {
		seed(t, e.srv, gen.CreateKeysRequestBody{Name: fmt.Sprintf("k%03d", i)})
	}
	seen := map[string]bool{}
	for _, tt := range []struct {
		query      string
		size       int
		first, end string
	}{
		{"", 100, "k204", "k105"},
		{"?offset=0", 100, "k204", "k105"},
		{"?offset=100", 100, "k104", "k005"},
		{"?offset=200", 5, "k004", "k000"},
		{"?offset=205", 0, "", ""},
		{"?offset=1000", 0, "", ""},
		{"?offset=3", 100, "k201", "k102"},
	} {
		page := decodeList(t, e.mgmt("GET", "/keys"+tt.query, ""))
		if len(page) != tt.size {
			t.Fatalf("%s: %d keys, want %d", tt.query, len(page), tt.size)
		}
		if tt.size > 0 && (page[0].Name != tt.first || page[len(page)-1].Name != tt.end) {
			t.Errorf("%s: keys %s…%s, want %s…%s", tt.query, page[0].Name, page[len(page)-1].Name, tt.first, tt.end)
		}
		if tt.query != "?offset=3" {
			for _, k := range page {
				seen[k.Hash] = true
			}
		}
	}
	if len(seen) != n {
		t.Errorf("pages held %d distinct keys, want %d", len(seen), n)
	}
	// An empty page is an empty array, not null.
	if body := string(e.mgmt("GET", "/keys?offset=205", "").Body); body != "{\"data\":[]}\n" {
		t.Errorf("empty page = %q, want {\"data\":[]}", body)
	}
}

func TestListIncludeDisabled(t *testing.T) {
	e := newEnv(t)
	on := e.create(`{"name":"on"}`)
	off := e.create(`{"name":"off"}`)
	e.mgmt("PATCH", "/keys/"+off.Data.Hash, `{"disabled":true}`)
	_ = on

	for query, want := range map[string]string{
		"":                        "[on]",
		"?include_disabled=false": "[on]",
		"?include_disabled=true":  "[off on]",
	} {
		if got := fmt.Sprint(names(decodeList(t, e.mgmt("GET", "/keys"+query, "")))); got != want {
			t.Errorf("GET /keys%s = %s, want %s", query, got, want)
		}
	}
}

func TestListWorkspaces(t *testing.T) {
	e := newEnv(t)
	const other = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
	e.create(`{"name":"default"}`)
	e.create(`{"name":"explicit-default","workspace_id":"` + fake.DefaultWorkspaceID + `"}`)
	e.create(`{"name":"other","workspace_id":"` + other + `"}`)

	for query, want := range map[string]string{
		"": "[explicit-default default]",
		"?workspace_id=" + fake.DefaultWorkspaceID:           "[explicit-default default]",
		"?workspace_id=" + other:                             "[other]",
		"?workspace_id=7C9E6679-7425-40DE-944B-E07FC1F90AE7": "[other]",
		"?workspace_id=00000000-0000-4000-8000-000000000000": "[]",
	} {
		if got := fmt.Sprint(names(decodeList(t, e.mgmt("GET", "/keys"+query, "")))); got != want {
			t.Errorf("GET /keys%s = %s, want %s", query, got, want)
		}
	}
}

func TestListLeavesOutTheManagementKey(t *testing.T) {
	e := newEnv(t)
	if got := decodeList(t, e.mgmt("GET", "/keys?include_disabled=true", "")); len(got) != 0 {
		t.Errorf("fresh server lists %d keys, want 0 (the management key is not listed)", len(got))
	}
	e.mgmt("GET", "/keys/"+sha256Hex(e.srv.ManagementKey), "").wantError(t, http.StatusNotFound)
}

func TestListRefusesBadParameters(t *testing.T) {
	e := newEnv(t)
	for query, want := range map[string][]string{
		"?offset=-1":                        {"offset"},
		"?offset=abc":                       {"offset"},
		"?offset=1.5":                       {"offset"},
		"?offset=1&offset=2":                {"offset"},
		"?include_disabled=yes":             {"include_disabled", "true or false"},
		"?workspace_id=ws-1":                {"workspace_id", "not a UUID"},
		"?offset=-1&include_disabled=maybe": {"offset", "include_disabled"},
	} {
		t.Run(query, func(t *testing.T) {
			e.mgmt("GET", "/keys"+query, "").wantError(t, http.StatusBadRequest, want...)
		})
	}
}
