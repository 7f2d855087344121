package main

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/fake"
	"github.com/orkeys/orkeys/gen"
)

// TestRotateCustomerKey is the sample in the README's "Testing your code
// with the fake server", with a small rotate as "your code", so that the
// sample keeps compiling and working.
func TestRotateCustomerKey(t *testing.T) {
	srv := fake.NewServer()
	defer srv.Close()
	c, err := facade.New(facade.WithServerURL(srv.URL), facade.WithAPIKey(srv.ManagementKey))
	if err != nil {
		t.Fatal(err)
	}
	old, _ := srv.AddKey(gen.CreateKeysRequestBody{Name: "customer-42"}) // seeded without HTTP
	srv.SetUsage(old.Data.Hash, fake.Usage{Usage: 24.5})                 // as if it had spent $24.50

	// The next GET /keys fails once with 503; your code should ride through it.
	srv.Inject(fake.Fault{Method: "GET", Path: "/keys", Status: http.StatusServiceUnavailable})

	if err := rotate(context.Background(), c, "customer-42"); err != nil { // your code
		t.Fatal(err)
	}
	for _, r := range srv.Requests() { // what arrived, bearer key masked
		t.Log(r.Method, r.Path, string(r.Body))
	}

	// Beyond the sample: the rotation happened.
	if n := len(srv.Requests()); n != 4 { // 503, list, create, delete
		t.Errorf("%d requests, want 4", n)
	}
	page, err := c.APIKeys.List(context.Background(), facade.ListRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Data) != 1 || page.Data[0].Hash == old.Data.Hash || page.Data[0].Name != "customer-42" {
		t.Errorf("after rotate: %+v", page.Data)
	}
}

// rotate replaces the key named name with a fresh one.
func rotate(ctx context.Context, c *facade.Client, name string) error {
	var old []string
	for k, err := range c.APIKeys.All(ctx, facade.ListRequest{}) {
		if err != nil {
			return err
		}
		if k.Name == name {
			old = append(old, k.Hash)
		}
	}
	if len(old) == 0 {
		return fmt.Errorf("no key named %q", name)
	}
	if _, err := c.APIKeys.Create(ctx, facade.CreateKeysRequest{RequestBody: facade.CreateKeysRequestBody{Name: name}}); err != nil {
		return err
	}
	for _, h := range old {
		if _, err := c.APIKeys.Delete(ctx, facade.DeleteKeysRequest{Hash: h}); err != nil {
			return err
		}
	}
	return nil
}
