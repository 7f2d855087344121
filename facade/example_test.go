package facade_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"strings"
	"time"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/fake"
)

// Every example runs against package fake, an in-memory OpenRouter on a
// loopback port, so that its output is checked by go test without a
// network or a real key. Real code drops the fake and WithServerURL, and
// calls facade.New() with OPENROUTER_API_KEY set.

// A key's life with the Client.APIKeys methods: create it, see its spend,
// switch it off, delete it. Code written this way can be tested against
// package fake exactly as here.
func Example() {
	srv := fake.NewServer()
	defer srv.Close()
	c, err := facade.New(facade.WithServerURL(srv.URL), facade.WithAPIKey(srv.ManagementKey))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	created, err := c.APIKeys.Create(ctx, facade.CreateKeysRequest{
		RequestBody: facade.CreateKeysRequestBody{Name: "ci-runner", Limit: facade.Ptr(10.0)},
	})
	if err != nil {
		log.Fatal(err)
	}
	hash := created.Data.Hash // identifies the key from now on

	// Stand-in for real traffic: the fake records $2.50 of spend.
	if err := srv.SetUsage(hash, fake.Usage{Usage: 2.5}); err != nil {
		log.Fatal(err)
	}
	got, err := c.APIKeys.Get(ctx, facade.GetKeyRequest{Hash: hash})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s: $%.2f spent, $%.2f left\n", got.Data.Name, got.Data.Usage, *got.Data.LimitRemaining)

	off, err := c.APIKeys.Update(ctx, facade.UpdateKeysRequest{
		Hash:        hash,
		RequestBody: facade.UpdateKeysRequestBody{Disabled: facade.Ptr(true)},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("disabled:", off.Data.Disabled)

	if _, err := c.APIKeys.Delete(ctx, facade.DeleteKeysRequest{Hash: hash}); err != nil {
		log.Fatal(err)
	}
	page, err := c.APIKeys.List(ctx, facade.ListRequest{IncludeDisabled: true})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("keys left:", len(page.Data))
	// Output:
	// ci-runner: $2.50 spent, $7.50 left
	// disabled: true
	// keys left: 0
}

func ExampleNew() {
	srv := fake.NewServer()
	defer srv.Close()

	// The key, base URL and attribution headers default to the
	// OPENROUTER_* environment variables; options override them.
	c, err := facade.New(
		facade.WithServerURL(srv.URL), // real code: leave out for https://openrouter.ai/api/v1
		facade.WithAPIKey(srv.ManagementKey),
		facade.WithXTitle("Key Rotator"), // sent as X-OpenRouter-Title and X-Title
		facade.WithHTTPReferer("https://rotator.example"),
		facade.WithTimeout(30*time.Second),
	)
	if err != nil {
		log.Fatal(err)
	}
	// A Client prints its server, never its key.
	fmt.Println("key in fmt output:", strings.Contains(fmt.Sprint(c), srv.ManagementKey))

	if _, err := c.APIKeys.GetCurrentKeyMetadata(context.Background()); err != nil {
		log.Fatal(err)
	}
	h := srv.Requests()[0].Header
	fmt.Println(h.Get("X-OpenRouter-Title"), "/", h.Get("X-Title"), "/", h.Get("HTTP-Referer"))
	// Output:
	// key in fmt output: false
	// Key Rotator / Key Rotator / https://rotator.example
}

func ExampleWithEnv() {
	srv := fake.NewServer()
	defer srv.Close()

	// A map instead of the process environment: a CLI passes the
	// variables it was given, a test its own, and neither touches os.Setenv.
	env := map[string]string{
		facade.EnvAPIKey:   srv.ManagementKey,
		facade.EnvBaseURL:  srv.URL,
		facade.EnvAppTitle: "Key Rotator",
	}
	lookup := func(name string) string { return env[name] }

	fromEnv, err := facade.New(facade.WithEnv(lookup))
	if err != nil {
		log.Fatal(err)
	}
	// An option beats the variable it replaces; the others still apply.
	overridden, err := facade.New(facade.WithEnv(lookup), facade.WithXTitle("Nightly Audit"))
	if err != nil {
		log.Fatal(err)
	}

	for _, c := range []*facade.Client{fromEnv, overridden} {
		cur, err := c.APIKeys.GetCurrentKeyMetadata(context.Background())
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("management key:", cur.Data.IsManagementKey)
	}
	for _, r := range srv.Requests() {
		fmt.Println("X-OpenRouter-Title:", r.Header.Get("X-OpenRouter-Title"))
	}
	// Output:
	// management key: true
	// management key: true
	// X-OpenRouter-Title: Key Rotator
	// X-OpenRouter-Title: Nightly Audit
}

func ExampleWithHeader() {
	srv := fake.NewServer()
	defer srv.Close()
	c, err := facade.New(facade.WithServerURL(srv.URL), facade.WithAPIKey(srv.ManagementKey))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	// Per-call options apply to this call only, after the client's.
	var resp *http.Response
	_, err = c.APIKeys.GetCurrentKeyMetadata(ctx,
		facade.WithHeader("X-Request-Id", "req-7"),
		facade.WithTimeout(5*time.Second),
		facade.WithResponseInto(&resp),
	)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("status:", resp.StatusCode)

	// The next call goes out without them: the client did not change.
	if _, err := c.APIKeys.GetCurrentKeyMetadata(ctx); err != nil {
		log.Fatal(err)
	}
	for _, r := range srv.Requests() {
		fmt.Printf("%s %s X-Request-Id=%q\n", r.Method, r.Path, r.Header.Get("X-Request-Id"))
	}
	// Output:
	// status: 200
	// GET /api/v1/key X-Request-Id="req-7"
	// GET /api/v1/key X-Request-Id=""
}
