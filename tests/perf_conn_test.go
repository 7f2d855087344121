package tests

import (
	"context"
	"errors"
	"testing"

	"github.com/orkeys/orkeys/facade"
)

// 1,000 sequential calls on one client must share one TCP connection, the
// failures included: a 404 and a 429 each come with a JSON body that the
// facade has to read to the end (and close) for the connection to be
// reused. The 429 calls use RetryConfig{Strategy: "none"} so that nothing
// waits; the 404 is not retried anyway.
// maxConnsFor1000Calls allows the spare dials of a starved machine.
const maxConnsFor1000Calls = 3

func TestOneConnectionFor1000Calls(t *testing.T) {
	s := newBenchServer()
	defer s.Close()
	c := newFacadeClient(t, s)
	ctx := context.Background()
	noRetry := facade.WithRetryConfig(facade.RetryConfig{Strategy: facade.StrategyNone})

	var ok, notFound, limited int
	for i := range 1000 {
		switch i % 4 {
		case 0:
			res, err := c.APIKeys.Get(ctx, facade.GetKeyRequest{Hash: s.getHash})
			if err != nil || res.Data.Hash != s.getHash {
				t.Fatalf("call %d: get: %v", i, err)
			}
			ok++
		case 1:
			_, err := c.APIKeys.Get(ctx, facade.GetKeyRequest{Hash: benchNotFoundHash})
			var nf *facade.NotFoundResponseError
			if !errors.As(err, &nf) {
				t.Fatalf("call %d: want a 404, got %v", i, err)
			}
			if nf.Message != "Key not found" && notFound == 0 {
				t.Errorf("call %d: 404 message %q, want the body's %q", i, nf.Message, "Key not found")
			}
			notFound++
		case 2:
			_, err := c.APIKeys.Get(ctx, facade.GetKeyRequest{Hash: benchLimitedHash}, noRetry)
			var tm *facade.TooManyRequestsResponseError
			if !errors.As(err, &tm) {
				t.Fatalf("call %d: want a 429, got %v", i, err)
			}
			if tm.Message != "Rate limit exceeded: slow down" && limited == 0 {
				t.Errorf("call %d: 429 message %q, want the body's %q", i, tm.Message, "Rate limit exceeded: slow down")
			}
			limited++
		case 3:
			res, err := c.APIKeys.List(ctx, facade.ListRequest{})
			if err != nil || len(res.Data) != benchPageSize {
				t.Fatalf("call %d: list: %v", i, err)
			}
			ok++
		}
	}
	got := s.newConns.Load()
	t.Logf("%d successes, %d 404s, %d 429s over %d TCP connection(s)", ok, notFound, limited, got)
	// One connection on a quiet machine. net/http hands a finished
	// connection back to its pool from the connection's read loop; when
	// that goroutine is starved (make test on two busy cores), the next
	// call starts a dial and the spare it makes is counted too. Not
	// reusing connections would open about 1000.
	if got < 1 || got > maxConnsFor1000Calls {
		t.Errorf("1000 sequential calls opened %d TCP connections, want 1 (at most %d on a starved machine)", got, maxConnsFor1000Calls)
	}
}
