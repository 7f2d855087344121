package facade_test

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/orkeys/orkeys/facade"
)

// hangUpServer speaks HTTP/1.1 over raw TCP so that it can do what
// net/http's server would not: read a POST in full and close the keep-alive
// connection without answering. It answers GETs with the current key and
// every POST after the first with 201.
type hangUpServer struct {
	ln    net.Listener
	posts atomic.Int32
	wg    sync.WaitGroup

	mu    sync.Mutex
	conns []net.Conn
}

func newHangUpServer(t *testing.T) *hangUpServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &hangUpServer{ln: ln}
	s.wg.Go(func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.conns = append(s.conns, conn)
			s.mu.Unlock()
			s.wg.Go(func() { s.serve(conn) })
		}
	})
	t.Cleanup(func() {
		ln.Close()
		s.mu.Lock()
		for _, c := range s.conns {
			c.Close()
		}
		s.mu.Unlock()
		s.wg.Wait()
	})
	return s
}

func (s *hangUpServer) serve(conn net.Conn) {
	defer conn.Close()
	br := bufio.NewReader(conn)
	for {
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		_, _ = io.Copy(io.Discard, req.Body)
		status, body := http.StatusOK, currentKeyJSON
		if req.Method == http.MethodPost {
			if s.posts.Add(1) == 1 {
				return // read it all, answer nothing
			}
			status, body = http.StatusCreated, `{"data":`+keyJSON(testHash, "new")+`,"key":"`+testKey+`"}`
		}
		fmt.Fprintf(conn, "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
			status, http.StatusText(status), len(body), body)
	}
}

// A create that carries Idempotency-Key or X-Idempotency-Key counts as
// replayable to net/http, which re-sends it on a new connection by itself
// when a reused one is closed after the request went out. That would mint a
// second key behind the retry policy's back: exactly one POST goes out, and
// the call reports that the key may exist.
func TestCreateNotReplayedByTransport(t *testing.T) {
	clearEnv(t)
	for _, header := range []string{"Idempotency-Key", "X-Idempotency-Key", "idempotency-key"} {
		t.Run(header, func(t *testing.T) {
			srv := newHangUpServer(t)
			tr := &http.Transport{}
			t.Cleanup(tr.CloseIdleConnections)
			c, err := facade.New(
				facade.WithServerURL("http://"+srv.ln.Addr().String()+"/api/v1"),
				facade.WithAPIKey(testKey),
				facade.WithHTTPClient(&http.Client{Transport: tr}),
				facade.WithTestClock(&facade.TestClock{}),
			)
			if err != nil {
				t.Fatal(err)
			}
			// The first call leaves a connection in the pool for the create
			// to reuse: net/http replays only on reused connections.
			if _, err := c.APIKeys.GetCurrentKeyMetadata(t.Context()); err != nil {
				t.Fatal(err)
			}
			_, err = c.APIKeys.Create(t.Context(), facade.CreateKeysRequest{
				RequestBody: facade.CreateKeysRequestBody{Name: "ci"},
			}, facade.WithHeader(header, "create-ci-1"))
			if n := srv.posts.Load(); n != 1 {
				t.Errorf("the server saw %d POSTs, want exactly 1", n)
			}
			var maybe *facade.MaybeCreatedError
			if !errors.As(err, &maybe) || maybe.Name != "ci" {
				t.Errorf("err = %v, want a *MaybeCreatedError for ci", err)
			}
		})
	}
}

// Idempotent operations keep net/http's own replay on a reused connection,
// and a create's own retries (429, nothing sent) still have a body to send.
func TestIdempotencyHeaderKeepsCreateRetries(t *testing.T) {
	clearEnv(t)
	var n atomic.Int32
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		okFor(w, r)
	})
	c := srv.client(t, facade.WithRetryConfig(facade.RetryConfig{}), facade.WithTestClock(&facade.TestClock{}))
	res, err := c.APIKeys.Create(t.Context(), facade.CreateKeysRequest{
		RequestBody: facade.CreateKeysRequestBody{Name: "ci"},
	}, facade.WithHeader("Idempotency-Key", "create-ci-2"))
	if err != nil || res.Key.Reveal() != testKey {
		t.Fatalf("Create = %v, %v", res, err)
	}
	reqs := srv.requests()
	if len(reqs) != 2 || string(reqs[0].Body) != string(reqs[1].Body) || len(reqs[1].Body) == 0 {
		t.Errorf("requests = %+v, want two with the same body", reqs)
	}
	if got := reqs[1].Header.Get("Idempotency-Key"); got != "create-ci-2" {
		t.Errorf("Idempotency-Key = %q, want it sent as given", got)
	}
}
