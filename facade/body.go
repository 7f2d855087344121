package facade

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
)

// The body reader: one attempt's response read whole, within its cap, into
// a pooled buffer, and the connection left reusable.

const (
	// maxErrorBody caps how much of an error body is kept.
	maxErrorBody = 1 << 20
	// maxDrain is how much more of an error body is read (and dropped) so
	// that the connection can be reused; past it the connection is closed.
	maxDrain = 4 << 10
)

// maxSuccessBody guards memory against a runaway server: a full page of 100
// keys is about 60 KiB. A variable only so that tests can lower it.
var maxSuccessBody int64 = 64 << 20

// bufPool recycles response buffers: the decoded values copy what they keep.
var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func putBuf(b *bytes.Buffer) {
	if b.Cap() > 1<<20 { // let big buffers go rather than pin them
		return
	}
	b.Reset()
	bufPool.Put(b)
}

// attemptResult is one attempt's response, fully read and closed.
type attemptResult struct {
	status int
	header http.Header
	body   *bytes.Buffer
	// connected is set once the transport has a connection for the
	// request (for non-idempotent calls only). Until then the server cannot
	// have seen a byte of it: the failure was a refused connection, DNS or
	// the TLS handshake. It is atomic because the transport's goroutines set
	// it.
	connected atomic.Bool
}

// roundTrip sends one attempt and reads the body within the attempt's
// deadline. The body is always drained (a bounded amount) and closed, so the
// connection goes back to the pool.
func roundTrip(ctx context.Context, cfg *config, op *operation, req *http.Request) (*attemptResult, error) {
	if cfg.attemptTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.attemptTimeout)
		defer cancel()
	}
	res := new(attemptResult)
	req = req.WithContext(traceCreate(ctx, op, res))
	unrewindable(op, req)
	resp, err := cfg.client().Do(req)
	if err != nil {
		return res, err
	}
	if cfg.responseInto != nil {
		*cfg.responseInto = resp
	}
	res.connected.Store(true)
	res.status, res.header = resp.StatusCode, resp.Header
	res.body = bufPool.Get().(*bytes.Buffer)
	success := resp.StatusCode >= 200 && resp.StatusCode <= 299
	err = readBody(res, resp, success)
	resp.Body.Close()
	if err != nil && success {
		// A 2XX is usable only whole. A body cut short is a failed
		// attempt (retried when the operation allows); one over the cap
		// is not retried (see retryableTransport).
		putBuf(res.body)
		res.body = nil
		return res, fmt.Errorf("reading %d response: %w", resp.StatusCode, err)
	}
	// Any other status has arrived and decides the outcome: a 401 whose
	// body is cut short is a 401, carrying whatever body came.
	return res, nil
}

// readBody reads resp's body into res.body, at most maxErrorBody of an error
// and maxSuccessBody of a success, counting decompressed bytes. A success
// over the cap is a *tooLargeError; an error body over it is kept cut at the
// cap. A few KiB past the cap are drained so that the connection can be
// reused; past that, closing it is cheaper than reading on.
func readBody(res *attemptResult, resp *http.Response, success bool) error {
	limit := int64(maxErrorBody)
	if success {
		limit = maxSuccessBody
	}
	var body io.Reader = resp.Body
	declared := resp.ContentLength
	if !resp.Uncompressed && isGzip(resp.Header.Get("Content-Encoding")) {
		// net/http decompresses only when it asked for gzip itself; a
		// server may send it unasked (a transport with DisableCompression,
		// or Accept-Encoding set with WithHeader). Content-Length then
		// counts compressed bytes, so it says nothing about the size.
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			return fmt.Errorf("gzip body: %w", err)
		}
		defer zr.Close()
		body, declared = zr, -1
		res.header = res.header.Clone()
		res.header.Del("Content-Encoding")
		res.header.Del("Content-Length")
	}
	if success && declared > limit {
		// Refused unread: neither the memory nor the wait is worth it.
		return &tooLargeError{limit: limit}
	}
	hint := 0
	if declared > 0 {
		// Trusted only up to the cap, checked above for a success and
		// bounded here for an error.
		hint = int(min(declared, limit))
	}
	// One byte past the cap tells a body of exactly the cap from a longer
	// one.
	err := fill(res.body, body, int(limit)+1, hint)
	if int64(res.body.Len()) <= limit {
		return err
	}
	res.body.Truncate(int(limit))
	_, _ = io.CopyN(io.Discard, resp.Body, maxDrain)
	if success {
		return &tooLargeError{limit: limit}
	}
	return nil
}

// fill reads r into b (empty) until EOF, an error, or n bytes. The buffer
// starts at hint+1 bytes (a Content-Length, so that EOF is seen without
// growing) and doubles, but never past n: reading n bytes allocates about 2n
// at most, however much a compressed body expands. What was read stays in b
// when r fails.
func fill(b *bytes.Buffer, r io.Reader, n, hint int) error {
	buf := b.AvailableBuffer()
	if want := min(hint+1, n); want > cap(buf) {
		buf = make([]byte, 0, want)
	}
	var err error
	for len(buf) < n {
		if len(buf) == cap(buf) {
			grown := make([]byte, len(buf), min(max(2*cap(buf), 512), n))
			copy(grown, buf)
			buf = grown
		}
		var m int
		m, err = r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+m]
		if err != nil {
			break
		}
	}
	// b takes buf over, whether it is b's own memory or grown past it.
	*b = *bytes.NewBuffer(buf)
	if err == io.EOF {
		err = nil
	}
	return err
}

func isGzip(encoding string) bool {
	e := strings.TrimSpace(encoding)
	return strings.EqualFold(e, "gzip") || strings.EqualFold(e, "x-gzip")
}
