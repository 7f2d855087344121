package facade_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"strings"
	"time"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/fake"
)

func ExampleAPIKeysRotate() {
	srv := fake.NewServer()
	defer srv.Close()
	c, err := facade.New(facade.WithServerURL(srv.URL), facade.WithAPIKey(srv.ManagementKey))
	if err != nil {
		log.Fatal(err)
	}
	// A $25-a-month key that has spent $20 of this month's limit.
	old, err := srv.AddKey(facade.CreateKeysRequestBody{
		Name: "customer-42", Limit: facade.Ptr(25.0), LimitReset: facade.Ptr(facade.LimitResetMonthly),
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := srv.SetUsage(old.Data.Hash, fake.Usage{Usage: 20, Monthly: 20}); err != nil {
		log.Fatal(err)
	}

	// The zero Old, RotateDisableOld, switches the old key off once the
	// successor exists.
	res, err := facade.APIKeysRotate(context.Background(), c, facade.RotateKeyRequest{Hash: old.Data.Hash})
	if err != nil {
		log.Fatal(err)
	}
	n := res.New.Data
	// Hand res.New.Key.Reveal() to your secret store; it is shown only here.
	fmt.Println("successor:", n.Name, *n.Limit, *n.LimitReset, strings.HasPrefix(res.New.Key.Reveal(), "sk-or-v1-"))
	// The successor's spend window starts fresh: the full limit is left.
	fmt.Println("remaining:", *n.LimitRemaining)
	fmt.Println("old key disabled:", res.Old.Disabled, res.Old.Hash == old.Data.Hash)
	// Output:
	// successor: customer-42 25 monthly true
	// remaining: 25
	// old key disabled: true true
}

// A rotation whose last step fails still returns the successor: its
// plaintext exists nowhere else.
func ExampleRotateOldKeyError() {
	srv := fake.NewServer()
	defer srv.Close()
	c, err := facade.New(facade.WithServerURL(srv.URL), facade.WithAPIKey(srv.ManagementKey))
	if err != nil {
		log.Fatal(err)
	}
	old, err := srv.AddKey(facade.CreateKeysRequestBody{Name: "ci-runner"})
	if err != nil {
		log.Fatal(err)
	}
	// The DELETE of the old key is refused.
	srv.Inject(fake.Fault{Method: "DELETE", Path: "/keys/{hash}", Status: http.StatusForbidden})

	res, err := c.APIKeys.Rotate(context.Background(), facade.RotateKeyRequest{
		Hash: old.Data.Hash, Old: facade.RotateDeleteOld, Name: facade.Ptr("ci-runner-2"),
	})
	var partial *facade.RotateOldKeyError
	if errors.As(err, &partial) {
		// Store the successor first, then deal with the old key.
		fmt.Println("successor:", res.New.Data.Name, res.New.Data.Hash == partial.NewHash)
		fmt.Println("old key still there:", partial.OldHash == old.Data.Hash, partial.Action)
		var forbidden *facade.ForbiddenResponseError
		fmt.Println("403:", errors.As(err, &forbidden))
	}
	// Output:
	// successor: ci-runner-2 true
	// old key still there: true delete
	// 403: true
}

func ExampleAPIKeysFind() {
	srv := fake.NewServer()
	defer srv.Close()
	c, err := facade.New(facade.WithServerURL(srv.URL), facade.WithAPIKey(srv.ManagementKey))
	if err != nil {
		log.Fatal(err)
	}
	for _, name := range []string{"ci-runner", "ci-nightly", "staging"} {
		if _, err := srv.AddKey(facade.CreateKeysRequestBody{Name: name}); err != nil {
			log.Fatal(err)
		}
	}

	// Every page is read, disabled keys included; the API cannot filter by
	// name, so Find does.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	exact, err := facade.APIKeysFind(ctx, c, facade.FindKeysRequest{Name: "staging"})
	if err != nil {
		log.Fatal(err)
	}
	prefixed, err := c.APIKeys.Find(ctx, facade.FindKeysRequest{Name: "ci-", Prefix: true})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(exact), exact[0].Name)
	for _, k := range prefixed {
		fmt.Println(k.Name)
	}
	// Output:
	// 1 staging
	// ci-nightly
	// ci-runner
}
