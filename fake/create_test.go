package fake_test

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/orkeys/orkeys/fake"
	"github.com/orkeys/orkeys/gen"
)

// keyShape is a key POST /keys creates; mgmtKeyShape the management key a
// fake draws, in the form OpenRouter issues them in now.
var (
	keyShape     = regexp.MustCompile(`^sk-or-v1-[0-9a-f]{64}$`)
	mgmtKeyShape = regexp.MustCompile(`^sk-or-mgmt-[0-9a-f]{64}$`)
)

func TestCreateDefaults(t *testing.T) {
	clock := newClock()
	e := newEnv(t, fake.WithClock(clock.Now))

	created := e.create(`{"name":"ci"}`)

	key := created.Key.Reveal()
	if !keyShape.MatchString(key) {
		t.Fatalf("key %q does not look like sk-or-v1- and 64 hex", created.Key)
	}
	sum := sha256.Sum256([]byte(key))
	d := created.Data
	if d.Hash != hex.EncodeToString(sum[:]) {
		t.Errorf("hash = %s, want hex SHA-256 of the key", d.Hash)
	}
	if want := key[:12] + "..." + key[len(key)-4:]; d.Label != want {
		t.Errorf("label = %q, want %q", d.Label, want)
	}
	if d.Name != "ci" || d.Disabled {
		t.Errorf("name %q disabled %v, want ci false", d.Name, d.Disabled)
	}
	if d.Limit != nil || d.LimitRemaining != nil || d.LimitReset != nil || d.IncludeByokInLimit {
		t.Errorf("limit %v remaining %v reset %v byok %v, want null null null false", d.Limit, d.LimitRemaining, d.LimitReset, d.IncludeByokInLimit)
	}
	if d.Usage != 0 || d.UsageDaily != 0 || d.UsageWeekly != 0 || d.UsageMonthly != 0 ||
		d.ByokUsage != 0 || d.ByokUsageDaily != 0 || d.ByokUsageWeekly != 0 || d.ByokUsageMonthly != 0 {
		t.Errorf("usage fields not all 0: %+v", d)
	}
	if !d.CreatedAt.Equal(clock.Now()) || d.CreatedAt.Location() != time.UTC {
		t.Errorf("created_at = %v, want %v in UTC", d.CreatedAt, clock.Now())
	}
	if d.UpdatedAt != nil {
		t.Errorf("updated_at = %q, want null", *d.UpdatedAt)
	}
	if d.ExpiresAt != nil {
		t.Errorf("expires_at = %v, want none", d.ExpiresAt)
	}
	if d.CreatorUserID == nil || *d.CreatorUserID != fake.DefaultCreatorUserID {
		t.Errorf("creator_user_id = %v, want %s", d.CreatorUserID, fake.DefaultCreatorUserID)
	}
	if d.WorkspaceID != fake.DefaultWorkspaceID {
		t.Errorf("workspace_id = %s, want %s", d.WorkspaceID, fake.DefaultWorkspaceID)
	}

	// The JSON says null, not absent, for the nullable fields the spec requires.
	raw := string(e.mgmt("GET", "/keys/"+d.Hash, "").Body)
	for _, field := range []string{`"limit":null`, `"limit_remaining":null`, `"limit_reset":null`, `"updated_at":null`} {
		if !strings.Contains(raw, field) {
			t.Errorf("GET body lacks %s: %s", field, raw)
		}
	}
}

func TestCreateWithEverything(t *testing.T) {
	clock := newClock()
	e := newEnv(t, fake.WithClock(clock.Now))
	expires := clock.Now().Add(48 * time.Hour).Format(time.RFC3339)

	d := e.create(`{"name":"team-a","limit":25.5,"limit_reset":"monthly","include_byok_in_limit":true,
		"expires_at":"` + expires + `","creator_user_id":"user_42","workspace_id":"0B1C5F3E-6A2D-4C8E-9F4A-1D2E3F4A5B6C"}`).Data

	if d.Limit == nil || *d.Limit != 25.5 || d.LimitRemaining == nil || *d.LimitRemaining != 25.5 {
		t.Errorf("limit %v remaining %v, want 25.5 25.5", d.Limit, d.LimitRemaining)
	}
	if d.LimitReset == nil || *d.LimitReset != "monthly" || !d.IncludeByokInLimit {
		t.Errorf("limit_reset %v byok %v, want monthly true", d.LimitReset, d.IncludeByokInLimit)
	}
	if d.ExpiresAt == nil || d.ExpiresAt.Format(time.RFC3339) != expires {
		t.Errorf("expires_at = %v, want %s", d.ExpiresAt, expires)
	}
	if d.CreatorUserID == nil || *d.CreatorUserID != "user_42" {
		t.Errorf("creator_user_id = %v, want user_42", d.CreatorUserID)
	}
	if d.WorkspaceID != "0b1c5f3e-6a2d-4c8e-9f4a-1d2e3f4a5b6c" {
		t.Errorf("workspace_id = %s, want the given UUID in lower case", d.WorkspaceID)
	}
}

func TestCreateExplicitNulls(t *testing.T) {
	e := newEnv(t)
	d := e.create(`{"name":"n","limit":null,"limit_reset":null,"expires_at":null,"creator_user_id":null}`).Data
	if d.Limit != nil || d.LimitReset != nil || d.ExpiresAt != nil {
		t.Errorf("limit %v reset %v expires %v, want all null", d.Limit, d.LimitReset, d.ExpiresAt)
	}
	if d.CreatorUserID == nil || *d.CreatorUserID != fake.DefaultCreatorUserID {
		t.Errorf("creator_user_id = %v, want the default", d.CreatorUserID)
	}
}

func TestCreateMakesDistinctKeys(t *testing.T) {
	e := newEnv(t)
	a, b := e.create(`{"name":"same"}`), e.create(`{"name":"same"}`)
	if a.Key == b.Key || a.Data.Hash == b.Data.Hash {
		t.Fatalf("two creates gave the same key or hash")
	}
}

// The plaintext is in the create answer only.
func TestPlaintextIsShownOnce(t *testing.T) {
	e := newEnv(t)
	created := e.create(`{"name":"once"}`)
	key := created.Key.Reveal()
	for _, r := range []reply{
		e.mgmt("GET", "/keys", ""),
		e.mgmt("GET", "/keys/"+created.Data.Hash, ""),
		e.mgmt("PATCH", "/keys/"+created.Data.Hash, `{"name":"x"}`),
		e.do("GET", "/key", key, ""),
	} {
		if strings.Contains(string(r.Body), key) || strings.Contains(string(r.Body), key[9:]) {
			t.Errorf("the plaintext key appears in a later answer: %s", r.Body)
		}
	}
}

func TestCreateRefusesBadInput(t *testing.T) {
	clock := newClock()
	e := newEnv(t, fake.WithClock(clock.Now))
	past := clock.Now().Add(-time.Second).Format(time.RFC3339)
	now := clock.Now().Format(time.RFC3339)
	future := clock.Now().Add(time.Hour)
	tests := []struct {
		name, body string
		want       []string // parts of the message
	}{
		{"name missing", `{"limit":1}`, []string{"name"}},
		{"name empty", `{"name":""}`, []string{"name"}},
		{"name not a string", `{"name":7}`, []string{"name"}},
		{"limit negative", `{"name":"a","limit":-0.01}`, []string{"limit"}},
		{"limit a string", `{"name":"a","limit":"10"}`, []string{"limit"}},
		{"limit_reset unknown", `{"name":"a","limit_reset":"yearly"}`, []string{"limit_reset", "daily, weekly, monthly"}},
		{"expires_at past", `{"name":"a","expires_at":"` + past + `"}`, []string{"expires_at", "future"}},
		{"expires_at now", `{"name":"a","expires_at":"` + now + `"}`, []string{"expires_at", "future"}},
		{"expires_at not UTC", `{"name":"a","expires_at":"` + future.In(time.FixedZone("", 2*3600)).Format(time.RFC3339) + `"}`, []string{"expires_at", "UTC"}},
		{"expires_at +00:00", `{"name":"a","expires_at":"` + future.Format("2006-01-02T15:04:05") + `+00:00"}`, []string{"expires_at", "UTC"}},
		{"expires_at not a time", `{"name":"a","expires_at":"next week"}`, []string{"expires_at", "date-time"}},
		{"workspace_id not a uuid", `{"name":"a","workspace_id":"ws-1"}`, []string{"workspace_id", "not a UUID"}},
		{"creator_user_id empty", `{"name":"a","creator_user_id":""}`, []string{"creator_user_id"}},
		{"include_byok_in_limit not bool", `{"name":"a","include_byok_in_limit":"yes"}`, []string{"include_byok_in_limit"}},
		{"two problems", `{"name":"","limit":-1}`, []string{"name", "limit"}},
		{"not JSON", `{"name":`, []string{"request body"}},
		{"trailing data", `{"name":"a"} x`, []string{"request body", "JSON"}},
		{"two objects", `{"name":"a"}{"name":"b"}`, []string{"request body", "JSON"}},
		{"array", `[]`, []string{"object"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.mgmt("POST", "/keys", tt.body).wantError(t, http.StatusBadRequest, tt.want...)
		})
	}
	if got := e.mgmt("GET", "/keys", ""); len(decodeList(t, got)) != 0 {
		t.Errorf("a refused create left a key behind: %s", got.Body)
	}
}

func TestCreateNeedsAJSONBody(t *testing.T) {
	e := newEnv(t)
	e.mgmt("POST", "/keys", "").wantError(t, http.StatusBadRequest, "request body")

	req, _ := http.NewRequest("POST", e.srv.URL+"/keys", strings.NewReader(`{"name":"a"}`))
	req.Header.Set("Authorization", "Bearer "+e.srv.ManagementKey)
	req.Header.Set("Content-Type", "text/plain")
	resp, err := e.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("text/plain body: status %d, want 400", resp.StatusCode)
	}

	// A charset parameter is fine.
	req, _ = http.NewRequest("POST", e.srv.URL+"/keys", strings.NewReader(`{"name":"a"}`))
	req.Header.Set("Authorization", "Bearer "+e.srv.ManagementKey)
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	resp2, err := e.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp2.Body.Close()
	if resp2.StatusCode != http.StatusCreated {
		t.Errorf("application/json; charset=utf-8: status %d, want 201", resp2.StatusCode)
	}
}

// A limit of -0 is stored and answered as 0: JSON would write -0 back, and
// a client would show it as "$-0.00".
func TestNegativeZeroLimitIsZero(t *testing.T) {
	e := newEnv(t)
	negative := regexp.MustCompile(`"limit(_remaining)?":-0`)
	r := e.mgmt("POST", "/keys", `{"name":"z","limit":-0}`)
	if r.Status != http.StatusCreated || negative.Match(r.Body) || !strings.Contains(string(r.Body), `"limit":0,`) {
		t.Fatalf("create with limit -0 answered %d %s", r.Status, r.Body)
	}
	hash := decode[gen.CreateKeysResponse](t, r).Data.Hash
	r = e.mgmt("PATCH", "/keys/"+hash, `{"limit":-0.0}`)
	if r.Status != http.StatusOK || negative.Match(r.Body) {
		t.Errorf("update with limit -0 answered %d %s", r.Status, r.Body)
	}
}
