package facade_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/orkeys/orkeys/facade"
)

// prismStrings replaces every string value in a JSON document with a
// different nonsense string, as a mock server that generates answers from
// OpenRouter's document (where timestamps are plain strings) does.
func prismStrings(t *testing.T, doc string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(doc), &v); err != nil {
		t.Fatal(err)
	}
	n := 0
	var walk func(any) any
	walk = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				x[k] = walk(e)
			}
		case []any:
			for i, e := range x {
				x[i] = walk(e)
			}
		case string:
			n++
			return fmt.Sprintf("Lorem ipsum %d dolor", n)
		}
		return v
	}
	out, err := json.Marshal(walk(v))
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// Answers whose every string is nonsense, timestamps included, still decode:
// orkeys reads no field more strictly than the API's own document types it.
// Above all, a create keeps its plaintext.
func TestGeneratedAnswersDecode(t *testing.T) {
	clearEnv(t)
	// Every nullable string field holds a string, as a generator fills them.
	full := strings.NewReplacer(`"updated_at":null`, `"updated_at":"x","expires_at":"x","external_user":"x"`,
		`"limit_reset":null`, `"limit_reset":"x"`, `"creator_user_id":null`, `"creator_user_id":"x"`).Replace(keyJSON(testHash, "one"))
	key := prismStrings(t, full)
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/key"):
			fmt.Fprint(w, prismStrings(t, currentKeyJSON))
		case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/keys"):
			fmt.Fprint(w, `{"data":[`+key+`]}`)
		case r.Method == http.MethodPost:
			w.WriteHeader(http.StatusCreated)
			fmt.Fprint(w, `{"data":`+key+`,"key":"Lorem ipsum key"}`)
		default:
			fmt.Fprint(w, `{"data":`+key+`}`)
		}
	})
	c := srv.client(t)
	ctx := t.Context()

	created, err := c.APIKeys.Create(ctx, facade.CreateKeysRequest{RequestBody: facade.CreateKeysRequestBody{Name: "ci"}})
	if err != nil || created.Key.Reveal() != "Lorem ipsum key" || created.Data.Hash == "" {
		t.Fatalf("create: %+v, %v; want the plaintext and hash back", created, err)
	}
	if created.Data.CreatedAt.Parsed() || !strings.HasPrefix(created.Data.CreatedAt.Raw, "Lorem ipsum") {
		t.Errorf("created_at = %+v, want the raw text kept", created.Data.CreatedAt)
	}
	if created.Data.ExpiresAt == nil || created.Data.ExpiresAt.Instant() != nil {
		t.Errorf("expires_at = %+v, want text that is no instant", created.Data.ExpiresAt)
	}
	if _, err := c.APIKeys.List(ctx, facade.ListRequest{}); err != nil {
		t.Errorf("list: %v", err)
	}
	if _, err := c.APIKeys.Get(ctx, facade.GetKeyRequest{Hash: testHash}); err != nil {
		t.Errorf("get: %v", err)
	}
	if _, err := c.APIKeys.GetCurrentKeyMetadata(ctx); err != nil {
		t.Errorf("current key: %v", err)
	}
	if b := facade.BudgetOf(created.Data, created.Data.CreatedAt.Time); b.Status == facade.BudgetExpired {
		t.Errorf("a key whose expiry cannot be read counts as expired: %+v", b)
	}
}
