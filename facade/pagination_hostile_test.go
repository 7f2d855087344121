package facade_test

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/orkeys/orkeys/facade"
)

// shuffledPages answers every page, whatever its offset, with one of sets
// full pages of keys (the page's number modulo sets), shuffled afresh for
// each request: the same keys in another order.
func shuffledPages(sets int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		set := offset / facade.PageSize % sets
		items := make([]string, facade.PageSize)
		for i := range items {
			n := set*facade.PageSize + i
			items[i] = keyJSON(fmt.Sprintf("hash-%d", n), fmt.Sprintf("key-%d", n))
		}
		rand.Shuffle(len(items), func(i, j int) { items[i], items[j] = items[j], items[i] })
		replyWith(200, `{"data":[`+strings.Join(items, ",")+`]}`)(w, r)
	}
}

// A server that answers every page with the same keys shuffled, or cycles
// through a few such sets, is caught when the first set comes again (the
// third page at the latest for two sets): the walk yields each set once,
// then the repeat error, and sends no more than the pages it read and the
// read-ahead beside them. Today's main compared pages in order with the
// previous one only, and walked to the 100,000-page cap.
func TestAllStopsWhenShuffledPagesRepeat(t *testing.T) {
	clearEnv(t)
	for _, sets := range []int{1, 2} {
		for _, readAhead := range []bool{false, true} {
			t.Run(fmt.Sprintf("sets=%d/readahead=%v", sets, readAhead), func(t *testing.T) {
				srv := newRecorder(t, shuffledPages(sets))
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
				if keys != sets*facade.PageSize || errs != 1 || !strings.Contains(fmt.Sprint(last), "repeats the keys of the page at offset 0") {
					t.Errorf("%d keys, %d errors, last %v; want %d pages and the repeat error", keys, errs, last, sets)
				}
				if n, most := srv.count(), sets+1+facade.DefaultPageConcurrency-1; n > most {
					t.Errorf("%d requests, want at most %d", n, most)
				}
			})
		}
	}
}

// A server that answers every page with a different shuffled subset of the
// same 150 keys repeats no page exactly, but soon serves a page of keys all
// seen before: the walk ends there, with an error, long before the page cap.
func TestAllStopsWhenPagesBringNoNewKey(t *testing.T) {
	clearEnv(t)
	facade.SetMaxPages(t, 1000) // without the check, fail in a second, not a minute
	var mu sync.Mutex
	rng := rand.New(rand.NewPCG(1, 2))
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		pick := rng.Perm(150)[:facade.PageSize]
		mu.Unlock()
		items := make([]string, len(pick))
		for i, n := range pick {
			items[i] = keyJSON(fmt.Sprintf("hash-%d", n), fmt.Sprintf("key-%d", n))
		}
		replyWith(200, `{"data":[`+strings.Join(items, ",")+`]}`)(w, r)
	})
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
	if errs != 1 || !strings.Contains(fmt.Sprint(last), "keys again and") && !strings.Contains(fmt.Sprint(last), "repeats the keys") {
		t.Errorf("%d errors, last %v; want the no-new-key error", errs, last)
	}
	// Each key is unseen after n pages with chance (1/3)^n: 20 pages leave
	// one of the 150 unseen with a chance under 10^-7.
	if n := srv.count(); n > 20+facade.DefaultPageConcurrency {
		t.Errorf("%d requests (%d keys) before the walk stopped, want at most %d", n, keys, 20+facade.DefaultPageConcurrency)
	}
}

// A server that answers every page with the same 99 keys and one new one
// repeats no page, and every page brings a new key: the walk ends once it
// has seen more keys again than new ones, on the third page.
func TestAllStopsWhenPagesBringOneNewKeyEach(t *testing.T) {
	clearEnv(t)
	facade.SetMaxPages(t, 1000) // without the check, fail in a second, not a minute
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		items := make([]string, facade.PageSize)
		for i := range facade.PageSize - 1 {
			items[i] = keyJSON(fmt.Sprintf("hash-%d", i), fmt.Sprintf("key-%d", i))
		}
		items[facade.PageSize-1] = keyJSON(fmt.Sprintf("hash-new-%d", offset), "new")
		replyWith(200, `{"data":[`+strings.Join(items, ",")+`]}`)(w, r)
	})
	var keys, errs int
	var last error
	for _, err := range srv.client(t, sequential).APIKeys.All(t.Context(), facade.ListRequest{}) {
		if err != nil {
			errs++
			last = err
			continue
		}
		keys++
	}
	if errs != 1 || keys != 2*facade.PageSize || !strings.Contains(fmt.Sprint(last), "listed 198 keys again and 102 new ones") {
		t.Errorf("%d keys, %d errors, last %v; want two pages and the error on the third", keys, errs, last)
	}
}

// Find walks with APIKeysListAll, so it ends on the same server too, with
// the error and no keys.
func TestFindEndsOnShuffledPages(t *testing.T) {
	clearEnv(t)
	srv := newRecorder(t, shuffledPages(1))
	got, err := srv.client(t).APIKeys.Find(t.Context(), facade.FindKeysRequest{Name: "key-", Prefix: true})
	if err == nil || got != nil || !strings.Contains(err.Error(), "repeats the keys") {
		t.Errorf("Find = %d keys, %v; want the repeat error", len(got), err)
	}
	if n := srv.count(); n > 1+facade.DefaultPageConcurrency {
		t.Errorf("%d requests, want at most %d", n, 1+facade.DefaultPageConcurrency)
	}
}

// A 429 on the first page keeps the whole walk at one request in flight:
// the first page, once it comes back full, must not widen the walk to the
// read-ahead. The retry of the first page is held back a little so that
// the walk has seen the 429 before the page arrives (if it has not, the
// walk narrows at its next step, and the test passes either way).
func TestAllTooManyRequestsOnFirstPageStaysNarrow(t *testing.T) {
	clearEnv(t)
	const total = 750
	var first atomic.Bool
	var after inFlight
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		if offset == 0 && first.CompareAndSwap(false, true) {
			replyWith(http.StatusTooManyRequests, `{"error":{"code":429,"message":"slow down"}}`)(w, r)
			return
		}
		if offset == 0 {
			time.Sleep(50 * time.Millisecond)
			pages(total, -1)(w, r)
			return
		}
		after.enter()
		// Stay in flight a moment, so that a widened walk would overlap.
		time.Sleep(5 * time.Millisecond)
		body := pageBody(offset, min(total, offset+facade.PageSize))
		after.leave()
		replyWith(200, body)(w, r)
	})
	c := srv.client(t, facade.WithRetryConfig(facade.RetryConfig{}), facade.WithTestClock(&facade.TestClock{Still: true}))
	checkInOrder(t, walkNames(t, c.APIKeys.All(t.Context(), facade.ListRequest{})), total)
	if p := after.peak.Load(); p != 1 {
		t.Errorf("after a 429 on the first page, %d requests were in flight at once, want 1", p)
	}
}
