package facade_test

import (
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/orkeys/orkeys/facade"
)

// pages serves total keys named key-0, key-1, … in pages of PageSize by
// offset, and answers 500 to the page at failAt (when failAt >= 0).
func pages(total, failAt int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		if offset == failAt {
			replyWith(500, `{"error":{"code":500,"message":"page failed"}}`)(w, r)
			return
		}
		var items []string
		for i := offset; i < total && i < offset+facade.PageSize; i++ {
			items = append(items, keyJSON(fmt.Sprintf("hash-%d", i), fmt.Sprintf("key-%d", i)))
		}
		replyWith(200, `{"data":[`+strings.Join(items, ",")+`]}`)(w, r)
	}
}

// offsets lists the offset query of each request the server saw.
func offsets(srv *recorder) []string {
	var out []string
	for _, r := range srv.requests() {
		out = append(out, r.Query)
	}
	return out
}

// All walks the pages in order until a short or empty page.
func TestAllWalksEveryPage(t *testing.T) {
	clearEnv(t)
	for _, tc := range []struct {
		total   int
		queries []string
	}{
		{0, []string{"include_disabled=false&offset=0"}},
		{1, []string{"include_disabled=false&offset=0"}},
		{99, []string{"include_disabled=false&offset=0"}},
		{100, []string{"include_disabled=false&offset=0", "include_disabled=false&offset=100"}}, // a full page may not be the last
		{250, []string{"include_disabled=false&offset=0", "include_disabled=false&offset=100", "include_disabled=false&offset=200"}},
		{300, []string{"include_disabled=false&offset=0", "include_disabled=false&offset=100", "include_disabled=false&offset=200", "include_disabled=false&offset=300"}},
	} {
		t.Run(strconv.Itoa(tc.total), func(t *testing.T) {
			srv := newRecorder(t, pages(tc.total, -1))
			c := srv.client(t)
			var names []string
			for key, err := range c.APIKeys.All(t.Context(), facade.ListRequest{}) {
				if err != nil {
					t.Fatalf("after %d keys: %v", len(names), err)
				}
				names = append(names, key.Name)
			}
			if len(names) != tc.total {
				t.Fatalf("got %d keys, want %d", len(names), tc.total)
			}
			for i, n := range names {
				if n != fmt.Sprintf("key-%d", i) {
					t.Fatalf("key %d is %q: out of order or repeated", i, n)
				}
			}
			if got := offsets(srv); !reflect.DeepEqual(got, tc.queries) {
				t.Errorf("requests %q, want %q", got, tc.queries)
			}
		})
	}
}

// Breaking out of the loop stops the walk: no further page is fetched.
func TestAllStopsOnBreak(t *testing.T) {
	clearEnv(t)
	for _, tc := range []struct {
		stopAfter int
		queries   []string
	}{
		{1, []string{"include_disabled=false&offset=0"}},
		{100, []string{"include_disabled=false&offset=0"}}, // break on the last key of a full page
		{101, []string{"include_disabled=false&offset=0", "include_disabled=false&offset=100"}},
		{150, []string{"include_disabled=false&offset=0", "include_disabled=false&offset=100"}},
	} {
		t.Run(strconv.Itoa(tc.stopAfter), func(t *testing.T) {
			srv := newRecorder(t, pages(1000, -1))
			n := 0
			for _, err := range srv.client(t).APIKeys.All(t.Context(), facade.ListRequest{}) {
				if err != nil {
					t.Fatal(err)
				}
				n++
				if n == tc.stopAfter {
					break
				}
			}
			if got := offsets(srv); !reflect.DeepEqual(got, tc.queries) {
				t.Errorf("requests %q, want %q", got, tc.queries)
			}
		})
	}
}

// A failing page is yielded once as an error, after the keys before it,
// and ends the walk even if the loop goes on.
func TestAllYieldsErrorOnceAndStops(t *testing.T) {
	clearEnv(t)
	srv := newRecorder(t, pages(1000, 200))
	var keys, errs int
	var last error
	for key, err := range facade.APIKeysListAll(t.Context(), srv.client(t), facade.ListRequest{}) {
		if err != nil {
			errs++
			last = err
			if key != (facade.APIKey{}) {
				t.Errorf("error yielded with a key: %+v", key)
			}
			continue // a careless loop: the iterator must still stop
		}
		keys++
	}
	if keys != 200 || errs != 1 {
		t.Errorf("yielded %d keys and %d errors, want 200 and 1", keys, errs)
	}
	var ise *facade.InternalServerResponseError
	if !errors.As(last, &ise) || ise.Message != "page failed" {
		t.Errorf("error = %v, want the page's 500", last)
	}
	if got, want := offsets(srv), []string{"include_disabled=false&offset=0", "include_disabled=false&offset=100", "include_disabled=false&offset=200"}; !reflect.DeepEqual(got, want) {
		t.Errorf("requests %q, want %q", got, want)
	}
}

// The walk starts at req.Offset, carries the other fields on every page,
// and leaves the caller's request, and the int its Offset points to, alone.
func TestAllStartsAtOffsetAndKeepsRequest(t *testing.T) {
	clearEnv(t)
	srv := newRecorder(t, pages(260, -1))
	ws := "0df9e665-d932-5740-b2c7-b52af166bc11"
	start := 50
	req := facade.ListRequest{IncludeDisabled: true, Offset: &start, WorkspaceID: &ws}
	saved := req
	var first string
	n := 0
	for key, err := range srv.client(t).APIKeys.All(t.Context(), req) {
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			first = key.Name
		}
		n++
	}
	if first != "key-50" || n != 210 {
		t.Errorf("first key %q, %d keys; want key-50 and 210", first, n)
	}
	want := []string{
		"include_disabled=true&offset=50&workspace_id=" + ws,
		"include_disabled=true&offset=150&workspace_id=" + ws,
		"include_disabled=true&offset=250&workspace_id=" + ws,
	}
	if got := offsets(srv); !reflect.DeepEqual(got, want) {
		t.Errorf("requests %q, want %q", got, want)
	}
	if start != 50 || req != saved || !req.IncludeDisabled || *req.WorkspaceID != ws {
		t.Errorf("caller's request changed: offset %d, %+v", start, req)
	}
}

// Bad input surfaces as the walk's single error, before any request.
func TestAllRejectsBadRequest(t *testing.T) {
	clearEnv(t)
	srv := newRecorder(t, pages(10, -1))
	errs := 0
	for _, err := range srv.client(t).APIKeys.All(t.Context(), facade.ListRequest{Offset: intPtr(-1)}) {
		if err == nil || !strings.Contains(err.Error(), "ListRequest.Offset") {
			t.Errorf("yielded %v, want the offset error", err)
		}
		errs++
	}
	if errs != 1 || srv.count() != 0 {
		t.Errorf("%d errors, %d requests; want 1 and 0", errs, srv.count())
	}
}

// The iterator is lazy (nothing is sent until it is ranged over) and can be
// ranged over again, starting afresh.
func TestAllIsLazyAndReusable(t *testing.T) {
	clearEnv(t)
	srv := newRecorder(t, pages(120, -1))
	seq := srv.client(t).APIKeys.All(t.Context(), facade.ListRequest{})
	if n := srv.count(); n != 0 {
		t.Fatalf("All sent %d requests before being ranged over", n)
	}
	for range 2 {
		n := 0
		for _, err := range seq {
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		if n != 120 {
			t.Errorf("got %d keys, want 120", n)
		}
	}
	if n := srv.count(); n != 4 {
		t.Errorf("two walks made %d requests, want 4", n)
	}
}

// Per-call options reach every page.
func TestAllAppliesOptionsToEveryPage(t *testing.T) {
	clearEnv(t)
	srv := newRecorder(t, pages(150, -1))
	for _, err := range srv.client(t).APIKeys.All(t.Context(), facade.ListRequest{}, facade.WithHeader("X-Walk", "w1")) {
		if err != nil {
			t.Fatal(err)
		}
	}
	reqs := srv.requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2", len(reqs))
	}
	for i, r := range reqs {
		if r.Header.Get("X-Walk") != "w1" {
			t.Errorf("page %d lacks the per-call header", i)
		}
	}
}
