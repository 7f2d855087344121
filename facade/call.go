package facade

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
)

// The road every operation travels, in one direction:
//
//	APIKeysGet → call (config merged once) → gen's NewGetKeyRequest →
//	send (auth, headers, retries, the create rule, caps, typed errors) →
//	net/http → the capped body, decoded once into gen's model.
//
// An operation is one short function: check the input, then hand call the
// operation, gen's request builder and what a usable answer must carry.

// operation is what the attempt loop must know about an API operation and
// gen does not tell: the method and path template (for errors and logs),
// the documented 2XX status, and whether a retry is always safe. The table
// (opList, opCreate, … and the other files' op values) is checked against
// api/openapi.yaml by TestOperationTableMatchesSpec.
type operation struct {
	method string
	path   string // template, for errors and logs
	// idempotent operations are retried on any retryable failure; the
	// others only when the server provably did not act (see RetryConfig).
	idempotent bool
	// success is the documented 2XX status.
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

// builder is gen's request builder for one call (gen.NewGetKeyRequest and
// so on, with the call's arguments bound), given the server URL.
type builder func(server string) (*http.Request, error)

// call merges the call's options into the client's config, once, and sends
// op. lacks names what a decoded answer misses of what every answer of op
// carries ("" when nothing; nil checks nothing): JSON null, {} or a missing
// member decode without error into a zero value.
func call[T any](ctx context.Context, c *Client, opts []Option, op *operation, build builder, lacks func(*T) string) (*T, error) {
	cfg, err := c.singleConfig(ctx, opts)
	if err != nil {
		return nil, err
	}
	return callWith(ctx, cfg, op, build, lacks)
}

// callWith is call on a config already merged (a page of a walk, a step
// of a rotation).
func callWith[T any](ctx context.Context, cfg *config, op *operation, build builder, lacks func(*T) string) (*T, error) {
	a, err := cfg.exchange(ctx, op, build, "")
	if err != nil {
		return nil, err
	}
	return decode(a, lacks)
}

// decode reads a's body, once, into gen's model T, and releases it.
func decode[T any](a *answer, lacks func(*T) string) (*T, error) {
	defer a.release()
	v := new(T)
	if err := json.Unmarshal(a.body.Bytes(), v); err != nil {
		return nil, a.bad(decodeError(err, a.sh))
	}
	if lacks != nil {
		if m := lacks(v); m != "" {
			return v, a.bad(errors.New("the answer lacks " + m))
		}
	}
	return v, nil
}

// exchange builds the request with gen and sends it. name is the name a
// POST /keys gives its key, for MaybeCreatedError.
func (cfg *config) exchange(ctx context.Context, op *operation, build builder, name string) (*answer, error) {
	req, err := build(cfg.opBase)
	if err != nil {
		// gen refused to build the request: nothing was sent.
		return nil, fmt.Errorf("orkeys: building %s %s: %w", op.method, op.path, err)
	}
	return cfg.send(ctx, op, req, name)
}

// answer is a call's 2XX answer: the whole body, within its cap, in a
// pooled buffer.
type answer struct {
	op       *operation
	name     string // the created key's name, for a create
	status   int
	attempts int
	sh       shield // what the answered attempt's text is cleaned of
	body     *bytes.Buffer
}

// release returns the body's buffer to the pool: decoded values copy what
// they keep.
func (a *answer) release() {
	putBuf(a.body)
	a.body = nil
}

// bad reports a 2XX answer that cannot be used. For POST /keys the key was
// created but is not usable, so it is a MaybeCreatedError.
func (a *answer) bad(err error) error {
	err = fmt.Errorf("openrouter: %s %s: %d response: %w", a.op.method, a.op.path, a.status, err)
	if !a.op.idempotent {
		err = maybeCreated(a.op, a.name, err)
	}
	return wrapAttempts(err, a.attempts)
}

// decodeError is a body that failed to decode, with its text scrubbed:
// encoding/json and the types it calls quote the bytes they refuse, and a
// server may echo a key into any field. The cause stays reachable through
// errors.As (a *json.UnmarshalTypeError, say) only when its text holds no
// key; otherwise it is dropped, so that no unscrubbed text is left in the
// chain.
func decodeError(err error, sh shield) error {
	msg := err.Error()
	clean := sh.text(oneLine(msg))
	if clean != msg {
		return errors.New("decoding body: " + clean)
	}
	return fmt.Errorf("decoding body: %w", err)
}
