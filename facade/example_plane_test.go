package facade_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/fake"
	"github.com/orkeys/orkeys/secret"
)

func ExampleGuardrailsCreate() {
	srv := fake.NewServer()
	defer srv.Close()
	c, err := facade.New(facade.WithServerURL(srv.URL), facade.WithAPIKey(srv.ManagementKey))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	key, err := srv.AddKey(facade.CreateKeysRequestBody{Name: "ci-runner"})
	if err != nil {
		log.Fatal(err)
	}

	// A limit needs the interval it resets on.
	g, err := c.Guardrails.Create(ctx, facade.CreateGuardrailRequest{RequestBody: facade.CreateGuardrailRequestBody{
		Name:             "ci-cap",
		LimitUsd:         facade.Ptr(20.0),
		ResetInterval:    facade.Ptr(facade.GuardrailIntervalMonthly),
		AllowedProviders: &[]string{"openai", "anthropic"},
	}})
	if err != nil {
		log.Fatal(err)
	}
	// It restricts nothing until assigned; a key holds one guardrail.
	if _, err := c.Guardrails.BulkAssignKeys(ctx, facade.BulkAssignKeysToGuardrailRequest{
		ID: g.Data.ID, RequestBody: facade.BulkAssignKeysRequestBody{KeyHashes: []string{key.Data.Hash}},
	}); err != nil {
		log.Fatal(err)
	}
	// PATCH replaces a list whole.
	if _, err := c.Guardrails.Update(ctx, facade.UpdateGuardrailRequest{
		ID: g.Data.ID, RequestBody: facade.UpdateGuardrailRequestBody{AllowedProviders: facade.Value([]string{"openai"})},
	}); err != nil {
		log.Fatal(err)
	}
	for a, err := range c.Guardrails.ListGuardrailKeyAssignmentsAll(ctx, facade.ListGuardrailKeyAssignmentsRequest{ID: g.Data.ID}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("assigned:", a.KeyName)
	}
	got, err := c.Guardrails.Get(ctx, facade.GetGuardrailRequest{ID: g.Data.ID})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(got.Data.Name, *got.Data.LimitUsd, *got.Data.ResetInterval, *got.Data.AllowedProviders)
	// Output:
	// assigned: ci-runner
	// ci-cap 20 monthly [openai]
}

func ExampleWorkspacesSetBudget() {
	srv := fake.NewServer()
	defer srv.Close()
	c, err := facade.New(facade.WithServerURL(srv.URL), facade.WithAPIKey(srv.ManagementKey))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.Workspaces.Create(ctx, facade.CreateWorkspaceRequest{RequestBody: facade.CreateWorkspaceRequestBody{
		Name: "Research", Slug: "research",
	}}); err != nil {
		log.Fatal(err)
	}
	set := func(i facade.WorkspaceBudgetInterval, usd float64) error {
		_, err := c.Workspaces.SetBudget(ctx, facade.UpsertWorkspaceBudgetRequest{
			ID: "research", Interval: i, RequestBody: facade.UpsertWorkspaceBudgetRequestBody{LimitUsd: usd},
		})
		return err
	}
	if err := set(facade.BudgetMonthly, 500); err != nil {
		log.Fatal(err)
	}
	// Budgets must strictly fall as the interval narrows: the API says 400.
	err = set(facade.BudgetWeekly, 600)
	var bad *facade.BadRequestResponseError
	fmt.Println("weekly over monthly refused:", errors.As(err, &bad))
	if err := set(facade.BudgetWeekly, 150); err != nil {
		log.Fatal(err)
	}
	list, err := c.Workspaces.ListBudgets(ctx, facade.ListWorkspaceBudgetsRequest{ID: "research"})
	if err != nil {
		log.Fatal(err)
	}
	for _, b := range list.Data {
		fmt.Println(*b.ResetInterval, b.LimitUsd)
	}
	// Output:
	// weekly over monthly refused: true
	// weekly 150
	// monthly 500
}

func ExampleBYOKCreate() {
	srv := fake.NewServer()
	defer srv.Close()
	c, err := facade.New(facade.WithServerURL(srv.URL), facade.WithAPIKey(srv.ManagementKey))
	if err != nil {
		log.Fatal(err)
	}
	// Read the provider's key from a secret store, never from argv.
	providerKey := secret.New("sk-proj-EXAMPLE0000000000000000000000c0de")
	req := facade.CreateBYOKKeyRequest{RequestBody: facade.CreateBYOKKeyRequestBody{Provider: "openai", Key: providerKey}}
	fmt.Println("key in fmt output:", strings.Contains(fmt.Sprintf("%v %+v", req, req), providerKey.Reveal()))

	created, err := c.BYOK.Create(context.Background(), req)
	if err != nil {
		log.Fatal(err)
	}
	// Answers carry a masked label, never the key.
	fmt.Println(created.Data.Provider, created.Data.Label)
	// Output:
	// key in fmt output: false
	// openai sk-...c0de
}
