package facade

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptrace"
	"reflect"
	"sync"
	"time"
)

// operation describes one API operation for the send loop.
type operation struct {
	method string
	path   string // template, for errors and logs
	// idempotent operations are retried on any retryable failure; the
	// others only when the server provably did not act (see RetryConfig).
	idempotent bool
}

var (
	opList       = &operation{http.MethodGet, "/keys", true}
	opCreate     = &operation{http.MethodPost, "/keys", false}
	opGet        = &operation{http.MethodGet, "/keys/{hash}", true}
	opUpdate     = &operation{http.MethodPatch, "/keys/{hash}", true}
	opDelete     = &operation{http.MethodDelete, "/keys/{hash}", true}
	opCurrentKey = &operation{http.MethodGet, "/key", true}
)

const (
	// maxErrorBody caps how much of an error body is kept.
	maxErrorBody = 1 << 20
	// maxDrain is how much more of an error body is read (and dropped) so
	// that the connection can be reused; past it the connection is closed.
	maxDrain = 4 << 10
	// maxSuccessBody guards memory against a runaway server: a full page of
	// 100 keys is about 60 KiB.
	maxSuccessBody = 64 << 20
)

// bufPool recycles response buffers: the decoded values copy what they keep.
var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func putBuf(b *bytes.Buffer) {
	if b.Cap() > 1<<20 { // let big buffers go rather than pin them
		return
	}
	b.Reset()
	bufPool.Put(b)
}

// send runs one call: it sets headers, retries as the policy allows, and
// decodes a 2XX body into out. req is built by gen's request builders; its
// body, if any, must be replayable through GetBody.
func send(ctx context.Context, cfg *config, op *operation, req *http.Request, out any, createdName string) error {
	if cfg.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.timeout)
		defer cancel()
	}
	setHeaders(cfg, req.Header)
	if cfg.cred == nil && cfg.apiKeyFunc == nil {
		return errors.New("orkeys: no API key: set OPENROUTER_API_KEY or use facade.WithAPIKey")
	}

	start := cfg.now()
	var schedule interface{ NextBackOff() time.Duration }
	for attempt := 1; ; attempt++ {
		key, err := authorize(ctx, cfg, req.Header)
		if err != nil {
			return wrapAttempts(err, attempt-1)
		}
		began := cfg.now()
		res, err := roundTrip(ctx, cfg, op, req, attempt)
		status := 0
		if res != nil {
			status = res.status
		}
		if err == nil && status >= 200 && status < 300 {
			cfg.logAttempt(ctx, op, attempt, status, cfg.now().Sub(began), 0, nil)
			decErr := json.Unmarshal(res.body.Bytes(), out)
			putBuf(res.body)
			if decErr != nil {
				return fmt.Errorf("openrouter: %s %s: %d response: decoding body: %w", op.method, op.path, status, decErr)
			}
			return nil
		}

		var callErr error
		var hint time.Duration
		retry := false
		if err != nil {
			// A parent context that is done ends the call whatever happened.
			if ctx.Err() != nil {
				return wrapAttempts(fmt.Errorf("openrouter: %s %s: %w", op.method, op.path, ctx.Err()), attempt)
			}
			callErr = fmt.Errorf("openrouter: %s %s: %w", op.method, op.path, err)
			retry = cfg.retry.connectionError && retryableTransport(err) && (op.idempotent || res.nothingSent)
			if !op.idempotent && !res.nothingSent {
				callErr = &MaybeCreatedError{Name: createdName, Err: callErr}
			}
		} else {
			apiErr := decodeAPIError(status, res.header, res.body.Bytes(), key)
			apiErr.Method, apiErr.Path = op.method, op.path
			apiErr.RetryAfter = parseRetryAfter(res.header, cfg.now())
			hint = apiErr.RetryAfter
			callErr = apiErr.typed()
			retry = retryableStatus(status) && (op.idempotent || status == http.StatusTooManyRequests)
			if !op.idempotent && status >= 500 {
				callErr = &MaybeCreatedError{Name: createdName, Err: callErr}
			}
		}
		elapsed := cfg.now().Sub(began)
		if !retry || !cfg.retry.enabled {
			cfg.logAttempt(ctx, op, attempt, status, elapsed, 0, callErr)
			return wrapAttempts(callErr, attempt)
		}

		if schedule == nil {
			schedule = cfg.retry.newBackOff()
		}
		wait := min(schedule.NextBackOff(), cfg.retry.max)
		left := cfg.retry.maxElapsed - cfg.now().Sub(start)
		if deadline, ok := ctx.Deadline(); ok {
			left = min(left, time.Until(deadline))
		}
		if hint > 0 {
			// The server said when; waiting less is pointless and waiting
			// past the budget is worse than answering now.
			if hint > cfg.retry.max || hint > left {
				cfg.logGiveUp(ctx, op, attempt, status, callErr)
				return wrapAttempts(callErr, attempt)
			}
			wait = max(wait, hint)
		}
		if wait > left {
			cfg.logGiveUp(ctx, op, attempt, status, callErr)
			return wrapAttempts(callErr, attempt)
		}
		cfg.logAttempt(ctx, op, attempt, status, elapsed, wait, callErr)
		if err := cfg.sleep(ctx, wait); err != nil {
			return wrapAttempts(fmt.Errorf("openrouter: %s %s: %w", op.method, op.path, err), attempt)
		}
		if req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return wrapAttempts(fmt.Errorf("openrouter: %s %s: replaying body: %w", op.method, op.path, err), attempt)
			}
			req.Body = body
		}
	}
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
	if len(cfg.uaValues) == 1 && cfg.uaValues[0] == cfg.userAgent {
		h["User-Agent"] = cfg.uaValues
	} else {
		h["User-Agent"] = []string{cfg.userAgent}
	}
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
	// nothingSent is true when the request failed before any byte of it
	// was written, so the server cannot have acted on it.
	nothingSent bool
}

// roundTrip sends one attempt and reads the body within the attempt's
// deadline. The body is always drained (a bounded amount) and closed, so the
// connection goes back to the pool.
func roundTrip(ctx context.Context, cfg *config, op *operation, req *http.Request, attempt int) (*attemptResult, error) {
	if cfg.attemptTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.attemptTimeout)
		defer cancel()
	}
	res := &attemptResult{nothingSent: true}
	if !op.idempotent {
		// Only non-idempotent calls pay for the trace: it tells a
		// connection that failed before the request from one that failed
		// after it.
		ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
			WroteHeaderField: func(string, []string) { res.nothingSent = false },
		})
	}
	if !carries(req, ctx) {
		req = req.WithContext(ctx)
	}
	resp, err := cfg.client().Do(req)
	if err != nil {
		return res, err
	}
	if cfg.responseInto != nil {
		*cfg.responseInto = resp
	}
	res.nothingSent = false
	res.status, res.header = resp.StatusCode, resp.Header
	res.body = bufPool.Get().(*bytes.Buffer)
	limit := int64(maxSuccessBody)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		limit = maxErrorBody
	}
	if resp.ContentLength >= 0 && resp.ContentLength <= limit {
		// net/http stops the body at Content-Length: no limit to add.
		res.body.Grow(int(resp.ContentLength))
		_, err = res.body.ReadFrom(resp.Body)
	} else {
		_, err = res.body.ReadFrom(io.LimitReader(resp.Body, limit))
	}
	if err == nil && limit == maxSuccessBody && int64(res.body.Len()) == limit {
		err = fmt.Errorf("response body larger than %d bytes", limit)
	}
	if int64(res.body.Len()) >= limit {
		// Stopped at the limit, not at the end: drain a little more.
		_, _ = io.CopyN(io.Discard, resp.Body, maxDrain)
	}
	resp.Body.Close()
	if err != nil {
		putBuf(res.body)
		res.body = nil
		return res, fmt.Errorf("reading %d response: %w", resp.StatusCode, err)
	}
	return res, nil
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
// own. Certificate problems and redirect-policy refusals will not.
func retryableTransport(err error) bool {
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalid x509.CertificateInvalidError
	switch {
	case errors.As(err, &certErr), errors.As(err, &unknownAuth),
		errors.As(err, &hostErr), errors.As(err, &invalid):
		return false
	case errors.Is(err, errRedirectPolicy):
		return false
	}
	return true
}

func (cfg *config) logAttempt(ctx context.Context, op *operation, attempt, status int, took, wait time.Duration, err error) {
	if cfg.logger == nil || !cfg.logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", op.method),
		slog.String("path", op.path),
		slog.Int("attempt", attempt),
		slog.Int("status", status),
		slog.Duration("duration", took),
	}
	if wait > 0 {
		attrs = append(attrs, slog.Duration("wait", wait))
	}
	if err != nil && status == 0 {
		attrs = append(attrs, slog.String("error", "connection failed"))
	}
	cfg.logger.LogAttrs(ctx, slog.LevelDebug, "orkeys attempt", attrs...)
}

func (cfg *config) logGiveUp(ctx context.Context, op *operation, attempts, status int, err error) {
	if cfg.logger == nil {
		return
	}
	cfg.logger.LogAttrs(ctx, slog.LevelWarn, "orkeys giving up",
		slog.String("method", op.method),
		slog.String("path", op.path),
		slog.Int("attempts", attempts),
		slog.Int("status", status),
	)
}
