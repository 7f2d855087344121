package facade_test

import (
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/orkeys/orkeys/facade"
)

// Without WithHTTPClient, concurrent calls share a pool that keeps their
// connections: 16 goroutines making 50 calls each open at most 32
// connections (with net/http's default of 2 idle connections per host,
// this opened 67 on loopback).
func TestConcurrentCallsReuseConnections(t *testing.T) {
	clearEnv(t)
	const goroutines, calls = 16, 50
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(okFor))
	srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	c, err := facade.New(facade.WithAPIKey(testKey), facade.WithServerURL(srv.URL+"/api/v1"))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range goroutines {
		wg.Go(func() {
			for range calls {
				if _, err := c.APIKeys.Get(t.Context(), facade.GetKeyRequest{Hash: testHash}); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	t.Logf("%d calls on %d goroutines opened %d connections", goroutines*calls, goroutines, conns.Load())
	if n := conns.Load(); n > 32 {
		t.Errorf("%d calls on %d goroutines opened %d connections, want at most 32", goroutines*calls, goroutines, n)
	}
}

// A client given with WithHTTPClient is used as given: its transport sends
// every request, and the pool is not involved.
func TestSuppliedClientIsUsedAsGiven(t *testing.T) {
	clearEnv(t)
	srv := httptest.NewServer(http.HandlerFunc(okFor))
	defer srv.Close()
	var sent atomic.Int64
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		sent.Add(1)
		return http.DefaultTransport.RoundTrip(r)
	})}
	c, err := facade.New(facade.WithAPIKey(testKey), facade.WithServerURL(srv.URL+"/api/v1"), facade.WithHTTPClient(hc))
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := c.APIKeys.Get(t.Context(), facade.GetKeyRequest{Hash: testHash}); err != nil {
			t.Fatal(err)
		}
	}
	if n := sent.Load(); n != 3 {
		t.Errorf("the supplied transport sent %d requests, want 3", n)
	}
}
