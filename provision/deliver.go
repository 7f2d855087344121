package provision

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"time"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/secret"
)

// Delivery is one new key's plaintext on its way to its receiver.
type Delivery struct {
	Address   string
	Key       LiveKey
	Plaintext secret.Key
	// To is the key's Deliver from the desired state; nil when the caller
	// delivers through WithDeliver alone.
	To *Deliver
}

// DeliverFunc hands a new key's plaintext to its receiver. An error
// leaves the key recorded as undelivered: the next Apply deletes it and
// creates a fresh one.
type DeliverFunc func(ctx context.Context, d Delivery) error

// checkReceiver refuses, before anything is created, a receiver that
// cannot be used safely.
func checkReceiver(to *Deliver) error {
	if to == nil || to.File == "" {
		return nil
	}
	dir := filepath.Dir(to.File)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("deliver.file: %w", err)
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("deliver.file: %w", err)
	}
	if runtime.GOOS == "windows" {
		return nil
	}
	if fi.Mode().Perm()&0o022 != 0 {
		return fmt.Errorf("deliver.file: the folder %s is group- or world-writable (mode %v); another user could swap the key file, so no key is made for it", dir, fi.Mode().Perm())
	}
	return checkAncestors(dir)
}

// checkAncestors refuses a folder above the key file's that others may
// write without the sticky bit: they could rename the folders below it
// and put their own in place. /tmp (mode 1777) is fine: there only a
// folder's owner may rename it.
func checkAncestors(dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("deliver.file: %w", err)
	}
	for p := filepath.Dir(abs); ; p = filepath.Dir(p) {
		fi, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("deliver.file: %w", err)
		}
		if fi.Mode().Perm()&0o022 != 0 && fi.Mode()&os.ModeSticky == 0 {
			return fmt.Errorf("deliver.file: the folder %s, above %s, is group- or world-writable without the sticky bit (mode %v); another user could replace the folders below it, so no key is made for it", p, dir, fi.Mode().Perm())
		}
		if p == filepath.Dir(p) {
			return nil
		}
	}
}

// deliverBuiltin is the receivers of the file format: file, exec, stdout.
func deliverBuiltin(ctx context.Context, d Delivery, stdout map[string]secret.Key) error {
	switch {
	case d.To == nil:
		return errors.New("no receiver: set deliver in the desired state or use WithDeliver")
	case d.To.File != "":
		if err := checkReceiver(d.To); err != nil {
			return err
		}
		if err := writeAtomic(d.To.File, []byte(d.Plaintext.Reveal()), 0o600); err != nil {
			return fmt.Errorf("deliver.file: %w", err)
		}
		return nil
	case d.To.Exec != "":
		return runReceiver(ctx, d.To.Exec, d.To.dir, d.Plaintext)
	case d.To.Stdout:
		stdout[d.Address] = d.Plaintext
		return nil
	}
	return errors.New("deliver: no form set")
}

// A failed receiver's output is kept up to execOutputCap bytes, scrubbed
// of the plaintext whole, and its last execOutputShown bytes go into the
// error. Longer output is dropped rather than cut, since a cut could split
// the plaintext where the scrubber cannot see it.
const (
	execOutputCap   = 64 << 10
	execOutputShown = 1024
)

// runReceiver runs a shell command with the plaintext on stdin, and
// nothing of it in argv or the environment. Its output is kept only for a
// failure's message, scrubbed of the plaintext.
func runReceiver(ctx context.Context, command, dir string, pt secret.Key) error {
	shell, flag := "/bin/sh", "-c"
	if runtime.GOOS == "windows" {
		shell, flag = "cmd", "/C"
	}
	cmd := exec.CommandContext(ctx, shell, flag, command)
	cmd.Dir = dir // "" is the process's own folder
	cmd.Env = receiverEnv(os.Environ())
	cmd.Stdin = strings.NewReader(pt.Reveal())
	var out cappedBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.WaitDelay = 5 * time.Second
	ownGroup(cmd)
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("deliver.exec %q: %v%s", command, err, out.shown(pt))
	}
	return nil
}

// receiverEnv is the environment less the management key: a receiver
// needs its own credentials (VAULT_TOKEN, say), never the key that can
// make and delete every other key.
func receiverEnv(env []string) []string {
	out := env[:0:0]
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		if !strings.EqualFold(name, facade.EnvAPIKey) {
			out = append(out, kv)
		}
	}
	return out
}

// tokenRun is a run of characters a key, or its base64, is made of, long
// enough to hold a useful part of one.
var tokenRun = regexp.MustCompile(`[A-Za-z0-9+/=_-]{16,}`)

// cappedBuffer keeps output up to execOutputCap bytes and notes overflow.
type cappedBuffer struct {
	b    bytes.Buffer
	over bool
}

func (c *cappedBuffer) Write(p []byte) (int, error) {
	if c.over || c.b.Len()+len(p) > execOutputCap {
		c.over = true
		return len(p), nil
	}
	return c.b.Write(p)
}

func (c *cappedBuffer) shown(pt secret.Key) string {
	if c.over {
		return "; its output was too long to show"
	}
	s := strings.TrimSpace(secret.Scrub(c.b.String(), pt.Reveal()))
	// A receiver may also print the plaintext changed (upper-cased,
	// base64-encoded), which no exact scrub sees: cut every long run of
	// key or base64 characters, before the tail is cut, so no part of one
	// is left at the edge. Error text ("permission denied") survives.
	s = tokenRun.ReplaceAllString(s, "[cut]")
	if s == "" {
		return ""
	}
	if len(s) > execOutputShown {
		s = "…" + s[len(s)-execOutputShown:]
	}
	return "; its output: " + s
}
