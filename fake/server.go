package fake

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/orkeys/orkeys/secret"
)

// basePath is where the API lives on the fake, as on openrouter.ai.
const basePath = "/api/v1"

// DefaultWorkspaceID is the workspace keys land in when a create names none,
// and the one GET /keys lists when no workspace_id is given.
const DefaultWorkspaceID = "5d0f3c2e-8a41-4b7e-9c16-0e2f4a6b8d10"

// DefaultCreatorUserID is the creator_user_id of keys created without one,
// and of the management key.
const DefaultCreatorUserID = "user_fake00000000000000000000000"

// Server is an in-memory OpenRouter key-management API on a loopback port.
// All its methods are safe for concurrent use.
type Server struct {
	// URL is the base URL ending in /api/v1, e.g. http://127.0.0.1:41234/api/v1.
	URL string
	// ManagementKey may call every operation. By default it is drawn in
	// the form OpenRouter issues management keys in now, "sk-or-mgmt-" and
	// 64 lowercase hex; WithManagementKey may fix one in the older
	// "sk-or-v1-" form too.
	ManagementKey string

	now     func() time.Time
	latency time.Duration
	keys    *store
	faults  faultQueue
	journal journal
	handler http.Handler

	conns     atomic.Int64
	connsOpen sync.WaitGroup // until each connection's goroutine is done with it

	// closeMu guards closed and orders inflight.Add before inflight.Wait.
	closeMu   sync.Mutex
	closed    bool
	inflight  sync.WaitGroup
	closing   chan struct{} // closed by Close: unblocks hanging and delayed faults
	closeOnce sync.Once

	srv       *http.Server
	serveDone chan struct{}
}

// Option configures a Server.
type Option func(*config) error

type config struct {
	now           func() time.Time
	managementKey string
	recordLimit   int
	recordBytes   int64
	latency       time.Duration
}

// WithLatency makes the server wait d before handling each request, as a
// distant server would, so that clients can be measured at a realistic
// round trip (OpenRouter's is around 100–200 ms) rather than loopback's.
// The wait ends early, without an answer, when the client gives up or the
// server closes. Faults' Delay comes on top.
func WithLatency(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return errors.New("fake: WithLatency: negative duration")
		}
		c.latency = d
		return nil
	}
}

// WithRequestLimit keeps only the last n requests for Requests, so that a
// long-running fake (orkeys fake-server) does not grow without bound. The
// default, 0, keeps every request, as tests want, within the bound on their
// total size (WithRequestBytesLimit).
func WithRequestLimit(n int) Option {
	return func(c *config) error {
		if n < 0 {
			return errors.New("fake: WithRequestLimit: negative limit")
		}
		c.recordLimit = n
		return nil
	}
}

// WithRequestBytesLimit keeps, for Requests, only the newest authenticated
// requests whose sizes (method, path, query, every header and the body,
// each header or query entry with its overhead in memory) add up to at most
// n bytes; the newest request is kept whatever its size. Requests whose
// bearer key does not authenticate are kept apart, within 1 MiB (or n, if
// lower), so that anyone who can reach the port cannot fill the record.
// The default is DefaultRequestBytesLimit, so that a long-running fake is
// bounded in memory as well as in count.
func WithRequestBytesLimit(n int64) Option {
	return func(c *config) error {
		if n <= 0 {
			return errors.New("fake: WithRequestBytesLimit: want a positive number of bytes")
		}
		c.recordBytes = n
		return nil
	}
}

// WithClock makes the server read the time from now instead of time.Now: it
// stamps created_at and updated_at, and decides whether expires_at lies in
// the future and whether a key has expired.
func WithClock(now func() time.Time) Option {
	return func(c *config) error {
		if now == nil {
			return errors.New("fake: WithClock: nil clock")
		}
		c.now = now
		return nil
	}
}

// WithManagementKey fixes the management key instead of drawing a random
// one, for scripts that must know it in advance. It must look like a real
// key: "sk-or-mgmt-" (as management keys are issued now) or "sk-or-v1-" (as
// older ones are) followed by 64 lowercase hex characters.
func WithManagementKey(key string) Option {
	return func(c *config) error {
		if !isKeyShaped(key) {
			return errors.New(`fake: WithManagementKey: want "sk-or-mgmt-" or "sk-or-v1-" followed by 64 lowercase hex characters`)
		}
		c.managementKey = key
		return nil
	}
}

// NewServer starts a fake on 127.0.0.1 on a free port, like
// httptest.NewServer, and panics if it cannot listen or an option is invalid.
// Call Close when done.
func NewServer(opts ...Option) *Server {
	s, err := newServer(opts)
	if err != nil {
		panic(err.Error())
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		if ln, err = net.Listen("tcp6", "[::1]:0"); err != nil {
			panic("fake: cannot listen on a loopback port: " + err.Error())
		}
	}
	s.start(ln)
	return s
}

// Listen starts a fake on addr, such as "127.0.0.1:8080" (port 0 picks a free
// one). When addr listens on every interface (":8080", "0.0.0.0:8080"), URL
// names 127.0.0.1. Call Close when done.
func Listen(addr string, opts ...Option) (*Server, error) {
	s, err := newServer(opts)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("fake: listen on %s: %w", addr, err)
	}
	s.start(ln)
	return s, nil
}

func (s *Server) start(ln net.Listener) {
	s.URL = baseURL(ln.Addr())
	s.srv = &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: time.Minute,
		ConnState: func(_ net.Conn, state http.ConnState) {
			switch state {
			case http.StateNew:
				s.conns.Add(1)
				s.connsOpen.Add(1)
			case http.StateClosed, http.StateHijacked:
				s.connsOpen.Done()
			}
		},
	}
	s.serveDone = make(chan struct{})
	go func() {
		defer close(s.serveDone)
		_ = s.srv.Serve(ln) // returns http.ErrServerClosed after Close
	}()
}

// baseURL is the URL clients on this machine reach the listener at. A
// wildcard listener (every interface) is named by 127.0.0.1: "[::]" or
// "0.0.0.0" is no address to dial, and clients that send a key over plain
// http only to loopback, the facade among them, would refuse it. Go's "tcp"
// wildcard listeners accept IPv4 as well as IPv6.
func baseURL(addr net.Addr) string {
	if tcp, ok := addr.(*net.TCPAddr); ok && (tcp.IP == nil || tcp.IP.IsUnspecified()) {
		return "http://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(tcp.Port)) + basePath
	}
	return "http://" + addr.String() + basePath
}

func newServer(opts []Option) (*Server, error) {
	cfg := config{now: time.Now, recordBytes: DefaultRequestBytesLimit}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&cfg); err != nil {
			return nil, err
		}
	}
	if cfg.managementKey == "" {
		cfg.managementKey = newPlaintextKey(secret.PrefixMgmt)
	}
	api, err := loadAPI()
	if err != nil {
		return nil, err
	}
	s := &Server{
		ManagementKey: cfg.managementKey,
		now:           cfg.now,
		latency:       cfg.latency,
		closing:       make(chan struct{}),
	}
	s.keys = newStore(cfg.now)
	s.journal.limit = cfg.recordLimit
	s.journal.maxBytes = cfg.recordBytes
	s.handler = s.buildHandler(api)
	return s, nil
}

// Handler returns the server's HTTP handler (faults, recording and the API
// under /api/v1), to mount in a server of your own.
func (s *Server) Handler() http.Handler { return s.handler }

// Connections counts the TCP connections the server accepted since it
// started. A client that reuses connections (HTTP keep-alive) adds one for
// many requests. Connections to a Handler mounted elsewhere are not counted.
func (s *Server) Connections() int64 { return s.conns.Load() }

// Close stops the server: it closes the listener and every connection,
// releases hanging and delayed faults, and waits for all handlers to return.
// It is safe to call more than once.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		s.closeMu.Lock()
		s.closed = true
		s.closeMu.Unlock()
		close(s.closing)
		if s.srv != nil {
			_ = s.srv.Close()
			<-s.serveDone
			// net/http lets a closing connection linger (up to 500ms) so
			// the client reads the last answer; wait, or it would outlive us.
			s.connsOpen.Wait()
		}
		s.inflight.Wait()
	})
}

// enter registers a running handler; it reports false once Close has begun.
func (s *Server) enter() bool {
	s.closeMu.Lock()
	defer s.closeMu.Unlock()
	if s.closed {
		return false
	}
	s.inflight.Add(1)
	return true
}

// isManagementKey compares in constant time, as a real server should.
func (s *Server) isManagementKey(token string) bool {
	return subtle.ConstantTimeCompare([]byte(token), []byte(s.ManagementKey)) == 1
}
