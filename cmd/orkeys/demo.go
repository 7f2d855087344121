package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"time"

	"github.com/oapi-codegen/nullable"
	"github.com/spf13/cobra"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/fake"
	"github.com/orkeys/orkeys/secret"
)

// demoRetry is the demo's retry policy against the fake: the same shape as
// the default, with short waits so that the demo takes a moment.
var demoRetry = facade.RetryConfig{
	Strategy: facade.StrategyBackoff,
	Backoff: &facade.BackoffStrategy{
		InitialInterval: 200 * time.Millisecond,
		MaxInterval:     time.Second,
		MaxElapsedTime:  10 * time.Second,
	},
	RetryConnectionErrors: facade.Ptr(true),
}

// demoOptions is demo.
type demoOptions struct {
	cmdBase
	conn   *clientFlags
	Output outputFormat
}

func (f *factory) demoCmd() *cobra.Command {
	o := &demoOptions{cmdBase: cmdBase{f: f}}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Walk the whole key lifecycle against an in-process fake server (no network, no key)",
		Long: `Walk the key lifecycle through the orkeys Go client: create three keys with
different limits, list them, disable one and clear its limit, read it back,
describe the current key, walk every key with the page iterator (riding
through an injected 503 with the retry policy), delete them and list again.

Without --server-url it starts the offline fake server in-process and needs
neither network nor key; OPENROUTER_API_KEY and OPENROUTER_BASE_URL are
ignored then. With --server-url it runs against that server using the
management key in OPENROUTER_API_KEY, without fault injection, and deletes
the keys it created even when a step fails.`,
		Example: `  orkeys demo
  OPENROUTER_API_KEY=sk-or-mgmt-… orkeys demo --server-url https://openrouter.ai/api/v1`,
		Args: noArgs,
		RunE: runCommand(o, nil),
	}
	o.conn = addClientFlags(cmd.Flags())
	addOutputFlag(cmd, &o.Output, "json prints a summary, and the steps go to stderr")
	return cmd
}

func (o *demoOptions) validate() error { return nil }

func (o *demoOptions) run() error {
	f := o.f
	// With -o json the narrative goes to stderr and stdout gets one JSON
	// summary, for scripts that check the demo ran.
	var narrate io.Writer = f.io.Out
	if o.Output == formatJSON {
		narrate = f.io.ErrOut
	}
	d := &demo{out: narrate, flush: f.io.Out.Flush, start: time.Now(), stats: &f.stats}
	spec := clientSpec{logTo: narrate}
	if !o.conn.fs.Changed("server-url") {
		srv := fake.NewServer()
		defer srv.Close()
		spec.apiKey, spec.serverURL, spec.retry = srv.ManagementKey, srv.URL, &demoRetry
		d.srv, d.prefix = srv, "orkeys-demo"
	} else {
		d.prefix = "orkeys-demo-" + randomHex(3)
	}
	c, err := f.newClient(o.conn, spec)
	if err != nil {
		return err
	}
	d.c = c
	if d.srv != nil {
		fmt.Fprintf(d.out, "orkeys demo: the key lifecycle against an in-process fake OpenRouter (no network, no real key)\n")
		fmt.Fprintf(d.out, "fake server %s, management key %s\n", d.srv.URL, secret.New(d.srv.ManagementKey))
	} else {
		fmt.Fprintf(d.out, "orkeys demo: the key lifecycle against %s (keys named %s-*, deleted at the end)\n", f.serverName(), d.prefix)
	}
	if err := d.run(o.ctx); err != nil {
		return err
	}
	if o.Output == formatJSON {
		return writeJSON(f.io.Out, demoSummary{
			Server:   showURL(f.server),
			Fake:     d.srv != nil,
			Created:  len(d.created),
			Deleted:  len(d.deleted),
			Requests: d.stats.attempts.Load(),
			Retried:  d.stats.retries.Load(),
			Seconds:  math.Round(time.Since(d.start).Seconds()*1000) / 1000,
		})
	}
	return nil
}

// demoSummary is what demo -o json prints when every step worked.
type demoSummary struct {
	Server   string  `json:"server_url"`
	Fake     bool    `json:"in_process_fake"`
	Created  int     `json:"keys_created"`
	Deleted  int     `json:"keys_deleted"`
	Requests int64   `json:"requests"`
	Retried  int64   `json:"retried"`
	Seconds  float64 `json:"seconds"`
}

// demo is one run of the lifecycle.
type demo struct {
	c      *facade.Client
	srv    *fake.Server // nil against a real server
	out    io.Writer
	flush  func() error // delivers what was narrated so far
	prefix string
	start  time.Time
	stats  *callStats

	created []facade.APIKey // in creation order
	deleted map[string]bool
}

func (d *demo) step(n int, title string) {
	_ = d.flush() // the previous step shows while this one runs
	fmt.Fprintf(d.out, "\n== %d. %s\n", n, title)
}

func (d *demo) run(ctx context.Context) (err error) {
	d.deleted = map[string]bool{}
	defer func() {
		if cerr := d.cleanup(ctx); cerr != nil && err == nil {
			err = cerr
		}
	}()

	d.step(1, "Create three keys with different limits (c.APIKeys.Create)")
	specs := []struct {
		suffix string
		limit  float64
		reset  facade.LimitReset
	}{
		{"ci", 5, facade.LimitResetDaily},
		{"staging", 25, facade.LimitResetWeekly},
		{"prod", 100, facade.LimitResetMonthly},
	}
	for _, s := range specs {
		res, err := d.c.APIKeys.Create(ctx, facade.CreateKeysRequest{RequestBody: facade.CreateKeysRequestBody{
			Name:       d.prefix + "-" + s.suffix,
			Limit:      facade.Ptr(s.limit),
			LimitReset: facade.Ptr(s.reset),
		}})
		if err != nil {
			return fmt.Errorf("creating %s-%s: %w", d.prefix, s.suffix, err)
		}
		d.created = append(d.created, res.Data)
		// res.Key prints redacted; only Reveal() gives the plaintext.
		fmt.Fprintf(d.out, "created %-20s limit %-8s reset %-8s key %s (plaintext returned once, via Reveal())\n",
			cell(res.Data.Name), money(s.limit), s.reset, res.Key)
	}

	d.step(2, "List them as a table (c.APIKeys.List)")
	page, err := d.c.APIKeys.List(ctx, facade.ListRequest{})
	if err != nil {
		return fmt.Errorf("listing: %w", err)
	}
	if err := writeKeyTable(d.out, d.ours(page.Data), 0); err != nil {
		return err
	}

	target := d.created[1]
	d.step(3, fmt.Sprintf("Disable %s and clear its limit (c.APIKeys.Update)", target.Name))
	disabled := true
	body := facade.UpdateKeysRequestBody{Disabled: &disabled, Limit: nullable.NewNullNullable[float64]()}
	sent, _ := json.Marshal(body)
	fmt.Fprintf(d.out, "PATCH /keys/{hash} with %s: fields left out stay as they are, null clears\n", sent)
	if _, err := d.c.APIKeys.Update(ctx, facade.UpdateKeysRequest{Hash: target.Hash, RequestBody: body}); err != nil {
		return fmt.Errorf("updating %s: %w", target.Name, err)
	}

	d.step(4, fmt.Sprintf("Get %s back (c.APIKeys.Get)", target.Name))
	got, err := d.c.APIKeys.Get(ctx, facade.GetKeyRequest{Hash: target.Hash})
	if err != nil {
		return fmt.Errorf("getting %s: %w", target.Name, err)
	}
	if err := writeKeyDetail(d.out, &got.Data); err != nil {
		return err
	}

	d.step(5, "Describe the calling key (c.APIKeys.GetCurrentKeyMetadata)")
	cur, err := d.c.APIKeys.GetCurrentKeyMetadata(ctx)
	if err != nil {
		return fmt.Errorf("describing the current key: %w", err)
	}
	if err := writeCurrentKey(d.out, &cur.Data); err != nil {
		return err
	}

	title := "Walk every key, disabled ones included, with the page iterator (c.APIKeys.All)"
	if d.srv != nil {
		title += "\n   The fake answers the first GET /keys with 503 Service Unavailable; the retry policy rides through it"
		d.srv.Inject(fake.Fault{Method: http.MethodGet, Path: "/keys", Status: http.StatusServiceUnavailable})
	}
	d.step(6, title)
	walked := 0
	for k, err := range d.c.APIKeys.All(ctx, facade.ListRequest{IncludeDisabled: true}) {
		if err != nil {
			return fmt.Errorf("walking the keys: %w", err)
		}
		walked++
		if d.isOurs(k.Hash) {
			fmt.Fprintf(d.out, "  %-20s %s\n", cell(k.Name), status(&k))
		}
	}
	// Pages, not requests: the walk reads ahead, and those requests past
	// the end hold no keys.
	pages := max(1, (walked+facade.PageSize-1)/facade.PageSize)
	fmt.Fprintf(d.out, "walked %d key(s) in %d page(s)\n", walked, pages)

	d.step(7, "Delete them (c.APIKeys.Delete)")
	for _, k := range d.created {
		if _, err := d.c.APIKeys.Delete(ctx, facade.DeleteKeysRequest{Hash: k.Hash}); err != nil {
			return fmt.Errorf("deleting %s: %w", k.Name, err)
		}
		d.deleted[k.Hash] = true
		fmt.Fprintf(d.out, "deleted %s\n", k.Name)
	}

	d.step(8, "List again, disabled keys included")
	page, err = d.c.APIKeys.List(ctx, facade.ListRequest{IncludeDisabled: true})
	if err != nil {
		return fmt.Errorf("listing: %w", err)
	}
	if left := d.ours(page.Data); len(left) > 0 {
		_ = writeKeyTable(d.out, left, 0)
		return fmt.Errorf("%d demo key(s) still listed after deletion", len(left))
	}
	fmt.Fprintf(d.out, "none of the demo's keys are left (%d other key(s) listed)\n", len(page.Data))

	fmt.Fprintf(d.out, "\nDone in %.1fs: %d requests, %d retried.\n",
		time.Since(d.start).Seconds(), d.stats.attempts.Load(), d.stats.retries.Load())
	return nil
}

// ours keeps the keys this demo created, so that a real account's other
// keys stay off the screen.
func (d *demo) ours(keys []facade.APIKey) []facade.APIKey {
	var out []facade.APIKey
	for _, k := range keys {
		if d.isOurs(k.Hash) {
			out = append(out, k)
		}
	}
	return out
}

func (d *demo) isOurs(hash string) bool {
	for _, k := range d.created {
		if k.Hash == hash {
			return true
		}
	}
	return false
}

// cleanup deletes what an interrupted or failed run left behind, even after
// Ctrl-C, so that a run against a real account leaves no live keys.
func (d *demo) cleanup(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	var errs []error
	for _, k := range d.created {
		if d.deleted[k.Hash] {
			continue
		}
		if _, err := d.c.APIKeys.Delete(ctx, facade.DeleteKeysRequest{Hash: k.Hash}); err != nil {
			errs = append(errs, fmt.Errorf("cleaning up %s (hash %s): %w", k.Name, k.Hash, err))
			continue
		}
		d.deleted[k.Hash] = true
		fmt.Fprintf(d.out, "cleaned up: deleted %s\n", k.Name)
	}
	return errors.Join(errs...)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
