package facade

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/cenkalti/backoff/v5"
)

// The attempt loop: gen has built req (path, query, body, Content-Type);
// send adds the policy gen cannot know: headers and auth, retries and the
// create rule, capped reads (body.go), logging, and a typed error for every
// failure. It returns the 2XX answer whole, so that a body cut short is
// retried like any other failed attempt.
func (cfg *config) send(ctx context.Context, op *operation, req *http.Request, name string) (*answer, error) {
	if cfg.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.timeout)
		defer cancel()
	}
	setHeaders(cfg, req.Header)

	start := cfg.now()
	var schedule *backoff.ExponentialBackOff
	for attempt := 1; ; attempt++ {
		if attempt > 1 {
			// A fresh request per retry: the transport may still hold the
			// previous one, and its body has been consumed.
			next, err := replay(req)
			if err != nil {
				return nil, wrapAttempts(fmt.Errorf("openrouter: %s %s: replaying body: %w", op.method, op.path, err), attempt-1)
			}
			req = next
		}
		key, err := authorize(ctx, cfg, req.Header)
		if err != nil {
			return nil, wrapAttempts(err, attempt-1)
		}
		sh := shield{key: key, secrets: cfg.secrets}
		began := cfg.now()
		res, err := roundTrip(ctx, cfg, op, req)
		took := cfg.now().Sub(began)
		if err == nil && res.status >= 200 && res.status < 300 {
			cfg.logAttempt(ctx, op, attempt, res.status, took, 0, nil)
			if len(sh.secrets) > 0 {
				// The call's own secret, echoed in the answer, goes before
				// anything reads it: the raw copy and the decoded value.
				// (Not the API key scrub, which would cut a created key's
				// plaintext.)
				clean := bytes.Clone(sh.body(res.body.Bytes()))
				res.body.Reset()
				res.body.Write(clean)
			}
			if cfg.bodyInto != nil {
				*cfg.bodyInto = bytes.Clone(res.body.Bytes())
			}
			return &answer{op: op, name: name, status: res.status, attempts: attempt, sh: sh, body: res.body}, nil
		}

		f := judge(ctx, cfg, op, res, err, sh, name)
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
			if f.status == http.StatusTooManyRequests && f.hint > 0 {
				f.api.Hint = retryAfterHint(f.hint, cfg.now(), cfg.retry.max, left)
			}
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

// failure is what one failed attempt means for the call.
type failure struct {
	err    error         // what the caller gets if this is the last attempt
	status int           // 0 when no response came
	hint   time.Duration // the server's Retry-After, 0 if none
	retry  bool          // whether the policy allows another attempt
	api    *APIError     // the answer's error, nil for a transport failure
}

// judge classifies a failed attempt: a transport error (err != nil) or a
// non-2XX answer.
func judge(ctx context.Context, cfg *config, op *operation, res *attemptResult, err error, sh shield, createdName string) failure {
	if err != nil {
		f := failure{status: res.status}
		if ctx.Err() != nil {
			// The caller's context (or WithTimeout) ended the call: report
			// that, not the transport's view of it.
			err = ctx.Err()
		} else {
			f.retry = cfg.retry.connectionError && retryableTransport(err) && (op.idempotent || !res.connected.Load())
			err = scrubTransport(err, sh)
		}
		f.err = fmt.Errorf("openrouter: %s %s: %w", op.method, op.path, err)
		if maybeActed(op, res, 0) {
			f.err = maybeCreated(op, createdName, f.err)
		}
		return f
	}
	// The APIError keeps the body's bytes, so this buffer is not returned
	// to bufPool.
	apiErr := decodeAPIError(res.status, res.header, res.body.Bytes(), sh)
	apiErr.Method, apiErr.Path = op.method, op.path
	apiErr.RetryAfter = parseRetryAfter(res.header, cfg.now())
	apiErr.Hint = cfg.hint(op, apiErr, sh.key)
	f := failure{status: res.status, hint: apiErr.RetryAfter, err: apiErr.typed(), api: apiErr}
	f.retry = retryableStatus(res.status) && retrySafe(op, res.status)
	if maybeActed(op, res, res.status) {
		f.err = maybeCreated(op, createdName, f.err)
	}
	return f
}

// scrubTransport cuts keys out of a transport error before it is wrapped
// into the call's error. net/http puts the request URL into the *url.Error
// it returns, and that URL holds a key when the server URL does (in its
// path) or a redirect did (anywhere); the error is the call's own, so its
// URL is rewritten in place. Text elsewhere in the chain (a Location that
// failed to parse, say) is cut out of the message.
func scrubTransport(err error, sh shield) error {
	if ue, ok := errors.AsType[*url.Error](err); ok {
		ue.URL = sh.text(requestURL(ue.URL, sh.all()...))
		// Its cause may quote a URL too ("failed to parse Location header
		// …", a string error): one that holds a key is replaced by its
		// scrubbed text (harden, issue 20 item 3).
		if ue.Err != nil {
			if m := ue.Err.Error(); sh.text(m) != m {
				ue.Err = &scrubbedError{msg: sh.text(m)}
			}
		}
	}
	msg := err.Error()
	if clean := sh.text(msg); clean != msg {
		return &scrubbedError{msg: clean, err: err}
	}
	return err
}

// replay returns a copy of req for another attempt, with its own header map
// and a fresh body from GetBody.
func replay(req *http.Request) (*http.Request, error) {
	// roundTrip gives the copy the attempt's context.
	ctx := req.Context()
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
