package facade_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/orkeys/orkeys/facade"
)

// pages serves total keys named key-0, key-1, … in pages of PageSize by
// offset, and answers 500 to the page at failAt (when failAt >= 0).
func pages(total, failAt int) http.HandlerFunc {
	return pagesOf(total, facade.PageSize, failAt)
}

// pagesOf is pages with pages of size keys.
func pagesOf(total, size, failAt int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		if offset == failAt {
			replyWith(500, `{"error":{"code":500,"message":"page failed"}}`)(w, r)
			return
		}
		replyWith(200, pageBody(offset, min(total, offset+size)))(w, r)
	}
}

// pageBody lists the keys from key-from up to key-(to-1).
func pageBody(from, to int) string {
	var items []string
	for i := from; i < to; i++ {
		items = append(items, keyJSON(fmt.Sprintf("hash-%d", i), fmt.Sprintf("key-%d", i)))
	}
	return `{"data":[` + strings.Join(items, ",") + `]}`
}

// sequential is today's walk, one page after another: the exact request
// sequences below hold for it. The default read-ahead (4) may send up to
// three more requests past the last page, cancelled or not before they reach
// the server, so tests of the default check bounds instead (checkReadAhead).
var sequential = facade.WithPageConcurrency(1)

// checkReadAhead checks the requests of a walk with the default read-ahead:
// every query in want was sent, once, and besides them at most
// DefaultPageConcurrency-1 requests for the pages right after the last one
// in want, whose offset is last.
func checkReadAhead(t *testing.T, got, want []string, last int, format string) {
	t.Helper()
	allowed := slices.Clone(want)
	for i := 1; i < facade.DefaultPageConcurrency; i++ {
		allowed = append(allowed, fmt.Sprintf(format, last+i*facade.PageSize))
	}
	for _, q := range want {
		if !slices.Contains(got, q) {
			t.Errorf("request %q missing from %q", q, got)
		}
	}
	for i, q := range got {
		if !slices.Contains(allowed, q) {
			t.Errorf("request %q is not one of %q", q, allowed)
		}
		if slices.Contains(got[:i], q) {
			t.Errorf("request %q sent twice: %q", q, got)
		}
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

// All walks the pages in order until a short or empty page: one after
// another with WithPageConcurrency(1), as before read-ahead, and with the
// default read-ahead the same keys in the same order, with at most three
// requests past the last page.
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
		for _, readAhead := range []bool{false, true} {
			t.Run(fmt.Sprintf("%d/readahead=%v", tc.total, readAhead), func(t *testing.T) {
				srv := newRecorder(t, pages(tc.total, -1))
				c := srv.client(t)
				if !readAhead {
					c = srv.client(t, sequential)
				}
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
				got := offsets(srv)
				if !readAhead || len(tc.queries) == 1 {
					// One page: the first page goes alone, read-ahead or not.
					if !reflect.DeepEqual(got, tc.queries) {
						t.Errorf("requests %q, want %q", got, tc.queries)
					}
					return
				}
				checkReadAhead(t, got, tc.queries, (len(tc.queries)-1)*facade.PageSize, "include_disabled=false&offset=%d")
			})
		}
	}
}

// Breaking out of the loop stops the walk: sequentially, no further page is
// fetched; with read-ahead, only the pages already asked for were sent.
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
		for _, readAhead := range []bool{false, true} {
			t.Run(fmt.Sprintf("%d/readahead=%v", tc.stopAfter, readAhead), func(t *testing.T) {
				srv := newRecorder(t, pages(1000, -1))
				c := srv.client(t)
				if !readAhead {
					c = srv.client(t, sequential)
				}
				n := 0
				for _, err := range c.APIKeys.All(t.Context(), facade.ListRequest{}) {
					if err != nil {
						t.Fatal(err)
					}
					n++
					if n == tc.stopAfter {
						break
					}
				}
				got := offsets(srv)
				if !readAhead || len(tc.queries) == 1 {
					// A break on the first page: nothing was read ahead yet.
					if !reflect.DeepEqual(got, tc.queries) {
						t.Errorf("requests %q, want %q", got, tc.queries)
					}
					return
				}
				checkReadAhead(t, got, tc.queries, 100, "include_disabled=false&offset=%d")
			})
		}
	}
}

// A failing page is yielded once as an error, after the keys before it,
// and ends the walk even if the loop goes on. With read-ahead, up to three
// pages past the failed one were asked for too, and their keys are never
// yielded.
func TestAllYieldsErrorOnceAndStops(t *testing.T) {
	clearEnv(t)
	for _, readAhead := range []bool{false, true} {
		t.Run(fmt.Sprintf("readahead=%v", readAhead), func(t *testing.T) {
			testAllYieldsErrorOnceAndStops(t, readAhead)
		})
	}
}

func testAllYieldsErrorOnceAndStops(t *testing.T, readAhead bool) {
	srv := newRecorder(t, pages(1000, 200))
	c := srv.client(t)
	if !readAhead {
		c = srv.client(t, sequential)
	}
	var keys, errs int
	var last error
	for key, err := range facade.APIKeysListAll(t.Context(), c, facade.ListRequest{}) {
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
	want := []string{"include_disabled=false&offset=0", "include_disabled=false&offset=100", "include_disabled=false&offset=200"}
	if readAhead {
		checkReadAhead(t, offsets(srv), want, 200, "include_disabled=false&offset=%d")
	} else if got := offsets(srv); !reflect.DeepEqual(got, want) {
		t.Errorf("requests %q, want %q", got, want)
	}
}

// The walk starts at req.Offset, carries the other fields on every page,
// and leaves the caller's request, and the int its Offset points to, alone,
// while several pages are in flight at once.
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
	checkReadAhead(t, offsets(srv), want, 250, "include_disabled=true&offset=%d&workspace_id="+ws)
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
	// Two pages each, and up to three requests read ahead past the last.
	if n := srv.count(); n < 4 || n > 2*(2+facade.DefaultPageConcurrency-1) {
		t.Errorf("two walks made %d requests, want 4 to %d", n, 2*(2+facade.DefaultPageConcurrency-1))
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
	if len(reqs) < 2 || len(reqs) > 2+facade.DefaultPageConcurrency-1 {
		t.Fatalf("%d requests, want 2 and at most %d read ahead", len(reqs), facade.DefaultPageConcurrency-1)
	}
	for i, r := range reqs {
		if r.Header.Get("X-Walk") != "w1" {
			t.Errorf("page %d lacks the per-call header", i)
		}
	}
}

// WithPageConcurrency takes n ≥ 1; anything else is bad input, for New and
// for a single walk, which then sends nothing.
func TestWithPageConcurrencyRejectsBelowOne(t *testing.T) {
	clearEnv(t)
	for _, n := range []int{0, -1} {
		if _, err := facade.New(facade.WithPageConcurrency(n)); !errors.Is(err, facade.ErrInvalidInput) || !strings.Contains(err.Error(), "WithPageConcurrency") {
			t.Errorf("New(WithPageConcurrency(%d)) = %v, want ErrInvalidInput naming the option", n, err)
		}
		srv := newRecorder(t, pages(10, -1))
		errs := 0
		for _, err := range srv.client(t).APIKeys.All(t.Context(), facade.ListRequest{}, facade.WithPageConcurrency(n)) {
			if !errors.Is(err, facade.ErrInvalidInput) {
				t.Errorf("walk with WithPageConcurrency(%d) yielded %v, want ErrInvalidInput", n, err)
			}
			errs++
		}
		if errs != 1 || srv.count() != 0 {
			t.Errorf("WithPageConcurrency(%d): %d errors, %d requests; want 1 and 0", n, errs, srv.count())
		}
	}
}

// inFlight counts the requests a handler is working on, and the most at
// once. A request stops counting before its answer is written, so the
// client cannot have sent the next one yet.
type inFlight struct {
	now, peak atomic.Int64
}

func (f *inFlight) enter() {
	n := f.now.Add(1)
	for {
		p := f.peak.Load()
		if n <= p || f.peak.CompareAndSwap(p, n) {
			return
		}
	}
}

func (f *inFlight) leave() { f.now.Add(-1) }

// walkNames ranges over seq and returns the names of the keys, failing the
// test on an error.
func walkNames(t *testing.T, seq func(func(facade.APIKey, error) bool)) []string {
	t.Helper()
	var names []string
	for key, err := range seq {
		if err != nil {
			t.Fatalf("after %d keys: %v", len(names), err)
		}
		names = append(names, key.Name)
	}
	return names
}

func checkInOrder(t *testing.T, names []string, total int) {
	t.Helper()
	if len(names) != total {
		t.Fatalf("got %d keys, want %d", len(names), total)
	}
	for i, n := range names {
		if n != fmt.Sprintf("key-%d", i) {
			t.Fatalf("key %d is %q: out of order or repeated", i, n)
		}
	}
}

// With WithPageConcurrency(n), the n pages after the first are all in
// flight at once (each waits at the server until the n have arrived), and
// never more than n are.
func TestAllKeepsNPagesInFlight(t *testing.T) {
	clearEnv(t)
	for _, n := range []int{1, 2, 4, 8} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			const total = 1250
			var (
				flight  inFlight
				arrived atomic.Int64
				full    = make(chan struct{})
			)
			srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
				flight.enter()
				offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
				if offset > 0 && offset <= n*facade.PageSize {
					if arrived.Add(1) == int64(n) {
						close(full)
					}
					select {
					case <-full:
					case <-time.After(10 * time.Second):
						t.Errorf("page at offset %d: the first %d pages after the first were not in flight together", offset, n)
					}
				}
				body := pageBody(offset, min(total, offset+facade.PageSize))
				flight.leave()
				replyWith(200, body)(w, r)
			})
			names := walkNames(t, srv.client(t).APIKeys.All(t.Context(), facade.ListRequest{}, facade.WithPageConcurrency(n)))
			checkInOrder(t, names, total)
			if p := flight.peak.Load(); p > int64(n) {
				t.Errorf("%d requests in flight at once, want at most %d", p, n)
			}
			t.Logf("%d requests, at most %d in flight", srv.count(), flight.peak.Load())
		})
	}
}

// Keys come in page order even when later pages are answered first.
func TestAllYieldsInOrderWhenPagesFinishOutOfOrder(t *testing.T) {
	clearEnv(t)
	const total = 1000
	delays := map[int]time.Duration{100: 40 * time.Millisecond, 300: 20 * time.Millisecond, 500: 30 * time.Millisecond}
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		time.Sleep(delays[offset])
		pages(total, -1)(w, r)
	})
	checkInOrder(t, walkNames(t, srv.client(t).APIKeys.All(t.Context(), facade.ListRequest{})), total)
}

// Breaking out of the loop cancels the pages in flight, and the loop
// returns only after every goroutine of the walk has ended.
func TestAllBreakCancelsPagesInFlight(t *testing.T) {
	clearEnv(t)
	before := goleak.IgnoreCurrent()
	var hung, cancelled atomic.Int64
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		if offset >= 200 {
			hung.Add(1)
			select {
			case <-r.Context().Done():
				cancelled.Add(1)
			case <-time.After(10 * time.Second):
				t.Errorf("page at offset %d: still in flight 10s after the loop broke", offset)
			}
			return
		}
		pages(1000, -1)(w, r)
	})
	n := 0
	for _, err := range srv.client(t).APIKeys.All(t.Context(), facade.ListRequest{}) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 150 {
			break
		}
	}
	// Every goroutine of the walk has called wg.Done when the loop returns;
	// one may still be between that and its last instruction, so the
	// check allows it a moment to be gone (it is not waiting on anything).
	buf := make([]byte, 1<<20)
	stacks := string(buf[:runtime.Stack(buf, true)])
	for i := 0; i < 100 && strings.Contains(stacks, "pageWalk"); i++ {
		time.Sleep(time.Millisecond)
		stacks = string(buf[:runtime.Stack(buf, true)])
	}
	if strings.Contains(stacks, "pageWalk") {
		t.Errorf("a goroutine of the walk outlived the loop:\n%s", stacks)
	}
	// The hung requests that reached the server end because the walk
	// cancelled them, not by the server's timeout.
	deadline := time.Now().Add(10 * time.Second)
	for cancelled.Load() < hung.Load() && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if h, c := hung.Load(), cancelled.Load(); c != h || h > int64(facade.DefaultPageConcurrency-1) {
		t.Errorf("%d requests past the page the loop broke in reached the server, %d were cancelled; want all cancelled, at most %d", h, c, facade.DefaultPageConcurrency-1)
	}
	srv.srv.Close()
	goleak.VerifyNone(t, before)
}

// A 429 on a page read ahead narrows the walk for good: the other pages in
// flight are cancelled, and from then on one request is in flight at a time.
// The 429 comes only once the first four pages after page 0 are all in
// flight, so the narrowing is what the test sees, not the timing.
func TestAllNarrowsAfterTooManyRequests(t *testing.T) {
	clearEnv(t)
	const total = 950
	var (
		mu        sync.Mutex
		seen      = map[int]bool{}
		arrived   atomic.Int64
		full      = make(chan struct{})
		limited   atomic.Bool
		cancelled atomic.Int64
		after     inFlight // requests that came after the 429
	)
	wait := func(ch <-chan struct{}, what string) {
		select {
		case <-ch:
		case <-time.After(10 * time.Second):
			t.Errorf("gave up waiting for %s", what)
		}
	}
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		mu.Lock()
		first := !seen[offset]
		seen[offset] = true
		mu.Unlock()
		switch {
		case offset == 0 && first:
		case offset <= 400 && first:
			if arrived.Add(1) == 4 {
				close(full)
			}
			wait(full, "the first four pages read ahead")
			if offset == 100 {
				limited.Store(true)
				replyWith(http.StatusTooManyRequests, `{"error":{"code":429,"message":"slow down"}}`)(w, r)
				return
			}
			wait(r.Context().Done(), fmt.Sprintf("the walk to cancel the page at offset %d", offset))
			cancelled.Add(1)
			return
		default:
			if !limited.Load() {
				t.Errorf("page at offset %d asked for again before the 429", offset)
			}
			after.enter()
			body := pageBody(offset, min(total, offset+facade.PageSize))
			after.leave()
			replyWith(200, body)(w, r)
			return
		}
		pages(total, -1)(w, r)
	})
	c := srv.client(t, facade.WithRetryConfig(facade.RetryConfig{}), facade.WithTestClock(&facade.TestClock{Still: true}))
	checkInOrder(t, walkNames(t, c.APIKeys.All(t.Context(), facade.ListRequest{})), total)
	if n := cancelled.Load(); n != 3 {
		t.Errorf("%d of the 3 pages in flight beside the 429 were cancelled", n)
	}
	if p := after.peak.Load(); p != 1 {
		t.Errorf("after the 429, %d requests were in flight at once, want 1", p)
	}
}

// A server that ignores offset answers the same full page again: the walk
// stops with an error instead of looping, having yielded the page once.
func TestAllStopsWhenAPageRepeats(t *testing.T) {
	clearEnv(t)
	for _, readAhead := range []bool{false, true} {
		t.Run(fmt.Sprintf("readahead=%v", readAhead), func(t *testing.T) {
			srv := newRecorder(t, replyWith(200, pageBody(0, facade.PageSize)))
			c := srv.client(t)
			if !readAhead {
				c = srv.client(t, sequential)
			}
			var keys, errs int
			var last error
			for _, err := range c.APIKeys.All(t.Context(), facade.ListRequest{}) {
				if err != nil {
					errs++
					last = err
					continue
				}
				keys++
			}
			if keys != facade.PageSize || errs != 1 || !strings.Contains(fmt.Sprint(last), "repeats the keys of the page at offset 0") {
				t.Errorf("%d keys, %d errors, last %v; want one page and the repeat error", keys, errs, last)
			}
			if n := srv.count(); n < 2 || n > 1+facade.DefaultPageConcurrency {
				t.Errorf("%d requests, want 2 to %d", n, 1+facade.DefaultPageConcurrency)
			}
		})
	}
}

// Full pages of new keys without end stop at the page cap.
func TestAllStopsAtThePageCap(t *testing.T) {
	clearEnv(t)
	facade.SetMaxPages(t, 3)
	srv := newRecorder(t, pages(1<<30, -1))
	var keys, errs int
	var last error
	for _, err := range srv.client(t).APIKeys.All(t.Context(), facade.ListRequest{}) {
		if err != nil {
			errs++
			last = err
			continue
		}
		keys++
	}
	if keys != 3*facade.PageSize || errs != 1 || !strings.Contains(fmt.Sprint(last), "stopped after 3 pages") {
		t.Errorf("%d keys, %d errors, last %v; want three pages and the cap's error", keys, errs, last)
	}
}

// A server whose pages hold more than PageSize keys is followed where its
// pages end, as before read-ahead: the pages asked for ahead at multiples of
// PageSize are dropped.
func TestAllFollowsPagesLongerThanPageSize(t *testing.T) {
	clearEnv(t)
	srv := newRecorder(t, pagesOf(450, 150, -1))
	checkInOrder(t, walkNames(t, srv.client(t).APIKeys.All(t.Context(), facade.ListRequest{})), 450)
	for _, want := range []string{"offset=0", "offset=150", "offset=300", "offset=450"} {
		if !slices.Contains(offsets(srv), "include_disabled=false&"+want) {
			t.Errorf("no request for %s in %q", want, offsets(srv))
		}
	}
}

// WithResponseBodyInto, which every page writes, makes the walk sequential,
// and leaves the last page's body in place.
func TestAllWithResponseBodyIntoIsSequential(t *testing.T) {
	clearEnv(t)
	var flight inFlight
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		flight.enter()
		time.Sleep(time.Millisecond)
		flight.leave()
		pages(450, -1)(w, r)
	})
	var raw []byte
	checkInOrder(t, walkNames(t, srv.client(t).APIKeys.All(context.Background(), facade.ListRequest{}, facade.WithResponseBodyInto(&raw))), 450)
	if p := flight.peak.Load(); p != 1 {
		t.Errorf("%d requests in flight at once, want 1", p)
	}
	if n := srv.count(); n != 5 {
		t.Errorf("%d requests, want 5", n)
	}
	if !strings.Contains(string(raw), `"key-449"`) {
		t.Errorf("raw body is not the last page's: %.80s…", raw)
	}
}
