package tests

import (
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/fake"
)

// A disabled key drops out of the list unless IncludeDisabled asks for it.
func TestDisabledKeysListedOnRequest(t *testing.T) {
	bothWays(t, func(t *testing.T, e *apiEnv, a api) {
		for _, name := range []string{"a", "b", "c"} {
			mustCreate(t, a, facade.CreateKeysRequestBody{Name: name})
		}
		b, err := a.list(t.Context(), facade.ListRequest{})
		if err != nil || len(b.Data) != 3 {
			t.Fatalf("list: %+v, %v", b, err)
		}
		if _, err := a.update(t.Context(), facade.UpdateKeysRequest{Hash: b.Data[1].Hash,
			RequestBody: facade.UpdateKeysRequestBody{Disabled: ptr(true)}}); err != nil {
			t.Fatalf("disable b: %v", err)
		}
		for _, tc := range []struct {
			req  facade.ListRequest
			want []string
		}{
			{facade.ListRequest{}, []string{"c", "a"}},
			{facade.ListRequest{IncludeDisabled: false}, []string{"c", "a"}},
			{facade.ListRequest{IncludeDisabled: true}, []string{"c", "b", "a"}},
		} {
			if got := names(t, a, tc.req); !slices.Equal(got, tc.want) {
				t.Errorf("all with IncludeDisabled %v: %q, want %q", tc.req.IncludeDisabled, got, tc.want)
			}
		}
		page, err := a.list(t.Context(), facade.ListRequest{IncludeDisabled: true})
		if err != nil || len(page.Data) != 3 || !page.Data[1].Disabled || page.Data[0].Disabled || page.Data[2].Disabled {
			t.Errorf("list with disabled keys: %+v, %v", page, err)
		}
	})
}

// Keys land in the default workspace unless created in another; a list
// shows one workspace, the default one unless WorkspaceID names another.
func TestWorkspaceFilter(t *testing.T) {
	bothWays(t, func(t *testing.T, e *apiEnv, a api) {
		team := "7b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d"
		empty := "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"
		mustCreate(t, a, facade.CreateKeysRequestBody{Name: "default-1"})
		inTeam := mustCreate(t, a, facade.CreateKeysRequestBody{Name: "team", WorkspaceID: &team,
			Limit: facade.Ptr(1.0)})
		mustCreate(t, a, facade.CreateKeysRequestBody{Name: "default-2"})
		if inTeam.Data.WorkspaceID != team {
			t.Errorf("create in %s: workspace_id %q", team, inTeam.Data.WorkspaceID)
		}

		for _, tc := range []struct {
			what string
			req  facade.ListRequest
			want []string
		}{
			{"no workspace", facade.ListRequest{}, []string{"default-2", "default-1"}},
			{"the default workspace", facade.ListRequest{WorkspaceID: ptr(fake.DefaultWorkspaceID)}, []string{"default-2", "default-1"}},
			{"the team's", facade.ListRequest{WorkspaceID: ptr(team)}, []string{"team"}},
			{"an empty one", facade.ListRequest{WorkspaceID: ptr(empty)}, nil},
		} {
			if got := names(t, a, tc.req); !slices.Equal(got, tc.want) {
				t.Errorf("all in %s: %q, want %q", tc.what, got, tc.want)
			}
		}
		page, err := a.list(t.Context(), facade.ListRequest{WorkspaceID: ptr(team)})
		if err != nil || len(page.Data) != 1 || page.Data[0].Hash != inTeam.Data.Hash || page.Data[0].WorkspaceID != team {
			t.Errorf("list in %s: %+v, %v", team, page, err)
		}

		// Both filters at once.
		if _, err := a.update(t.Context(), facade.UpdateKeysRequest{Hash: inTeam.Data.Hash,
			RequestBody: facade.UpdateKeysRequestBody{Disabled: ptr(true)}}); err != nil {
			t.Fatalf("disable: %v", err)
		}
		if got := names(t, a, facade.ListRequest{WorkspaceID: ptr(team)}); got != nil {
			t.Errorf("team's enabled keys: %q, want none", got)
		}
		if got := names(t, a, facade.ListRequest{WorkspaceID: ptr(team), IncludeDisabled: true}); !slices.Equal(got, []string{"team"}) {
			t.Errorf("team's keys, disabled included: %q", got)
		}
	})
}

// The walk crosses pages of the server's size, newest first, asks for each
// page once with the caller's filters, and stops on a short or empty page.
// One page at a time (WithPageConcurrency(1)) it asks for exactly the pages
// it needs; with the default read-ahead, also for up to three pages past
// the last, each once.
func TestPagedWalk(t *testing.T) {
	for _, readAhead := range []bool{false, true} {
		t.Run(fmt.Sprintf("readahead=%v", readAhead), func(t *testing.T) { testPagedWalk(t, readAhead) })
	}
}

func testPagedWalk(t *testing.T, readAhead bool) {
	for _, tc := range []struct {
		keys, disabledEvery int
		req                 facade.ListRequest
		wantNames           int
		wantOffsets         []string
	}{
		{keys: 0, wantOffsets: []string{"0"}},
		{keys: 100, wantNames: 100, wantOffsets: []string{"0", "100"}},
		{keys: 205, wantNames: 205, wantOffsets: []string{"0", "100", "200"}},
		// Every tenth key disabled: 184 listed, on two pages.
		{keys: 205, disabledEvery: 10, wantNames: 184, wantOffsets: []string{"0", "100"}},
		{keys: 205, disabledEvery: 10, req: facade.ListRequest{IncludeDisabled: true},
			wantNames: 205, wantOffsets: []string{"0", "100", "200"}},
		// A walk may start further on.
		{keys: 205, req: facade.ListRequest{Offset: ptr(150)}, wantNames: 55, wantOffsets: []string{"150"}},
	} {
		name := fmt.Sprintf("%d keys, disabled every %d, %s", tc.keys, tc.disabledEvery, describeList(tc.req))
		t.Run(name, func(t *testing.T) {
			e := newAPIEnv(t)
			c := e.client(t)
			walker := c
			if !readAhead {
				walker = e.client(t, facade.WithPageConcurrency(1))
			}
			// Seed without HTTP: the walk is under test, not create.
			var want []string
			for i := range tc.keys {
				name := fmt.Sprintf("key-%03d", i)
				created, err := e.fake.AddKey(facade.CreateKeysRequestBody{Name: name})
				if err != nil {
					t.Fatal(err)
				}
				if tc.disabledEvery > 0 && i%tc.disabledEvery == 0 {
					if _, err := c.APIKeys.Update(t.Context(), facade.UpdateKeysRequest{Hash: created.Data.Hash,
						RequestBody: facade.UpdateKeysRequestBody{Disabled: ptr(true)}}); err != nil {
						t.Fatal(err)
					}
					if !tc.req.IncludeDisabled {
						continue
					}
				}
				want = append(want, name)
			}
			slices.Reverse(want) // newest first
			want = want[min(deref(tc.req.Offset), len(want)):]
			e.fake.ResetRequests()

			got := names(t, methods(walker), tc.req)
			if len(got) != tc.wantNames || !slices.Equal(got, want) {
				t.Errorf("walk saw %d keys, want %d in order newest first\n got %q\nwant %q", len(got), tc.wantNames, got, want)
			}
			var offsets []string
			for _, r := range e.fake.Requests() {
				if r.Method != "GET" || r.Path != "/api/v1/keys" {
					t.Errorf("walk sent %s %s", r.Method, r.Path)
					continue
				}
				offsets = append(offsets, r.Query.Get("offset"))
				if want := query(tc.req); !sameFilters(r.Query, want) {
					t.Errorf("page at offset %s asked %q, want the filters %q", r.Query.Get("offset"), r.Query, want)
				}
			}
			if !readAhead || len(tc.wantOffsets) == 1 { // the first page goes alone
				if !slices.Equal(offsets, tc.wantOffsets) {
					t.Errorf("pages at offsets %q, want %q", offsets, tc.wantOffsets)
				}
				return
			}
			// Pages in flight arrive in any order, and requests past the
			// last page may be cancelled before they arrive.
			allowed := slices.Clone(tc.wantOffsets)
			last, _ := strconv.Atoi(allowed[len(allowed)-1])
			for i := 1; i < facade.DefaultPageConcurrency; i++ {
				allowed = append(allowed, strconv.Itoa(last+i*facade.PageSize))
			}
			ok := len(offsets) <= len(allowed)
			for i, o := range offsets {
				ok = ok && slices.Contains(allowed, o) && !slices.Contains(offsets[:i], o)
			}
			for _, o := range tc.wantOffsets {
				ok = ok && slices.Contains(offsets, o)
			}
			if !ok {
				t.Errorf("pages at offsets %q, want %q, each once, and at most %q", offsets, tc.wantOffsets, allowed[len(tc.wantOffsets):])
			}
		})
	}
}

// query is the filters req puts on every page.
func query(req facade.ListRequest) url.Values {
	q := url.Values{}
	q.Set("include_disabled", fmt.Sprint(req.IncludeDisabled))
	if req.WorkspaceID != nil {
		q.Set("workspace_id", *req.WorkspaceID)
	}
	return q
}

// sameFilters compares got with want, leaving out offset.
func sameFilters(got, want url.Values) bool {
	got = maps.Clone(got)
	got.Del("offset")
	return got.Encode() == want.Encode()
}

func describeList(req facade.ListRequest) string {
	if q := query(req); len(q) > 0 || req.Offset != nil {
		return strings.TrimSpace(fmt.Sprintf("%s offset %d", q.Encode(), deref(req.Offset)))
	}
	return "no filters"
}

func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}
