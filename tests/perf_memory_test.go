//go:build !race

// Heap figures are taken without the race detector: under -race, sync.Pool
// drops pooled buffers at random and the detector changes what escapes to
// the heap, so the figures are not the ones the bounds were set for. `make
// test` runs this file in its run without -race.

package tests

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/orkeys/orkeys/facade"
)

// liveHeap is the heap still in use after a full collection: HeapAlloc
// (live objects) and HeapInuse (the spans holding them).
func liveHeap() (alloc, inuse uint64) {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc, m.HeapInuse
}

// Walking 10,000 keys (100 pages) with c.APIKeys.All must hold a few pages
// at a time, never the keys already yielded. The test samples the live heap
// in the middle of ten different pages and compares the worst sample with
// the heap that the same 10,000 keys take when they are all kept: an
// iterator that accumulated would be near 100% of it by the last sample.
//
// Walking one page at a time (WithPageConcurrency(1)) holds about one page,
// about 1%. With read-ahead n, the walk keeps at most n+1 pages decoded (n
// queued and the one being yielded), and each request in flight also has its
// raw body in a pooled buffer and, while gen decodes it, in gen's own copy:
// the bound is three times n+1 pages, decoded and raw (about a third of all
// keys for n = 4; measured 600–850 KiB, 11–15%). No timing is involved.
func TestAllHoldsAboutOnePage(t *testing.T) {
	s := newBenchServer()
	defer s.Close()
	c := newFacadeClient(t, s)
	ctx := context.Background()

	// The reference: the walk, keeping every key.
	before, _ := liveHeap()
	all := make([]facade.APIKey, 0, benchTotalKeys)
	for key, err := range c.APIKeys.All(ctx, facade.ListRequest{}) {
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, key)
	}
	after, _ := liveHeap()
	allKeys := int64(after) - int64(before)
	runtime.KeepAlive(all)
	all = nil
	if allKeys < 1<<20 {
		t.Fatalf("keeping all %d keys took only %d bytes: the reference measurement is broken", benchTotalKeys, allKeys)
	}
	decoded := allKeys / (benchTotalKeys / benchPageSize) // one page, decoded
	raw := int64(len(s.pages[0].body))                    // one page, as sent

	for _, n := range []int{1, facade.DefaultPageConcurrency} {
		t.Run(fmt.Sprintf("concurrency=%d", n), func(t *testing.T) {
			startAlloc, startInuse := liveHeap()
			var peakAlloc, peakInuse uint64
			i := 0
			for key, err := range c.APIKeys.All(ctx, facade.ListRequest{}, facade.WithPageConcurrency(n)) {
				if err != nil {
					t.Fatal(err)
				}
				if key.Hash != benchHash(i) {
					t.Fatalf("key %d: hash %s, want %s", i, key.Hash, benchHash(i))
				}
				i++
				if i%1000 == 500 { // mid-page, spread over the walk
					a, u := liveHeap()
					peakAlloc, peakInuse = max(peakAlloc, a), max(peakInuse, u)
				}
			}
			if i != benchTotalKeys {
				t.Fatalf("walked %d keys, want %d", i, benchTotalKeys)
			}
			held := int64(peakAlloc) - int64(startAlloc)
			heldInuse := int64(peakInuse) - int64(startInuse)
			// Generous for one page at a time: ten pages' worth would
			// still pass; keeping the walk's keys would not.
			limit := allKeys / 10
			if n > 1 {
				limit = 3 * int64(n+1) * (decoded + raw)
			}
			t.Logf("live heap held while walking %d keys: %d KiB (HeapAlloc), %d KiB (HeapInuse); all keys kept: %d KiB; ratio %.1f%%; one page: %d KiB decoded, %d KiB raw; limit %d KiB",
				i, held>>10, heldInuse>>10, allKeys>>10, 100*float64(held)/float64(allKeys), decoded>>10, raw>>10, limit>>10)
			if held > limit {
				t.Errorf("All held %d KiB of live heap mid-walk, more than %d KiB: it accumulates", held>>10, limit>>10)
			}
		})
	}
}
