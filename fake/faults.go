package fake

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Fault scripts one misbehaviour. Inject queues faults; each request takes
// the first queued fault that matches its method and path, which is then
// used up. Delay applies first; then Hang or Drop, or the scripted answer
// (Status), or, when Status is 0, the real handler. Faults play before
// authentication and validation: a request without a key, or with a bad
// body, gets the scripted answer all the same.
type Fault struct {
	// Method matches the request method ("" matches any).
	Method string
	// Path matches the request path in the form Request.Path records it,
	// "/api/v1/keys/{hash}" ({…} matches any one segment), so that a
	// recorded path can be scripted as it is. The /api/v1 prefix may be
	// left out ("/keys/{hash}", as in the spec); "" matches any path.
	Path string
	// Status is the status to answer with; 0 means no scripted answer.
	Status int
	// Header holds the scripted answer's headers, e.g. Retry-After.
	Header http.Header
	// Body is the scripted answer's body; when empty, the documented JSON
	// error envelope for Status. A Body without a Content-Type in Header
	// goes out as application/json when it is valid JSON, else text/plain.
	Body string
	// Delay is how long to wait before answering (or before the real
	// handler when Status is 0). The wait ends early, without an answer,
	// when the client gives up or the server closes.
	Delay time.Duration
	// Hang never answers: the request is held until the client gives up
	// (its context or connection closes) or the server closes, and then its
	// connection is closed.
	Hang bool
	// Drop reads the whole request, then closes the TCP connection without
	// answering. Note that Go's http.Transport silently retries a GET whose
	// reused keep-alive connection was closed this way.
	Drop bool
}

// Inject queues faults, after any already queued. It panics on a fault that
// cannot be played: a Status outside 200–599, a negative Delay, or both
// Hang and Drop, or Hang or Drop together with a Status.
func (s *Server) Inject(faults ...Fault) {
	// Copies, headers included: the caller's slice is only read, and may
	// change or be injected again elsewhere at the same time.
	queued := make([]Fault, len(faults))
	for i, f := range faults {
		if err := f.check(); err != nil {
			panic(fmt.Sprintf("fake: Inject: fault %d: %v", i, err))
		}
		f.Header = f.Header.Clone()
		queued[i] = f
	}
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.queue = append(s.faults.queue, queued...)
}

// PendingFaults reports how many injected faults are still queued.
func (s *Server) PendingFaults() int {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	return len(s.faults.queue)
}

func (f Fault) check() error {
	switch {
	case f.Status != 0 && (f.Status < 200 || f.Status > 599):
		return fmt.Errorf("status %d is not in 200–599", f.Status)
	case f.Delay < 0:
		return fmt.Errorf("negative delay %v", f.Delay)
	case f.Hang && f.Drop:
		return fmt.Errorf("both Hang and Drop")
	case (f.Hang || f.Drop) && f.Status != 0:
		return fmt.Errorf("status %d with Hang or Drop, which never answer", f.Status)
	}
	return nil
}

type faultQueue struct {
	mu    sync.Mutex
	queue []Fault
}

// take removes and returns the first fault matching r.
func (q *faultQueue) take(r *http.Request) (Fault, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, f := range q.queue {
		if f.matches(r) {
			q.queue = append(q.queue[:i:i], q.queue[i+1:]...)
			return f, true
		}
	}
	return Fault{}, false
}

func (f Fault) matches(r *http.Request) bool {
	if f.Method != "" && !strings.EqualFold(f.Method, r.Method) {
		return false
	}
	if f.Path == "" {
		return true
	}
	rel, ok := strings.CutPrefix(r.URL.EscapedPath(), basePath)
	if !ok {
		return false
	}
	return pathMatches(strings.TrimPrefix(f.Path, basePath), rel)
}

// pathMatches compares segment by segment; a pattern segment in braces
// matches any one non-empty segment.
func pathMatches(pattern, path string) bool {
	ps, xs := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(ps) != len(xs) {
		return false
	}
	for i, p := range ps {
		if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}") {
			if xs[i] == "" {
				return false
			}
			continue
		}
		if p != xs[i] {
			return false
		}
	}
	return true
}

// playFaults runs the first queued fault matching a request, if any.
func (s *Server) playFaults(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, ok := s.faults.take(r)
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		if f.Delay > 0 && !s.sleep(r, f.Delay) {
			abortConn(w)
			return
		}
		switch {
		case f.Hang:
			select {
			case <-r.Context().Done():
			case <-s.closing:
			}
			abortConn(w)
		case f.Drop:
			abortConn(w) // the record layer has read the whole body
		case f.Status != 0:
			writeFault(w, f)
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// delay waits WithLatency's duration before each request is handled.
func (s *Server) delay(next http.Handler) http.Handler {
	if s.latency == 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.sleep(r, s.latency) {
			abortConn(w)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// sleep waits d; false when the client gave up or the server closed first.
func (s *Server) sleep(r *http.Request, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	case <-s.closing:
		return false
	}
}

func writeFault(w http.ResponseWriter, f Fault) {
	body := []byte(f.Body)
	ctype := "application/json"
	if f.Body == "" {
		body = defaultFaultBody(f.Status)
	} else if !json.Valid(body) {
		ctype = "text/plain; charset=utf-8"
	}
	h := w.Header()
	maps.Copy(h, f.Header)
	if h.Get("Content-Type") == "" {
		h.Set("Content-Type", ctype)
	}
	w.WriteHeader(f.Status)
	_, _ = w.Write(body)
}

// abortConn closes the connection without an answer. Hijacking is the plain
// way; where the ResponseWriter cannot be hijacked, net/http's abort panic
// does the same.
func abortConn(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}
