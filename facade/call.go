package facade

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/orkeys/orkeys/gen"
)

// call is one facade call. gen's client builds the request and parses the
// answer; call is the HttpRequestDoer beneath it (Do, in send.go), so every
// operation travels one road: gen → policy → net/http.
type call struct {
	cfg *config
	op  *operation
	// createdName is the name a POST /keys would give its key, for
	// MaybeCreatedError.
	createdName string
	// attempts counts the attempts made; answered is set once a 2XX answer
	// has been handed to gen.
	attempts int
	answered bool
	// status is the 2XX status the server sent, for errors.
	status int

	client gen.Client
	api    gen.ClientWithResponses
	// resp and body are the 2XX answer handed to gen (see call.response).
	resp http.Response
	body pooledBody
}

// newCall readies gen's client over cfg for op, in one allocation.
func newCall(cfg *config, op *operation) *call {
	cl := &call{cfg: cfg, op: op}
	cl.client = gen.Client{Server: cfg.opBase, Client: cl}
	cl.api.ClientInterface = &cl.client
	return cl
}

// finish turns what gen's *WithResponse method returned into the facade's
// answer. A non-nil err is either the doer's (already typed and with the
// operation named) or gen's, from building the request or decoding a 2XX
// body. v is the parsed 2XX body; lacks names what a decoded body misses of
// what every answer of this operation carries ("" when nothing), since JSON
// null, {} or a missing member decode without error into a zero value.
func finish[T any](cl *call, v *T, err error, lacks func(*T) string) (*T, error) {
	switch {
	case err != nil && !cl.answered:
		var in *InputError
		if cl.attempts == 0 && !errors.As(err, &in) {
			// gen refused to build the request: nothing was sent.
			return nil, fmt.Errorf("orkeys: building %s %s: %w", cl.op.method, cl.op.path, err)
		}
		return nil, err
	case err != nil:
		return nil, cl.badAnswer(fmt.Errorf("decoding body: %w", err))
	case v == nil:
		// Do presents every 2XX as the documented JSON answer, so gen
		// decoded nothing only if the operation table is wrong.
		return nil, cl.badAnswer(errors.New("no documented answer to decode"))
	}
	if missing := lacks(v); missing != "" {
		return v, cl.badAnswer(errors.New("the answer lacks " + missing))
	}
	return v, nil
}

// badAnswer reports a 2XX answer that cannot be used. For POST /keys the key
// was created but its plaintext is lost, so it is a MaybeCreatedError.
func (cl *call) badAnswer(err error) error {
	err = fmt.Errorf("openrouter: %s %s: %d response: %w", cl.op.method, cl.op.path, cl.status, err)
	if !cl.op.idempotent {
		err = &MaybeCreatedError{Name: cl.createdName, Err: err}
	}
	return wrapAttempts(err, cl.attempts)
}

// start prepares a call: the per-call options, then the operation.
func (c *Client) start(ctx context.Context, op *operation, opts []Option) (*call, error) {
	if ctx == nil {
		return nil, invalid("nil context (use context.Background())")
	}
	cfg, err := c.callConfig(opts)
	if err != nil {
		return nil, err
	}
	if err := cfg.checkKey(); err != nil {
		return nil, err
	}
	return newCall(cfg, op), nil
}

// checkKey refuses a call without a key before gen builds anything: without
// one nothing can be sent.
func (cfg *config) checkKey() error {
	if cfg.cred == nil && cfg.apiKeyFunc == nil {
		return refuse("WithAPIKey", "no API key: set "+EnvAPIKey+" or use facade.WithAPIKey")
	}
	return nil
}
