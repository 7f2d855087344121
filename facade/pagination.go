package facade

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"slices"
	"sync"
)

// DefaultPageConcurrency is how many page requests APIKeysListAll keeps in
// flight unless WithPageConcurrency says otherwise.
const DefaultPageConcurrency = 4

// maxPages caps one walk: 10 million keys, far beyond any account, so that
// a server that keeps answering full pages (ignoring offset in a way the
// repeat check cannot see) cannot keep a walk going forever. A variable
// only so that a test can lower it.
var maxPages = 100_000

// APIKeysListAll walks every page of GET /keys from req.Offset (or 0),
// yielding one key at a time, in the order the pages list them. It stops
// when a page comes back short or empty, when the loop breaks, or on the
// first error, which it yields once, as its last value. req is not changed.
//
// Pages are read ahead: while the loop works through one page, the next
// ones are already being fetched, up to WithPageConcurrency(n) requests in
// flight (DefaultPageConcurrency, 4). The first page goes alone, so a walk
// that fits in one page sends one request; past the last page the walk sends
// at most n−1 requests, and it holds at most n+1 pages in memory. A 429 on
// any page (retried or not) drops the walk to one request at a time for the
// rest of it. Breaking out of the loop cancels the requests in flight, and
// no goroutine of the walk outlives the loop. WithPageConcurrency(1) fetches
// each page only when the loop needs it, one page after another.
//
// The pages run as concurrent calls, so options that run code of the
// caller's (WithAttemptHook, WithLogger, WithAPIKeyFunc) must be safe for
// concurrent use. WithResponseInto and WithResponseBodyInto, which every
// page writes, make the walk sequential.
//
// A full page that lists the same keys as an earlier full page, in any
// order (a server that ignores offset, or shuffles one set of keys into
// every page), ends the walk with an error when it comes, and so does a
// walk past 100,000 pages; so does a walk whose pages have listed more keys
// again than new ones, and more than a page of them (a server serving
// shuffled subsets of one set of keys, or one new key per page), within
// the first 32,768 keys. For these checks the walk keeps no keys,
// only a 16-byte fingerprint of each full page (a few KB for any real
// account, about 3.5 MB at the page cap) and a 32 KiB Bloom filter of the
// keys. Keys created or deleted while the walk runs can shift the offsets,
// so a key may be seen twice or missed; the API offers no cursor.
func APIKeysListAll(ctx context.Context, c *Client, req ListRequest, opts ...Option) iter.Seq2[APIKey, error] {
	return func(yield func(APIKey, error) bool) {
		if ctx == nil {
			yield(APIKey{}, invalid("nil context (use context.Background())"))
			return
		}
		if err := checkList(req); err != nil {
			yield(APIKey{}, err)
			return
		}
		w, err := newPageWalk(ctx, c, req, opts)
		if err != nil {
			yield(APIKey{}, err)
			return
		}
		defer w.stop()
		w.run(yield)
	}
}

// All is APIKeysListAll as a method.
func (a *APIKeys) All(ctx context.Context, req ListRequest, opts ...Option) iter.Seq2[APIKey, error] {
	return APIKeysListAll(ctx, a.c, req, opts...)
}

// pageWalk is one range over APIKeysListAll. Only the ranging goroutine
// touches its fields; the fetch goroutines share nothing with it but their
// own pageFetch and the throttled channel.
type pageWalk struct {
	ctx    context.Context // ends with the walk: cancels what is in flight
	cancel context.CancelFunc
	req    ListRequest // the caller's, copied; only Offset changes, per page
	// cfg is the client's config with the caller's options and the 429
	// hook applied, once for the whole walk rather than per page.
	cfg *config

	limit int // requests in flight at most: 1 for the first page and after a 429
	wide  int // the limit after the first page
	queue []*pageFetch
	next  int // offset of the next page to request
	pages int // pages yielded so far

	// throttled is closed by the first 429 of the walk, and set to nil
	// once the walk has narrowed for it.
	throttled chan struct{}
	wg        sync.WaitGroup
}

// pageFetch is one page request; done receives its outcome once.
type pageFetch struct {
	offset int
	cancel context.CancelFunc
	done   chan pageResult
}

type pageResult struct {
	res *ListResponse
	err error
}

func newPageWalk(ctx context.Context, c *Client, req ListRequest, opts []Option) (*pageWalk, error) {
	w := &pageWalk{req: req, limit: 1}
	var err error
	if w.cfg, w.wide, w.throttled, err = c.walkConfig(ctx, opts); err != nil {
		return nil, err
	}
	if req.Offset != nil {
		w.next = *req.Offset
	}
	w.ctx, w.cancel = context.WithCancel(ctx)
	return w, nil
}

// run yields the keys of page after page until the walk ends.
func (w *pageWalk) run(yield func(APIKey, error) bool) {
	seen := newPageSet() // the full pages so far, for the repeat check
	for {
		if w.pages == maxPages {
			yield(APIKey{}, fmt.Errorf("openrouter: GET /keys: stopped after %d pages (%d keys); the server keeps answering full pages", maxPages, maxPages*PageSize))
			return
		}
		if w.throttleSeen() {
			w.narrow()
		}
		w.fill()
		head := w.queue[0]
		var r pageResult
		select {
		case r = <-head.done:
		case <-w.throttled:
			w.narrow()
			continue
		}
		w.queue[0] = nil
		w.queue = w.queue[1:]
		if r.err != nil {
			yield(APIKey{}, r.err)
			return
		}
		data := r.res.Data
		if len(data) >= PageSize {
			if err := seen.add(data, head.offset); err != nil {
				yield(APIKey{}, err)
				return
			}
		}
		w.pages++
		for i := range data {
			if !yield(data[i], nil) {
				return
			}
		}
		if len(data) < PageSize {
			return
		}
		if w.pages == 1 && w.throttled != nil {
			w.limit = w.wide // the first page was full: read ahead from here on
		}
		if want := head.offset + len(data); len(w.queue) == 0 {
			w.next = want
		} else if w.queue[0].offset != want {
			// A page longer than PageSize: the pages asked for ahead
			// start at the wrong offsets.
			w.drop(0)
			w.next = want
		}
	}
}

// throttleSeen reports, without waiting, whether a 429 has come that the
// walk has not narrowed for yet.
func (w *pageWalk) throttleSeen() bool {
	select {
	case <-w.throttled: // nil once handled: never ready
		return true
	default:
		return false
	}
}

// fill starts page requests until limit are in flight (or done and waiting).
func (w *pageWalk) fill() {
	for len(w.queue) < w.limit {
		w.launch()
	}
}

func (w *pageWalk) launch() {
	ctx, cancel := context.WithCancel(w.ctx)
	f := &pageFetch{offset: w.next, cancel: cancel, done: make(chan pageResult, 1)}
	w.next += PageSize
	w.queue = append(w.queue, f)
	page := w.req
	page.Offset = &f.offset
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		defer cancel()
		res, err := listPage(ctx, w.cfg, page)
		f.done <- pageResult{res, err}
	}()
}

// narrow drops the walk to one request in flight after a 429: the head of
// the queue, which the loop waits for, and pages already answered stay;
// every other request is cancelled and asked for again later, one by one.
// w.next needs no change: with one request at a time, fill launches only
// into an empty queue, and run sets w.next whenever it empties the queue.
func (w *pageWalk) narrow() {
	w.limit, w.throttled = 1, nil
	keep := 1
	for keep < len(w.queue) && len(w.queue[keep].done) > 0 {
		keep++
	}
	w.drop(keep)
}

// drop cancels the queued requests from index i on and forgets them; their
// goroutines end on their own, and stop waits for them.
func (w *pageWalk) drop(i int) {
	for _, f := range w.queue[i:] {
		f.cancel()
	}
	clear(w.queue[i:])
	w.queue = w.queue[:i]
}

// stop cancels whatever is still in flight and waits for every goroutine
// the walk started.
func (w *pageWalk) stop() {
	w.cancel()
	w.wg.Wait()
}

// walkConfig merges a walk's options once, with a hook that closes
// throttled at the first 429, and says how many pages it may fetch at once.
// The hook runs on the fetch goroutines: it reaches the channel through its
// own copy, since a walk sets its field to nil once handled.
func (c *Client) walkConfig(ctx context.Context, opts []Option) (cfg *config, wide int, throttled chan struct{}, err error) {
	ch, once := make(chan struct{}), new(sync.Once)
	hook := WithAttemptHook(func(_ context.Context, a Attempt) {
		if a.Status == http.StatusTooManyRequests {
			once.Do(func() { close(ch) })
		}
	})
	if cfg, err = c.callConfig(ctx, append(slices.Clip(opts), hook)); err != nil {
		return nil, 0, nil, err
	}
	wide = cfg.pageConcurrency
	if wide == 0 {
		wide = DefaultPageConcurrency
	}
	if cfg.responseInto != nil || cfg.bodyInto != nil {
		wide = 1 // every page would write the caller's destination
	}
	return cfg, wide, ch, nil
}
