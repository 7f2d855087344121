package fake_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/orkeys/orkeys/fake"
	"github.com/orkeys/orkeys/gen"
)

// Many clients at once, each creating, reading, changing and deleting its
// own keys while listing everyone's; run with -race. At the end exactly the
// keys nobody deleted remain, each with its last name.
func TestConcurrentUse(t *testing.T) {
	e := newEnv(t)
	const workers, rounds = 8, 6
	e.srv.Inject(fake.Fault{Method: "GET", Path: "/keys", Status: 429}) // one of the lists gets it
	e.tr.allowStatus(429)

	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds*8)
	kept := make(chan string, workers*rounds)
	for w := range workers {
		wg.Go(func() {
			c := e.client(e.srv.ManagementKey)
			ctx := context.Background()
			for i := range rounds {
				created, err := c.CreateKeysWithResponse(ctx, gen.CreateKeysRequestBody{Name: fmt.Sprintf("w%d-%d", w, i), Limit: ptr(float64(i))})
				if err := outcome("create", err, created, created != nil && created.JSON201 != nil); err != nil {
					errs <- err
					return
				}
				hash := created.JSON201.Data.Hash
				if err := e.srv.SetUsage(hash, fake.Usage{Usage: 1}); err != nil {
					errs <- err
				}
				got, err := c.GetKeyWithResponse(ctx, hash)
				errs <- outcome("get", err, got, got != nil && got.JSON200 != nil && got.JSON200.Data.Usage == 1)
				list, err := c.ListKeysWithResponse(ctx, &gen.ListKeysParams{})
				errs <- outcome("list", err, list, list != nil && (list.JSON200 != nil || list.StatusCode() == 429))
				cur, err := e.client(created.JSON201.Key.Reveal()).GetCurrentKeyWithResponse(ctx)
				errs <- outcome("current", err, cur, cur != nil && cur.JSON200 != nil)
				name := fmt.Sprintf("w%d-%d-renamed", w, i)
				up, err := c.UpdateKeysWithResponse(ctx, hash, gen.UpdateKeysRequestBody{Name: &name})
				errs <- outcome("update", err, up, up != nil && up.JSON200 != nil && up.JSON200.Data.Name == name)
				if i%2 == 0 {
					del, err := c.DeleteKeysWithResponse(ctx, hash)
					errs <- outcome("delete", err, del, del != nil && del.JSON200 != nil)
				} else {
					kept <- name
				}
			}
		})
	}
	// Seeding and reading the journal race with the clients too.
	wg.Go(func() {
		for i := range rounds {
			if _, err := e.srv.AddKey(gen.CreateKeysRequestBody{Name: fmt.Sprintf("seed-%d", i)}); err != nil {
				errs <- err
			}
			_ = e.srv.Requests()
			_ = e.srv.Connections()
		}
	})
	wg.Wait()
	close(errs)
	close(kept)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if n, want := len(e.srv.Requests()), workers*(rounds*5+rounds/2); n != want {
		t.Errorf("%d requests recorded, want %d", n, want)
	}

	want := map[string]bool{}
	for n := range kept {
		want[n] = true
	}
	for i := range rounds {
		want[fmt.Sprintf("seed-%d", i)] = true
	}
	var got []gen.APIKey
	for offset := 0; ; offset += 100 {
		page := decodeList(t, e.mgmt("GET", fmt.Sprintf("/keys?offset=%d", offset), ""))
		got = append(got, page...)
		if len(page) < 100 {
			break
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d keys remain, want %d", len(got), len(want))
	}
	for _, k := range got {
		if !want[k.Name] {
			t.Errorf("unexpected key %q remains", k.Name)
		}
	}
	if e.srv.PendingFaults() != 0 {
		t.Error("the injected 429 was not used")
	}
}

// outcome is nil when a call went as wanted, else an error saying how not.
func outcome(op string, err error, resp interface{ StatusCode() int }, ok bool) error {
	switch {
	case err != nil:
		return fmt.Errorf("%s: %w", op, err)
	case !ok:
		return fmt.Errorf("%s: unexpected answer, status %d", op, resp.StatusCode())
	}
	return nil
}
