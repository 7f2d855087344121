package facade_test

import (
	"context"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/fake"
)

func ExampleAPIKeysCreate() {
	// A fixed clock, so that created_at below is the same on every run.
	srv := fake.NewServer(fake.WithClock(func() time.Time {
		return time.Date(2028, 3, 16, 12, 0, 0, 0, time.UTC)
	}))
	defer srv.Close()
	c, err := facade.New(facade.WithServerURL(srv.URL), facade.WithAPIKey(srv.ManagementKey))
	if err != nil {
		log.Fatal(err)
	}

	// Optional fields are pointers; facade.Ptr fills them in place.
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
	k := created.Data
	fmt.Println(k.Name, *k.Limit, *k.LimitReset, k.CreatedAt.Format(time.RFC3339))

	// The plaintext key is in this response only. It prints redacted, as
	// "sk-or-v1-7f3…9c2e"; Reveal returns it for storing in a secret manager.
	plaintext := created.Key.Reveal()
	fmt.Println(strings.HasPrefix(plaintext, "sk-or-v1-"), len(plaintext))
	fmt.Println("plaintext in fmt output:", strings.Contains(fmt.Sprintf("%v %+v", created, created), plaintext))
	// Output:
	// customer-42 25 monthly 2028-03-16T12:00:00Z
	// true 73
	// plaintext in fmt output: false
}

func ExampleAPIKeysList() {
	srv := fake.NewServer()
	defer srv.Close()
	c, err := facade.New(facade.WithServerURL(srv.URL), facade.WithAPIKey(srv.ManagementKey))
	if err != nil {
		log.Fatal(err)
	}
	// Keys someone made earlier, seeded without HTTP.
	for _, name := range []string{"staging", "ci-runner"} {
		if _, err := srv.AddKey(facade.CreateKeysRequestBody{Name: name}); err != nil {
			log.Fatal(err)
		}
	}

	// One page of at most facade.PageSize keys, newest first.
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
	srv := fake.NewServer(fake.WithClock(func() time.Time {
		return time.Date(2025, 8, 24, 10, 30, 0, 0, time.UTC)
	}))
	defer srv.Close()
	c, err := facade.New(facade.WithServerURL(srv.URL), facade.WithAPIKey(srv.ManagementKey))
	if err != nil {
		log.Fatal(err)
	}
	// A $10 key with $2.50 of it spent; hashes come from Create or List.
	seeded, err := srv.AddKey(facade.CreateKeysRequestBody{Name: "ci-runner", Limit: facade.Ptr(10.0)})
	if err != nil {
		log.Fatal(err)
	}
	if err := srv.SetUsage(seeded.Data.Hash, fake.Usage{Usage: 2.5}); err != nil {
		log.Fatal(err)
	}

	got, err := facade.APIKeysGet(context.Background(), c, facade.GetKeyRequest{Hash: seeded.Data.Hash})
	if err != nil {
		log.Fatal(err)
	}
	k := got.Data
	// Fields the API may send as null are pointers: a nil LimitReset is a
	// limit that never resets.
	fmt.Println(k.Name, *k.Limit, *k.LimitRemaining, k.LimitReset == nil)
	fmt.Println("created", k.CreatedAt.Format(time.RFC3339))
	// Output:
	// ci-runner 10 7.5 true
	// created 2025-08-24T10:30:00Z
}

func ExampleAPIKeysUpdate() {
	srv := fake.NewServer(fake.WithClock(func() time.Time {
		return time.Date(2028, 3, 16, 12, 0, 0, 0, time.UTC)
	}))
	defer srv.Close()
	c, err := facade.New(facade.WithServerURL(srv.URL), facade.WithAPIKey(srv.ManagementKey))
	if err != nil {
		log.Fatal(err)
	}
	seeded, err := srv.AddKey(facade.CreateKeysRequestBody{Name: "ci-runner", Limit: facade.Ptr(10.0)})
	if err != nil {
		log.Fatal(err)
	}

	// Rename, switch off and remove the cap (JSON null); fields left unset
	// are not sent and stay as they are.
	updated, err := facade.APIKeysUpdate(context.Background(), c, facade.UpdateKeysRequest{
		Hash: seeded.Data.Hash,
		RequestBody: facade.UpdateKeysRequestBody{
			Name:     facade.Ptr("ci-runner-old"),
			Disabled: facade.Ptr(true),
			Limit:    facade.Null[float64](),
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	k := updated.Data
	fmt.Println(k.Name, k.Disabled, k.Limit == nil)
	fmt.Println("updated", k.UpdatedAt.Format(time.RFC3339))
	// Output:
	// ci-runner-old true true
	// updated 2028-03-16T12:00:00Z
}

// The three states of a PATCH field: left unset it is not sent and the
// value stays, facade.Value sets it, facade.Null clears it.
func ExampleNullable() {
	srv := fake.NewServer()
	defer srv.Close()
	c, err := facade.New(facade.WithServerURL(srv.URL), facade.WithAPIKey(srv.ManagementKey))
	if err != nil {
		log.Fatal(err)
	}
	seeded, err := srv.AddKey(facade.CreateKeysRequestBody{
		Name:       "ci-runner",
		Limit:      facade.Ptr(10.0),
		LimitReset: facade.Ptr(facade.LimitResetDaily),
	})
	if err != nil {
		log.Fatal(err)
	}

	for _, body := range []facade.UpdateKeysRequestBody{
		{Name: facade.Ptr("ci")},    // Limit and LimitReset unset: kept
		{Limit: facade.Value(25.0)}, // a new cap, still daily
		{Limit: facade.Null[float64](), LimitReset: facade.Null[facade.LimitReset]()}, // neither
	} {
		res, err := c.APIKeys.Update(context.Background(), facade.UpdateKeysRequest{Hash: seeded.Data.Hash, RequestBody: body})
		if err != nil {
			log.Fatal(err)
		}
		k := res.Data
		limit, reset := "none", "never"
		if k.Limit != nil {
			limit = fmt.Sprintf("$%g", *k.Limit)
		}
		if k.LimitReset != nil {
			reset = string(*k.LimitReset)
		}
		fmt.Printf("%s: limit %s, resets %s\n", k.Name, limit, reset)
	}
	// Output:
	// ci: limit $10, resets daily
	// ci: limit $25, resets daily
	// ci: limit none, resets never
}

func ExampleAPIKeysDelete() {
	srv := fake.NewServer()
	defer srv.Close()
	c, err := facade.New(facade.WithServerURL(srv.URL), facade.WithAPIKey(srv.ManagementKey))
	if err != nil {
		log.Fatal(err)
	}
	seeded, err := srv.AddKey(facade.CreateKeysRequestBody{Name: "ci-runner"})
	if err != nil {
		log.Fatal(err)
	}

	res, err := facade.APIKeysDelete(context.Background(), c, facade.DeleteKeysRequest{Hash: seeded.Data.Hash})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("deleted:", res.Deleted)

	// Deleting it again finds nothing.
	_, err = facade.APIKeysDelete(context.Background(), c, facade.DeleteKeysRequest{Hash: seeded.Data.Hash})
	fmt.Println(err)
	// Output:
	// deleted: true
	// openrouter: 404 Not Found: Resource not found (DELETE /keys/{hash})
}

func ExampleAPIKeysGetCurrentKeyMetadata() {
	// A fixed management key, so that its label is the same on every run.
	srv := fake.NewServer(fake.WithManagementKey("sk-or-v1-" + strings.Repeat("0123456789abcdef", 4)))
	defer srv.Close()
	c, err := facade.New(facade.WithServerURL(srv.URL), facade.WithAPIKey(srv.ManagementKey))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	cur, err := facade.APIKeysGetCurrentKeyMetadata(ctx, c)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(cur.Data.Label, cur.Data.IsManagementKey)

	// GET /key answers for any valid key: here a regular one, given for this
	// call only, that has spent $1.25 of $5.
	created, err := c.APIKeys.Create(ctx, facade.CreateKeysRequest{
		RequestBody: facade.CreateKeysRequestBody{Name: "worker", Limit: facade.Ptr(5.0)},
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := srv.SetUsage(created.Data.Hash, fake.Usage{Usage: 1.25}); err != nil {
		log.Fatal(err)
	}
	cur, err = facade.APIKeysGetCurrentKeyMetadata(ctx, c, facade.WithAPIKey(created.Key.Reveal()))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(cur.Data.IsManagementKey, cur.Data.Usage, *cur.Data.LimitRemaining)
	// Output:
	// sk-or-v1-012...cdef true
	// false 1.25 3.75
}

func ExampleAPIKeysListAll() {
	srv := fake.NewServer()
	defer srv.Close()
	c, err := facade.New(facade.WithServerURL(srv.URL), facade.WithAPIKey(srv.ManagementKey))
	if err != nil {
		log.Fatal(err)
	}
	for i := range 250 {
		if _, err := srv.AddKey(facade.CreateKeysRequestBody{Name: fmt.Sprintf("customer-%03d", i)}); err != nil {
			log.Fatal(err)
		}
	}

	// The walk reads up to 4 pages ahead by default; one at a time here,
	// so that the requests below come in order.
	n := 0
	for _, err := range facade.APIKeysListAll(context.Background(), c, facade.ListRequest{}, facade.WithPageConcurrency(1)) {
		if err != nil {
			log.Fatal(err)
		}
		n++
	}
	fmt.Println(n, "keys")

	// Pages of facade.PageSize keys, fetched as the loop needed them.
	for _, r := range srv.Requests() {
		fmt.Println(r.Method, r.Path, "offset", r.Query.Get("offset"))
	}
	// Output:
	// 250 keys
	// GET /api/v1/keys offset 0
	// GET /api/v1/keys offset 100
	// GET /api/v1/keys offset 200
}

func ExampleAPIKeys_All() {
	srv := fake.NewServer()
	defer srv.Close()
	c, err := facade.New(facade.WithServerURL(srv.URL), facade.WithAPIKey(srv.ManagementKey))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	for _, name := range []string{"old-laptop", "staging", "ci-runner"} {
		if _, err := srv.AddKey(facade.CreateKeysRequestBody{Name: name}); err != nil {
			log.Fatal(err)
		}
	}

	// All fetches page after page (100 keys each) as the loop asks for
	// more. Disabled keys are left out unless asked for.
	var retired string
	for k, err := range c.APIKeys.All(ctx, facade.ListRequest{}) {
		if err != nil {
			log.Fatal(err)
		}
		if k.Name == "old-laptop" {
			retired = k.Hash
			break // stops the walk: no further page is fetched
		}
	}
	_, err = c.APIKeys.Update(ctx, facade.UpdateKeysRequest{
		Hash: retired, RequestBody: facade.UpdateKeysRequestBody{Disabled: facade.Ptr(true)},
	})
	if err != nil {
		log.Fatal(err)
	}

	for k, err := range c.APIKeys.All(ctx, facade.ListRequest{IncludeDisabled: true}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(k.Name, k.Disabled)
	}
	// Output:
	// ci-runner false
	// staging false
	// old-laptop true
}
