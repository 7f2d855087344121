package fake

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/orkeys/orkeys/secret"
)

// maxBody bounds a request body; larger ones are refused with 413.
const maxBody = 1 << 20

// DefaultRequestBytesLimit bounds the memory the request record takes by
// default: the newest requests are kept while their sizes (everything a
// Request holds, with the overhead of each header and query entry) add up
// to at most this; see WithRequestBytesLimit.
const DefaultRequestBytesLimit = 32 << 20

// anonymousBytesLimit bounds, separately and far lower, the requests whose
// bearer key does not authenticate: anyone who can reach the port can send
// them, so they may not crowd out the record of real calls, nor make the
// fake hold DefaultRequestBytesLimit of their headers.
const anonymousBytesLimit = 1 << 20

// What Request.size adds for the memory around the bytes themselves, about
// what the Go runtime takes: the Request and its journal entry, each map
// entry (key string, value slice, slot), each value (string header).
const (
	requestOverhead = 256
	entryOverhead   = 64
	valueOverhead   = 16
)

// Request is one request as the server received it. The body is recorded
// only for a request whose bearer key authenticates; the server does not
// read the body of any other.
type Request struct {
	Method string
	// Path is the escaped path as received, e.g. /api/v1/keys/abc.
	Path  string
	Query url.Values
	// Header is the request's header with credentials masked: Authorization
	// reads "Bearer sk-or-v1-abc…1234", never the full key.
	Header http.Header
	Body   []byte
}

// Requests returns what the server received so far, oldest first, faulted
// and refused requests included, within the record's bounds: the newest
// authenticated requests within WithRequestBytesLimit, the newest others
// within 1 MiB of their own. The result is a copy.
func (s *Server) Requests() []Request { return s.journal.requests() }

// ResetRequests forgets the requests received so far.
func (s *Server) ResetRequests() { s.journal.reset() }

// journal is the request log: the requests that authenticated and those
// that did not, in two queues with their own byte budgets, merged by arrival
// for Requests. WithRequestLimit's count holds for both together.
type journal struct {
	mu       sync.Mutex
	known    queue // requests whose bearer key authenticates
	unknown  queue // every other request, within anonymousBytesLimit
	seq      uint64
	limit    int   // keep at most this many, newest; 0 keeps all
	maxBytes int64 // keep the newest known requests whose sizes add up to at most this
}

func (j *journal) add(r Request, authenticated bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.seq++
	q, budget := &j.known, j.maxBytes
	if !authenticated {
		q, budget = &j.unknown, min(j.maxBytes, anonymousBytesLimit)
	}
	q.push(entry{seq: j.seq, req: r, size: r.size()})
	// The newest request stays whatever its size (at most maxBody and a
	// header); older ones go until the rest fits.
	for q.len() > 1 && q.bytes > budget {
		q.pop()
	}
	for j.limit > 0 && j.known.len()+j.unknown.len() > j.limit {
		older := &j.known
		if j.known.len() == 0 || (j.unknown.len() > 0 && j.unknown.front().seq < j.known.front().seq) {
			older = &j.unknown
		}
		older.pop()
	}
}

// requests returns the kept requests, oldest first, cloned.
func (j *journal) requests() []Request {
	j.mu.Lock()
	defer j.mu.Unlock()
	a, b := j.known.live(), j.unknown.live()
	out := make([]Request, 0, len(a)+len(b))
	for len(a) > 0 || len(b) > 0 {
		if len(b) == 0 || (len(a) > 0 && a[0].seq < b[0].seq) {
			out, a = append(out, a[0].req.clone()), a[1:]
		} else {
			out, b = append(out, b[0].req.clone()), b[1:]
		}
	}
	return out
}

func (j *journal) reset() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.known, j.unknown = queue{}, queue{}
}

type entry struct {
	seq  uint64
	req  Request
	size int64
}

// queue keeps entries oldest first. Dropping the oldest advances head
// rather than shifting the rest (shifting a full log of 1,000 on every
// request cost more than routing it); the dropped entries are cleared at
// once, and the array is compacted only when most of it lies before head,
// so adding is amortised O(1) and dropped requests' memory is released.
type queue struct {
	items []entry // the live ones are items[head:]
	head  int
	bytes int64 // the sizes of the live entries, added up
}

func (q *queue) len() int      { return len(q.items) - q.head }
func (q *queue) front() *entry { return &q.items[q.head] }
func (q *queue) live() []entry { return q.items[q.head:] }
func (q *queue) push(e entry)  { q.items = append(q.items, e); q.bytes += e.size }

func (q *queue) pop() {
	q.bytes -= q.items[q.head].size
	q.items[q.head] = entry{}
	q.head++
	if q.head > 64 && q.head*2 > len(q.items) {
		n := copy(q.items, q.items[q.head:])
		clear(q.items[n:])
		q.items, q.head = q.items[:n], 0
	}
}

// size is about what r keeps in memory: everything it holds, and the
// overhead of the maps, slices and strings around it.
func (r Request) size() int64 {
	n := requestOverhead + len(r.Method) + len(r.Path) + len(r.Body)
	for _, m := range []map[string][]string{r.Query, r.Header} {
		for k, vs := range m {
			n += entryOverhead + len(k)
			for _, v := range vs {
				n += valueOverhead + len(v)
			}
		}
	}
	return int64(n)
}

func (r Request) clone() Request {
	r.Query = cloneValues(r.Query)
	r.Header = r.Header.Clone()
	r.Body = slices.Clone(r.Body)
	return r
}

func cloneValues(v url.Values) url.Values {
	if v == nil {
		return nil
	}
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}

// record writes every request down and passes it on. The body of a request
// whose bearer key authenticates is read whole, recorded and made readable
// again; any other request is passed on without its body, unread: a caller
// without a key may not make the server hold a megabyte per request. It
// also tracks running handlers for Close.
func (s *Server) record(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.enter() {
			abortConn(w)
			return
		}
		defer s.inflight.Done()

		var body []byte
		var err error
		// The body is read only for a caller the gate will let through,
		// and not at all for a request without one (net/http's NoBody).
		authenticated := s.authenticates(r)
		if authenticated && r.Body != http.NoBody {
			body, err = io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		}
		s.journal.add(Request{
			Method: r.Method,
			Path:   r.URL.EscapedPath(),
			Query:  r.URL.Query(),
			Header: maskHeader(r.Header),
			Body:   withoutProviderKey(r.URL.Path, body),
		}, authenticated)
		if err != nil {
			if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
				writeError(w, http.StatusRequestEntityTooLarge, msgBodyTooLarge)
			} else {
				writeError(w, http.StatusBadRequest, msgUnreadableBody)
			}
			return
		}
		if authenticated {
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		// Otherwise the gate refuses the request before it reads a body.
		next.ServeHTTP(w, r)
	})
}

// maskHeader copies h with credentials shortened to a form that names the
// key without revealing it.
func maskHeader(h http.Header) http.Header {
	out := h.Clone()
	for _, name := range []string{"Authorization", "Proxy-Authorization"} {
		for i, v := range out[name] {
			out[name][i] = maskCredential(v)
		}
	}
	return out
}

func maskCredential(v string) string {
	scheme, token, ok := strings.Cut(strings.TrimSpace(v), " ")
	if !ok {
		return secret.Redact(v)
	}
	return scheme + " " + secret.Redact(strings.TrimSpace(token))
}
