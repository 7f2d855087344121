package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/fake"
	"github.com/orkeys/orkeys/gen"
)

// fixClock makes the spend commands see fixedNow, the fake's time: a
// Saturday afternoon, 15:09:26 UTC.
func fixClock(t *testing.T) {
	t.Helper()
	clock = func() time.Time { return fixedNow }
	t.Cleanup(func() { clock = time.Now })
}

// seedSpend adds keys with spend and returns their hashes by name:
//
//	alpha  $10 daily, $9 spent today: 90%, runs out this afternoon
//	beta   no limit, $3.50 spent
//	gamma  $50 monthly, $12 spent this month: 24%, lasts the month
//	delta  $5 for ever, $5.25 spent: exhausted
//	omega  $1 daily, $0.95 spent today, disabled
func seedSpend(t *testing.T, srv *fake.Server) map[string]string {
	t.Helper()
	hashes := map[string]string{}
	for _, k := range []struct {
		body  gen.CreateKeysRequestBody
		usage fake.Usage
	}{
		{gen.CreateKeysRequestBody{Name: "alpha", Limit: ptr(10.0), LimitReset: ptr(gen.LimitResetDaily)},
			fake.Usage{Usage: 30, Daily: 9, Weekly: 20, Monthly: 30}},
		{gen.CreateKeysRequestBody{Name: "beta"}, fake.Usage{Usage: 3.5, Daily: 0.5, Weekly: 1.5, Monthly: 3.5}},
		{gen.CreateKeysRequestBody{Name: "gamma", Limit: ptr(50.0), LimitReset: ptr(gen.LimitResetMonthly)},
			fake.Usage{Usage: 40, Daily: 1, Weekly: 4, Monthly: 12}},
		{gen.CreateKeysRequestBody{Name: "delta", Limit: ptr(5.0)}, fake.Usage{Usage: 5.25}},
		{gen.CreateKeysRequestBody{Name: "omega", Limit: ptr(1.0), LimitReset: ptr(gen.LimitResetDaily)},
			fake.Usage{Usage: 0.95, Daily: 0.95, Weekly: 0.95, Monthly: 0.95}},
	} {
		res, err := srv.AddKey(k.body)
		if err != nil {
			t.Fatal(err)
		}
		hashes[k.body.Name] = res.Data.Hash
		if err := srv.SetUsage(res.Data.Hash, k.usage); err != nil {
			t.Fatal(err)
		}
	}
	c := client(t, srv)
	if _, err := c.APIKeys.Update(context.Background(), facade.UpdateKeysRequest{
		Hash: hashes["omega"], RequestBody: gen.UpdateKeysRequestBody{Disabled: ptr(true)},
	}); err != nil {
		t.Fatal(err)
	}
	srv.ResetRequests()
	return hashes
}

func client(t *testing.T, srv *fake.Server) *facade.Client {
	t.Helper()
	c, err := facade.New(facade.WithServerURL(srv.URL), facade.WithAPIKey(srv.ManagementKey))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// prefixes writes {name} in want as the first 12 characters of that key's
// hash.
func prefixes(want string, hashes map[string]string) string {
	for name, h := range hashes {
		want = strings.ReplaceAll(want, "{"+name+"}", h[:12])
	}
	return want
}

func wantOutput(t *testing.T, r result, want string) {
	t.Helper()
	if r.stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s\n(stderr %q)", r.stdout, want, r.stderr)
	}
}

// requests lists what reached srv as "METHOD path body".
func requests(srv *fake.Server) []string {
	var out []string
	for _, r := range srv.Requests() {
		out = append(out, strings.TrimSpace(r.Method+" "+strings.TrimPrefix(r.Path, "/api/v1")+" "+string(r.Body)))
	}
	return out
}

func TestKeysUsage(t *testing.T) {
	fixClock(t)
	srv, e := newFake(t)
	hashes := seedSpend(t, srv)

	r := runCLI(t, e, "", "keys", "usage")
	wantCode(t, r, exitOK)
	wantOutput(t, r, prefixes(`NAME   HASH          USED             SPENT   LIMIT   RESETS (UTC)                RUNS OUT (UTC)    STATUS
delta  {delta}  ▇▇▇▇▇▇▇▇▇▇ 100%  $5.00   $5.00   never                       now               exhausted
alpha  {alpha}  ▇▇▇▇▇▇▇▇▇▁ 90%   $9.00   $10.00  2026-03-15 00:00 (daily)    2026-03-14 16:50  ok
gamma  {gamma}  ▇▇▁▁▁▁▁▁▁▁ 24%   $12.00  $50.00  2026-04-01 00:00 (monthly)  -                 ok
beta   {beta}  -                $3.50   -       -                           -                 no limit
`, hashes))

	order := func(args ...string) []string {
		t.Helper()
		r := runCLI(t, e, "", append([]string{"keys", "usage", "-o", "json"}, args...)...)
		wantCode(t, r, exitOK)
		var bs []facade.Budget
		if err := json.Unmarshal([]byte(r.stdout), &bs); err != nil {
			t.Fatalf("%v\n%s", err, r)
		}
		var names []string
		for _, b := range bs {
			names = append(names, b.Name)
		}
		return names
	}
	for _, c := range []struct {
		args []string
		want []string
	}{
		{nil, []string{"delta", "alpha", "gamma", "beta"}},
		{[]string{"--sort", "spent"}, []string{"gamma", "alpha", "delta", "beta"}},
		{[]string{"--sort", "remaining"}, []string{"delta", "alpha", "gamma", "beta"}},
		{[]string{"--sort", "name"}, []string{"alpha", "beta", "delta", "gamma"}},
		{[]string{"--sort", "name", "--include-disabled"}, []string{"alpha", "beta", "delta", "gamma", "omega"}},
	} {
		if got := order(c.args...); !slices.Equal(got, c.want) {
			t.Errorf("keys usage %v: %v, want %v", c.args, got, c.want)
		}
	}

	// -o json is facade.BudgetOf of each key at the CLI's clock.
	r = runCLI(t, e, "", "keys", "usage", "-o", "json", "--sort", "name")
	var got []facade.Budget
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatal(err)
	}
	k, err := client(t, srv).APIKeys.Get(context.Background(), facade.GetKeyRequest{Hash: hashes["alpha"]})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(facade.BudgetOf(k.Data, fixedNow))
	if have, _ := json.Marshal(got[0]); string(have) != string(want) {
		t.Errorf("alpha's budget:\n%s\nwant\n%s", have, want)
	}
}

// Every page counts, in the workspace asked for.
func TestKeysUsageAllPagesAndWorkspace(t *testing.T) {
	fixClock(t)
	srv, e := newFake(t)
	w, err := srv.AddWorkspace(gen.CreateWorkspaceRequest{Name: "Other", Slug: "other"})
	if err != nil {
		t.Fatal(err)
	}
	other := w.ID
	for i := range 130 {
		ws := fake.DefaultWorkspaceID
		if i%10 == 0 {
			ws = other
		}
		if _, err := srv.AddKey(gen.CreateKeysRequestBody{Name: fmt.Sprintf("k%03d", i), WorkspaceID: &ws}); err != nil {
			t.Fatal(err)
		}
	}
	count := func(args ...string) int {
		r := runCLI(t, e, "", append([]string{"keys", "usage", "-o", "json"}, args...)...)
		wantCode(t, r, exitOK)
		var bs []facade.Budget
		if err := json.Unmarshal([]byte(r.stdout), &bs); err != nil {
			t.Fatal(err)
		}
		return len(bs)
	}
	if n := count(); n != 117 {
		t.Errorf("%d keys in the default workspace, want 117", n)
	}
	if n := count("--workspace", other); n != 13 {
		t.Errorf("%d keys in the other workspace, want 13", n)
	}

	empty, e2 := newFake(t)
	_ = empty
	r := runCLI(t, e2, "", "keys", "usage")
	wantOutput(t, r, "No keys.\n")
	r = runCLI(t, e2, "", "keys", "usage", "-o", "json")
	wantOutput(t, r, "[]\n")
}

func TestKeysUsageBadFlags(t *testing.T) {
	_, e := newFake(t)
	for _, args := range [][]string{
		{"--sort", "cost"},
		{"--workspace", "No_pe"},
		{"-o", "yaml"},
	} {
		r := runCLI(t, e, "", append([]string{"keys", "usage"}, args...)...)
		wantCode(t, r, exitUsage)
		if r.stdout != "" {
			t.Errorf("%v: %s", args, r)
		}
	}
}

func TestBudgetCheck(t *testing.T) {
	fixClock(t)
	srv, e := newFake(t)
	hashes := seedSpend(t, srv)

	// Over: exit 8, the keys on stdout, nothing changed.
	r := runCLI(t, e, "", "budget", "check", "--over", "80%")
	wantCode(t, r, exitFound)
	wantOutput(t, r, prefixes(`2 keys over 80% (of 4 checked):
NAME   HASH          SPENT / LIMIT   USED
delta  {delta}  $5.00 / $5.00   ▇▇▇▇▇▇▇▇▇▇ 100%
alpha  {alpha}  $9.00 / $10.00  ▇▇▇▇▇▇▇▇▇▁ 90%
`, hashes))
	if r.stderr != "orkeys: 2 keys are over 80%\n" {
		t.Errorf("stderr %q", r.stderr)
	}
	for _, req := range requests(srv) {
		if !strings.HasPrefix(req, "GET /keys") {
			t.Errorf("budget check without --disable sent %s", req)
		}
	}

	// Each way to write a threshold; USD compares the window's spend
	// (all-time for beta, which has no limit).
	for _, c := range []struct {
		over string
		want []string
	}{
		{"0.95", []string{"delta"}},
		{"100%", []string{"delta"}},
		{"$10", []string{"gamma"}},
		{"$3", []string{"gamma", "alpha", "delta", "beta"}},
		{"90%", []string{"delta", "alpha"}},
	} {
		r := runCLI(t, e, "", "budget", "check", "--over", c.over, "-o", "json")
		wantCode(t, r, exitFound)
		var rep budgetReport
		if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, k := range rep.Over {
			names = append(names, k.Name)
			if k.Action != "" {
				t.Errorf("--over %s: action %q without --disable", c.over, k.Action)
			}
		}
		if !slices.Equal(names, c.want) || rep.Checked != 4 {
			t.Errorf("--over %s: over %v of %d, want %v of 4", c.over, names, rep.Checked, c.want)
		}
	}

	// Nobody over: exit 0.
	r = runCLI(t, e, "", "budget", "check", "--over", "$100")
	wantCode(t, r, exitOK)
	wantOutput(t, r, "No key is over $100 (4 keys checked).\n")
	r = runCLI(t, e, "", "budget", "check", "--over", "$100", "-o", "json")
	wantCode(t, r, exitOK)
	wantOutput(t, r, `{
  "threshold": "$100",
  "checked": 4,
  "over": []
}
`)
}

func TestBudgetCheckDisable(t *testing.T) {
	fixClock(t)
	srv, e := newFake(t)
	hashes := seedSpend(t, srv)

	// --dry-run shows, and sends nothing but reads.
	r := runCLI(t, e, "", "budget", "check", "--over", "80%", "--disable", "--dry-run")
	wantCode(t, r, exitFound)
	wantOutput(t, r, prefixes(`2 keys over 80% (of 4 checked):
NAME   HASH          SPENT / LIMIT   USED             ACTION
delta  {delta}  $5.00 / $5.00   ▇▇▇▇▇▇▇▇▇▇ 100%  would disable (dry run)
alpha  {alpha}  $9.00 / $10.00  ▇▇▇▇▇▇▇▇▇▁ 90%   would disable (dry run)
`, hashes))
	if got := requests(srv); len(got) != 1 || !strings.HasPrefix(got[0], "GET /keys") {
		t.Errorf("--dry-run sent %q", got)
	}

	// --disable switches exactly those keys off, and still exits 8.
	srv.ResetRequests()
	r = runCLI(t, e, "", "budget", "check", "--over", "80%", "--disable", "-o", "json")
	wantCode(t, r, exitFound)
	var rep budgetReport
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Over) != 2 || rep.Over[0].Action != actionDisabled || rep.Over[1].Action != actionDisabled {
		t.Errorf("report %+v", rep)
	}
	want := []string{
		"GET /keys",
		"PATCH /keys/" + hashes["delta"] + ` {"disabled":true}`,
		"PATCH /keys/" + hashes["alpha"] + ` {"disabled":true}`,
	}
	if got := requests(srv); !slices.Equal(got, want) {
		t.Errorf("requests\n%q\nwant\n%q", got, want)
	}
	// Disabled keys cannot spend, so the next check passes.
	r = runCLI(t, e, "", "budget", "check", "--over", "80%", "--disable")
	wantCode(t, r, exitOK)
	wantOutput(t, r, "No key is over 80% (2 keys checked).\n")
}

// A key that cannot be disabled does not spare the others, and the exit
// code says what went wrong.
func TestBudgetCheckDisableFails(t *testing.T) {
	fixClock(t)
	srv, e := newFake(t)
	hashes := seedSpend(t, srv)
	srv.Inject(fake.Fault{Method: "PATCH", Path: "/keys/" + hashes["delta"], Status: http.StatusServiceUnavailable})
	r := runCLI(t, e, "", "budget", "check", "--over", "80%", "--disable", "--retries", "0")
	wantCode(t, r, exitUnavailable)
	wantOutput(t, r, prefixes(`2 keys over 80% (of 4 checked):
NAME   HASH          SPENT / LIMIT   USED             ACTION
delta  {delta}  $5.00 / $5.00   ▇▇▇▇▇▇▇▇▇▇ 100%  failed to disable
alpha  {alpha}  $9.00 / $10.00  ▇▇▇▇▇▇▇▇▇▁ 90%   disabled
`, hashes))
	if !strings.Contains(r.stderr, "disabling delta ("+hashes["delta"][:12]+")") || !strings.Contains(r.stderr, "503") {
		t.Errorf("stderr %q", r.stderr)
	}
	k, err := client(t, srv).APIKeys.Get(context.Background(), facade.GetKeyRequest{Hash: hashes["alpha"]})
	if err != nil || !k.Data.Disabled {
		t.Errorf("alpha not disabled: %v", err)
	}
}

func TestBudgetCheckUsage(t *testing.T) {
	srv, e := newFake(t)
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{nil, "needs --over"},
		{[]string{"--over", "120%"}, "--over: threshold \"120%\""},
		{[]string{"--over", "40$"}, "dollar sign first"},
		{[]string{"--over", "80%", "--dry-run"}, "--dry-run shows what --disable would do"},
		{[]string{"--over", "80%", "--workspace", "X_"}, "--workspace"},
	} {
		r := runCLI(t, e, "", append([]string{"budget", "check"}, c.args...)...)
		wantCode(t, r, exitUsage)
		if !strings.Contains(r.stderr, c.msg) || r.stdout != "" {
			t.Errorf("%v: %s", c.args, r)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("usage errors sent %d requests", n)
	}
	// Without a key nothing can be checked: exit 2, not 0.
	r := runCLI(t, env{}, "", "budget", "check", "--over", "80%")
	wantCode(t, r, exitUsage)
}

func TestCredits(t *testing.T) {
	srv, e := newFake(t)
	hashes := seedSpend(t, srv)
	if err := srv.SetCredits(250); err != nil {
		t.Fatal(err)
	}
	if err := srv.RecordActivity(hashes["alpha"], fake.Activity{Day: fixedNow.AddDate(0, 0, -1), Model: "openai/gpt-4.1", Provider: "OpenAI", Usage: 12.5}); err != nil {
		t.Fatal(err)
	}
	if err := srv.RecordActivity(hashes["beta"], fake.Activity{Day: fixedNow.AddDate(0, 0, -2), Model: "openai/gpt-4.1", Provider: "OpenAI", Usage: 0.0042}); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, e, "", "credits")
	wantCode(t, r, exitOK)
	wantOutput(t, r, `Purchased:  $250.00
Used:       $12.5042
Remaining:  $237.4958
`)
	r = runCLI(t, e, "", "credits", "-o", "json")
	wantCode(t, r, exitOK)
	wantOutput(t, r, `{
  "total_credits": 250,
  "total_usage": 12.5042,
  "remaining": 237.4958
}
`)

	// A regular key may not read credits: exit 3.
	created, err := srv.AddKey(gen.CreateKeysRequestBody{Name: "regular"})
	if err != nil {
		t.Fatal(err)
	}
	r = runCLI(t, env{"OPENROUTER_API_KEY": created.Key.Reveal(), "OPENROUTER_BASE_URL": srv.URL}, "", "credits")
	wantCode(t, r, exitAuth)
}

// seedActivity records spend on several days and models; fixedNow's last
// completed day is 2026-03-13.
func seedActivity(t *testing.T, srv *fake.Server, hashes map[string]string) {
	t.Helper()
	day := func(d int) time.Time { return time.Date(2026, 3, d, 0, 0, 0, 0, time.UTC) }
	for _, a := range []struct {
		key string
		fake.Activity
	}{
		{"alpha", fake.Activity{Day: day(13), Model: "openai/gpt-4.1", Provider: "OpenAI", Usage: 2, Requests: 4}},
		{"alpha", fake.Activity{Day: day(13), Model: "openai/gpt-4.1", Provider: "Azure", Usage: 1, Requests: 1}},
		{"beta", fake.Activity{Day: day(13), Model: "anthropic/claude-sonnet-4", Provider: "Anthropic", Usage: 5, Requests: 2, BYOK: 0.5}},
		{"beta", fake.Activity{Day: day(10), Model: "anthropic/claude-sonnet-4", Provider: "Anthropic", Usage: 1.5, Requests: 1}},
		{"alpha", fake.Activity{Day: day(1), Model: "openai/gpt-4.1", Provider: "OpenAI", Usage: 0.25, Requests: 1}},
		// Today is not over: the API leaves it out.
		{"alpha", fake.Activity{Day: day(14), Model: "openai/gpt-4.1", Provider: "OpenAI", Usage: 100, Requests: 1}},
	} {
		if err := srv.RecordActivity(hashes[a.key], a.Activity); err != nil {
			t.Fatal(err)
		}
	}
}

func TestActivity(t *testing.T) {
	fixClock(t)
	srv, e := newFake(t)
	hashes := seedSpend(t, srv)
	seedActivity(t, srv, hashes)

	r := runCLI(t, e, "", "activity")
	wantCode(t, r, exitOK)
	wantOutput(t, r, `DATE        MODEL                      REQUESTS  SPEND  BYOK
2026-03-13  anthropic/claude-sonnet-4  2         $5.00  $0.50
2026-03-13  openai/gpt-4.1             5         $3.00  $0.00
2026-03-10  anthropic/claude-sonnet-4  1         $1.50  $0.00
2026-03-01  openai/gpt-4.1             1         $0.25  $0.00

MODEL                      DAYS  REQUESTS  SPEND  BYOK
anthropic/claude-sonnet-4  2     3         $6.50  $0.50
openai/gpt-4.1             2     6         $3.25  $0.00
TOTAL                      3     9         $9.75  $0.50
`)

	// --days 7 keeps 2026-03-07 on; --key and --date filter upstream.
	r = runCLI(t, e, "", "activity", "--days", "7", "--key", hashes["alpha"])
	wantCode(t, r, exitOK)
	wantOutput(t, r, `DATE        MODEL           REQUESTS  SPEND
2026-03-13  openai/gpt-4.1  5         $3.00

MODEL           DAYS  REQUESTS  SPEND
openai/gpt-4.1  1     5         $3.00
TOTAL           1     5         $3.00
`)
	r = runCLI(t, e, "", "activity", "--date", "2026-03-10", "-o", "json")
	wantCode(t, r, exitOK)
	wantOutput(t, r, `{
  "days": [
    {
      "date": "2026-03-10",
      "model": "anthropic/claude-sonnet-4",
      "requests": 1,
      "usage": 1.5,
      "byok_usage": 0,
      "prompt_tokens": 0,
      "completion_tokens": 0,
      "reasoning_tokens": 0
    }
  ],
  "models": [
    {
      "model": "anthropic/claude-sonnet-4",
      "requests": 1,
      "usage": 1.5,
      "byok_usage": 0,
      "prompt_tokens": 0,
      "completion_tokens": 0,
      "reasoning_tokens": 0
    }
  ],
  "total": {
    "requests": 1,
    "usage": 1.5,
    "byok_usage": 0,
    "prompt_tokens": 0,
    "completion_tokens": 0,
    "reasoning_tokens": 0
  }
}
`)
	var got []string
	for _, req := range srv.Requests() {
		got = append(got, req.Query.Encode())
	}
	want := []string{"", "api_key_hash=" + hashes["alpha"], "date=2026-03-10"}
	if !slices.Equal(got, want) {
		t.Errorf("queries %q, want %q", got, want)
	}

	r = runCLI(t, e, "", "activity", "--key", hashes["gamma"])
	wantCode(t, r, exitOK)
	wantOutput(t, r, "No activity in the last 30 completed UTC days.\n")
	r = runCLI(t, e, "", "activity", "--key", hashes["gamma"], "-o", "json")
	wantCode(t, r, exitOK)
	var rep activityReport
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || rep.Days == nil || len(rep.Days) != 0 || rep.Total.Requests != 0 {
		t.Errorf("empty report %+v, %v:\n%s", rep, err, r.stdout)
	}
}

func TestActivityUsage(t *testing.T) {
	srv, e := newFake(t)
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--days", "0"}, "--days 0: want 1 to 30"},
		{[]string{"--days", "31"}, "--days 31"},
		{[]string{"--days", "3", "--date", "2026-03-10"}, "cannot be used together"},
		{[]string{"--date", "yesterday"}, `--date "yesterday" is not a YYYY-MM-DD date`},
		{[]string{"--date", "2026-02-30"}, "--date"},
		{[]string{"--key", ""}, `--key "" is not a key hash`},
		{[]string{"--key", "../keys"}, "--key"},
		{[]string{"--key", "nothex"}, `--key "nothex" is not a key hash`},
		// The API keeps the last 30 completed days: older ones are refused
		// here, as the help says, not sent.
		{[]string{"--date", "2001-01-01"}, "--date 2001-01-01: want one of the last 30 completed UTC days"},
	} {
		r := runCLI(t, e, "", append([]string{"activity"}, c.args...)...)
		wantCode(t, r, exitUsage)
		if !strings.Contains(r.stderr, c.msg) || r.stdout != "" {
			t.Errorf("%v: %s", c.args, r)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("usage errors sent %d requests", n)
	}
}

// The README's console session under "Watching spend" is what these
// commands print for seedSpend's keys (hashes aside).
func TestREADMESpendSession(t *testing.T) {
	fixClock(t)
	srv, e := newFake(t)
	seedSpend(t, srv)
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(readme), "\n## Watching spend")
	_, session, ok := strings.Cut(section, "```console\n")
	session, _, _ = strings.Cut(session, "```")
	if !ok || session == "" {
		t.Fatal("no console session in the README's section \"Watching spend\"")
	}
	hash := regexp.MustCompile(`\b[0-9a-f]{12}\b`)
	var last result
	steps := strings.Split(session, "$ ")[1:]
	for _, step := range steps {
		cmdline, want, _ := strings.Cut(step, "\n")
		if cmdline == "echo $?" {
			if strings.TrimSpace(want) != strconv.Itoa(last.code) {
				t.Errorf("README says exit %s, got %d", strings.TrimSpace(want), last.code)
			}
			continue
		}
		args, ok := strings.CutPrefix(cmdline, "orkeys ")
		if !ok {
			t.Fatalf("README runs %q", cmdline)
		}
		last = runCLI(t, e, "", strings.Fields(args)...)
		if got := hash.ReplaceAllString(last.stdout+last.stderr, "<hash>"); got != hash.ReplaceAllString(want, "<hash>") {
			t.Errorf("$ %s\n%s\nREADME says:\n%s", cmdline, got, want)
		}
	}
	if len(steps) < 3 {
		t.Errorf("only %d steps in the README's session", len(steps))
	}
}

func TestBar(t *testing.T) {
	for _, c := range []struct {
		fraction *float64
		want     string
	}{
		{nil, "-"},
		{ptr(0.0), "▁▁▁▁▁▁▁▁▁▁ 0%"},
		{ptr(0.29), "▇▇▁▁▁▁▁▁▁▁ 29%"}, // 0.29*100 is 28.999…
		{ptr(0.62), "▇▇▇▇▇▇▁▁▁▁ 62%"},
		{ptr(0.999), "▇▇▇▇▇▇▇▇▇▁ 99%"}, // not 100% before it is
		{ptr(1.0), "▇▇▇▇▇▇▇▇▇▇ 100%"},
		{ptr(1.25), "▇▇▇▇▇▇▇▇▇▇ 125%"},
		{ptr(-0.1), "▁▁▁▁▁▁▁▁▁▁ 0%"},
		{ptr(99.999), "▇▇▇▇▇▇▇▇▇▇ 9999%"},
		{ptr(100.0), "▇▇▇▇▇▇▇▇▇▇ >9999%"},
		{ptr(5e300), "▇▇▇▇▇▇▇▇▇▇ >9999%"}, // a limit of 1e-300 overshot: int() would overflow
		{ptr(math.Inf(1)), "▇▇▇▇▇▇▇▇▇▇ >9999%"},
		{ptr(math.NaN()), "-"},
	} {
		if got := bar(c.fraction); got != c.want {
			t.Errorf("bar(%v) = %q, want %q", c.fraction, got, c.want)
		}
	}
}
