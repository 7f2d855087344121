package tests

// Benchmarks for issue 5: orkeys against a hand-written net/http +
// encoding/json baseline, side by side in one run, against one loopback
// server (bench_server_test.go) that answers from pre-encoded bytes.
// `make bench` runs them and prints each figure as a ratio to the baseline;
// tests/BENCHMARKS.md says which benchmark or test guards which target.
//
// Every benchmark is named Benchmark<Call>/impl=<who>, so that the table
// program (tools/benchtable) and benchstat (-col /impl) can line the
// implementations up against impl=baseline.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/gen"
)

var (
	sharedServerOnce sync.Once
	sharedServer     *benchServer
)

// benchSetup returns the one server every benchmark uses. It lives until
// the test binary exits.
func benchSetup(b *testing.B) *benchServer {
	b.Helper()
	for _, name := range []string{"OPENROUTER_API_KEY", "OPENROUTER_BASE_URL", "OPENROUTER_HTTP_REFERER", "OPENROUTER_APP_TITLE", "OPENROUTER_APP_CATEGORIES"} {
		if _, ok := os.LookupEnv(name); ok {
			b.Setenv(name, "")
		}
	}
	sharedServerOnce.Do(func() { sharedServer = newBenchServer() })
	return sharedServer
}

// ---- the hand-written baseline ----------------------------------------

// baselineClient is what a careful engineer writes without a library: one
// request, the same three headers orkeys sends, status check, decode, and
// the body drained so the connection is reused.
type baselineClient struct {
	hc      *http.Client
	baseURL string
	auth    string
}

func newBaselineClient(s *benchServer) *baselineClient {
	return &baselineClient{hc: http.DefaultClient, baseURL: s.BaseURL, auth: "Bearer " + benchAPIKey}
}

func (c *baselineClient) do(ctx context.Context, rawURL string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", c.auth)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", benchUserAgent)
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, resp.Body)
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return nil
}

func (c *baselineClient) get(ctx context.Context, hash string) (*benchGetBody, error) {
	out := new(benchGetBody)
	return out, c.do(ctx, c.baseURL+"/keys/"+url.PathEscape(hash), out)
}

func (c *baselineClient) list(ctx context.Context, offset int) (*benchListBody, error) {
	u := c.baseURL + "/keys"
	if offset > 0 {
		u += "?offset=" + strconv.Itoa(offset)
	}
	out := new(benchListBody)
	return out, c.do(ctx, u, out)
}

// ---- clients under test -----------------------------------------------

func newFacadeClient(b testing.TB, s *benchServer) *facade.Client {
	b.Helper()
	// Only the key and the server: everything else is the default, retries
	// included.
	c, err := facade.New(facade.WithAPIKey(benchAPIKey), facade.WithServerURL(s.BaseURL))
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// newFacadeUserClient is newFacadeClient with a user-supplied
// *http.Client: the baseline's own, so that both send through one transport
// and the row compares the libraries alone.
func newFacadeUserClient(b testing.TB, s *benchServer) *facade.Client {
	b.Helper()
	c, err := facade.New(facade.WithAPIKey(benchAPIKey), facade.WithServerURL(s.BaseURL), facade.WithHTTPClient(http.DefaultClient))
	if err != nil {
		b.Fatal(err)
	}
	return c
}

func newGenClient(b testing.TB, s *benchServer) *gen.ClientWithResponses {
	b.Helper()
	auth := "Bearer " + benchAPIKey
	c, err := gen.NewClientWithResponses(s.BaseURL,
		gen.WithHTTPClient(http.DefaultClient),
		gen.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
			req.Header.Set("Authorization", auth)
			req.Header.Set("Accept", "application/json")
			req.Header.Set("User-Agent", benchUserAgent)
			return nil
		}))
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// direct is the facade's own success path with the facade's layers
// (options, the retry loop, attempt bookkeeping, error decoding) taken away:
// the URL built by one concatenation, http.NewRequestWithContext, header
// values built once, http.Client.Do, a pooled buffer and json.Unmarshal
// into gen's types. facade minus direct is what those layers cost on the
// success path (TestSuccessPathLayerAllocs holds it to a constant).
type direct struct {
	hc   *http.Client
	base string
	auth []string
	acc  []string
	ua   []string
	bufs sync.Pool
}

func newDirect(s *benchServer) *direct {
	return &direct{
		hc: http.DefaultClient, base: s.BaseURL,
		auth: []string{"Bearer " + benchAPIKey}, acc: []string{"application/json"}, ua: []string{benchUserAgent},
		bufs: sync.Pool{New: func() any { return new(bytes.Buffer) }},
	}
}

func (d *direct) do(ctx context.Context, rawURL string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return err
	}
	req.Header["Authorization"] = d.auth
	req.Header["Accept"] = d.acc
	req.Header["User-Agent"] = d.ua
	resp, err := d.hc.Do(req)
	if err != nil {
		return err
	}
	buf := d.bufs.Get().(*bytes.Buffer)
	if resp.ContentLength > 0 {
		buf.Grow(int(resp.ContentLength))
	}
	_, err = buf.ReadFrom(resp.Body)
	resp.Body.Close()
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("status %d", resp.StatusCode)
	}
	if err == nil {
		err = json.Unmarshal(buf.Bytes(), out)
	}
	buf.Reset()
	d.bufs.Put(buf)
	return err
}

func (d *direct) get(ctx context.Context, hash string) (*gen.GetKeyResponse, error) {
	out := new(gen.GetKeyResponse)
	return out, d.do(ctx, d.base+"/keys/"+url.PathEscape(hash), out)
}

func (d *direct) list(ctx context.Context) (*gen.ListResponse, error) {
	out := new(gen.ListResponse)
	return out, d.do(ctx, d.base+"/keys", out)
}

// ---- correctness checks run once before timing ------------------------

// Every implementation must decode the same facts, or the comparison is
// between different amounts of work.
func checkKey(b *testing.B, got gen.APIKey, i int) {
	b.Helper()
	want := makeBenchKey(i)
	if got.Hash != want.Hash || got.Name != want.Name || got.Label != want.Label ||
		got.Limit == nil || *got.Limit != *want.Limit ||
		got.LimitRemaining == nil || *got.LimitRemaining != *want.LimitRemaining ||
		got.LimitReset == nil || string(*got.LimitReset) != *want.LimitReset ||
		got.UsageMonthly != want.UsageMonthly || got.ByokUsageMonthly != want.ByokUsageMonthly ||
		!got.CreatedAt.Equal(want.CreatedAt) || got.UpdatedAt == nil || !got.UpdatedAt.Equal(*want.UpdatedAt) ||
		got.ExternalUser == nil || *got.ExternalUser != *want.ExternalUser ||
		got.ExpiresAt == nil || !got.ExpiresAt.Equal(*want.ExpiresAt) ||
		got.CreatorUserID == nil || *got.CreatorUserID != *want.CreatorUserID ||
		got.WorkspaceID != want.WorkspaceID {
		b.Fatalf("key %d decoded wrong: %+v", i, got)
	}
}

func checkBaselineKey(b *testing.B, got benchKey, i int) {
	b.Helper()
	want := makeBenchKey(i)
	g, err := json.Marshal(got)
	if err != nil {
		b.Fatal(err)
	}
	w, _ := json.Marshal(want)
	if !bytes.Equal(g, w) {
		b.Fatalf("baseline key %d decoded wrong:\n got %s\nwant %s", i, g, w)
	}
}

// ---- running implementations side by side -----------------------------

type benchImpl struct {
	name string
	run  func(*testing.B)
}

// runRotated runs each implementation as a sub-benchmark impl=<name>. The
// order rotates with ORKEYS_BENCH_ROUND (set by `make bench` to the round
// number), so that no implementation always runs first, or always right
// after another one's garbage.
func runRotated(b *testing.B, impls []benchImpl) {
	round, _ := strconv.Atoi(os.Getenv("ORKEYS_BENCH_ROUND"))
	for i := range impls {
		im := impls[(i+round)%len(impls)]
		b.Run("impl="+im.name, im.run)
	}
}

// ---- GET /keys/{hash} -------------------------------------------------

func BenchmarkGet(b *testing.B) {
	s := benchSetup(b)
	ctx := context.Background()
	hash := s.getHash

	runRotated(b, []benchImpl{
		{"baseline", func(b *testing.B) {
			c := newBaselineClient(s)
			res, err := c.get(ctx, hash)
			if err != nil {
				b.Fatal(err)
			}
			checkBaselineKey(b, res.Data, 0)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.get(ctx, hash); err != nil {
					b.Fatal(err)
				}
			}
		}},
		{"facade", facadeGetBench(ctx, s, hash, newFacadeClient)},
		{"facade-hc", facadeGetBench(ctx, s, hash, newFacadeUserClient)},
		{"gen", func(b *testing.B) {
			c := newGenClient(b, s)
			res, err := c.GetKeyWithResponse(ctx, hash)
			if err != nil || res.JSON200 == nil {
				b.Fatal(err, res.StatusCode())
			}
			checkKey(b, res.JSON200.Data, 0)
			b.ReportAllocs()
			for b.Loop() {
				if res, err := c.GetKeyWithResponse(ctx, hash); err != nil || res.JSON200 == nil {
					b.Fatal(err)
				}
			}
		}},
		{"direct", func(b *testing.B) {
			d := newDirect(s)
			res, err := d.get(ctx, hash)
			if err != nil {
				b.Fatal(err)
			}
			checkKey(b, res.Data, 0)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := d.get(ctx, hash); err != nil {
					b.Fatal(err)
				}
			}
		}},
	})
}

// facadeGetBench is the facade's Get row over the client newClient makes:
// the facade's own pooled transport, or a *http.Client the user passes in.
func facadeGetBench(ctx context.Context, s *benchServer, hash string, newClient func(testing.TB, *benchServer) *facade.Client) func(*testing.B) {
	return func(b *testing.B) {
		c := newClient(b, s)
		req := facade.GetKeyRequest{Hash: hash}
		res, err := facade.APIKeysGet(ctx, c, req)
		if err != nil {
			b.Fatal(err)
		}
		checkKey(b, res.Data, 0)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := facade.APIKeysGet(ctx, c, req); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// ---- GET /keys, one page of 100 ---------------------------------------

// facadeListBench is facadeGetBench for one page of 100 keys.
func facadeListBench(ctx context.Context, s *benchServer, newClient func(testing.TB, *benchServer) *facade.Client) func(*testing.B) {
	return func(b *testing.B) {
		c := newClient(b, s)
		res, err := facade.APIKeysList(ctx, c, facade.ListRequest{})
		if err != nil || len(res.Data) != benchPageSize {
			b.Fatal(err)
		}
		checkKey(b, res.Data[99], 99)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := facade.APIKeysList(ctx, c, facade.ListRequest{}); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkList100(b *testing.B) {
	s := benchSetup(b)
	ctx := context.Background()

	runRotated(b, []benchImpl{
		{"baseline", func(b *testing.B) {
			c := newBaselineClient(s)
			res, err := c.list(ctx, 0)
			if err != nil || len(res.Data) != benchPageSize {
				b.Fatal(err)
			}
			checkBaselineKey(b, res.Data[99], 99)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.list(ctx, 0); err != nil {
					b.Fatal(err)
				}
			}
		}},
		{"facade", facadeListBench(ctx, s, newFacadeClient)},
		{"facade-hc", facadeListBench(ctx, s, newFacadeUserClient)},
		{"gen", func(b *testing.B) {
			c := newGenClient(b, s)
			res, err := c.ListKeysWithResponse(ctx, &gen.ListKeysParams{})
			if err != nil || res.JSON200 == nil || len(res.JSON200.Data) != benchPageSize {
				b.Fatal(err)
			}
			checkKey(b, res.JSON200.Data[99], 99)
			b.ReportAllocs()
			for b.Loop() {
				if res, err := c.ListKeysWithResponse(ctx, &gen.ListKeysParams{}); err != nil || res.JSON200 == nil {
					b.Fatal(err)
				}
			}
		}},
		{"direct", func(b *testing.B) {
			d := newDirect(s)
			res, err := d.list(ctx)
			if err != nil || len(res.Data) != benchPageSize {
				b.Fatal(err)
			}
			checkKey(b, res.Data[99], 99)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := d.list(ctx); err != nil {
					b.Fatal(err)
				}
			}
		}},
	})
}

// ---- every key, 100 pages of 100 --------------------------------------

func BenchmarkAll10000(b *testing.B) {
	s := benchSetup(b)
	ctx := context.Background()

	runRotated(b, []benchImpl{
		{"baseline", func(b *testing.B) {
			c := newBaselineClient(s)
			walk := func() (int, error) {
				n := 0
				for offset := 0; ; offset += benchPageSize {
					page, err := c.list(ctx, offset)
					if err != nil {
						return n, err
					}
					for range page.Data {
						n++
					}
					if len(page.Data) < benchPageSize {
						return n, nil
					}
				}
			}
			if n, err := walk(); err != nil || n != benchTotalKeys {
				b.Fatal(n, err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := walk(); err != nil {
					b.Fatal(err)
				}
			}
		}},
		{"facade", func(b *testing.B) {
			c := newFacadeClient(b, s)
			walk := func() (int, error) {
				n := 0
				for key, err := range c.APIKeys.All(ctx, facade.ListRequest{}) {
					if err != nil {
						return n, err
					}
					if key.Hash == "" {
						return n, errors.New("empty key")
					}
					n++
				}
				return n, nil
			}
			if n, err := walk(); err != nil || n != benchTotalKeys {
				b.Fatal(n, err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := walk(); err != nil {
					b.Fatal(err)
				}
			}
		}},
	})
}

// ---- the server's share -----------------------------------------------

// BenchmarkServerShare sends the same requests over a raw TCP connection
// and reads the responses into a reused buffer, so that nearly everything it
// measures is the server: its ns/op, B/op and allocs/op are the part of every
// other row that no client can remove. The table subtracts its allocs/op to
// show client-only allocation ratios.
func BenchmarkServerShare(b *testing.B) {
	s := benchSetup(b)
	head := "\r\nHost: " + s.Listener.Addr().String() +
		"\r\nAuthorization: Bearer " + benchAPIKey +
		"\r\nAccept: application/json\r\nUser-Agent: " + benchUserAgent + "\r\n\r\n"
	for _, tc := range []struct {
		call string
		path string
		want cannedResponse
	}{
		{"Get", benchBasePath + "/keys/" + s.getHash, s.get},
		{"List100", benchBasePath + "/keys", s.pages[0]},
	} {
		b.Run("call="+tc.call, func(b *testing.B) {
			conn, err := net.Dial("tcp", s.Listener.Addr().String())
			if err != nil {
				b.Fatal(err)
			}
			defer conn.Close()
			req := []byte("GET " + tc.path + " HTTP/1.1" + head)
			br := bufio.NewReaderSize(conn, 64<<10)
			body := make([]byte, len(tc.want.body))
			roundTrip := func() error {
				if _, err := conn.Write(req); err != nil {
					return err
				}
				status, err := br.ReadSlice('\n')
				if err != nil {
					return err
				}
				if !bytes.HasPrefix(status, []byte("HTTP/1.1 200 ")) {
					return fmt.Errorf("status line %q", status)
				}
				for { // headers, up to the blank line
					line, err := br.ReadSlice('\n')
					if err != nil {
						return err
					}
					if len(line) == 2 {
						break
					}
				}
				_, err = io.ReadFull(br, body)
				return err
			}
			if err := roundTrip(); err != nil {
				b.Fatal(err)
			}
			if !bytes.Equal(body, tc.want.body) {
				b.Fatal("raw read did not return the canned body")
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := roundTrip(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// ---- paired: the facade against the baseline, call by call -------------

// BenchmarkPaired times the facade and the baseline alternately, call by
// call on one goroutine, and reports the median of the per-pair time
// ratios (facade/base) and the ratio of trimmed means: a moment of load on a shared machine then hits both
// sides of a pair alike, which sub-benchmarks run one after another
// (seconds apart) cannot promise. Which side goes first alternates too.
// make bench's table leaves these rows out (they have no impl=); benchstat
// shows them.
func BenchmarkPaired(b *testing.B) {
	s := benchSetup(b)
	ctx := context.Background()
	base := newBaselineClient(s)
	pooled, own := newFacadeClient(b, s), newFacadeUserClient(b, s)
	get := func(c *facade.Client) func() error {
		return func() error { _, err := facade.APIKeysGet(ctx, c, facade.GetKeyRequest{Hash: s.getHash}); return err }
	}
	list := func(c *facade.Client) func() error {
		return func() error { _, err := facade.APIKeysList(ctx, c, facade.ListRequest{}); return err }
	}
	baseGet := func() error { _, err := base.get(ctx, s.getHash); return err }
	baseList := func() error { _, err := base.list(ctx, 0); return err }
	for _, tc := range []struct {
		name       string
		lib, basef func() error
	}{
		{"Get/facade", get(pooled), baseGet},
		{"Get/facade-hc", get(own), baseGet},
		{"List100/facade", list(pooled), baseList},
		{"List100/facade-hc", list(own), baseList},
	} {
		b.Run("pair="+tc.name, func(b *testing.B) {
			timed := func(f func() error) time.Duration {
				t0 := time.Now()
				if err := f(); err != nil {
					b.Fatal(err)
				}
				return time.Since(t0)
			}
			timed(tc.lib) // warm both
			timed(tc.basef)
			var ratios, libs, bases []float64
			for b.Loop() {
				var l, r time.Duration
				if len(ratios)%2 == 0 {
					l, r = timed(tc.lib), timed(tc.basef)
				} else {
					r, l = timed(tc.basef), timed(tc.lib)
				}
				ratios = append(ratios, float64(l)/float64(r))
				libs, bases = append(libs, float64(l)), append(bases, float64(r))
			}
			slices.Sort(ratios)
			b.ReportMetric(ratios[len(ratios)/2], "facade/base")
			// The means of the fastest 90% of each side: they count the
			// slower calls the median leaves out, but not the pauses the
			// machine's other work puts into a few of them.
			b.ReportMetric(trimmedMean(libs)/trimmedMean(bases), "trim90-facade/base")
		})
	}
}

// trimmedMean is the mean of the smallest 90% of xs (sorted in place).
func trimmedMean(xs []float64) float64 {
	slices.Sort(xs)
	xs = xs[:max(1, len(xs)*9/10)]
	sum := 0.0
	for _, x := range xs {
		sum += x
	}
	return sum / float64(len(xs))
}
