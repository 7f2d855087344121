package tests

import (
	"context"
	"testing"

	"github.com/orkeys/orkeys/facade"
)

// maxLayerAllocs is what the facade's own layers (options, the retry loop,
// headers, attempt bookkeeping, the error path) may allocate on a
// successful call beyond the bare path they wrap (impl=direct in
// bench_test.go: same URL building, same http.Client, pooled buffer,
// json.Unmarshal). Measured: 1 (the attempt's result record). The slack of
// one covers sync.Pool, which drops items at random under -race.
const maxLayerAllocs = 2

// The success path's allocation overhead is a small constant, whatever the
// payload: the same for one key as for a page of 100. Allocation counts
// are deterministic, so this is not a timing test.
func TestSuccessPathLayerAllocs(t *testing.T) {
	s := newBenchServer()
	defer s.Close()
	c := newFacadeClient(t, s)
	d := newDirect(s)
	ctx := context.Background()

	for _, tc := range []struct {
		name           string
		facade, direct func() error
	}{
		{"GET /keys/{hash}",
			func() error { _, err := facade.APIKeysGet(ctx, c, facade.GetKeyRequest{Hash: s.getHash}); return err },
			func() error { _, err := d.get(ctx, s.getHash); return err }},
		{"GET /keys (100 keys)",
			func() error { _, err := facade.APIKeysList(ctx, c, facade.ListRequest{}); return err },
			func() error { _, err := d.list(ctx); return err }},
	} {
		for _, f := range []func() error{tc.facade, tc.direct} { // warm the pools and the connection
			if err := f(); err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
		}
		fa := testing.AllocsPerRun(100, func() { _ = tc.facade() })
		da := testing.AllocsPerRun(100, func() { _ = tc.direct() })
		t.Logf("%s: facade %.0f allocs/call, direct %.0f: the layers add %.0f", tc.name, fa, da, fa-da)
		if fa-da > maxLayerAllocs {
			t.Errorf("%s: the facade's layers add %.0f allocations per successful call (facade %.0f, direct %.0f), want at most %d",
				tc.name, fa-da, fa, da, maxLayerAllocs)
		}
	}
}
