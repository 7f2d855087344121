package facade_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/orkeys/orkeys/secret"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/oapi-codegen/nullable"

	"github.com/orkeys/orkeys/facade"
)

// exampleClient returns a client for a small in-memory stand-in for
// OpenRouter that holds two keys, and a function that stops it. Real code
// calls facade.New() with OPENROUTER_API_KEY set, or passes
// facade.WithAPIKey.
func exampleClient() (*facade.Client, func()) {
	srv := httptest.NewServer(newExampleAPI())
	c, err := facade.New(
		facade.WithServerURL(srv.URL+"/api/v1"),
		facade.WithAPIKey("sk-or-v1-example-management-key-0000000000000000"),
	)
	if err != nil {
		log.Fatal(err)
	}
	return c, srv.Close
}

func ExampleNew() {
	// The key, base URL and attribution headers default to the
	// OPENROUTER_* environment variables; options override them.
	c, err := facade.New(
		facade.WithAPIKey(os.Getenv("MY_MANAGEMENT_KEY")),
		facade.WithXTitle("Key Rotator"), // sent as X-OpenRouter-Title and X-Title
		facade.WithHTTPReferer("https://rotator.example"),
		facade.WithTimeout(30*time.Second),
	)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("using %v", c) // prints the server, never the key
}

func ExampleAPIKeysCreate() {
	c, stop := exampleClient()
	defer stop()

	created, err := facade.APIKeysCreate(context.Background(), c, facade.CreateKeysRequest{
		RequestBody: facade.CreateKeysRequestBody{
			Name:       "customer-42",
			Limit:      facade.Ptr(25.0),
			LimitReset: facade.Ptr(facade.LimitResetMonthly),
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(created.Data.Name, *created.Data.Limit, *created.Data.LimitReset)
	// The plaintext key is in this response only. It prints redacted;
	// Reveal returns it for storing in a secret manager.
	fmt.Println(created.Key)
	fmt.Println(len(created.Key.Reveal()))
	// Output:
	// customer-42 25 monthly
	// sk-or-v1-7f3…9c2e
	// 73
}

func ExampleAPIKeysList() {
	c, stop := exampleClient()
	defer stop()

	page, err := facade.APIKeysList(context.Background(), c, facade.ListRequest{})
	if err != nil {
		log.Fatal(err)
	}
	for _, k := range page.Data {
		fmt.Println(k.Name, k.Disabled)
	}
	// Output:
	// ci-runner false
	// staging false
}

func ExampleAPIKeysGet() {
	c, stop := exampleClient()
	defer stop()

	got, err := c.APIKeys.Get(context.Background(), facade.GetKeyRequest{Hash: "a1b2c3"})
	if err != nil {
		log.Fatal(err)
	}
	k := got.Data
	fmt.Println(k.Name, *k.Limit, *k.LimitRemaining, k.LimitReset == nil)
	// Output:
	// ci-runner 10 7.5 true
}

func ExampleAPIKeysUpdate() {
	c, stop := exampleClient()
	defer stop()

	// Rename, switch off and remove the cap (JSON null); fields left unset
	// are not sent and stay as they are.
	updated, err := c.APIKeys.Update(context.Background(), facade.UpdateKeysRequest{
		Hash: "a1b2c3",
		RequestBody: facade.UpdateKeysRequestBody{
			Name:     ptrTo("ci-runner-old"),
			Disabled: ptrTo(true),
			Limit:    nullable.NewNullNullable[float64](),
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	k := updated.Data
	fmt.Println(k.Name, k.Disabled, k.Limit == nil)
	// Output:
	// ci-runner-old true true
}

func ExampleAPIKeysDelete() {
	c, stop := exampleClient()
	defer stop()

	res, err := c.APIKeys.Delete(context.Background(), facade.DeleteKeysRequest{Hash: "a1b2c3"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Deleted)
	// Output:
	// true
}

func ExampleAPIKeysGetCurrentKeyMetadata() {
	c, stop := exampleClient()
	defer stop()

	cur, err := c.APIKeys.GetCurrentKeyMetadata(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(cur.Data.Label, cur.Data.IsManagementKey, cur.Data.Usage)
	// Output:
	// sk-or-v1-exa…0000 true 1.25
}

func ExampleAPIKeys_All() {
	c, stop := exampleClient()
	defer stop()

	// All fetches page after page (100 keys each) as the loop asks for
	// more; break stops it.
	for k, err := range c.APIKeys.All(context.Background(), facade.ListRequest{IncludeDisabled: true}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(k.Hash, k.Name)
	}
	// Output:
	// a1b2c3 ci-runner
	// d4e5f6 staging
}

func ExampleAPIKeysListAll() {
	c, stop := exampleClient()
	defer stop()

	n := 0
	for _, err := range facade.APIKeysListAll(context.Background(), c, facade.ListRequest{}) {
		if err != nil {
			log.Fatal(err)
		}
		n++
	}
	fmt.Println(n, "keys")
	// Output:
	// 2 keys
}

func ExampleAPIError() {
	c, stop := exampleClient()
	defer stop()

	_, err := c.APIKeys.Get(context.Background(), facade.GetKeyRequest{Hash: "no-such-key"})

	var notFound *facade.NotFoundResponseError
	if errors.As(err, &notFound) {
		fmt.Println("not found:", notFound.StatusCode)
	}
	var apiErr *facade.APIError // every HTTP error is one
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.Code, apiErr.Message)
	}
	fmt.Println(err)
	// Output:
	// not found: 404
	// 404 Resource not found
	// openrouter: 404 Not Found: Resource not found (GET /keys/{hash})
}

func ExampleWithHeader() {
	c, stop := exampleClient()
	defer stop()

	// Per-call options apply to this call only, after the client's.
	var resp *http.Response
	_, err := c.APIKeys.GetCurrentKeyMetadata(context.Background(),
		facade.WithHeader("X-Request-Id", "req-7"),
		facade.WithTimeout(5*time.Second),
		facade.WithResponseInto(&resp),
	)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.StatusCode, resp.Header.Get("X-Request-Id"))
	// Output:
	// 200 req-7
}

func ptrTo[T any](v T) *T { return &v }

// exampleAPI is the examples' stand-in for OpenRouter: two keys, fixed
// answers, no checks beyond what the examples need.
type exampleAPI struct {
	mu   sync.Mutex
	keys []facade.APIKey
}

func newExampleAPI() http.Handler {
	limit, remaining := 10.0, 7.5
	a := &exampleAPI{keys: []facade.APIKey{
		{Hash: "a1b2c3", Name: "ci-runner", Label: "sk-or-v1-a1b…c3c3", Limit: &limit, LimitRemaining: &remaining,
			CreatedAt: time.Date(2025, 8, 24, 10, 30, 0, 0, time.UTC), WorkspaceID: "0df9e665-d932-5740-b2c7-b52af166bc11"},
		{Hash: "d4e5f6", Name: "staging", Label: "sk-or-v1-d4e…f6f6",
			CreatedAt: time.Date(2025, 8, 20, 8, 0, 0, 0, time.UTC), WorkspaceID: "0df9e665-d932-5740-b2c7-b52af166bc11"},
	}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/key", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", r.Header.Get("X-Request-Id"))
		exampleJSON(w, 200, map[string]any{"data": facade.CurrentKey{
			Label: "sk-or-v1-exa…0000", IsManagementKey: true, Usage: 1.25,
		}})
	})
	mux.HandleFunc("GET /api/v1/keys", func(w http.ResponseWriter, r *http.Request) {
		a.mu.Lock()
		defer a.mu.Unlock()
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		exampleJSON(w, 200, facade.ListResponse{Data: a.keys[min(offset, len(a.keys)):]})
	})
	mux.HandleFunc("POST /api/v1/keys", func(w http.ResponseWriter, r *http.Request) {
		var body facade.CreateKeysRequestBody
		json.NewDecoder(r.Body).Decode(&body)
		k := facade.APIKey{Hash: "9e8d7c", Name: body.Name, CreatedAt: time.Date(2025, 8, 25, 12, 0, 0, 0, time.UTC)}
		k.Limit, k.LimitRemaining, k.LimitReset = body.Limit, body.Limit, body.LimitReset
		exampleJSON(w, 201, facade.CreateKeysResponse{Data: k,
			Key: secret.New("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")})
	})
	withKey := func(h func(http.ResponseWriter, *http.Request, *facade.APIKey)) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			a.mu.Lock()
			defer a.mu.Unlock()
			for i := range a.keys {
				if a.keys[i].Hash == r.PathValue("hash") {
					h(w, r, &a.keys[i])
					return
				}
			}
			exampleJSON(w, 404, map[string]any{"error": map[string]any{"code": 404, "message": "Resource not found"}})
		}
	}
	mux.HandleFunc("GET /api/v1/keys/{hash}", withKey(func(w http.ResponseWriter, _ *http.Request, k *facade.APIKey) {
		exampleJSON(w, 200, facade.GetKeyResponse{Data: *k})
	}))
	mux.HandleFunc("PATCH /api/v1/keys/{hash}", withKey(func(w http.ResponseWriter, r *http.Request, k *facade.APIKey) {
		var body facade.UpdateKeysRequestBody
		json.NewDecoder(r.Body).Decode(&body)
		if body.Name != nil {
			k.Name = *body.Name
		}
		if body.Disabled != nil {
			k.Disabled = *body.Disabled
		}
		if body.Limit.IsNull() {
			k.Limit, k.LimitRemaining = nil, nil
		}
		exampleJSON(w, 200, facade.UpdateKeysResponse{Data: *k})
	}))
	mux.HandleFunc("DELETE /api/v1/keys/{hash}", withKey(func(w http.ResponseWriter, _ *http.Request, _ *facade.APIKey) {
		exampleJSON(w, 200, facade.DeleteKeysResponse{Deleted: true})
	}))
	return mux
}

func exampleJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
