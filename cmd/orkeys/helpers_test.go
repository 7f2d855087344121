package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/orkeys/orkeys/fake"
	"github.com/orkeys/orkeys/gen"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/ with the current output")

// Fixed inputs make most of the output deterministic: the fake's clock
// stamps created_at/updated_at and its management key is known. What stays
// random (hashes, labels and plaintexts of created keys) is replaced by
// normalize with same-width placeholders, so that table alignment survives.
var (
	fixedNow      = time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)
	managementKey = "sk-or-v1-" + strings.Repeat("0123456789abcdef", 4)
	farFuture     = time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC)
)

// env is a test's environment for the CLI.
type env map[string]string

func (e env) get(name string) string { return e[name] }

// newFake starts a fake with a fixed clock and management key and returns
// it with an environment pointing the CLI at it.
func newFake(t *testing.T) (*fake.Server, env) {
	t.Helper()
	srv := fake.NewServer(fake.WithClock(func() time.Time { return fixedNow }), fake.WithManagementKey(managementKey))
	t.Cleanup(srv.Close)
	return srv, env{"OPENROUTER_API_KEY": srv.ManagementKey, "OPENROUTER_BASE_URL": srv.URL}
}

// result is what one CLI run produced.
type result struct {
	stdout, stderr string
	code           int
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\n--- stdout\n%s--- stderr\n%s", r.code, r.stdout, r.stderr)
}

// runCLI runs the CLI in-process through run, the same entry point main uses.
func runCLI(t *testing.T, e env, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	code := run(ctx, args, strings.NewReader(stdin), &out, &errb, e.get)
	return result{out.String(), errb.String(), code}
}

// runTerminal runs the CLI as if stdin were a terminal.
func runTerminal(t *testing.T, e env, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	a := terminalFactory(strings.NewReader(stdin), &out, &errb, e)
	code := a.run(context.Background(), args)
	return result{out.String(), errb.String(), code}
}

func wantCode(t *testing.T, r result, code int) {
	t.Helper()
	if r.code != code {
		t.Fatalf("want exit %d, got:\n%s", code, r)
	}
}

// seeded is a key the test put into the fake.
type seeded struct {
	gen.CreateKeysResponse
}

// seed adds keys through the fake's AddKey (no HTTP): "alpha" capped at $10
// daily, "beta" uncapped and expiring, "gamma" capped at $2.50 monthly with
// BYOK counted and some spend. They list newest first: gamma, beta, alpha.
func seed(t *testing.T, srv *fake.Server) []seeded {
	t.Helper()
	bodies := []gen.CreateKeysRequestBody{
		{Name: "alpha", Limit: ptr(10.0), LimitReset: ptr(gen.LimitResetDaily)},
		{Name: "beta", ExpiresAt: ptr(farFuture)},
		{Name: "gamma", Limit: ptr(2.5), LimitReset: ptr(gen.LimitResetMonthly), IncludeByokInLimit: ptr(true)},
	}
	var out []seeded
	for _, b := range bodies {
		res, err := srv.AddKey(b)
		if err != nil {
			t.Fatalf("AddKey(%s): %v", b.Name, err)
		}
		out = append(out, seeded{res})
	}
	if err := srv.SetUsage(out[2].Data.Hash, fake.Usage{Usage: 1.25, Daily: 0.5, Weekly: 0.75, Monthly: 1.25, BYOK: 0.0042}); err != nil {
		t.Fatal(err)
	}
	return out
}

func ptr[T any](v T) *T { return &v }

// normalize replaces each key's random hash, label and plaintext with a
// placeholder of the same width ("<hash-alpha>____…"), numbered by name.
func normalize(s string, keys []seeded) string {
	for _, k := range keys {
		for _, v := range []struct{ kind, value string }{
			{"hash", k.Data.Hash}, {"label", k.Data.Label}, {"key", k.Key.Reveal()},
		} {
			s = strings.ReplaceAll(s, v.value, placeholder(v.kind+"-"+k.Data.Name, len(v.value)))
		}
	}
	return s
}

func placeholder(name string, width int) string {
	p := "<" + name + ">"
	if len(p) < width {
		p += strings.Repeat("_", width-len(p))
	}
	return p
}

// golden compares got with testdata/NAME, or rewrites it under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading golden file (run go test ./cmd/orkeys -update to create it): %v", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (rerun with -update if the change is intended)\n--- got\n%s--- want\n%s", path, got, want)
	}
}

// wantPages checks that a walk over srv asked for each offset in need
// exactly once, and for nothing else but pages past the last of them: the
// read-ahead of facade.ListAll (up to three pages past the end), from this
// walk or from an earlier one whose cancelled requests reached the server
// late.
func wantPages(t *testing.T, srv *fake.Server, need ...int) {
	t.Helper()
	seen := map[int]int{}
	for _, r := range srv.Requests() {
		if r.Method != http.MethodGet || !strings.HasSuffix(r.Path, "/keys") {
			t.Errorf("unexpected request %s %s", r.Method, r.Path)
			continue
		}
		off, _ := strconv.Atoi(r.Query.Get("offset"))
		seen[off]++
	}
	for _, off := range need {
		if seen[off] != 1 {
			t.Errorf("offset %d asked %d times, want once (all: %v)", off, seen[off], seen)
		}
	}
	for off := range seen {
		if !slices.Contains(need, off) && off <= slices.Max(need) {
			t.Errorf("offset %d asked, want only %v and read-ahead past them (all: %v)", off, need, seen)
		}
	}
}

// terminalFactory is an invocation whose stdin passes for a terminal.
func terminalFactory(stdin io.Reader, stdout, stderr io.Writer, e env) *factory {
	f := newFactory(stdin, stdout, stderr, e.get)
	f.isTerminal = func(io.Reader) bool { return true }
	// A terminal hands over one line at a time; reading it leaves the rest.
	f.readHidden = func(r io.Reader) ([]byte, error) {
		var line []byte
		b := make([]byte, 1)
		for {
			if _, err := r.Read(b); err != nil || b[0] == '\n' {
				return line, nil
			}
			line = append(line, b[0])
		}
	}
	return f
}
