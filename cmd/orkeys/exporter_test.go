package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/orkeys/orkeys/facade"
)

// scrape GETs url with a client that keeps no idle connection behind.
func scrape(url string) (string, error) {
	c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return string(b), err
}

// scrapeUntil scrapes url until the body holds every one of want.
func scrapeUntil(t *testing.T, url string, want ...string) string {
	t.Helper()
	var body string
	var err error
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		body, err = scrape(url)
		if err == nil && containsAll(body, want) {
			return body
		}
	}
	t.Fatalf("%s never showed %q: %v\n%s", url, want, err, body)
	return ""
}

func containsAll(s string, subs []string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

// The exporter command serves the fake's keys and credits, prints where,
// picks up changes on the interval and stops cleanly when its context ends
// (as on SIGINT/SIGTERM in main).
func TestExporterCommand(t *testing.T) {
	srv, e := newFake(t)
	hashes := seedSpend(t, srv)
	pr, pw := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"exporter", "--listen", "127.0.0.1:0", "--interval", "1s", "-o", "json"}, strings.NewReader(""), pw, &stderr, e.get)
		pw.Close()
	}()
	lines := bufio.NewScanner(pr)
	if !lines.Scan() {
		t.Fatalf("no output: %v; stderr %q", lines.Err(), stderr.String())
	}
	var printed struct {
		URL string `json:"metrics_url"`
	}
	if err := json.Unmarshal(lines.Bytes(), &printed); err != nil || !regexp.MustCompile(`^http://127\.0\.0\.1:[1-9]\d*/metrics$`).MatchString(printed.URL) {
		t.Fatalf("printed %q (%v)", lines.Text(), err)
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()

	alpha := fmt.Sprintf(`{hash=%q,name="alpha"`, hashes["alpha"][:12])
	scrapeUntil(t, printed.URL,
		`openrouter_key_limit_dollars`+alpha+`} 10`,
		`openrouter_key_usage_dollars`+alpha+`,window="daily"} 9`,
		`openrouter_key_disabled{hash="`+hashes["omega"][:12]+`",name="omega"} 1`,
		"openrouter_credits_total_dollars 100",
		`openrouter_workspace_keys{state="disabled",workspace="default"} 1`, // the plane's metrics are on
		"openrouter_exporter_last_refresh_success 1")
	// A key deleted upstream leaves at the next refresh.
	if _, err := client(t, srv).APIKeys.Delete(ctx, facade.DeleteKeysRequest{Hash: hashes["alpha"]}); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		body, err := scrape(printed.URL)
		if err == nil && !strings.Contains(body, alpha) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("alpha still in the metrics:\n%s", body)
		}
	}

	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("exit %d; stderr %q", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("exporter did not stop after cancel")
	}
	if !strings.Contains(stderr.String(), "orkeys exporter: stopped") {
		t.Errorf("stderr %q", stderr.String())
	}
	if _, err := scrape(printed.URL); err == nil {
		t.Error("still serving after the command returned")
	}
}

func TestExporterUsage(t *testing.T) {
	srv, e := newFake(t)
	for _, c := range []struct {
		env  env
		args []string
		msg  string
	}{
		{e, []string{"--interval", "10ms"}, "--interval 10ms: want at least 1s"},
		{e, []string{"--listen", "9464"}, `--listen "9464": want host:port`},
		{e, []string{"--workspace", "x"}, "--workspace"},
		{env{}, nil, "no API key"},
	} {
		r := runCLI(t, c.env, "", append([]string{"exporter"}, c.args...)...)
		wantCode(t, r, exitUsage)
		if !strings.Contains(r.stderr, c.msg) || r.stdout != "" {
			t.Errorf("%v: %s", c.args, r)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("usage errors sent %d requests", n)
	}
	// A port in use is this machine's problem: exit 1.
	addr := strings.TrimSuffix(strings.TrimPrefix(srv.URL, "http://"), "/api/v1")
	r := runCLI(t, e, "", "exporter", "--listen", addr)
	wantCode(t, r, exitError)
	if !strings.Contains(r.stderr, "pick another --listen") {
		t.Errorf("%s", r)
	}
}

// What the issue asks of the binary: `orkeys exporter` serves real metrics
// from `orkeys fake-server`, and both stop on SIGTERM with exit 0.
func TestBinaryExporterAgainstFakeServer(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	start := func(environ []string, args ...string) (*exec.Cmd, *bufio.Scanner, *syncBuffer) {
		t.Helper()
		cmd := exec.CommandContext(ctx, orkeysBinary(t), args...)
		cmd.Env = environ
		stderr := &syncBuffer{}
		cmd.Stderr = stderr
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd, bufio.NewScanner(stdout), stderr
	}
	stop := func(cmd *exec.Cmd, stderr *syncBuffer, name string) {
		t.Helper()
		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		if err := cmd.Wait(); err != nil {
			t.Errorf("%s after SIGTERM: %v; stderr %q", name, err, stderr.String())
		}
		if !strings.Contains(stderr.String(), "orkeys "+name+": stopped") {
			t.Errorf("%s stderr %q", name, stderr.String())
		}
	}

	fakeCmd, fakeOut, fakeErr := start(binEnv(t), "fake-server", "--port", "0", "-o", "json")
	vars := map[string]string{}
	if !fakeOut.Scan() || json.Unmarshal(fakeOut.Bytes(), &vars) != nil {
		t.Fatalf("fake-server printed %q; stderr %q", fakeOut.Text(), fakeErr.String())
	}
	environ := binEnv(t, "OPENROUTER_BASE_URL="+vars["OPENROUTER_BASE_URL"], "OPENROUTER_API_KEY="+vars["OPENROUTER_API_KEY"])
	r := runBinary(t, environ, "keys", "create", "--name", "ci-bot", "--limit", "25", "--limit-reset", "weekly", "-o", "json")
	wantCode(t, r, exitOK)
	var created struct {
		Data struct {
			Hash string `json:"hash"`
		} `json:"data"`
	}
	decodeOne(t, r.stdout, &created)

	expCmd, expOut, expErr := start(environ, "exporter", "--listen", "127.0.0.1:0", "--interval", "1s")
	if !expOut.Scan() {
		t.Fatalf("exporter printed nothing; stderr %q", expErr.String())
	}
	url := expOut.Text()
	label := fmt.Sprintf(`{hash=%q,name="ci-bot"}`, created.Data.Hash[:12])
	scrapeUntil(t, url,
		"openrouter_key_limit_dollars"+label+" 25",
		"openrouter_key_limit_remaining_dollars"+label+" 25",
		"openrouter_key_disabled"+label+" 0",
		"openrouter_credits_remaining_dollars 100",
		"openrouter_exporter_last_refresh_success 1",
		"go_goroutines ")

	// The fake goes away: the next refresh fails and the values stay.
	stop(fakeCmd, fakeErr, "fake-server")
	body := scrapeUntil(t, url, "openrouter_exporter_last_refresh_success 0")
	if !strings.Contains(body, "openrouter_key_limit_dollars"+label+" 25") {
		t.Errorf("the failed refresh lost the last values:\n%s", body)
	}
	stop(expCmd, expErr, "exporter")
	if !strings.Contains(expErr.String(), "refresh failed") {
		t.Errorf("exporter stderr %q", expErr.String())
	}
}
