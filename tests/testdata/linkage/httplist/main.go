// Command httplist lists one page of keys with net/http and encoding/json
// alone: the baseline TestFacadeLinksOnlyTheClient holds facadelist to.
package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"time"
)

type key struct {
	Hash           string     `json:"hash"`
	Name           string     `json:"name"`
	Label          string     `json:"label"`
	Disabled       bool       `json:"disabled"`
	Limit          *float64   `json:"limit"`
	LimitRemaining *float64   `json:"limit_remaining"`
	LimitReset     *string    `json:"limit_reset"`
	Usage          float64    `json:"usage"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      *time.Time `json:"updated_at"`
	ExpiresAt      *time.Time `json:"expires_at"`
	WorkspaceID    string     `json:"workspace_id"`
	ExternalUser   *string    `json:"external_user"`
}

func main() {
	base := os.Getenv("OPENROUTER_BASE_URL")
	if base == "" {
		base = "https://openrouter.ai/api/v1"
	}
	req, err := http.NewRequest(http.MethodGet, base+"/keys", nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	req.Header.Set("Authorization", "Bearer "+os.Getenv("OPENROUTER_API_KEY"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer resp.Body.Close()
	var page struct {
		Data []key `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, k := range page.Data {
		fmt.Println(k.Name)
	}
}
