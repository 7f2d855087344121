package main

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/spf13/cobra"

	"github.com/orkeys/orkeys/cmd/orkeys/internal/exporter"
)

// minInterval keeps a typo such as --interval 60ms from hammering the API.
const minInterval = time.Second

// exporterOptions is exporter.
type exporterOptions struct {
	cmdBase
	conn      *clientFlags
	Listen    string
	Interval  durationValue
	Workspace workspaceValue
	Output    outputFormat
}

func (f *factory) exporterCmd() *cobra.Command { return newExporterCmd(f, nil) }

func newExporterCmd(f *factory, runF func(*exporterOptions) error) *cobra.Command {
	o := &exporterOptions{cmdBase: cmdBase{f: f}, Interval: durationValue{v: exporter.DefaultInterval}}
	cmd := &cobra.Command{
		Use:   "exporter",
		Short: "Serve key spend and credits as Prometheus metrics until interrupted (needs a management key)",
		Long: `Serve Prometheus metrics at http://LISTEN/metrics: each key's usage (total,
daily, weekly, monthly), limit, remaining limit and disabled state, labelled
by name and the first 12 characters of its hash; the account's credits; and
whether the last refresh worked. A key whose hash is not hexadecimal is left
out and counted in openrouter_exporter_rejected_keys_total. Every
workspace's keys, budgets and spend, and every guardrail's limit, are
metrics too.

The data is read from the API at start and then every --interval, in the
background: a scrape never calls the API. When a refresh fails, the metrics
keep the last values and openrouter_exporter_last_refresh_success drops to
0. Connections left idle for two minutes are closed. Runs until Ctrl-C
(SIGINT), SIGTERM or --timeout.`,
		Example: `  orkeys exporter
  orkeys exporter --listen 0.0.0.0:9464 --interval 5m`,
		Args: noArgs,
		RunE: runCommand(o, runF),
	}
	o.conn = addClientFlags(cmd.Flags())
	addOutputFlag(cmd, &o.Output, `table prints the metrics URL, json one line {"metrics_url":…}`)
	fs := cmd.Flags()
	fs.StringVar(&o.Listen, "listen", "127.0.0.1:9464", "host:port to serve /metrics on (port 0 picks a free one)")
	fs.Var(&o.Interval, "interval", "time between refreshes from the API, at least 1s")
	addWorkspaceFlag(fs, &o.Workspace, "only keys of this workspace")
	return cmd
}

func (o *exporterOptions) validate() error {
	if checkAddr(o.Listen) != nil {
		return usageErrorf("--listen %q: want host:port, such as 127.0.0.1:9464 (port 0 picks a free one)", o.Listen)
	}
	if o.Interval.v < minInterval {
		return usageErrorf("--interval %s: want at least %s, such as 60s or 5m", o.Interval.v, minInterval)
	}
	return nil
}

func (o *exporterOptions) run() error {
	c, err := o.f.newClient(o.conn, clientSpec{})
	if err != nil {
		return err
	}
	e, err := exporter.New(exporter.Config{
		Client: c, Interval: o.Interval.v, WorkspaceID: o.Workspace.ptr(),
		Logger: o.f.logger(), Plane: true,
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.Listen)
	if err != nil {
		// %v, not %w: an address in use is this machine's problem, not
		// a server that is unavailable (exit 7).
		return fmt.Errorf("exporter: %v; pick another --listen (port 0 picks a free one)", err)
	}
	// stdout gets the URL alone, so that a script given port 0 learns the
	// port; it is delivered at once, since the command then runs for long.
	url := fmt.Sprintf("http://%s/metrics", ln.Addr())
	if o.Output == formatJSON {
		b, _ := json.Marshal(map[string]string{"metrics_url": url})
		fmt.Fprintf(o.f.io.Out, "%s\n", b)
	} else {
		fmt.Fprintln(o.f.io.Out, url)
	}
	if err := o.f.io.Out.Flush(); err != nil {
		_ = ln.Close()
		return err
	}
	fmt.Fprintf(o.f.io.ErrOut, "orkeys exporter: serving metrics at %s, refreshing from %s every %s; Ctrl-C stops it\n",
		url, o.f.serverName(), o.Interval.v)
	// Ctrl-C, SIGTERM or --timeout end the context: all a normal end.
	if err := e.Serve(o.ctx, ln); err != nil {
		return err
	}
	fmt.Fprintln(o.f.io.ErrOut, "orkeys exporter: stopped")
	return nil
}

// logger is the exporter's log on stderr, every value sanitized: its
// messages quote key names and the server's errors.
func (f *factory) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(f.io.ErrOut, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			switch a.Value.Kind() {
			case slog.KindString, slog.KindAny:
				a.Value = slog.StringValue(sanitize(fmt.Sprint(a.Value.Any())))
			}
			return a
		},
	}))
}
