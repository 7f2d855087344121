// Command benchtable reads `go test -bench` output and prints each
// implementation's median ns/op, B/op and allocs/op as a ratio to the
// hand-written baseline, then checks the targets of issues 5 and 14. `make
// bench` runs it.
//
// It expects benchmarks named Benchmark<Call>/impl=<impl> (one of them
// impl=baseline) and, optionally, BenchmarkServerShare/call=<Call>, whose
// allocs/op are the server's part of every row; subtracting them gives the
// client-only allocation ratio. It exits 1 when a target is missed.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
)

var units = []string{"ns/op", "B/op", "allocs/op"}

// targets are the limits of issues 5 and 14, as ratios to the baseline of
// the same call.
var targets = []struct {
	call, impl, unit string
	max              float64
}{
	{"Get", "facade", "ns/op", 1.10},
	{"Get", "facade", "allocs/op", 1.25},
	{"List100", "facade", "ns/op", 1.10},
	{"List100", "facade", "allocs/op", 1.25},
	// The same with a user-supplied *http.Client, the baseline's own
	// (issue 19): List100 must not be slower than the hand-written client.
	{"Get", "facade-hc", "ns/op", 1.10},
	{"Get", "facade-hc", "allocs/op", 1.25},
	{"List100", "facade-hc", "ns/op", 1.00},
	{"List100", "facade-hc", "allocs/op", 1.25},
	// The fake against a bare handler writing the same bytes.
	{"FakeGet", "fake", "ns/op", 2.0},
	// ListAll's read-ahead against a page-by-page loop, 20 ms per request.
	{"ListAll2000", "facade", "ns/op", 0.45},
}

type key struct{ call, impl, unit string }

// order is how rows are listed within a call; `make bench` rotates the run
// order, so first appearance means nothing.
var order = []string{"baseline", "facade", "facade-hc", "fake", "gen", "direct"}

func rank(impl string) int {
	if i := slices.Index(order, impl); i >= 0 {
		return i
	}
	return len(order)
}

type table struct {
	samples map[key][]float64
	calls   []string            // in order of first appearance
	impls   map[string][]string // per call, baseline first
	server  map[key][]float64   // BenchmarkServerShare, impl ""
}

func main() {
	t := &table{samples: map[key][]float64{}, impls: map[string][]string{}, server: map[key][]float64{}}
	if len(os.Args) < 2 {
		if err := t.read(os.Stdin); err != nil {
			fail(err)
		}
	}
	for _, name := range os.Args[1:] {
		f, err := os.Open(name)
		if err != nil {
			fail(err)
		}
		err = t.read(f)
		f.Close()
		if err != nil {
			fail(err)
		}
	}
	if len(t.calls) == 0 {
		fail(fmt.Errorf("no Benchmark<Call>/impl=<impl> results in the input"))
	}
	for _, impls := range t.impls {
		slices.SortStableFunc(impls, func(a, b string) int { return rank(a) - rank(b) })
	}
	t.print(os.Stdout)
	if !t.checkTargets(os.Stdout) {
		os.Exit(1)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "benchtable:", err)
	os.Exit(2)
}

// read collects one sample per result line and unit, such as
// "BenchmarkGet/impl=facade-2  23832  50769 ns/op  9046 B/op  111 allocs/op".
func (t *table) read(r io.Reader) error {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		name := strings.TrimPrefix(f[0], "Benchmark")
		if i := strings.LastIndexByte(name, '-'); i > 0 {
			if _, err := strconv.Atoi(name[i+1:]); err == nil {
				name = name[:i] // GOMAXPROCS suffix
			}
		}
		call, sub, ok := strings.Cut(name, "/")
		if !ok {
			continue
		}
		dst, impl := t.samples, ""
		switch {
		case call == "ServerShare" && strings.HasPrefix(sub, "call="):
			call, dst = strings.TrimPrefix(sub, "call="), t.server
		case strings.HasPrefix(sub, "impl="):
			impl = strings.TrimPrefix(sub, "impl=")
			if !slices.Contains(t.calls, call) {
				t.calls = append(t.calls, call)
			}
			if !slices.Contains(t.impls[call], impl) {
				t.impls[call] = append(t.impls[call], impl)
			}
		default:
			continue
		}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				return fmt.Errorf("%s: value %q: %v", f[0], f[i], err)
			}
			k := key{call, impl, f[i+1]}
			dst[k] = append(dst[k], v)
		}
	}
	return sc.Err()
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// ratio is impl's median over the baseline's for the same call; 0 when
// either is missing.
func (t *table) ratio(call, impl, unit string) float64 {
	base := median(t.samples[key{call, "baseline", unit}])
	v := median(t.samples[key{call, impl, unit}])
	if base == 0 || len(t.samples[key{call, impl, unit}]) == 0 {
		return 0
	}
	return v / base
}

// clientAllocRatio is the allocs/op ratio with the server's allocations
// taken out of both sides.
func (t *table) clientAllocRatio(call, impl string) (float64, bool) {
	srv, ok := t.server[key{call, "", "allocs/op"}]
	if !ok {
		return 0, false
	}
	s := median(srv)
	base := median(t.samples[key{call, "baseline", "allocs/op"}]) - s
	v := median(t.samples[key{call, impl, "allocs/op"}]) - s
	if base <= 0 {
		return 0, false
	}
	return v / base, true
}

func (t *table) print(w io.Writer) {
	runs := 0
	for _, xs := range t.samples {
		runs = max(runs, len(xs))
	}
	fmt.Fprintf(w, "Medians of %d runs; ×base = median / baseline's median for the same call.\n\n", runs)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "call\timpl\tn\tns/op\t×base\tB/op\t×base\tallocs/op\t×base\tclient-only allocs ×base\t")
	for _, call := range t.calls {
		for _, impl := range t.impls[call] {
			n := len(t.samples[key{call, impl, "ns/op"}])
			fmt.Fprintf(tw, "%s\t%s\t%d\t", call, impl, n)
			for _, u := range units {
				m := median(t.samples[key{call, impl, u}])
				fmt.Fprintf(tw, "%s\t%s\t", format(m, u), formatRatio(t.ratio(call, impl, u)))
			}
			if r, ok := t.clientAllocRatio(call, impl); ok {
				fmt.Fprintf(tw, "%s\t", formatRatio(r))
			} else {
				fmt.Fprint(tw, "-\t")
			}
			fmt.Fprintln(tw)
		}
	}
	tw.Flush()

	if len(t.server) > 0 {
		fmt.Fprintln(w, "\nServer's share of every row above (raw TCP client, BenchmarkServerShare):")
		for _, call := range t.calls {
			if _, ok := t.server[key{call, "", "ns/op"}]; !ok {
				continue
			}
			fmt.Fprintf(w, "  %-8s %s  %s  %s\n", call,
				format(median(t.server[key{call, "", "ns/op"}]), "ns/op"),
				format(median(t.server[key{call, "", "B/op"}]), "B/op"),
				format(median(t.server[key{call, "", "allocs/op"}]), "allocs/op"))
		}
	}
	for _, call := range t.calls {
		if slices.Contains(t.impls[call], "direct") && slices.Contains(t.impls[call], "facade") {
			d := median(t.samples[key{call, "facade", "allocs/op"}]) - median(t.samples[key{call, "direct", "allocs/op"}])
			fmt.Fprintf(w, "gen's builder and parser with the facade's layers (options, retry loop, headers, error path) on the %s success path: %+.0f allocs/op over impl=direct.\n", call, d)
		}
	}
}

func (t *table) checkTargets(w io.Writer) bool {
	fmt.Fprintln(w, "\nTargets (issues 5 and 14):")
	ok := true
	for _, tg := range targets {
		r := t.ratio(tg.call, tg.impl, tg.unit)
		verdict := "ok"
		switch {
		case r == 0:
			verdict, ok = "MISSING", false
		case r > tg.max:
			verdict, ok = "FAIL", false
		}
		fmt.Fprintf(w, "  %-11s %-7s %-10s %5.2f× baseline (limit %.2f×)  %s\n", tg.call, tg.impl, tg.unit, r, tg.max, verdict)
	}
	return ok
}

func formatRatio(r float64) string {
	if r == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", r)
}

func format(v float64, unit string) string {
	switch unit {
	case "ns/op":
		switch {
		case v >= 1e9:
			return fmt.Sprintf("%.2fs", v/1e9)
		case v >= 1e6:
			return fmt.Sprintf("%.2fms", v/1e6)
		case v >= 1e3:
			return fmt.Sprintf("%.1fµs", v/1e3)
		}
		return fmt.Sprintf("%.0fns", v)
	case "B/op":
		switch {
		case v >= 1<<20:
			return fmt.Sprintf("%.2fMiB", v/(1<<20))
		case v >= 1<<10:
			return fmt.Sprintf("%.1fKiB", v/(1<<10))
		}
		return fmt.Sprintf("%.0fB", v)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}
