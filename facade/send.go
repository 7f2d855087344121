package facade

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cenkalti/backoff/v5"

	"github.com/orkeys/orkeys/secret"
)

// operation describes one API operation for the call loop: what gen does
// not know about it.
type operation struct {
	method string
	path   string // template, for errors and logs
	// idempotent operations are retried on any retryable failure; the
	// others only when the server provably did not act (see RetryConfig).
	idempotent bool
	// success is the documented 2XX status, the one gen parses.
	success int
}

var (
	opList       = &operation{http.MethodGet, "/keys", true, http.StatusOK}
	opCreate     = &operation{http.MethodPost, "/keys", false, http.StatusCreated}
	opGet        = &operation{http.MethodGet, "/keys/{hash}", true, http.StatusOK}
	opUpdate     = &operation{http.MethodPatch, "/keys/{hash}", true, http.StatusOK}
	opDelete     = &operation{http.MethodDelete, "/keys/{hash}", true, http.StatusOK}
	opCurrentKey = &operation{http.MethodGet, "/key", true, http.StatusOK}
)

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

// Do is the HttpRequestDoer under gen's client: gen has built req (path,
// query, body, Content-Type) and will parse what Do returns. Do adds the
// policy gen cannot know: headers and auth, the retry loop and the create
// rule, capped reads, logging, and typed errors for every non-2XX answer. A
// 2XX answer comes back as a response over the fully read body, so that a
// body cut short is retried like any other failed attempt.
func (cl *call) Do(req *http.Request) (*http.Response, error) {
	cfg, op := cl.cfg, cl.op
	ctx := req.Context()
	if cfg.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.timeout)
		defer cancel()
		req = req.WithContext(ctx)
	}
	setHeaders(cfg, req.Header)

	start := cfg.now()
	var schedule *backoff.ExponentialBackOff
	for attempt := 1; ; attempt++ {
		cl.attempts = attempt
		if attempt > 1 {
			// A fresh request per retry: the transport may still hold the
			// previous one, and its body has been consumed.
			next, err := replay(ctx, req)
			if err != nil {
				return nil, wrapAttempts(fmt.Errorf("openrouter: %s %s: replaying body: %w", op.method, op.path, err), attempt-1)
			}
			req = next
		}
		key, err := authorize(ctx, cfg, req.Header)
		if err != nil {
			return nil, wrapAttempts(err, attempt-1)
		}
		began := cfg.now()
		res, err := roundTrip(ctx, cfg, op, req)
		took := cfg.now().Sub(began)
		if err == nil && res.status >= 200 && res.status < 300 {
			cfg.logAttempt(ctx, op, attempt, res.status, took, 0, nil)
			if cfg.bodyInto != nil {
				*cfg.bodyInto = bytes.Clone(res.body.Bytes())
			}
			cl.answered, cl.status = true, res.status
			return cl.response(res, req), nil
		}

		f := judge(ctx, cfg, op, res, err, key, cl.createdName)
		outOfRetries := cfg.retry.maxRetries >= 0 && attempt > cfg.retry.maxRetries
		if ctx.Err() != nil || !f.retry || !cfg.retry.enabled || outOfRetries {
			// A done context ends the call whatever happened; so does an
			// answer that another attempt would not change.
			cfg.logAttempt(ctx, op, attempt, f.status, took, 0, f.err)
			if outOfRetries && f.retry && cfg.retry.enabled && ctx.Err() == nil {
				// The count ran out on a failure retrying could fix.
				cfg.logGiveUp(ctx, op, attempt, f.status, f.hint, f.err)
			}
			return nil, wrapAttempts(f.err, attempt)
		}

		if schedule == nil {
			schedule = cfg.retry.newBackOff()
		}
		wait := min(schedule.NextBackOff(), cfg.retry.max)
		left := cfg.retry.maxElapsed - cfg.now().Sub(start)
		if deadline, ok := ctx.Deadline(); ok {
			left = min(left, time.Until(deadline))
		}
		// The server's hint is a floor: waiting less is pointless. A hint
		// past the budget ends the call now rather than sleeping into it.
		wait = max(wait, f.hint)
		if f.hint > cfg.retry.max || wait > left {
			cfg.logAttempt(ctx, op, attempt, f.status, took, 0, f.err)
			cfg.logGiveUp(ctx, op, attempt, f.status, f.hint, f.err)
			return nil, wrapAttempts(f.err, attempt)
		}
		cfg.logAttempt(ctx, op, attempt, f.status, took, wait, f.err)
		if err := cfg.sleep(ctx, wait); err != nil {
			return nil, wrapAttempts(fmt.Errorf("openrouter: %s %s: waiting to retry: %w (last attempt: %w)", op.method, op.path, err, f.err), attempt)
		}
	}
}

// response hands a 2XX answer to gen's parser. The body reads from the
// pooled buffer, which goes back to the pool when gen closes it.
//
// gen parses only the documented status with a JSON Content-Type. Another
// 2XX (a proxy's 200 for the API's 201) or a missing or wrong Content-Type
// carries the same body, and refusing it would lose a new key's plaintext,
// so the answer is presented as documented; a body that is not JSON still
// fails to decode.
func (cl *call) response(res *attemptResult, req *http.Request) *http.Response {
	header := res.header
	if !strings.Contains(header.Get("Content-Type"), "json") {
		header = header.Clone()
		if header == nil {
			header = http.Header{}
		}
		header.Set("Content-Type", "application/json")
	}
	// The response and its body live in the call: no allocation of their own.
	cl.body.buf = res.body
	cl.body.Reset(res.body.Bytes())
	cl.resp = http.Response{
		Status:        statusLine(cl.op.success),
		StatusCode:    cl.op.success,
		Header:        header,
		Body:          &cl.body,
		ContentLength: int64(res.body.Len()),
		Request:       req,
	}
	return &cl.resp
}

// statusLine is the Status of a synthesized response, without formatting
// for the two a call normally sees.
func statusLine(code int) string {
	switch code {
	case http.StatusOK:
		return "200 OK"
	case http.StatusCreated:
		return "201 Created"
	}
	return fmt.Sprintf("%d %s", code, http.StatusText(code))
}

// pooledBody returns its buffer to bufPool once, on Close.
type pooledBody struct {
	bytes.Reader
	buf *bytes.Buffer
}

func (b *pooledBody) Close() error {
	if b.buf != nil {
		putBuf(b.buf)
		b.buf = nil
		b.Reset(nil)
	}
	return nil
}

// failure is what one failed attempt means for the call.
type failure struct {
	err    error         // what the caller gets if this is the last attempt
	status int           // 0 when no response came
	hint   time.Duration // the server's Retry-After, 0 if none
	retry  bool          // whether the policy allows another attempt
}

// judge classifies a failed attempt: a transport error (err != nil) or a
// non-2XX answer.
func judge(ctx context.Context, cfg *config, op *operation, res *attemptResult, err error, key, createdName string) failure {
	if err != nil {
		f := failure{status: res.status}
		if ctx.Err() != nil {
			// The caller's context (or WithTimeout) ended the call: report
			// that, not the transport's view of it.
			err = ctx.Err()
		} else {
			f.retry = cfg.retry.connectionError && retryableTransport(err) && (op.idempotent || !res.connected.Load())
			err = scrubTransport(err, key)
		}
		f.err = fmt.Errorf("openrouter: %s %s: %w", op.method, op.path, err)
		if !op.idempotent && res.connected.Load() {
			f.err = &MaybeCreatedError{Name: createdName, Err: f.err}
		}
		return f
	}
	// The APIError keeps the body's bytes, so this buffer is not returned
	// to bufPool.
	apiErr := decodeAPIError(res.status, res.header, res.body.Bytes(), key)
	apiErr.Method, apiErr.Path = op.method, op.path
	apiErr.RetryAfter = parseRetryAfter(res.header, cfg.now())
	f := failure{status: res.status, hint: apiErr.RetryAfter, err: apiErr.typed()}
	// Only a 429 proves that a create was not acted on.
	f.retry = retryableStatus(res.status) && (op.idempotent || res.status == http.StatusTooManyRequests)
	if !op.idempotent && res.status >= 500 {
		f.err = &MaybeCreatedError{Name: createdName, Err: f.err}
	}
	return f
}

// scrubTransport cuts keys out of a transport error before it is wrapped
// into the call's error. net/http puts the request URL into the *url.Error
// it returns, and that URL holds a key when the server URL does (in its
// path) or a redirect did (anywhere); the error is the call's own, so its
// URL is rewritten in place. Text elsewhere in the chain (a Location that
// failed to parse, say) is cut out of the message.
func scrubTransport(err error, key string) error {
	if ue, ok := errors.AsType[*url.Error](err); ok {
		ue.URL = requestURL(ue.URL, key)
		// Its cause may quote a URL too ("failed to parse Location header
		// …", a string error): one that holds a key is replaced by its
		// scrubbed text (harden, issue 20 item 3).
		if ue.Err != nil {
			if m := ue.Err.Error(); secret.ScrubURL(m, key) != m {
				ue.Err = &scrubbedError{msg: secret.ScrubURL(m, key)}
			}
		}
	}
	msg := err.Error()
	if clean := secret.ScrubURL(msg, key); clean != msg {
		return &scrubbedError{msg: clean, err: err}
	}
	return err
}

// scrubbedError shows a scrubbed message for err and unwraps to it, so that
// errors.Is and errors.As still reach the cause.
type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }

// replay returns a copy of req for another attempt, with its own header map
// and a fresh body from GetBody.
func replay(ctx context.Context, req *http.Request) (*http.Request, error) {
	next := req.Clone(ctx)
	if req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		next.Body = body
	}
	return next, nil
}

func wrapAttempts(err error, attempts int) error {
	if attempts <= 1 {
		return err
	}
	return &RetryError{Attempts: attempts, Err: err}
}

// MaybeCreatedError reports that POST /keys failed in a way that leaves open
// whether the key was created (a 5XX, a timeout, or a connection lost after
// the request went out). orkeys does not retry it, since a retry could mint a
// second live key; list the keys with this name to find out.
type MaybeCreatedError struct {
	Name string
	Err  error
}

func (e *MaybeCreatedError) Error() string {
	return fmt.Sprintf("%v: the key may have been created; list keys named %q to check before creating it again", e.Err, e.Name)
}

func (e *MaybeCreatedError) Unwrap() error { return e.Err }

var acceptJSON = []string{"application/json"}

// setHeaders writes the headers that are the same for every attempt. The
// common ones reuse value slices built once per config.
func setHeaders(cfg *config, h http.Header) {
	h["Accept"] = acceptJSON
	h["User-Agent"] = cfg.uaValues // check keeps it in step with userAgent
	if cfg.referer != "" {
		h["Http-Referer"] = []string{cfg.referer}
	}
	if cfg.title != "" {
		h["X-Openrouter-Title"] = []string{cfg.title}
		h["X-Title"] = []string{cfg.title}
	}
	if cfg.categories != "" {
		h["X-Openrouter-Categories"] = []string{cfg.categories}
	}
	for _, p := range cfg.headers {
		h[p.key] = []string{p.value}
	}
}

// authorize sets Authorization for one attempt and returns the key used, so
// that error decoding can scrub it.
func authorize(ctx context.Context, cfg *config, h http.Header) (string, error) {
	if cfg.apiKeyFunc == nil {
		h["Authorization"] = cfg.cred.values
		return cfg.cred.key, nil
	}
	key, err := cfg.apiKeyFunc(ctx)
	if err != nil {
		return "", fmt.Errorf("orkeys: API key function: %w", err)
	}
	if err := checkAPIKey(key); err != nil {
		return "", fmt.Errorf("%w (from the API key function)", err)
	}
	h["Authorization"] = []string{"Bearer " + key}
	return key, nil
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
	if !op.idempotent {
		// Only non-idempotent calls pay for the trace: it tells a request
		// that never reached a connection from one that may have been
		// sent. Any failure after GotConn counts as "may have been sent".
		ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
			GotConn: func(httptrace.GotConnInfo) { res.connected.Store(true) },
		})
	}
	if !carries(req, ctx) {
		req = req.WithContext(ctx)
	}
	if !op.idempotent && idempotencyHeader(req.Header) {
		// net/http re-sends on its own, on a new connection, a request
		// that carries one of these headers and can rewind its body, when
		// a reused connection drops after the request went out. For a
		// create that is a second key behind the retry policy's back, so
		// this attempt cannot be rewound. req is this attempt's own copy
		// (the trace gave it a new context): the call keeps GetBody for
		// its own retries, which happen only when the server provably did
		// not act.
		req.GetBody = nil
	}
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

// idempotencyHeader reports whether h has a header that makes net/http
// treat a POST as idempotent (net/http's Request.isReplayable, which looks
// up the canonical names exactly, as WithHeader stores them).
func idempotencyHeader(h http.Header) bool {
	_, a := h["Idempotency-Key"]
	_, b := h["X-Idempotency-Key"]
	return a || b
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

// tooLargeError is a success body over the cap. Another attempt would
// bring the same body, so it is not retried.
type tooLargeError struct{ limit int64 }

func (e *tooLargeError) Error() string {
	return "response body exceeds the " + sizeText(e.limit) + " cap"
}

// sizeText writes n bytes as MiB or KiB when it is a whole number of them.
func sizeText(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// carries reports whether req already has ctx, so that the per-attempt
// copy of the request can be skipped. Only pointers (the derived contexts)
// and zero-size values (context.Background) are compared: == on other
// context types can panic, and for them a copy is merely a little slower.
func carries(req *http.Request, ctx context.Context) bool {
	rc := req.Context()
	t := reflect.TypeOf(rc)
	if t != reflect.TypeOf(ctx) {
		return false
	}
	switch {
	case t.Kind() == reflect.Pointer:
		return rc == ctx
	case t.Size() == 0:
		return true
	}
	return false
}

// retryableTransport reports whether a transport error may go away on its
// own. Certificate problems, an https URL pointing at a server that does not
// speak TLS, and redirect-policy refusals will not.
func retryableTransport(err error) bool {
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalid x509.CertificateInvalidError
	var notTLS tls.RecordHeaderError
	switch {
	case errors.As(err, &certErr), errors.As(err, &unknownAuth),
		errors.As(err, &hostErr), errors.As(err, &invalid), errors.As(err, &notTLS):
		return false
	case errors.Is(err, errRedirectPolicy):
		return false
	case errors.As(err, new(*tooLargeError)):
		return false
	case strings.Contains(err.Error(), errPlainHTTPAnswer):
		return false
	}
	return true
}

// errPlainHTTPAnswer is net/http's text for an https request answered in
// plain HTTP. It replaces the tls.RecordHeaderError with an untyped error,
// so the text is all there is to match.
const errPlainHTTPAnswer = "server gave HTTP response to HTTPS client"
