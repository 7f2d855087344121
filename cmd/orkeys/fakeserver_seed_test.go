package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/orkeys/orkeys/facade"
)

// startFakeServer runs fake-server with args and returns the client its
// printed exports name; the server stops when the test ends.
func startFakeServer(t *testing.T, args ...string) *facade.Client {
	t.Helper()
	pr, pw := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	var stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"fake-server", "--port", "0", "-o", "json"}, args...), strings.NewReader(""), pw, &stderr, env{}.get)
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		go func() { _, _ = io.Copy(io.Discard, pr) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("fake-server did not stop")
		}
	})
	lines := bufio.NewScanner(pr)
	if !lines.Scan() {
		t.Fatalf("fake-server printed nothing; stderr %q", stderr.String())
	}
	var exports map[string]string
	if err := json.Unmarshal(lines.Bytes(), &exports); err != nil {
		t.Fatal(err)
	}
	c, err := facade.New(facade.WithServerURL(exports[envBaseURL]), facade.WithAPIKey(exports[envAPIKey]),
		facade.WithRetryConfig(facade.RetryConfig{Strategy: facade.StrategyNone}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// --seed loads the example organization before serving.
func TestFakeServerSeed(t *testing.T) {
	c := startFakeServer(t, "--seed", "../../fake/testdata/example-seed.yaml")
	ctx := context.Background()
	ws, err := c.Workspaces.Get(ctx, facade.GetWorkspaceRequest{ID: "research"})
	if err != nil {
		t.Fatal(err)
	}
	if ws.Data.Name != "Research" {
		t.Errorf("workspace %+v", ws.Data)
	}
	var ids []string
	for m, err := range c.Organization.ListMembersAll(ctx, facade.ListOrganizationMembersRequest{}) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, m.ID)
	}
	if !slices.Contains(ids, "user_carol") {
		t.Errorf("members %v, want the seed's user_carol among them", ids)
	}
}

// Each --fault is scripted: the first call gets the 503, the next the
// answer.
func TestFakeServerFault(t *testing.T) {
	c := startFakeServer(t, "--fault", "GET /keys 503 x1", "--fault", "GET /credits 429")
	ctx := context.Background()
	var srvErr *facade.APIError
	if _, err := c.APIKeys.List(ctx, facade.ListRequest{}); !errors.As(err, &srvErr) || srvErr.StatusCode != 503 {
		t.Fatalf("first list: %v, want the scripted 503", err)
	}
	if _, err := c.APIKeys.List(ctx, facade.ListRequest{}); err != nil {
		t.Fatalf("second list: %v, want the fault spent", err)
	}
	if _, err := c.Credits.GetCredits(ctx); !errors.As(err, &srvErr) || srvErr.StatusCode != 429 {
		t.Fatalf("credits: %v, want the scripted 429", err)
	}
}

// A bad --fault or --seed is exit 2 naming the flag, before listening.
func TestFakeServerSeedFaultRefused(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("workspaces: [{name: X, slug: 'Not A Slug'}]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--fault", "GET /keys"}, exitUsage, "--fault "},
		{[]string{"--fault", "GET keys 503"}, exitUsage, "--fault "},
		{[]string{"--fault", "GET /keys 503 x0"}, exitUsage, "--fault "},
		{[]string{"--seed", bad}, exitUsage, "--seed " + bad},
		{[]string{"--seed", filepath.Join(t.TempDir(), "absent.yaml")}, exitError, "cannot read --seed"},
	} {
		r := runCLI(t, env{}, "", append([]string{"fake-server", "--port", "0"}, tc.args...)...)
		if r.code != tc.code || !strings.Contains(r.stderr, tc.want) || r.stdout != "" {
			t.Errorf("%v: want exit %d naming %q, got\n%s", tc.args, tc.code, tc.want, r)
		}
	}
}
