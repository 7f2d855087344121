package main

import (
	"encoding/json"
	"fmt"
	"net"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/orkeys/orkeys/fake"
)

// fakeServerRequestLimit bounds the fake's request log: the command may run
// for days, and nothing reads the log from outside the process.
const fakeServerRequestLimit = 1000

func (a *app) fakeServerCmd() *cobra.Command {
	var (
		addr string
		port int
	)
	cmd := &cobra.Command{
		Use:   "fake-server",
		Short: "Run the offline fake of OpenRouter's key API until interrupted",
		Long: `Run the in-memory fake of OpenRouter's key-management API, for testing
clients in any language. It prints its base URL and a management key on
stdout as shell exports (or, with -o json, as one JSON object), then serves
until Ctrl-C (SIGINT), SIGTERM or --timeout. State lives in memory and is
gone when it stops.

'go run' does not pass SIGTERM on: it ends the go process and leaves the
server running. To stop it with a signal from a script, build the binary
and run that.`,
		Example: `  go build -o orkeys ./cmd/orkeys && ./orkeys fake-server --port 0
  # in another shell, paste the two export lines it printed, then:
  ./orkeys keys list
  ./orkeys fake-server --port 0 -o json   # one line: {"OPENROUTER_API_KEY":…,"OPENROUTER_BASE_URL":…}`,
		Args: a.noArgs,
	}
	out := addOutputFlag(cmd, "table prints shell exports, json one line of JSON")
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "host:port to listen on (port 0 picks a free one)")
	cmd.Flags().IntVar(&port, "port", 0, "listen on 127.0.0.1 at this port instead of --addr; 0 picks a free one (the URL printed names it)")
	cmd.RunE = runE(func(cmd *cobra.Command, _ []string) error {
		fs := cmd.Flags()
		if err := exclusive(fs, "addr", "port", "--port N listens on 127.0.0.1:N, --addr on any host:port"); err != nil {
			return err
		}
		if fs.Changed("port") {
			if port < 0 || port > 65535 {
				return usageErrorf("--port %d: want 0 to 65535 (0 picks a free port)", port)
			}
			addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
		}
		if err := checkAddr(addr); err != nil {
			return err
		}
		srv, err := fake.Listen(addr, fake.WithRequestLimit(fakeServerRequestLimit))
		if err != nil {
			// %v, not %w: a port in use is this machine's problem, not a
			// server that is unavailable (exit 7).
			return fmt.Errorf("fake-server: %v; pick another --port (0 picks a free one)", err)
		}
		defer srv.Close()
		if *out == formatJSON {
			// One line, so that a test harness can read it and go on.
			b, _ := json.Marshal(map[string]string{"OPENROUTER_BASE_URL": srv.URL, "OPENROUTER_API_KEY": srv.ManagementKey})
			_, err = fmt.Fprintf(a.stdout, "%s\n", b)
		} else {
			_, err = fmt.Fprintf(a.stdout, "export OPENROUTER_BASE_URL=%s\nexport OPENROUTER_API_KEY=%s\n", srv.URL, srv.ManagementKey)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(a.stderr, "orkeys fake-server: serving an in-memory OpenRouter key API at %s; OPENROUTER_API_KEY above is its management key (the sk-or-mgmt- form OpenRouter issues now; any key it creates is sk-or-v1-); Ctrl-C stops it\n", srv.URL)
		<-cmd.Context().Done() // Ctrl-C, SIGTERM or --timeout: all a normal end
		fmt.Fprintln(a.stderr, "orkeys fake-server: stopped")
		return nil
	})
	return cmd
}

// checkAddr refuses an --addr that is no host:port, so that a typo is a
// usage error (exit 2) and only a failure to listen is exit 1.
func checkAddr(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err == nil {
		_, err = strconv.ParseUint(port, 10, 16)
	}
	if err != nil {
		return usageErrorf("--addr %q: want host:port, such as 127.0.0.1:8080 (port 0 picks a free one)", addr)
	}
	return nil
}
