package main

import (
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
	var addr string
	cmd := &cobra.Command{
		Use:   "fake-server",
		Short: "Run the offline fake of OpenRouter's key API until interrupted",
		Long: `Run the in-memory fake of OpenRouter's key-management API, for testing
clients in any language. It prints its base URL and a management key on
stdout, as shell exports, then serves until Ctrl-C (SIGINT) or SIGTERM.
State lives in memory and is gone when it stops.`,
		Example: `  orkeys fake-server --addr 127.0.0.1:8080
  # in another shell, paste the two export lines it printed, then:
  orkeys keys list`,
		Args: cobra.NoArgs,
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "host:port to listen on (port 0 picks a free one)")
	cmd.RunE = runE(func(cmd *cobra.Command, _ []string) error {
		if err := checkAddr(addr); err != nil {
			return err
		}
		srv, err := fake.Listen(addr, fake.WithRequestLimit(fakeServerRequestLimit))
		if err != nil {
			return fmt.Errorf("fake-server: %w", err)
		}
		defer srv.Close()
		fmt.Fprintf(a.stdout, "export OPENROUTER_BASE_URL=%s\nexport OPENROUTER_API_KEY=%s\n", srv.URL, srv.ManagementKey)
		fmt.Fprintln(a.stderr, "orkeys fake-server: serving an in-memory OpenRouter key API; Ctrl-C stops it")
		<-cmd.Context().Done()
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
