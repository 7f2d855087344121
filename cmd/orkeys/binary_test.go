package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Build the real binary once and check the exit codes main hands to the OS.
func TestBinaryExitCodes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "orkeys")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	srv, _ := newFake(t)
	keys := seed(t, srv)
	base := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	withKey := append(base[:len(base):len(base)], "OPENROUTER_API_KEY="+srv.ManagementKey, "OPENROUTER_BASE_URL="+srv.URL)

	cases := []struct {
		name   string
		env    []string
		args   []string
		code   int
		stderr string
	}{
		{"success", withKey, []string{"keys", "get", keys[0].Data.Hash}, 0, ""},
		{"demo", base, []string{"demo"}, 0, ""},
		{"404", withKey, []string{"keys", "get", strings.Repeat("0", 64)}, 1, "orkeys: openrouter: 404 Not Found"},
		{"bad flag", withKey, []string{"keys", "list", "--nope"}, 2, "unknown flag: --nope"},
		{"missing key", base, []string{"keys", "list"}, 2, "export OPENROUTER_API_KEY="},
		// stdin is /dev/null: not a terminal, so delete wants --yes.
		{"delete needs --yes", withKey, []string{"keys", "delete", keys[0].Data.Hash}, 2, "pass --yes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cmd := exec.Command(bin, c.args...)
			cmd.Env = c.env
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			code := 0
			var exit *exec.ExitError
			if errors.As(err, &exit) {
				code = exit.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if code != c.code || !strings.Contains(stderr.String(), c.stderr) {
				t.Errorf("exit %d, want %d; stderr %q (want %q)", code, c.code, stderr.String(), c.stderr)
			}
		})
	}
}
