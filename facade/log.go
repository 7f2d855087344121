package facade

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log/slog"
	"net"
	"syscall"
	"time"
)

// Log records carry only what is safe to ship to any log sink: the method,
// the path template (never a key hash), the status, counters and durations,
// and for transport failures a fixed word for the kind of failure. Never
// header values, bodies, error strings or keys.

// logAttempt writes the Debug record of one attempt. wait is the pause
// before the next attempt, 0 when there is none.
func (cfg *config) logAttempt(ctx context.Context, op *operation, attempt, status int, took, wait time.Duration, err error) {
	cfg.runHooks(ctx, op, attempt, status, took, wait, err)
	if cfg.logger == nil || !cfg.logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := make([]slog.Attr, 0, 7)
	attrs = append(attrs,
		slog.String("method", op.method),
		slog.String("path", op.path),
		slog.Int("attempt", attempt),
		slog.Int("status", status),
		slog.Duration("duration", took),
	)
	if wait > 0 {
		attrs = append(attrs, slog.Duration("wait", wait))
	}
	if err != nil && status == 0 {
		attrs = append(attrs, slog.String("error", failureKind(err)))
	}
	cfg.logger.LogAttrs(ctx, slog.LevelDebug, "orkeys attempt", attrs...)
}

// logGiveUp writes the Warn record of a call that stops retrying while the
// failure is one that retrying could fix.
func (cfg *config) logGiveUp(ctx context.Context, op *operation, attempts, status int, hint time.Duration, err error) {
	if cfg.logger == nil || !cfg.logger.Enabled(ctx, slog.LevelWarn) {
		return
	}
	attrs := make([]slog.Attr, 0, 6)
	attrs = append(attrs,
		slog.String("method", op.method),
		slog.String("path", op.path),
		slog.Int("attempts", attempts),
		slog.Int("status", status),
	)
	if hint > 0 {
		attrs = append(attrs, slog.Duration("retry_after", hint))
	}
	if status == 0 {
		attrs = append(attrs, slog.String("error", failureKind(err)))
	}
	cfg.logger.LogAttrs(ctx, slog.LevelWarn, "orkeys giving up", attrs...)
}

// failureKind names a transport failure with a fixed word. Error strings are
// not logged: they hold URLs and, from a custom transport, anything at all.
func failureKind(err error) string {
	var dnsErr *net.DNSError
	var netErr net.Error
	var recErr tls.RecordHeaderError
	var certErr *tls.CertificateVerificationError
	switch {
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.As(err, &dnsErr):
		return "dns"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return "connection reset"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "connection closed"
	case errors.As(err, &recErr), errors.As(err, &certErr):
		return "tls"
	case errors.Is(err, errRedirectPolicy):
		return "redirects"
	case errors.As(err, &netErr) && netErr.Timeout():
		return "timeout"
	}
	return "connection failed"
}
