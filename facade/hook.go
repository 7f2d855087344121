package facade

import (
	"context"
	"time"
)

// Attempt describes one attempt of a call, for WithAttemptHook. It carries
// what log records carry: never a key, a hash, a header value or a body.
type Attempt struct {
	// Method and Path name the operation, with the path as a template
	// ("/keys/{hash}").
	Method, Path string
	// Number counts attempts from 1.
	Number int
	// Status is the HTTP status, 0 when no answer came.
	Status int
	// Took is how long the attempt ran.
	Took time.Duration
	// Wait is the pause before the next attempt; 0 when this attempt is the
	// call's last.
	Wait time.Duration
	// Failure names a transport failure with a fixed word ("connection
	// refused", "timeout", …); "" when an answer came.
	Failure string
}

// Retrying reports whether another attempt follows this one.
func (a Attempt) Retrying() bool { return a.Wait > 0 }

// AttemptHook is called after every attempt, success or not, on the
// calling goroutine, before any wait. It must not block for long.
type AttemptHook func(context.Context, Attempt)

// WithAttemptHook calls hook after every attempt: progress messages, retry
// counters, metrics. It is the typed form of the Debug log records that
// WithLogger writes. Hooks set by several options all run, in order.
func WithAttemptHook(hook AttemptHook) Option {
	return func(c *config) error {
		if hook == nil {
			return refuse("WithAttemptHook", "WithAttemptHook(nil)")
		}
		c.hooks = append(c.hooks[:len(c.hooks):len(c.hooks)], hook)
		return nil
	}
}

// runHooks reports one attempt to every hook.
func (cfg *config) runHooks(ctx context.Context, op *operation, attempt, status int, took, wait time.Duration, err error) {
	if len(cfg.hooks) == 0 {
		return
	}
	a := Attempt{Method: op.method, Path: op.path, Number: attempt, Status: status, Took: took, Wait: wait}
	if err != nil && status == 0 {
		a.Failure = failureKind(err)
	}
	for _, h := range cfg.hooks {
		h(ctx, a)
	}
}
