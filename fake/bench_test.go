package fake_test

import (
	"encoding/json"
	"fmt"
	"github.com/orkeys/orkeys/secret"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/orkeys/orkeys/fake"
	"github.com/orkeys/orkeys/gen"
)

// The fake checks every request against the spec; these benchmarks show
// what that costs next to a hand-written net/http + encoding/json server
// doing the same work (auth, map lookup, JSON) without validation. Run:
//
//	go test -run '^$' -bench . -count 6 ./fake | tee new.txt; go tool benchstat new.txt
func BenchmarkServer(b *testing.B) {
	for _, op := range []struct {
		name, method, body string
		path               func(hash string) string
	}{
		{"GetKey", "GET", "", func(h string) string { return "/keys/" + h }},
		{"List100", "GET", "", func(string) string { return "/keys" }},
		{"Create", "POST", `{"name":"bench","limit":5}`, func(string) string { return "/keys" }},
	} {
		b.Run(op.name+"/fake", func(b *testing.B) {
			srv := fake.NewServer()
			defer srv.Close()
			hash := ""
			for i := range 100 {
				created, err := srv.AddKey(gen.CreateKeysRequestBody{Name: fmt.Sprint("k", i)})
				if err != nil {
					b.Fatal(err)
				}
				hash = created.Data.Hash
			}
			benchCalls(b, srv.URL, srv.ManagementKey, op.method, op.path(hash), op.body)
		})
		b.Run(op.name+"/baseline", func(b *testing.B) {
			base := newBaseline(b)
			benchCalls(b, base.url, base.key, op.method, op.path(base.hash), op.body)
		})
	}
}

func benchCalls(b *testing.B, baseURL, key, method, path, body string) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	defer client.CloseIdleConnections()
	b.ReportAllocs()
	for b.Loop() {
		req, _ := http.NewRequest(method, baseURL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+key)
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode >= 300 {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
}

// baseline is the hand-written server: what one would write without the
// spec, answering the same shapes.
type baseline struct {
	url, key, hash string
	mu             sync.Mutex
	keys           map[string]gen.APIKey
	order          []string
}

func newBaseline(b *testing.B) *baseline {
	srv := fake.NewServer() // only to mint realistic keys
	defer srv.Close()
	base := &baseline{key: srv.ManagementKey, keys: map[string]gen.APIKey{}}
	for i := range 100 {
		created, err := srv.AddKey(gen.CreateKeysRequestBody{Name: fmt.Sprint("k", i)})
		if err != nil {
			b.Fatal(err)
		}
		base.keys[created.Data.Hash] = created.Data
		base.order = append(base.order, created.Data.Hash)
		base.hash = created.Data.Hash
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/keys/{hash}", base.auth(func(w http.ResponseWriter, r *http.Request) {
		base.mu.Lock()
		k, ok := base.keys[r.PathValue("hash")]
		base.mu.Unlock()
		if !ok {
			http.Error(w, `{"error":{"code":404,"message":"Resource not found"}}`, http.StatusNotFound)
			return
		}
		writeBaseline(w, http.StatusOK, gen.GetKeyResponse{Data: k})
	}))
	mux.HandleFunc("GET /api/v1/keys", base.auth(func(w http.ResponseWriter, r *http.Request) {
		base.mu.Lock()
		page := make([]gen.APIKey, 0, len(base.order))
		for i := len(base.order) - 1; i >= 0; i-- {
			page = append(page, base.keys[base.order[i]])
		}
		base.mu.Unlock()
		writeBaseline(w, http.StatusOK, gen.ListResponse{Data: page})
	}))
	mux.HandleFunc("POST /api/v1/keys", base.auth(func(w http.ResponseWriter, r *http.Request) {
		var body gen.CreateKeysRequestBody
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.Name == "" {
			http.Error(w, `{"error":{"code":400,"message":"bad"}}`, http.StatusBadRequest)
			return
		}
		k := base.keys[base.hash]
		k.Name = body.Name
		writeBaseline(w, http.StatusCreated, gen.CreateKeysResponse{Data: k, Key: secret.New("sk-or-v1-x")})
	}))
	ts := httptest.NewServer(mux)
	b.Cleanup(ts.Close)
	base.url = ts.URL + "/api/v1"
	return base
}

func (base *baseline) auth(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+base.key {
			http.Error(w, `{"error":{"code":401,"message":"No auth credentials found"}}`, http.StatusUnauthorized)
			return
		}
		next(w, r)
	}
}

func writeBaseline(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
