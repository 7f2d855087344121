package tests

// Benchmarks for issue 14, run by `make bench` beside issue 5's:
//
//   - BenchmarkFakeGet: the fake's cost per GET /keys/{hash} against a bare
//     net/http handler that writes the same bytes (impl=baseline), through
//     the same client. Target: ≤ 2.0× the baseline's ns/op.
//   - BenchmarkListAll2000: walking 2,000 keys from a fake that holds every
//     request for 20 ms, with ListAll's read-ahead (impl=facade) against a
//     page-by-page APIKeysList loop (impl=baseline). Target: ≤ 0.45×.

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/fake"
	"github.com/orkeys/orkeys/gen"
)

// fakeBenchRequestLimit is the request log `orkeys fake-server` keeps.
const fakeBenchRequestLimit = 1000

// getRaw sends GET url with the bearer key and reads the whole answer.
func getRaw(ctx context.Context, hc *http.Client, url, auth string, buf *bytes.Buffer) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", auth)
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	buf.Reset()
	_, err = buf.ReadFrom(resp.Body)
	return resp.StatusCode, err
}

// BenchmarkFakeGet measures one GET /keys/{hash} against the fake, as
// `orkeys fake-server` runs it (routing, authentication, validation against
// the spec, the store, JSON encoding, the request log), and against a bare
// handler that writes the bytes the fake answers with. Both go through the
// same client, so the ratio is what the fake adds per request.
func BenchmarkFakeGet(b *testing.B) {
	srv := fake.NewServer(fake.WithRequestLimit(fakeBenchRequestLimit))
	defer srv.Close()
	var hash string
	for i := range 100 {
		created, err := srv.AddKey(gen.CreateKeysRequestBody{Name: fmt.Sprintf("bench key %03d", i), Limit: new(50.0)})
		if err != nil {
			b.Fatal(err)
		}
		hash = created.Data.Hash
	}
	hc := &http.Client{Transport: &http.Transport{}}
	defer hc.CloseIdleConnections()
	ctx := context.Background()
	auth := "Bearer " + srv.ManagementKey
	var buf bytes.Buffer

	// The fake's answer, as the bare handler will send it.
	if status, err := getRaw(ctx, hc, srv.URL+"/keys/"+hash, auth, &buf); err != nil || status != http.StatusOK {
		b.Fatal(status, err)
	}
	body := bytes.Clone(buf.Bytes())
	ctype, length := []string{"application/json"}, []string{strconv.Itoa(len(body))}
	bare := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		h := w.Header()
		h["Content-Type"] = ctype
		h["Content-Length"] = length
		_, _ = w.Write(body)
	}))
	defer bare.Close()

	run := func(url string) func(*testing.B) {
		return func(b *testing.B) {
			if status, err := getRaw(ctx, hc, url, auth, &buf); err != nil || status != http.StatusOK || !bytes.Equal(buf.Bytes(), body) {
				b.Fatalf("status %d, %v, or a different body", status, err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := getRaw(ctx, hc, url, auth, &buf); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	runRotated(b, []benchImpl{
		{"baseline", run(bare.URL + "/api/v1/keys/" + hash)},
		{"fake", run(srv.URL + "/keys/" + hash)},
	})
}

// listAllKeys and listAllLatency set BenchmarkListAll2000's scene: 20 pages
// of keys behind a 20 ms round trip.
const (
	listAllKeys    = 2000
	listAllLatency = 20 * time.Millisecond
)

var (
	slowFakeOnce sync.Once
	slowFake     *fake.Server
)

// slowFakeServer is a fake holding listAllKeys keys that waits
// listAllLatency before each answer. It lives until the test binary exits.
func slowFakeServer(b *testing.B) *fake.Server {
	slowFakeOnce.Do(func() {
		slowFake = fake.NewServer(fake.WithLatency(listAllLatency), fake.WithRequestLimit(fakeBenchRequestLimit))
		for i := range listAllKeys {
			if _, err := slowFake.AddKey(gen.CreateKeysRequestBody{Name: fmt.Sprintf("key %04d", i)}); err != nil {
				panic(err)
			}
		}
	})
	return slowFake
}

// BenchmarkListAll2000 walks every key of slowFakeServer: ListAll with its
// default read-ahead against the loop a caller writes without it.
func BenchmarkListAll2000(b *testing.B) {
	srv := slowFakeServer(b)
	ctx := context.Background()
	c, err := facade.New(facade.WithAPIKey(srv.ManagementKey), facade.WithServerURL(srv.URL))
	if err != nil {
		b.Fatal(err)
	}
	check := func(b *testing.B, walk func() (int, error)) {
		if n, err := walk(); err != nil || n != listAllKeys {
			b.Fatalf("walked %d keys, want %d: %v", n, listAllKeys, err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := walk(); err != nil {
				b.Fatal(err)
			}
		}
	}
	runRotated(b, []benchImpl{
		{"baseline", func(b *testing.B) {
			check(b, func() (int, error) {
				n := 0
				for offset := 0; ; offset += facade.PageSize {
					page, err := c.APIKeys.List(ctx, facade.ListRequest{Offset: &offset})
					if err != nil {
						return n, err
					}
					n += len(page.Data)
					if len(page.Data) < facade.PageSize {
						return n, nil
					}
				}
			})
		}},
		{"facade", func(b *testing.B) {
			check(b, func() (int, error) {
				n := 0
				for _, err := range c.APIKeys.All(ctx, facade.ListRequest{}) {
					if err != nil {
						return n, err
					}
					n++
				}
				return n, nil
			})
		}},
	})
}
