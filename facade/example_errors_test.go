package facade_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/fake"
)

func ExampleAPIError() {
	srv := fake.NewServer()
	defer srv.Close()
	c, err := facade.New(facade.WithServerURL(srv.URL), facade.WithAPIKey(srv.ManagementKey))
	if err != nil {
		log.Fatal(err)
	}

	_, err = c.APIKeys.Get(context.Background(), facade.GetKeyRequest{Hash: "no-such-key"})

	// The same error is both the type for its status and an *APIError.
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

func ExampleForbiddenResponseError() {
	srv := fake.NewServer()
	defer srv.Close()
	c, err := facade.New(facade.WithServerURL(srv.URL), facade.WithAPIKey(srv.ManagementKey))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	created, err := c.APIKeys.Create(ctx, facade.CreateKeysRequest{
		RequestBody: facade.CreateKeysRequestBody{Name: "worker"},
	})
	if err != nil {
		log.Fatal(err)
	}

	// A regular key is valid, but only a management key may call /keys.
	_, err = c.APIKeys.List(ctx, facade.ListRequest{}, facade.WithAPIKey(created.Key.Reveal()))

	var forbidden *facade.ForbiddenResponseError
	if errors.As(err, &forbidden) {
		fmt.Println(forbidden.StatusCode, forbidden.Message)
	}
	// Output:
	// 403 Only management keys can perform this operation
}

func ExampleTooManyRequestsResponseError() {
	srv := fake.NewServer()
	defer srv.Close()
	c, err := facade.New(facade.WithServerURL(srv.URL), facade.WithAPIKey(srv.ManagementKey))
	if err != nil {
		log.Fatal(err)
	}
	// Script the trouble: the next GET /keys answers 429, come back in a minute.
	srv.Inject(fake.Fault{Method: "GET", Path: "/keys", Status: http.StatusTooManyRequests,
		Header: http.Header{"Retry-After": {"60"}}})

	// A hint longer than the longest wait (RetryConfig's MaxInterval, 30s
	// by default) ends the call at once instead of blocking it.
	_, err = c.APIKeys.List(context.Background(), facade.ListRequest{})

	var limited *facade.TooManyRequestsResponseError
	if errors.As(err, &limited) {
		fmt.Println("rate limited; try again in", limited.RetryAfter)
	}
	fmt.Println(len(srv.Requests()), "attempt")
	// Output:
	// rate limited; try again in 1m0s
	// 1 attempt
}

func ExampleMaybeCreatedError() {
	srv := fake.NewServer()
	defer srv.Close()
	c, err := facade.New(facade.WithServerURL(srv.URL), facade.WithAPIKey(srv.ManagementKey))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	// The server fails the next create: did it make the key before failing?
	srv.Inject(fake.Fault{Method: "POST", Path: "/keys", Status: http.StatusInternalServerError})

	req := facade.CreateKeysRequest{RequestBody: facade.CreateKeysRequestBody{Name: "customer-42"}}
	_, err = c.APIKeys.Create(ctx, req)

	// orkeys does not re-send a create that may have worked, as that could
	// mint a second live key. Look for the key by name first.
	var maybe *facade.MaybeCreatedError
	if !errors.As(err, &maybe) {
		log.Fatal(err)
	}
	fmt.Println("maybe created:", maybe.Name)
	var internal *facade.InternalServerResponseError // still reachable inside
	fmt.Println("status 500:", errors.As(err, &internal))

	found := 0
	for k, err := range c.APIKeys.All(ctx, facade.ListRequest{IncludeDisabled: true}) {
		if err != nil {
			log.Fatal(err)
		}
		if k.Name == maybe.Name {
			found++
		}
	}
	fmt.Println("keys with that name:", found)
	if found == 0 {
		created, err := c.APIKeys.Create(ctx, req)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("created", created.Data.Name)
	}
	// Output:
	// maybe created: customer-42
	// status 500: true
	// keys with that name: 0
	// created customer-42
}
