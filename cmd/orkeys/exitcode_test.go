package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/fake"
	"github.com/orkeys/orkeys/gen"
)

// exitCode maps the library's typed errors, and the CLI's own, to the
// documented codes.
func TestExitCodeMapping(t *testing.T) {
	api := func(status int) *facade.APIError {
		return &facade.APIError{StatusCode: status, Method: http.MethodGet, Path: "/keys"}
	}
	refused := fmt.Errorf("openrouter: GET /keys: %w", &url.Error{Op: "Get", URL: "http://127.0.0.1:1/api/v1/keys",
		Err: &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}})
	c, err := facade.New(facade.WithAPIKey("sk-or-v1-test"), facade.WithServerURL("http://127.0.0.1:9/api/v1"))
	if err != nil {
		t.Fatal(err)
	}
	_, invalidHash := c.APIKeys.Get(context.Background(), facade.GetKeyRequest{Hash: ".."})

	cases := []struct {
		name string
		err  error
		want int
	}{
		{"nil", nil, exitOK},
		{"plain error", errors.New("something"), exitError},
		{"command body error", &bodyErr{errors.New("something")}, exitError},
		{"usage", usageErrorf("--x: bad"), exitUsage},
		{"facade refused input", invalidHash, exitUsage},
		{"401", &facade.UnauthorizedResponseError{APIError: api(401)}, exitAuth},
		{"403", &facade.ForbiddenResponseError{APIError: api(403)}, exitAuth},
		{"404", &facade.NotFoundResponseError{APIError: api(404)}, exitNotFound},
		{"404 retried and wrapped", fmt.Errorf("getting x: %w", &facade.RetryError{Attempts: 2, Err: &facade.NotFoundResponseError{APIError: api(404)}}), exitNotFound},
		{"429", &facade.TooManyRequestsResponseError{APIError: api(429)}, exitRateLimited},
		{"500", &facade.InternalServerResponseError{APIError: api(500)}, exitUnavailable},
		{"503 after retries", &facade.RetryError{Attempts: 7, Err: &facade.OpenRouterDefaultError{APIError: api(503)}}, exitUnavailable},
		{"400", &facade.BadRequestResponseError{APIError: api(400)}, exitError},
		{"409", &facade.OpenRouterDefaultError{APIError: api(409)}, exitError},
		{"bare APIError 403", api(403), exitAuth},
		{"maybe created", &facade.MaybeCreatedError{Name: "x", Err: &facade.InternalServerResponseError{APIError: api(500)}}, exitAmbiguous},
		{"maybe created after a timeout", &facade.MaybeCreatedError{Name: "x", Err: context.DeadlineExceeded}, exitAmbiguous},
		{"rotation incomplete", ambiguous(errors.New("deleting the old key failed"), "orkeys keys list"), exitAmbiguous},
		{"connection refused", refused, exitUnavailable},
		{"connection refused after retries", &facade.RetryError{Attempts: 5, Err: refused}, exitUnavailable},
		{"deadline", fmt.Errorf("openrouter: GET /keys: %w", context.DeadlineExceeded), exitUnavailable},
		{"--timeout over a 429", &timeoutError{time.Second, fmt.Errorf("waiting: %w (last attempt: %w)", context.DeadlineExceeded,
			&facade.TooManyRequestsResponseError{APIError: api(429)})}, exitUnavailable},
		{"--retries used on a 429", &facade.RetryError{Attempts: 3, Err: &facade.TooManyRequestsResponseError{APIError: api(429)}}, exitRateLimited},
		{"408 after the retries", &facade.RetryError{Attempts: 8, Err: &facade.OpenRouterDefaultError{APIError: api(408)}}, exitUnavailable},
		{"a deadline wrapped around a 429", fmt.Errorf("openrouter: GET /keys: %w (last attempt: %w)", context.DeadlineExceeded,
			&facade.TooManyRequestsResponseError{APIError: api(429)}), exitUnavailable},
		// syscall.Errno is a net.Error: a full disk must not pass for an
		// unreachable server.
		{"stdout on a full disk", &localIOError{op: "write output", err: &os.PathError{Op: "write", Path: "/dev/stdout", Err: syscall.ENOSPC}}, exitError},
		{"a bare write error", &os.PathError{Op: "write", Path: "/dev/stdout", Err: syscall.EPIPE}, exitError},
		{"plaintext of a rotation lost", &undeliveredError{err: errors.New("x"), code: exitAmbiguous}, exitAmbiguous},
		{"declined", declinedf("not confirmed"), exitDeclined},
		{"interrupted", context.Canceled, exitError},
	}
	for _, c := range cases {
		if got, _ := (&factory{}).classify(c.err); got != c.want {
			t.Errorf("%s: exitCode(%v) = %d, want %d", c.name, c.err, got, c.want)
		}
	}
}

// Messages say what to do in the CLI's terms, never the library's Go
// option names.
func TestMessagesSpeakCLI(t *testing.T) {
	a := &factory{server: "http://127.0.0.1:1/api/v1"}
	_, err := facade.New(facade.WithAPIKey("sk-or-v1-test"), facade.WithServerURL("http://example.test/api/v1"))
	if err == nil {
		t.Fatal("the library accepted plain http to a remote host")
	}
	if msg := explain(a, err); strings.Contains(msg, "WithInsecureHTTP") || !strings.Contains(msg, "--insecure-http") {
		t.Errorf("message %q", msg)
	}
	refused := &facade.RetryError{Attempts: 4, Err: fmt.Errorf("openrouter: GET /keys: %w", &url.Error{Op: "Get", URL: "http://127.0.0.1:1/api/v1/keys?offset=0",
		Err: &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}})}
	want := "cannot reach http://127.0.0.1:1/api/v1: connection refused (gave up after 4 attempts); check that the server is up"
	if msg := explain(a, refused); !strings.HasPrefix(msg, want) {
		t.Errorf("message %q\nwant prefix %q", msg, want)
	}
}

// The exit codes are documented alike in --help, the README and the package
// comment.
func TestExitCodesDocumented(t *testing.T) {
	r := runCLI(t, env{}, "", "--help")
	wantCode(t, r, exitOK)
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile("main.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range exitCodes {
		help := fmt.Sprintf("  %d  %s\n", c.code, strings.ReplaceAll(c.meaning, "`", "'"))
		if !strings.Contains(r.stdout, help) {
			t.Errorf("--help lacks %q", help)
		}
		row := fmt.Sprintf("| %d | %s |\n", c.code, c.meaning)
		if !strings.Contains(string(readme), row) {
			t.Errorf("README lacks the row %q", row)
		}
		if !regexp.MustCompile(fmt.Sprintf(`(?m)^//\t%d  \S`, c.code)).Match(doc) {
			t.Errorf("main.go's package comment lacks code %d", c.code)
		}
	}
}

// --retries N stops a call after N+1 attempts, in-process too, and says so.
func TestRetriesLimit(t *testing.T) {
	srv, e := newFake(t)
	for range 5 {
		srv.Inject(fake.Fault{Method: http.MethodGet, Path: "/key", Status: http.StatusBadGateway})
	}
	r := runCLI(t, e, "", "key", "--retries", "1")
	wantCode(t, r, exitUnavailable)
	if n := len(srv.Requests()); n != 2 {
		t.Errorf("%d attempts, want 2", n)
	}
	if !strings.HasPrefix(r.stderr, "retrying GET /key after 502 Bad Gateway (attempt 1)") ||
		!strings.Contains(r.stderr, "orkeys: giving up after 2 attempts: openrouter: 502 Bad Gateway") {
		t.Errorf("stderr %q", r.stderr)
	}
}

// --insecure-http lets the key go over plain http to a host that is not
// loopback; without it the CLI refuses, naming the flag. The fake listens on
// this machine's own non-loopback address, so nothing leaves the machine.
func TestInsecureHTTPFlag(t *testing.T) {
	ip := nonLoopbackIP(t)
	srv, err := fake.Listen(net.JoinHostPort(ip, "0"), fake.WithManagementKey(managementKey))
	if err != nil {
		t.Skipf("cannot listen on %s: %v", ip, err)
	}
	t.Cleanup(srv.Close)
	if strings.Contains(srv.URL, "127.0.0.1") {
		t.Fatalf("fake on %s", srv.URL)
	}
	e := env{"OPENROUTER_API_KEY": srv.ManagementKey, "OPENROUTER_BASE_URL": srv.URL}
	r := runCLI(t, e, "", "key")
	wantCode(t, r, exitUsage)
	if !strings.Contains(r.stderr, "plain http to "+strings.TrimSuffix(strings.TrimPrefix(srv.URL, "http://"), "/api/v1")+"; use https, a loopback host, or pass --insecure-http") ||
		len(srv.Requests()) != 0 {
		t.Errorf("stderr %q", r.stderr)
	}
	r = runCLI(t, e, "", "key", "--insecure-http")
	wantCode(t, r, exitOK)
}

// nonLoopbackIP is an IPv4 address of this machine that is not loopback.
func nonLoopbackIP(t *testing.T) string {
	t.Helper()
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Skip(err)
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil && !n.IP.IsLoopback() && !n.IP.IsLinkLocalUnicast() {
			return n.IP.String()
		}
	}
	t.Skip("no non-loopback IPv4 address")
	return ""
}

// Tables fit $COLUMNS by shortening the NAME column; without a width they
// keep every character, for pipes.
func TestTableFitsWidth(t *testing.T) {
	srv, e := newFake(t)
	long := "customer-key-with-a-rather-long-descriptive-name"
	if _, err := srv.AddKey(gen.CreateKeysRequestBody{Name: long, Limit: facade.Ptr(5.0)}); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, e, "", "keys", "list")
	wantCode(t, r, exitOK)
	if !strings.Contains(r.stdout, long) {
		t.Errorf("without a width the name should be whole:\n%s", r.stdout)
	}
	wide := maxLine(r.stdout)

	e["COLUMNS"] = "160"
	r = runCLI(t, e, "", "keys", "list")
	wantCode(t, r, exitOK)
	if strings.Contains(r.stdout, long) || !regexp.MustCompile(`  customer-\S*…  `).MatchString(r.stdout) {
		t.Errorf("COLUMNS=160 should shorten the name:\n%s", r.stdout)
	}
	if n := maxLine(r.stdout); n > 160 || n >= wide {
		t.Errorf("COLUMNS=160: lines of %d characters (%d without)", n, wide)
	}
	// Too narrow to fit: the name keeps a readable minimum.
	e["COLUMNS"] = "40"
	r = runCLI(t, e, "", "keys", "list")
	if !strings.Contains(r.stdout, "custome…") {
		t.Errorf("COLUMNS=40:\n%s", r.stdout)
	}
}

func maxLine(s string) int {
	n := 0
	for _, l := range strings.Split(s, "\n") {
		n = max(n, utf8.RuneCountInString(l))
	}
	return n
}

func TestVersion(t *testing.T) {
	r := runCLI(t, env{}, "", "version")
	wantCode(t, r, exitOK)
	if !regexp.MustCompile(`^orkeys \S+ \(go1\.\d+\S*, \w+/\w+`).MatchString(r.stdout) {
		t.Errorf("stdout %q", r.stdout)
	}
}

// A --timeout that ends a prompt nobody answers declines the delete
// (exit 9), and the key stays.
func TestDeletePromptTimeout(t *testing.T) {
	srv, e := newFake(t)
	keys := seed(t, srv)
	stdin, typing := io.Pipe() // a terminal nobody types into
	defer typing.Close()
	var stderr syncBuffer
	a := terminalFactory(stdin, io.Discard, &stderr, e)
	code := a.run(context.Background(), []string{"keys", "delete", keys[0].Data.Hash, "--timeout", "300ms"})
	if code != exitDeclined || !strings.Contains(stderr.String(), "no answer: --timeout ran out; key "+keys[0].Data.Hash+" was not deleted") {
		t.Errorf("exit %d; stderr %q", code, stderr.String())
	}
	if len(listed(t, srv)) != 3 {
		t.Error("the key was deleted")
	}
}

// A transport failure whose text quotes a URL (here a redirect to a
// malformed Location holding a key) never puts the key on stderr.
func TestTransportErrorHidesKeys(t *testing.T) {
	const leaked = "sk-or-v1-0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Location", "http://bad host/"+leaked)
		w.WriteHeader(http.StatusFound)
	}))
	defer srv.Close()
	r := runCLI(t, env{"OPENROUTER_API_KEY": "sk-or-v1-" + strings.Repeat("7", 64), "OPENROUTER_BASE_URL": srv.URL + "/api/v1"}, "", "key", "--retries", "0")
	if r.code == exitOK {
		t.Fatalf("a broken redirect succeeded:\n%s", r)
	}
	if strings.Contains(r.stdout+r.stderr, leaked) || strings.Contains(r.stdout+r.stderr, leaked[20:50]) {
		t.Errorf("the key shows:\n%s", r)
	}
}

// explain is the line classify prints for err.
func explain(f *factory, err error) string {
	_, msg := f.classify(err)
	return msg
}
