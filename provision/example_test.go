package provision_test

import (
	"context"
	"fmt"
	"log"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/fake"
	"github.com/orkeys/orkeys/provision"
)

// A SaaS back end provisions a key per customer without a file: the
// desired state and the state are Go values, and the plaintext goes to the
// back end's own store.
func Example() {
	srv := fake.NewServer()
	defer srv.Close()
	client, err := facade.New(facade.WithServerURL(srv.URL), facade.WithAPIKey(srv.ManagementKey))
	if err != nil {
		log.Fatal(err)
	}
	backend := provision.NewFacadeBackend(client)
	ctx := context.Background()

	limit := 20.0
	desired := &provision.Desired{Version: provision.Version, Keys: map[string]provision.Key{
		"customer-42": {Name: "customer-42", Limit: &limit, LimitReset: "monthly"},
	}}
	state := provision.NewState() // load yours; save it in WithSave

	plan, err := provision.ComputePlan(ctx, backend, desired, state)
	if err != nil {
		log.Fatal(err)
	}
	result, err := provision.Apply(ctx, backend, plan,
		provision.WithSave(func(s *provision.State) error { state = s; return nil }),
		provision.WithDeliver(func(ctx context.Context, d provision.Delivery) error {
			// Store d.Plaintext.Reveal() in the customer's vault here.
			fmt.Println("delivered", d.Address, d.Key.Hash != "")
			return nil
		}))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("failed:", result.Failed())

	plan, _ = provision.ComputePlan(ctx, backend, desired, state)
	fmt.Println("pending:", plan.Pending())
	// Output:
	// delivered customer-42 true
	// failed: false
	// pending: false
}
