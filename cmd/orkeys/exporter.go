package main

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/spf13/cobra"

	"github.com/orkeys/orkeys/internal/exporter"
)

// minInterval keeps a typo such as --interval 60ms from hammering the API.
const minInterval = time.Second

func (a *app) exporterCmd() *cobra.Command {
	var (
		listen    string
		interval  time.Duration
		workspace string
	)
	cmd := &cobra.Command{
		Use:   "exporter",
		Short: "Serve key spend and credits as Prometheus metrics until interrupted (needs a management key)",
		Long: `Serve Prometheus metrics at http://LISTEN/metrics: each key's usage (total,
daily, weekly, monthly), limit, remaining limit and disabled state, labelled
by name and the first 12 characters of its hash; the account's credits; and
whether the last refresh worked.

The data is read from the API at start and then every --interval, in the
background: a scrape never calls the API. When a refresh fails, the metrics
keep the last values and openrouter_exporter_last_refresh_success drops to
0. Runs until Ctrl-C (SIGINT), SIGTERM or --timeout.`,
		Example: `  orkeys exporter
  orkeys exporter --listen 0.0.0.0:9464 --interval 5m`,
		Args: a.noArgs,
	}
	cf := &clientFlags{}
	cf.register(cmd.Flags())
	out := addOutputFlag(cmd, `table prints the metrics URL, json one line {"metrics_url":…}`)
	fs := cmd.Flags()
	fs.StringVar(&listen, "listen", "127.0.0.1:9464", "host:port to serve /metrics on (port 0 picks a free one)")
	fs.DurationVar(&interval, "interval", exporter.DefaultInterval, "time between refreshes from the API, at least 1s")
	fs.StringVar(&workspace, "workspace", "", "only keys of this workspace (a UUID; default: the default workspace)")
	cmd.RunE = runE(func(cmd *cobra.Command, _ []string) error {
		if err := checkListen(listen); err != nil {
			return err
		}
		if interval < minInterval {
			return usageErrorf("--interval %s: want at least %s, such as 60s or 5m", interval, minInterval)
		}
		cfg := exporter.Config{Interval: interval, Logger: slog.New(slog.NewTextHandler(a.stderr, nil))}
		if fs.Changed("workspace") {
			if err := checkUUID("--workspace", workspace); err != nil {
				return err
			}
			cfg.WorkspaceID = &workspace
		}
		c, err := a.newClient(fs, cf, a.stderr)
		if err != nil {
			return err
		}
		cfg.Client = c
		e, err := exporter.New(cfg)
		if err != nil {
			return err
		}
		ln, err := net.Listen("tcp", listen)
		if err != nil {
			// %v, not %w: an address in use is this machine's problem, not
			// a server that is unavailable (exit 7).
			return fmt.Errorf("exporter: %v; pick another --listen (port 0 picks a free one)", err)
		}
		// stdout gets the URL alone, so that a script given port 0 learns
		// the port.
		url := fmt.Sprintf("http://%s/metrics", ln.Addr())
		if *out == formatJSON {
			b, _ := json.Marshal(map[string]string{"metrics_url": url})
			_, err = fmt.Fprintf(a.stdout, "%s\n", b)
		} else {
			_, err = fmt.Fprintln(a.stdout, url)
		}
		if err != nil {
			_ = ln.Close()
			return err
		}
		fmt.Fprintf(a.stderr, "orkeys exporter: serving metrics at %s, refreshing from %s every %s; Ctrl-C stops it\n",
			url, a.serverName(), interval)
		// Ctrl-C, SIGTERM or --timeout end the context: all a normal end.
		if err := e.Serve(cmd.Context(), ln); err != nil {
			return err
		}
		fmt.Fprintln(a.stderr, "orkeys exporter: stopped")
		return nil
	})
	return cmd
}

// checkListen refuses a --listen that is no host:port before anything is
// sent, as a usage error.
func checkListen(addr string) error {
	if err := checkAddr(addr); err != nil {
		return usageErrorf("--listen %q: want host:port, such as 127.0.0.1:9464 (port 0 picks a free one)", addr)
	}
	return nil
}
