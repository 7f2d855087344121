package facade

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptrace"
	"strings"

	"github.com/orkeys/orkeys/gen"
)

// The create rule. A create (POST /keys, and the other POSTs the spec does
// not mark x-orkeys-idempotent) is not idempotent: a retry could make a
// second one, for POST /keys a second live key, whose answer holds the only
// copy of its plaintext. So a create is re-sent only when the server
// provably did not act (a 429, or no connection made), a failure that
// leaves open whether it acted is a *MaybeCreatedError, and a key's answer
// is read for the plaintext and the hash before anything else.

// idempotencyHeader reports whether h has a header that makes net/http
// treat a POST as idempotent (net/http's Request.isReplayable, which looks
// up the canonical names exactly, as WithHeader stores them).
func idempotencyHeader(h http.Header) bool {
	_, a := h["Idempotency-Key"]
	_, b := h["X-Idempotency-Key"]
	return a || b
}

// traceCreate makes a non-idempotent attempt record when the transport gets
// a connection for it: until then the server cannot have seen a byte of
// it (a refused connection, DNS or the TLS handshake failed). Only such
// calls pay for the trace.
func traceCreate(ctx context.Context, op *operation, res *attemptResult) context.Context {
	if op.idempotent {
		return ctx
	}
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		GotConn: func(httptrace.GotConnInfo) { res.connected.Store(true) },
	})
}

// unrewindable stops net/http from re-sending a create on its own. It does
// that, on a new connection, for a request that carries an idempotency
// header and can rewind its body, when a reused connection drops after the
// request went out: a second key behind the retry policy's back. req is
// the attempt's own copy; the call keeps GetBody for its own retries,
// which happen only when the server provably did not act.
func unrewindable(op *operation, req *http.Request) {
	if !op.idempotent && idempotencyHeader(req.Header) {
		req.GetBody = nil
	}
}

// retrySafe reports whether an answer with status allows re-sending op:
// any for an idempotent operation; for a create only a 429, the one answer
// that proves the server did not act.
func retrySafe(op *operation, status int) bool {
	return op.idempotent || status == http.StatusTooManyRequests
}

// maybeCreated wraps err, a failure of op that leaves open whether the
// server created what it was asked to, named name.
func maybeCreated(op *operation, name string, err error) error {
	return &MaybeCreatedError{Name: name, Kind: createdKind(op), Err: err}
}

// createdKind is what op creates, from its path: the singular of the
// collection it posts to ("/keys" → "key", "/guardrails" → "guardrail";
// "/byok" stays "byok").
func createdKind(op *operation) string {
	seg := strings.TrimPrefix(op.path, "/")
	if i := strings.IndexByte(seg, '/'); i >= 0 {
		seg = seg[:i]
	}
	return strings.TrimSuffix(seg, "s")
}

// callCreate is call for an operation that is not idempotent: name is what
// the new thing is called, for MaybeCreatedError.
func callCreate[T any](ctx context.Context, c *Client, opts []Option, op *operation, name string, build builder, lacks func(*T) string) (*T, error) {
	cfg, err := c.singleConfig(ctx, opts)
	if err != nil {
		return nil, err
	}
	a, err := cfg.exchange(ctx, op, build, name)
	if err != nil {
		return nil, err
	}
	return decode(a, lacks)
}

// maybeActed reports whether a failed attempt of op leaves open whether the
// server acted on it: for a create, a 5XX (status), or a transport failure
// (status 0) after a connection was made.
func maybeActed(op *operation, res *attemptResult, status int) bool {
	if op.idempotent {
		return false
	}
	if status != 0 {
		return status >= 500
	}
	return res.connected.Load()
}

// APIKeysCreate creates a key with POST /keys. The plaintext key in the
// response is shown once, as a SecretKey, which shows it only through
// Reveal. A create that fails in a way that leaves open whether the key
// exists returns a *MaybeCreatedError and is never retried.
//
// The plaintext and the hash are read first: whenever the answer holds
// both, the create succeeds, even if other fields are odd (they are then
// left zero). A 2XX answer that lacks either is an error; the response is
// then returned beside it, so that the caller can delete the key by hash.
func APIKeysCreate(ctx context.Context, c *Client, req CreateKeysRequest, opts ...Option) (*CreateKeysResponse, error) {
	body := req.RequestBody
	if err := checkCreate(&body); err != nil {
		return nil, err
	}
	cfg, err := c.singleConfig(ctx, opts)
	if err != nil {
		return nil, err
	}
	a, err := cfg.exchange(ctx, opCreate, func(s string) (*http.Request, error) { return gen.NewCreateKeysRequest(s, body) }, body.Name)
	if err != nil {
		return nil, err
	}
	defer a.release()
	return decodeCreated(a)
}

// createdKey is what a create's answer must carry for the key to be usable.
type createdKey struct {
	Key  SecretKey `json:"key"`
	Data struct {
		Hash string `json:"hash"`
	} `json:"data"`
}

// decodeCreated reads a create's answer. A field the caller did not need
// never costs the plaintext: when the whole answer does not decode, the key
// and the hash are read on their own.
func decodeCreated(a *answer) (*CreateKeysResponse, error) {
	v := new(CreateKeysResponse)
	err := json.Unmarshal(a.body.Bytes(), v)
	if err != nil || v.Key.IsZero() || v.Data.Hash == "" {
		var k createdKey
		if json.Unmarshal(a.body.Bytes(), &k) == nil && !k.Key.IsZero() && k.Data.Hash != "" {
			if err != nil {
				// What decoded of the rest may be half-filled: keep only
				// what is known whole.
				v = new(CreateKeysResponse)
			}
			v.Key, v.Data.Hash = k.Key, k.Data.Hash
			return v, nil
		}
	}
	switch {
	case err != nil:
		return nil, a.bad(decodeError(err, a.sh))
	case v.Key.IsZero() || v.Data.Hash == "":
		// The plaintext exists in this answer only: a success without it
		// must not pass for a usable key.
		return v, a.bad(errors.New("the answer lacks the plaintext key or the hash; the key may exist without a usable secret: delete it by hash"))
	}
	return v, nil
}
