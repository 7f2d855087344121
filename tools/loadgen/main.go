// Command loadgen measures how many requests per second a server of the
// key API answers, such as `orkeys fake-server`: it creates one key, then
// sends GET /keys/{hash} (or GET /keys with -op list) from -c goroutines
// for -d, and prints the rate and latency percentiles.
//
//	go build -o orkeys ./cmd/orkeys
//	./orkeys fake-server --port 0 > fake.env &   # the two export lines
//	sleep 1; . ./fake.env
//	go run ./tools/loadgen -c 16 -d 10s
//	kill %1
//
// It reads OPENROUTER_BASE_URL and OPENROUTER_API_KEY, as fake-server
// prints them. Client and server share the machine's cores, so the figure
// is what one machine does with both.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"sync"
	"time"
)

func main() {
	conc := flag.Int("c", 16, "concurrent requests")
	dur := flag.Duration("d", 10*time.Second, "how long to send")
	op := flag.String("op", "get", "get (GET /keys/{hash}) or list (GET /keys, one key)")
	flag.Parse()
	base, key := os.Getenv("OPENROUTER_BASE_URL"), os.Getenv("OPENROUTER_API_KEY")
	if base == "" || key == "" {
		fail(errors.New("set OPENROUTER_BASE_URL and OPENROUTER_API_KEY (orkeys fake-server prints both)"))
	}
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *conc}}
	auth := "Bearer " + key

	hash, err := createKey(hc, base, auth)
	if err != nil {
		fail(err)
	}
	url := base + "/keys/" + hash
	switch *op {
	case "get":
	case "list":
		url = base + "/keys"
	default:
		fail(fmt.Errorf("-op %q: want get or list", *op))
	}

	ctx, cancel := context.WithTimeout(context.Background(), *dur)
	defer cancel()
	var (
		mu    sync.Mutex
		lats  []time.Duration
		fails int
		wg    sync.WaitGroup
	)
	start := time.Now()
	for range *conc {
		wg.Go(func() {
			var mine []time.Duration
			bad := 0
			for ctx.Err() == nil {
				t0 := time.Now()
				if err := get(ctx, hc, url, auth); err != nil {
					if ctx.Err() == nil {
						bad++
					}
					continue
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			lats = append(lats, mine...)
			fails += bad
			mu.Unlock()
		})
	}
	wg.Wait()
	took := time.Since(start)
	if len(lats) == 0 {
		fail(errors.New("no request succeeded"))
	}
	slices.Sort(lats)
	pct := func(p float64) time.Duration { return lats[int(p*float64(len(lats)-1))] }
	fmt.Printf("GET %s: %d requests in %v from %d goroutines: %.0f req/s; latency p50 %v, p90 %v, p99 %v; %d failed\n",
		map[string]string{"get": "/keys/{hash}", "list": "/keys"}[*op], len(lats), took.Round(time.Millisecond), *conc, float64(len(lats))/took.Seconds(),
		pct(0.50).Round(time.Microsecond), pct(0.90).Round(time.Microsecond), pct(0.99).Round(time.Microsecond), fails)
}

// createKey makes the key the GETs ask for.
func createKey(hc *http.Client, base, auth string) (string, error) {
	req, err := http.NewRequest(http.MethodPost, base+"/keys", bytes.NewReader([]byte(`{"name":"loadgen","limit":10}`)))
	if err != nil {
		return "", err
	}
	req.Header.Set("Authorization", auth)
	req.Header.Set("Content-Type", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var created struct {
		Data struct {
			Hash string `json:"hash"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&created); err != nil || resp.StatusCode != http.StatusCreated {
		return "", fmt.Errorf("create a key: status %d, %v", resp.StatusCode, err)
	}
	return created.Data.Hash, nil
}

// get sends one request and reads the answer whole, so that the
// connection is reused.
func get(ctx context.Context, hc *http.Client, url, auth string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", auth)
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("status %d", resp.StatusCode)
	}
	return err
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "loadgen:", err)
	os.Exit(1)
}
