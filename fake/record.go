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

// Request is one request as the server received it.
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
	j := &s.journal
	out := make([]Request, 0, len(j.requests))
	for _, r := range j.requests[j.oldest:] {
		out = append(out, r.clone())
	}
	for _, r := range j.requests[:j.oldest] {
		out = append(out, r.clone())
	}
	return out
}

// ResetRequests forgets the requests received so far.
func (s *Server) ResetRequests() {
	s.journal.mu.Lock()
	defer s.journal.mu.Unlock()
	s.journal.requests, s.journal.oldest = nil, 0
}

// journal is the request log. With a limit it is a ring: once full, each
// request overwrites the oldest, which releases that one's memory without
// moving the others (shifting a full log of 1,000 cost more per request
// than routing it).
type journal struct {
	mu       sync.Mutex
	requests []Request
	oldest   int // index of the oldest request once the ring is full
	limit    int // keep at most this many, newest; 0 keeps all
}

func (j *journal) add(r Request) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.limit > 0 && len(j.requests) == j.limit {
		j.requests[j.oldest] = r
		j.oldest = (j.oldest + 1) % j.limit
		return
	}
	j.requests = append(j.requests, r)
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

// record reads every request whole, writes it down, and passes it on with
// its body readable again. It also tracks running handlers for Close.
func (s *Server) record(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.enter() {
			abortConn(w)
			return
		}
		defer s.inflight.Done()

		var body []byte
		var err error
		if r.Body != http.NoBody { // net/http's body of a request without one
			body, err = io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		}
		s.journal.add(Request{
			Method: r.Method,
			Path:   r.URL.EscapedPath(),
			Query:  r.URL.Query(),
			Header: maskHeader(r.Header),
			Body:   body,
		})
		if err != nil {
			if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
				writeError(w, http.StatusRequestEntityTooLarge, msgBodyTooLarge)
			} else {
				writeError(w, http.StatusBadRequest, msgUnreadableBody)
			}
			return
		}
		if body != nil {
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
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
