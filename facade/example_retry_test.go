package facade_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"time"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/fake"
)

func ExampleRetryConfig() {
	srv := fake.NewServer()
	defer srv.Close()
	c, err := facade.New(
		facade.WithServerURL(srv.URL),
		facade.WithAPIKey(srv.ManagementKey),
		// Fields left zero keep their defaults: 30s at most between
		// attempts, none started 2 minutes after the first.
		facade.WithRetryConfig(facade.RetryConfig{
			Backoff: &facade.BackoffStrategy{InitialInterval: 10 * time.Millisecond},
		}),
	)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	unavailable := fake.Fault{Method: "GET", Path: "/keys", Status: http.StatusServiceUnavailable}

	// Two 503s, then the real answer: the call succeeds on its third attempt.
	srv.Inject(unavailable, unavailable)
	if _, err := c.APIKeys.List(ctx, facade.ListRequest{}); err != nil {
		log.Fatal(err)
	}
	fmt.Println("attempts:", len(srv.Requests()))

	// Per call, Strategy "none" makes exactly one attempt.
	srv.ResetRequests()
	srv.Inject(unavailable)
	_, err = c.APIKeys.List(ctx, facade.ListRequest{},
		facade.WithRetryConfig(facade.RetryConfig{Strategy: facade.StrategyNone}))
	fmt.Println("attempts:", len(srv.Requests()))
	fmt.Println(err)
	// Output:
	// attempts: 3
	// attempts: 1
	// openrouter: 503 Service Unavailable: Service Unavailable (GET /keys)
}

func ExampleRetryError() {
	srv := fake.NewServer()
	defer srv.Close()
	c, err := facade.New(facade.WithServerURL(srv.URL), facade.WithAPIKey(srv.ManagementKey),
		// Short waits between attempts; the default first wait is 500ms.
		facade.WithRetryConfig(facade.RetryConfig{
			Backoff: &facade.BackoffStrategy{InitialInterval: 10 * time.Millisecond},
		}))
	if err != nil {
		log.Fatal(err)
	}
	// A 503, then a 503 that asks for a 2-minute pause: longer than any
	// wait the policy allows, so the call gives up rather than block.
	srv.Inject(
		fake.Fault{Method: "GET", Path: "/keys", Status: http.StatusServiceUnavailable},
		fake.Fault{Method: "GET", Path: "/keys", Status: http.StatusServiceUnavailable,
			Header: http.Header{"Retry-After": {"120"}}},
	)

	_, err = c.APIKeys.List(context.Background(), facade.ListRequest{})

	var retryErr *facade.RetryError
	if errors.As(err, &retryErr) {
		fmt.Println("attempts:", retryErr.Attempts)
	}
	// It unwraps to the last attempt's error.
	var apiErr *facade.APIError
	if errors.As(err, &apiErr) {
		fmt.Println("last:", apiErr.StatusCode, "retry after", apiErr.RetryAfter)
	}
	fmt.Println(err)
	// Output:
	// attempts: 2
	// last: 503 retry after 2m0s
	// giving up after 2 attempts: openrouter: 503 Service Unavailable: Service Unavailable (GET /keys)
}

func ExampleWithAttemptHook() {
	srv := fake.NewServer()
	defer srv.Close()

	// Report each attempt, e.g. as progress or a metric. Took and Wait vary
	// from run to run, so this prints only what does not.
	report := func(_ context.Context, a facade.Attempt) {
		next := "done"
		if a.Retrying() {
			next = "retrying"
		}
		fmt.Printf("%s %s attempt %d: %d, %s\n", a.Method, a.Path, a.Number, a.Status, next)
	}
	c, err := facade.New(facade.WithServerURL(srv.URL), facade.WithAPIKey(srv.ManagementKey),
		facade.WithAttemptHook(report),
		facade.WithRetryConfig(facade.RetryConfig{
			Backoff: &facade.BackoffStrategy{InitialInterval: 10 * time.Millisecond},
		}))
	if err != nil {
		log.Fatal(err)
	}
	seeded, err := srv.AddKey(facade.CreateKeysRequestBody{Name: "ci-runner"})
	if err != nil {
		log.Fatal(err)
	}
	// The next two GET /keys/{hash} fail with statuses worth retrying.
	srv.Inject(
		fake.Fault{Method: "GET", Path: "/keys/{hash}", Status: http.StatusTooManyRequests},
		fake.Fault{Method: "GET", Path: "/keys/{hash}", Status: http.StatusBadGateway},
	)

	got, err := c.APIKeys.Get(context.Background(), facade.GetKeyRequest{Hash: seeded.Data.Hash})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(got.Data.Name)
	// Output:
	// GET /keys/{hash} attempt 1: 429, retrying
	// GET /keys/{hash} attempt 2: 502, retrying
	// GET /keys/{hash} attempt 3: 200, done
	// ci-runner
}
