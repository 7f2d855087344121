package fake_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/orkeys/orkeys/fake"
)

// A fake server in a test: create a key with plain net/http, see the
// scripted 429 that follows, and what the server received.
func Example() {
	srv := fake.NewServer()
	defer srv.Close()

	call := func(method, path, body string) (int, []byte) {
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+srv.ManagementKey)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, nil
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}

	status, body := call("POST", "/keys", `{"name":"ci","limit":5,"limit_reset":"daily"}`)
	var created struct {
		Data struct {
			Name           string  `json:"name"`
			LimitRemaining float64 `json:"limit_remaining"`
		} `json:"data"`
	}
	_ = json.Unmarshal(body, &created)
	fmt.Println(status, created.Data.Name, created.Data.LimitRemaining)

	srv.Inject(fake.Fault{Method: "GET", Path: "/keys", Status: 429, Header: http.Header{"Retry-After": {"1"}}})
	status, body = call("GET", "/keys", "")
	fmt.Println(status, string(body))
	status, _ = call("GET", "/keys", "")
	fmt.Println(status)

	for _, r := range srv.Requests() {
		fmt.Println(r.Method, r.Path)
	}
	// Output:
	// 201 ci 5
	// 429 {"error":{"code":429,"message":"Too Many Requests"}}
	// 200
	// POST /api/v1/keys
	// GET /api/v1/keys
	// GET /api/v1/keys
}
