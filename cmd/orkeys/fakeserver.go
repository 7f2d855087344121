package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/orkeys/orkeys/fake"
)

// fakeServerRequestLimit bounds the fake's request log: the command may run
// for days, and nothing reads the log from outside the process.
const fakeServerRequestLimit = 1000

// fakeServerOptions is fake-server.
type fakeServerOptions struct {
	cmdBase
	fs     *pflag.FlagSet
	Addr   string
	Port   int
	Output outputFormat
	// Seed is a seed file (JSON or YAML, as fake.LoadSeed reads) loaded
	// before serving; Faults are scripted failures, one spec each.
	Seed   string
	Faults faultsValue
}

func (f *factory) fakeServerCmd() *cobra.Command { return newFakeServerCmd(f, nil) }

func newFakeServerCmd(f *factory, runF func(*fakeServerOptions) error) *cobra.Command {
	o := &fakeServerOptions{cmdBase: cmdBase{f: f}}
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
  ./orkeys fake-server --seed fake/testdata/example-seed.yaml --fault 'POST /keys 503 x2'
  ./orkeys fake-server --port 0 -o json   # one line: {"OPENROUTER_API_KEY":…,"OPENROUTER_BASE_URL":…}`,
		Args: noArgs,
		RunE: runCommand(o, runF),
	}
	addOutputFlag(cmd, &o.Output, "table prints shell exports, json one line of JSON")
	o.fs = cmd.Flags()
	o.fs.StringVar(&o.Addr, "addr", "127.0.0.1:8080", "host:port to listen on (port 0 picks a free one)")
	o.fs.IntVar(&o.Port, "port", 0, "listen on 127.0.0.1 at this port instead of --addr; 0 picks a free one (the URL printed names it)")
	o.fs.StringVar(&o.Seed, "seed", "", "load this seed file (JSON or YAML: members, workspaces, keys with usage, credits, activity) before serving")
	o.fs.Var(&o.Faults, "fault", "script a failure, such as 'POST /keys 503 x2' or 'GET /keys drop' (METHOD PATH WHAT... [xN]; repeatable)")
	return cmd
}

func (o *fakeServerOptions) validate() error {
	if err := exclusive(o.fs, "addr", "port", "--port N listens on 127.0.0.1:N, --addr on any host:port"); err != nil {
		return err
	}
	if o.fs.Changed("port") {
		if o.Port < 0 || o.Port > 65535 {
			return usageErrorf("--port %d: want 0 to 65535 (0 picks a free port)", o.Port)
		}
		o.Addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(o.Port))
	}
	return checkAddr(o.Addr)
}

func (o *fakeServerOptions) run() error {
	srv, err := fake.Listen(o.Addr, fake.WithRequestLimit(fakeServerRequestLimit))
	if err != nil {
		// %v, not %w: a port in use is this machine's problem, not a
		// server that is unavailable (exit 7).
		return fmt.Errorf("fake-server: %v; pick another --port (0 picks a free one)", err)
	}
	defer srv.Close()
	if err := o.load(srv); err != nil {
		return err
	}
	out := o.f.io.Out
	if o.Output == formatJSON {
		// One line, so that a test harness can read it and go on.
		b, _ := json.Marshal(map[string]string{envBaseURL: srv.URL, envAPIKey: srv.ManagementKey})
		fmt.Fprintf(out, "%s\n", b)
	} else {
		fmt.Fprintf(out, "export %s=%s\nexport %s=%s\n", envBaseURL, srv.URL, envAPIKey, srv.ManagementKey)
	}
	// Delivered at once: the command then serves until stopped.
	if err := out.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(o.f.io.ErrOut, "orkeys fake-server: serving an in-memory OpenRouter key API at %s; %s above is its management key (the sk-or-mgmt- form OpenRouter issues now; any key it creates is sk-or-v1-); Ctrl-C stops it\n", srv.URL, envAPIKey)
	<-o.ctx.Done() // Ctrl-C, SIGTERM or --timeout: all a normal end
	fmt.Fprintln(o.f.io.ErrOut, "orkeys fake-server: stopped")
	return nil
}

// load seeds srv from --seed and scripts the --fault specs.
func (o *fakeServerOptions) load(srv *fake.Server) error {
	if o.Seed != "" {
		raw, err := os.ReadFile(o.Seed)
		if err != nil {
			return &localIOError{op: "read --seed", err: err}
		}
		if err := srv.LoadSeed(raw); err != nil {
			return usageErrorf("--seed %s: %v", o.Seed, strings.TrimPrefix(err.Error(), "fake: "))
		}
	}
	srv.Inject(o.Faults.v...)
	return nil
}

// faultsValue is the repeatable --fault: each spec is parsed when given
// (fake.ParseFault), so that a bad one is exit 2 naming the flag.
type faultsValue struct{ v []fake.Fault }

func (f *faultsValue) String() string { return "" }
func (f *faultsValue) Type() string   { return "spec" }
func (f *faultsValue) Set(s string) error {
	got, err := fake.ParseFault(s)
	if err != nil {
		return &quotedError{errors.New(strings.TrimPrefix(err.Error(), "fake: "))}
	}
	f.v = append(f.v, got...)
	return nil
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
