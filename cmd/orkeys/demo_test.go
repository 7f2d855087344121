package main

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/orkeys/orkeys/fake"
)

// The README's main command: offline, no key, exit 0, every lifecycle step
// shown, the injected 503 ridden through visibly, no plaintext key printed.
func TestDemo(t *testing.T) {
	r := runCLI(t, env{}, "", "demo")
	wantCode(t, r, exitOK)
	out := r.stdout
	for _, want := range []string{
		"in-process fake OpenRouter",
		"== 1. Create three keys", "created orkeys-demo-ci", "created orkeys-demo-staging", "created orkeys-demo-prod",
		"$5.00", "$25.00", "$100.00", "daily", "weekly", "monthly",
		"== 2. List them as a table", "HASH",
		"== 3. Disable orkeys-demo-staging and clear its limit", `{"disabled":true,"limit":null}`,
		"== 4. Get orkeys-demo-staging back",
		"== 5. Describe the calling key",
		"== 6. Walk every key", "walked 3 key(s) in 1 page(s)",
		"== 7. Delete them", "deleted orkeys-demo-ci", "deleted orkeys-demo-staging", "deleted orkeys-demo-prod",
		"== 8. List again", "none of the demo's keys are left",
		"1 retried.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
	// The retry line sits in step 6, before the walk's result.
	retry := regexp.MustCompile(`(?m)^retrying GET /keys after 503 Service Unavailable \(attempt 1\), waiting \d+(\.\d+)?m?s$`)
	loc := retry.FindStringIndex(out)
	if loc == nil || loc[0] < strings.Index(out, "== 6.") || loc[0] > strings.Index(out, "walked 3") {
		t.Errorf("no retry line in step 6")
	}
	// The disabled key shows with its limit cleared in step 4.
	step4 := out[strings.Index(out, "== 4."):strings.Index(out, "== 5.")]
	for _, re := range []string{`Status:\s+disabled`, `Limit:\s+-\n`, `Limit reset:\s+weekly`} {
		if !regexp.MustCompile(re).MatchString(step4) {
			t.Errorf("step 4 lacks %s:\n%s", re, step4)
		}
	}
	if !regexp.MustCompile(`Management key:\s+yes`).MatchString(out) {
		t.Error("step 5 should show a management key")
	}
	if plain := regexp.MustCompile(`sk-or-v1-[0-9a-f]{64}`).FindString(out + r.stderr); plain != "" {
		t.Errorf("demo printed a plaintext key %s", plain)
	}
	if r.stderr != "" {
		t.Errorf("stderr: %q", r.stderr)
	}
	if testing.Verbose() {
		t.Log("\n" + out)
	}
}

// With --server-url the demo runs against that server with the key from the
// environment, injects nothing, and leaves no keys behind.
func TestDemoAgainstServerURL(t *testing.T) {
	srv := fake.NewServer()
	defer srv.Close()
	e := env{"OPENROUTER_API_KEY": srv.ManagementKey}
	r := runCLI(t, e, "", "demo", "--server-url", srv.URL)
	wantCode(t, r, exitOK)
	if strings.Contains(r.stdout, "retrying") || !strings.Contains(r.stdout, "0 retried.") {
		t.Errorf("no fault was injected, yet:\n%s", r.stdout)
	}
	if !strings.Contains(r.stdout, "against "+srv.URL) {
		t.Errorf("should name the server:\n%s", r.stdout)
	}
	if left := listed(t, srv); len(left) != 0 {
		t.Errorf("%d keys left behind", len(left))
	}
}

// A failing step still deletes the keys the demo created.
func TestDemoCleansUpAfterFailure(t *testing.T) {
	srv := fake.NewServer()
	defer srv.Close()
	srv.Inject(fake.Fault{Method: http.MethodGet, Path: "/keys/{hash}", Status: http.StatusNotFound})
	e := env{"OPENROUTER_API_KEY": srv.ManagementKey}
	r := runCLI(t, e, "", "demo", "--server-url", srv.URL)
	wantCode(t, r, exitNotFound)
	if !strings.Contains(r.stderr, "orkeys: getting orkeys-demo-") || !strings.Contains(r.stderr, "404 Not Found") {
		t.Errorf("stderr %q", r.stderr)
	}
	if got := strings.Count(r.stdout, "cleaned up: deleted"); got != 3 {
		t.Errorf("cleaned up %d keys:\n%s", got, r.stdout)
	}
	if left := listed(t, srv); len(left) != 0 {
		t.Errorf("%d keys left behind", len(left))
	}
}

// The offline demo ignores a real key and base URL in the environment.
func TestDemoIgnoresEnvironment(t *testing.T) {
	r := runCLI(t, env{"OPENROUTER_API_KEY": "sk-or-v1-" + strings.Repeat("1", 64), "OPENROUTER_BASE_URL": "https://openrouter.ai/api/v1"}, "", "demo")
	wantCode(t, r, exitOK)
	if !strings.Contains(r.stdout, "in-process fake") {
		t.Errorf("stdout:\n%s", r.stdout)
	}
}
