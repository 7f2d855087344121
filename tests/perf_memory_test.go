package tests

import (
	"context"
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

// Walking 10,000 keys (100 pages) with c.APIKeys.All must hold about one
// page at a time, never the keys already yielded. The test samples the live
// heap in the middle of ten different pages and compares the worst sample
// with the heap that the same 10,000 keys take when they are all kept: an
// iterator that accumulated would be near 100% of it by the last sample;
// one page is about 1%. No timing is involved.
func TestAllHoldsAboutOnePage(t *testing.T) {
	s := newBenchServer()
	defer s.Close()
	c := newFacadeClient(t, s)
	ctx := context.Background()

	startAlloc, startInuse := liveHeap()
	var peakAlloc, peakInuse uint64
	n := 0
	for key, err := range c.APIKeys.All(ctx, facade.ListRequest{}) {
		if err != nil {
			t.Fatal(err)
		}
		if key.Hash != benchHash(n) {
			t.Fatalf("key %d: hash %s, want %s", n, key.Hash, benchHash(n))
		}
		n++
		if n%1000 == 500 { // mid-page, spread over the walk
			a, i := liveHeap()
			peakAlloc, peakInuse = max(peakAlloc, a), max(peakInuse, i)
		}
	}
	if n != benchTotalKeys {
		t.Fatalf("walked %d keys, want %d", n, benchTotalKeys)
	}
	held := int64(peakAlloc) - int64(startAlloc)
	heldInuse := int64(peakInuse) - int64(startInuse)

	// The reference: the same walk, keeping every key.
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

	t.Logf("live heap held while walking %d keys: %d KiB (HeapAlloc), %d KiB (HeapInuse); all %d keys kept: %d KiB; ratio %.1f%%",
		n, held>>10, heldInuse>>10, len(all), allKeys>>10, 100*float64(held)/float64(allKeys))
	if allKeys < 1<<20 {
		t.Fatalf("keeping all %d keys took only %d bytes: the reference measurement is broken", len(all), allKeys)
	}
	// Generous: ten pages' worth would still pass; keeping the walk's keys
	// would not.
	if held > allKeys/10 {
		t.Errorf("All held %d KiB of live heap mid-walk, more than a tenth of all %d keys (%d KiB): it accumulates", held>>10, len(all), allKeys>>10)
	}
}
