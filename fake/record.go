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
// default: the newest requests are kept while their sizes (body, path,
// query and header) add up to at most this; see WithRequestBytesLimit.
const DefaultRequestBytesLimit = 32 << 20

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
// requests included. The result is a copy.
func (s *Server) Requests() []Request {
	s.journal.mu.Lock()
	defer s.journal.mu.Unlock()
	kept := s.journal.requests[s.journal.head:]
	out := make([]Request, len(kept))
	for i, r := range kept {
		out[i] = r.clone()
	}
	return out
}

// ResetRequests forgets the requests received so far.
func (s *Server) ResetRequests() { s.journal.reset() }

// journal is the request log: a queue of the newest requests within a count
// and a byte budget. Dropping the oldest advances head rather than shifting
// the rest (shifting a full log of 1,000 on every request cost more than
// routing it); the dropped entries are cleared at once, and the array is
// compacted only when most of it lies before head, so adding is amortised
// O(1) and dropped requests' memory is released.
type journal struct {
	mu       sync.Mutex
	requests []Request // the live ones are requests[head:]
	head     int
	limit    int   // keep at most this many, newest; 0 keeps all
	maxBytes int64 // keep the newest whose sizes add up to at most this
	bytes    int64 // the sizes of the live requests, added up
}

func (j *journal) add(r Request) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.requests = append(j.requests, r)
	j.bytes += r.size()
	// The newest request stays whatever its size (at most maxBody and a
	// header); older ones go until the rest fits.
	for n := len(j.requests) - j.head; n > 1 && ((j.limit > 0 && n > j.limit) || j.bytes > j.maxBytes); n-- {
		j.bytes -= j.requests[j.head].size()
		j.requests[j.head] = Request{}
		j.head++
	}
	if j.head > 64 && j.head*2 > len(j.requests) {
		n := copy(j.requests, j.requests[j.head:])
		clear(j.requests[n:])
		j.requests, j.head = j.requests[:n], 0
	}
}

func (j *journal) reset() {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.requests, j.head, j.bytes = nil, 0, 0
}

// size is about what r keeps in memory: what it holds, not the overhead of
// the maps and slices around it.
func (r Request) size() int64 {
	n := len(r.Method) + len(r.Path) + len(r.Body)
	for k, vs := range r.Query {
		n += len(k)
		for _, v := range vs {
			n += len(v)
		}
	}
	for k, vs := range r.Header {
		n += len(k)
		for _, v := range vs {
			n += len(v)
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
		})
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
