package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/orkeys/orkeys/fake"
)

// wantOnlyReads fails unless every request srv saw is a GET.
func wantOnlyReads(t *testing.T, srv *fake.Server) {
	t.Helper()
	for _, r := range srv.Requests() {
		if r.Method != http.MethodGet {
			t.Errorf("dry run sent %s %s", r.Method, r.Path)
		}
	}
}

// --dry-run prints each request (method, URL, headers with the key
// redacted, body) and sends none that changes state; reads are sent.
func TestDryRun(t *testing.T) {
	srv, e := newFake(t)
	keys := seed(t, srv)
	alpha := keys[0].Data.Hash
	base := srv.URL + "/keys"
	redacted := "Authorization: Bearer " + managementKey[:12] + "…" + managementKey[len(managementKey)-4:]

	for _, c := range []struct {
		name  string
		args  []string
		reads int
		want  []string // in stdout, in this order
	}{
		{"update", []string{"keys", "update", alpha, "--disable", "--no-limit", "--dry-run"}, 0, []string{
			"PATCH " + base + "/" + alpha + "  (not sent)\n", redacted, "Content-Type: application/json\n",
			"{\n  \"disabled\": true,\n  \"limit\": null\n}\n",
		}},
		{"delete without --yes", []string{"keys", "delete", alpha, "--dry-run"}, 0, []string{
			"DELETE " + base + "/" + alpha + "  (not sent)\n", redacted,
		}},
		{"rotate", []string{"keys", "rotate", alpha, "--name", "alpha-2", "--dry-run"}, 1, []string{
			"GET " + base + "/" + alpha + "  (sent: a read changes nothing)\n",
			"POST " + base + "  (not sent)\n", `"limit": 10,`, `"limit_reset": "daily",`, `"name": "alpha-2",`,
			"PATCH " + base + "/" + alpha + "  (not sent)\n", "\"disabled\": true\n",
		}},
		{"rotate --old delete", []string{"keys", "rotate", alpha, "--old", "delete", "--dry-run"}, 1, []string{
			"GET ", "POST " + base + "  (not sent)\n", "DELETE " + base + "/" + alpha + "  (not sent)\n",
		}},
		{"rotate --old keep", []string{"keys", "rotate", alpha, "--old", "keep", "--dry-run"}, 1, []string{
			"GET ", "POST " + base + "  (not sent)\n",
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv.ResetRequests()
			r := runCLI(t, e, "", c.args...)
			wantCode(t, r, exitOK)
			rest := r.stdout
			for _, w := range c.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("stdout lacks %q (or has it out of order):\n%s", w, r.stdout)
				}
				rest = rest[i+len(w):]
			}
			if strings.Contains(r.stdout, managementKey) || strings.Contains(r.stdout, "dry-run") {
				t.Errorf("stdout holds the key or a stand-in answer:\n%s", r.stdout)
			}
			if c.name == "rotate --old keep" && (strings.Contains(r.stdout, "PATCH") || strings.Contains(r.stdout, "DELETE")) {
				t.Errorf("keep touches the old key:\n%s", r.stdout)
			}
			if r.stderr != "Dry run: nothing that changes state was sent.\n" {
				t.Errorf("stderr %q", r.stderr)
			}
			wantOnlyReads(t, srv)
			if n := len(srv.Requests()); n != c.reads {
				t.Errorf("%d reads sent, want %d", n, c.reads)
			}
		})
	}
	// Nothing changed.
	if got := listed(t, srv); len(got) != 3 || got[2].Disabled || got[2].Limit == nil {
		t.Errorf("keys after the dry runs: %+v", got)
	}
}

func TestDryRunJSON(t *testing.T) {
	srv, e := newFake(t)
	keys := seed(t, srv)
	srv.ResetRequests()
	r := runCLI(t, e, "", "keys", "rotate", keys[2].Data.Hash, "--dry-run", "-o", "json")
	wantCode(t, r, exitOK)
	var reqs []dryRequest
	decodeOne(t, r.stdout, &reqs)
	if len(reqs) != 3 || reqs[0].Method != "GET" || !reqs[0].Sent || reqs[1].Method != "POST" || reqs[1].Sent || reqs[2].Method != "PATCH" || reqs[2].Sent {
		t.Fatalf("dry run as JSON: %+v", reqs)
	}
	var body map[string]any
	if err := json.Unmarshal(reqs[1].Body, &body); err != nil || body["name"] != "gamma" || body["include_byok_in_limit"] != true {
		t.Errorf("POST body %s", reqs[1].Body)
	}
	if got := reqs[1].Header["Authorization"]; strings.Contains(got, managementKey) || !strings.HasPrefix(got, "Bearer sk-or-v1-012") {
		t.Errorf("Authorization shown as %q", got)
	}
	wantOnlyReads(t, srv)
}

// A dry run still checks its flags, and still fails on what its reads
// find: a rotation of a missing key is a 404.
func TestDryRunErrors(t *testing.T) {
	srv, e := newFake(t)
	seed(t, srv)
	srv.ResetRequests()
	r := runCLI(t, e, "", "keys", "update", strings.Repeat("a", 64), "--dry-run")
	wantCode(t, r, exitUsage)
	if !strings.Contains(r.stderr, "nothing to update") {
		t.Errorf("stderr %q", r.stderr)
	}
	r = runCLI(t, e, "", "keys", "rotate", strings.Repeat("a", 64), "--dry-run")
	wantCode(t, r, exitNotFound)
	if r.stdout != "" {
		t.Errorf("stdout %q", r.stdout)
	}
	// A read that fails fails the dry run with its own exit code.
	srv.Inject(fake.Fault{Method: http.MethodGet, Path: "/keys/{hash}", Status: http.StatusForbidden})
	r = runCLI(t, e, "", "keys", "rotate", strings.Repeat("a", 64), "--dry-run")
	wantCode(t, r, exitAuth)
	wantOnlyReads(t, srv)
}

// Secrets in a body are redacted: members that hold a key, and key-shaped
// text anywhere.
func TestRedactBody(t *testing.T) {
	key := "sk-or-v1-" + strings.Repeat("ab", 32)
	other := "sk-or-v1-" + strings.Repeat("cd", 32)
	got := string(redactBody([]byte(`{"name":"x `+other+`","external":{"user":"u","api_key":"partner-secret-0123456789abcdef0123"},"key":"`+key+`"}`), key))
	for _, leak := range []string{key, other, "partner-secret"} {
		if strings.Contains(got, leak) {
			t.Errorf("redacted body %s still holds %q", got, leak)
		}
	}
	if !strings.Contains(got, `"user":"u"`) {
		t.Errorf("redaction went too far: %s", got)
	}
	if !strings.Contains(got, `"key":"[redacted]"`) || !strings.Contains(got, `"api_key":"[redacted]"`) {
		t.Errorf("a key member shows more than [redacted]: %s", got)
	}
	// A provider key given in the shape of a management key keeps no part
	// of itself either (Redact would show its ends).
	mgmt := "sk-or-mgmt-" + strings.Repeat("ef", 32)
	if got := string(redactBody([]byte(`{"provider":"openai","key":"`+mgmt+`"}`), key)); got != `{"key":"[redacted]","provider":"openai"}` {
		t.Errorf("management-shaped provider key: %s", got)
	}
	if got := string(redactBody([]byte("not json "+key), key)); strings.Contains(got, key) || !strings.HasPrefix(got, `"not json`) {
		t.Errorf("non-JSON body: %s", got)
	}
}
