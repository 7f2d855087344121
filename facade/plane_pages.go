package facade

import (
	"context"
	"fmt"
	"iter"
	"sync"
)

// The management plane's lists page with offset and limit and report
// total_count. Their …All iterators walk them with APIKeysListAll's
// guarantees: options merged once for the walk, read-ahead after the first
// page (WithPageConcurrency), one request at a time after a 429, one error
// yielded as the last value, nothing left running when the loop breaks,
// and a server that misbehaves stops the walk rather than looping: the
// walk ends when offset reaches total_count, and refuses an empty page
// before that, a page of records all seen before, a total_count that grows
// during the walk to more than twice the first page's (and by more than a
// page), a walk past maxPlaneRecords records, and a walk past maxPages.
// Each record (by id) is yielded once: a record listed again, in a page or
// across pages, is dropped. With total_count known, no page past the end
// is asked for.
//
// The growth check stops a server that answers every page with fresh
// records and a total_count always a page ahead (which would otherwise run
// to maxPages, 10 million records): a real list does not double while one
// walk reads it, and one created into that fast ends the walk with an error
// rather than a wrong answer. maxPlaneRecords bounds what the walk
// remembers of a server that claims a huge total_count from the start.

// maxPlaneRecords caps the records of one plane walk: a million, far
// beyond any organization's workspaces, guardrails, members or provider
// keys, and room for a guardrail assigned to a key per customer of a large
// SaaS; it bounds the ids a walk remembers for the repeat check (about
// 150 MB at the cap, reached only by a server that claims such a total). A
// variable only so that a test can lower it.
var maxPlaneRecords = 1_000_000

// fetchPage asks for the page at offset on the walk's merged config and
// returns its records and total_count.
type fetchPage[T any] func(ctx context.Context, cfg *config, offset int) ([]T, int, error)

// pages is the fetchPage of a list operation: build makes the request of
// the page at offset (asking for PlanePageSize records), lacks is the
// operation's answer check, and records picks the page's data and
// total_count.
func pages[R, T any](op *operation, build func(offset int) builder, lacks func(*R) string, records func(*R) ([]T, int)) fetchPage[T] {
	return func(ctx context.Context, cfg *config, offset int) ([]T, int, error) {
		v, err := callWith(ctx, cfg, op, build(offset), lacks)
		if err != nil {
			return nil, 0, err
		}
		data, total := records(v)
		return data, total, nil
	}
}

// walkPages is the …All iterators' loop over op's pages. checkErr is the
// request's input check; start is the request's Offset; id identifies a
// record, for the repeat check.
//
// The first page goes alone; its total_count says which pages remain, and
// up to WithPageConcurrency(n) of them (DefaultPageConcurrency) are then
// fetched ahead while the loop works, never past the total. A 429 on any
// page drops the walk to one request at a time. Breaking out of the loop
// cancels what is in flight, and no goroutine outlives the loop.
func walkPages[T any](ctx context.Context, c *Client, opts []Option, op *operation, checkErr error, start *int,
	fetch fetchPage[T], id func(*T) string) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		if ctx == nil {
			yield(zero, invalid("nil context (use context.Background())"))
			return
		}
		if checkErr != nil {
			yield(zero, checkErr)
			return
		}
		w, err := newPlaneWalk(ctx, c, opts, op, fetch, id)
		if err != nil {
			yield(zero, err)
			return
		}
		defer w.stop()
		if start != nil {
			w.next = *start
		}
		w.run(yield)
	}
}

// planeWalk is one range over a plane list. Only the ranging goroutine
// touches its fields; each fetch goroutine has its own planeFetch.
type planeWalk[T any] struct {
	what   string
	ctx    context.Context
	cancel context.CancelFunc
	cfg    *config
	fetch  fetchPage[T]
	id     func(*T) string

	wide      int // requests in flight at most, once the total is known
	throttled chan struct{}
	queue     []*planeFetch[T]
	next      int // offset of the next page to request
	wg        sync.WaitGroup
}

type planeFetch[T any] struct {
	offset int
	cancel context.CancelFunc
	done   chan planeResult[T]
}

type planeResult[T any] struct {
	data  []T
	total int
	err   error
}

func newPlaneWalk[T any](ctx context.Context, c *Client, opts []Option, op *operation, fetch fetchPage[T], id func(*T) string) (*planeWalk[T], error) {
	w := &planeWalk[T]{what: op.method + " " + op.path, fetch: fetch, id: id}
	var err error
	if w.cfg, w.wide, w.throttled, err = c.walkConfig(ctx, opts); err != nil {
		return nil, err
	}
	w.ctx, w.cancel = context.WithCancel(ctx)
	return w, nil
}

// run yields the records of page after page until the walk ends.
func (w *planeWalk[T]) run(yield func(T, error) bool) {
	var zero T
	// Every id seen: the lists are an organization's guardrails,
	// workspaces and members, small enough to remember whole (at most
	// maxPlaneRecords), and a page of nothing new is a server that does not
	// progress, even when it reshuffles what it repeats.
	seen := map[string]bool{}
	total, limit := -1, 1 // the first page goes alone
	first := -1           // the first page's total_count
	for n := 0; ; n++ {
		if n == maxPages {
			yield(zero, fmt.Errorf("openrouter: %s: stopped after %d pages; the server keeps answering", w.what, maxPages))
			return
		}
		if limit > 1 && w.throttleSeen() {
			limit = 1
			w.drop(1) // the head stays; the rest is asked for again, one by one
		}
		for len(w.queue) < limit && (total < 0 || w.next < total) {
			w.launch()
		}
		if len(w.queue) == 0 {
			return // total reached
		}
		head := w.queue[0]
		var r planeResult[T]
		select {
		case r = <-head.done:
		case <-w.throttledChan(limit):
			limit = 1
			w.drop(1)
			n--
			continue
		}
		w.queue[0] = nil
		w.queue = w.queue[1:]
		if r.err != nil {
			yield(zero, r.err)
			return
		}
		if len(r.data) == 0 {
			if head.offset < r.total {
				yield(zero, fmt.Errorf("openrouter: %s: the page at offset %d is empty, but total_count is %d; the walk stopped", w.what, head.offset, r.total))
			}
			return
		}
		if first < 0 {
			first = r.total
		}
		if r.total > first+max(first, PlanePageSize) {
			yield(zero, fmt.Errorf("openrouter: %s: total_count grew from %d to %d during the walk; the server keeps adding records, so the walk stopped at offset %d", w.what, first, r.total, head.offset))
			return
		}
		// Only records not yielded before: a server that lists one twice
		// (in a page or across pages, or as offsets shift) would otherwise
		// make the caller count it twice.
		var fresh []T
		for i := range r.data {
			if k := w.id(&r.data[i]); !seen[k] {
				seen[k] = true
				fresh = append(fresh, r.data[i])
			}
		}
		if len(fresh) == 0 {
			yield(zero, fmt.Errorf("openrouter: %s: the page at offset %d repeats records already seen; the server ignores offset, so the walk stopped", w.what, head.offset))
			return
		}
		over := len(seen) - maxPlaneRecords
		if over > 0 {
			fresh = fresh[:len(fresh)-over] // the records up to the cap, then the error
		}
		for i := range fresh {
			if !yield(fresh[i], nil) {
				return
			}
		}
		if over > 0 {
			yield(zero, fmt.Errorf("openrouter: %s: stopped after %d records; the server keeps answering", w.what, maxPlaneRecords))
			return
		}
		end := head.offset + len(r.data)
		if end >= r.total {
			return
		}
		if total < 0 && limit == 1 && !w.throttleSeen() {
			limit = w.wide // the total is known: read ahead from here on
		}
		total = r.total
		if len(w.queue) > 0 && w.queue[0].offset != end {
			// A page shorter or longer than asked: the pages asked for
			// ahead start at the wrong offsets.
			w.drop(0)
		}
		if len(w.queue) == 0 {
			w.next = end
		}
	}
}

// throttleSeen reports, without waiting, whether a 429 has come.
func (w *planeWalk[T]) throttleSeen() bool {
	select {
	case <-w.throttled:
		return true
	default:
		return false
	}
}

// throttledChan is what the loop waits on besides the head page: the 429
// signal while more than one request may be in flight, else nothing.
func (w *planeWalk[T]) throttledChan(limit int) <-chan struct{} {
	if limit > 1 {
		return w.throttled
	}
	return nil
}

func (w *planeWalk[T]) launch() {
	ctx, cancel := context.WithCancel(w.ctx)
	f := &planeFetch[T]{offset: w.next, cancel: cancel, done: make(chan planeResult[T], 1)}
	w.next += pageLimit
	w.queue = append(w.queue, f)
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		defer cancel()
		data, total, err := w.fetch(ctx, w.cfg, f.offset)
		f.done <- planeResult[T]{data, total, err}
	}()
}

// drop cancels the queued requests from index i on and forgets them; the
// next launch starts at the first of them.
func (w *planeWalk[T]) drop(i int) {
	if i < len(w.queue) {
		w.next = w.queue[i].offset
	}
	for _, f := range w.queue[i:] {
		f.cancel()
	}
	clear(w.queue[i:])
	w.queue = w.queue[:i]
}

// stop cancels whatever is still in flight and waits for every goroutine
// the walk started.
func (w *planeWalk[T]) stop() {
	w.cancel()
	w.wg.Wait()
}

// pageLimit is the limit every page of a walk asks for.
var pageLimit = PlanePageSize

// at returns a copy of a list request's offset and limit for the page at
// offset of a walk.
func at(offset int) (*int, *int) { return &offset, &pageLimit }

func lacksData[T any](data []T) string { return missing(data == nil, "data") }

// lacksDeleted is the answer check of a DELETE: {"deleted": true}.
func lacksDeleted[R any](deleted func(*R) bool) func(*R) string {
	return func(v *R) string { return missing(!deleted(v), `"deleted": true`) }
}
