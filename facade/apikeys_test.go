package facade_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/oapi-codegen/nullable"

	"github.com/orkeys/orkeys/facade"
)

// An update that would send {} changes nothing: it is refused before
// anything is sent, with ErrInvalidInput, whatever nullable fields hold.
func TestEmptyUpdateRefused(t *testing.T) {
	clearEnv(t)
	srv := newRecorder(t, nil)
	_, err := srv.client(t).APIKeys.Update(t.Context(), facade.UpdateKeysRequest{Hash: testHash})
	if !errors.Is(err, facade.ErrInvalidInput) || !strings.Contains(err.Error(), "changes nothing") {
		t.Fatalf("err = %v, want ErrInvalidInput naming the empty body", err)
	}
	if n := srv.count(); n != 0 {
		t.Errorf("server saw %d requests, want 0", n)
	}
}

// PATCH sends exactly what the caller set: a field left out is absent, a
// field set to null is null (clearing it), a value is the value.
func TestUpdateBodyBytes(t *testing.T) {
	clearEnv(t)
	for _, tc := range []struct {
		name string
		body facade.UpdateKeysRequestBody
		want string
	}{
		{"clear limit", facade.UpdateKeysRequestBody{Limit: nullable.NewNullNullable[float64]()}, `{"limit":null}`},
		{"clear limit_reset", facade.UpdateKeysRequestBody{LimitReset: nullable.NewNullNullable[facade.LimitReset]()}, `{"limit_reset":null}`},
		{"clear both", facade.UpdateKeysRequestBody{
			Limit:      nullable.NewNullNullable[float64](),
			LimitReset: nullable.NewNullNullable[facade.LimitReset](),
		}, `{"limit":null,"limit_reset":null}`},
		{"set limit", facade.UpdateKeysRequestBody{Limit: nullable.NewNullableWithValue(25.5)}, `{"limit":25.5}`},
		{"set limit to zero", facade.UpdateKeysRequestBody{Limit: nullable.NewNullableWithValue(0.0)}, `{"limit":0}`},
		{"set limit_reset", facade.UpdateKeysRequestBody{LimitReset: nullable.NewNullableWithValue(facade.LimitResetWeekly)}, `{"limit_reset":"weekly"}`},
		{"name only", facade.UpdateKeysRequestBody{Name: strPtr("renamed")}, `{"name":"renamed"}`},
		{"disable", facade.UpdateKeysRequestBody{Disabled: boolPtr(true)}, `{"disabled":true}`},
		{"enable", facade.UpdateKeysRequestBody{Disabled: boolPtr(false)}, `{"disabled":false}`},
		{"every field", facade.UpdateKeysRequestBody{
			Name:               strPtr("n"),
			Disabled:           boolPtr(false),
			IncludeByokInLimit: boolPtr(false),
			Limit:              nullable.NewNullableWithValue(100.0),
			LimitReset:         nullable.NewNullableWithValue(facade.LimitResetDaily),
		}, `{"disabled":false,"include_byok_in_limit":false,"limit":100,"limit_reset":"daily","name":"n"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newRecorder(t, nil)
			_, err := srv.client(t).APIKeys.Update(t.Context(), facade.UpdateKeysRequest{Hash: testHash, RequestBody: tc.body})
			if err != nil {
				t.Fatal(err)
			}
			r := srv.only()
			if r.Method != http.MethodPatch || r.Path != "/api/v1/keys/"+testHash {
				t.Errorf("sent %s %s", r.Method, r.Path)
			}
			if string(r.Body) != tc.want {
				t.Errorf("body = %s, want %s", r.Body, tc.want)
			}
		})
	}
}

// POST sends the same three states for its nullable fields, and expires_at
// in UTC without changing the caller's value.
func TestCreateBodyBytes(t *testing.T) {
	clearEnv(t)
	berlin := time.FixedZone("CEST", 2*60*60)
	expires := time.Date(2030, 1, 2, 12, 0, 0, 0, berlin)
	ws := "0df9e665-d932-5740-b2c7-b52af166bc11"
	for _, tc := range []struct {
		name string
		body facade.CreateKeysRequestBody
		want string
	}{
		{"name only", facade.CreateKeysRequestBody{Name: "ci"}, `{"name":"ci"}`},
		{"values", facade.CreateKeysRequestBody{
			Name:               "ci",
			Limit:              facade.Ptr(10.0),
			LimitReset:         facade.Ptr(facade.LimitResetMonthly),
			IncludeByokInLimit: boolPtr(true),
			ExpiresAt:          facade.Ptr(expires),
			CreatorUserID:      facade.Ptr("user_2dHF"),
			WorkspaceID:        &ws,
		}, `{"creator_user_id":"user_2dHF","expires_at":"2030-01-02T10:00:00Z","include_byok_in_limit":true,` +
			`"limit":10,"limit_reset":"monthly","name":"ci","workspace_id":"0df9e665-d932-5740-b2c7-b52af166bc11"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newRecorder(t, nil)
			req := facade.CreateKeysRequest{RequestBody: tc.body}
			if _, err := srv.client(t).APIKeys.Create(t.Context(), req); err != nil {
				t.Fatal(err)
			}
			r := srv.only()
			if r.Method != http.MethodPost || r.Path != "/api/v1/keys" {
				t.Errorf("sent %s %s", r.Method, r.Path)
			}
			if string(r.Body) != tc.want {
				t.Errorf("body = %s\nwant   %s", r.Body, tc.want)
			}
			if got := req.RequestBody.ExpiresAt; got != nil && got.Location() != berlin {
				t.Errorf("the caller's ExpiresAt was changed to %v", got)
			}
		})
	}
}

// Response fields that may be null decode null as nil and a value (zero
// included) as a pointer to it.
func TestNullableResponseFields(t *testing.T) {
	nulls := keyJSON(testHash, "k")
	values := strings.NewReplacer(
		`"limit":null`, `"limit":0`,
		`"limit_remaining":null`, `"limit_remaining":7.25`,
		`"limit_reset":null`, `"limit_reset":"weekly"`,
		`"updated_at":null`, `"updated_at":"2025-08-25T00:00:00Z"`,
		`"creator_user_id":null`, `"creator_user_id":"user_1"`,
	).Replace(nulls)
	values = strings.TrimSuffix(values, "}") + `,"expires_at":"2027-12-31T23:59:59Z"}`

	var n, v facade.APIKey
	if err := json.Unmarshal([]byte(nulls), &n); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(values), &v); err != nil {
		t.Fatal(err)
	}
	if n.Limit != nil || n.LimitRemaining != nil || n.LimitReset != nil || n.UpdatedAt != nil || n.CreatorUserID != nil || n.ExpiresAt != nil {
		t.Errorf("nulls decoded as values: %+v", n)
	}
	if v.Limit == nil || *v.Limit != 0 {
		t.Errorf("limit 0 decoded as %v", v.Limit)
	}
	if v.LimitRemaining == nil || *v.LimitRemaining != 7.25 {
		t.Errorf("limit_remaining = %v", v.LimitRemaining)
	}
	if v.LimitReset == nil || *v.LimitReset != facade.LimitResetWeekly {
		t.Errorf("limit_reset = %v", v.LimitReset)
	}
	if v.UpdatedAt == nil || !v.UpdatedAt.Equal(time.Date(2025, 8, 25, 0, 0, 0, 0, time.UTC)) || v.CreatorUserID == nil || *v.CreatorUserID != "user_1" {
		t.Errorf("updated_at, creator_user_id = %v, %v", v.UpdatedAt, v.CreatorUserID)
	}
	if want := time.Date(2027, 12, 31, 23, 59, 59, 0, time.UTC); v.ExpiresAt == nil || !v.ExpiresAt.Equal(want) {
		t.Errorf("expires_at = %v", v.ExpiresAt)
	}

	// The same distinction on GET /key.
	var cur facade.GetCurrentKeyResponse
	if err := json.Unmarshal([]byte(strings.Replace(currentKeyJSON, `"limit":null`, `"limit":12.5`, 1)), &cur); err != nil {
		t.Fatal(err)
	}
	if cur.Data.Limit == nil || *cur.Data.Limit != 12.5 || cur.Data.LimitRemaining != nil || cur.Data.LimitReset != nil {
		t.Errorf("current key: %+v", cur.Data)
	}
}

// Request bodies read back what they sent: absent, null and value stay
// apart through a JSON round trip.
func TestNullableRequestFieldsRoundTrip(t *testing.T) {
	for _, raw := range []string{`{}`, `{"limit":null}`, `{"limit":3}`} {
		var b facade.UpdateKeysRequestBody
		if err := json.Unmarshal([]byte(raw), &b); err != nil {
			t.Fatal(err)
		}
		out, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		if string(out) != raw {
			t.Errorf("%s came back as %s", raw, out)
		}
	}
}

// Fields the API adds later, and limit_reset values orkeys does not know,
// decode without error through the client.
func TestForwardCompatibleResponses(t *testing.T) {
	clearEnv(t)
	key := strings.Replace(keyJSON(testHash, "k"), `"limit_reset":null`, `"limit_reset":"hourly"`, 1)
	key = strings.TrimSuffix(key, "}") + `,"new_field":{"nested":[1,2]},"another":"x"}`
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/key"):
			cur := strings.Replace(currentKeyJSON, `"limit_reset":null`, `"limit_reset":"quarterly"`, 1)
			replyWith(200, strings.TrimSuffix(cur, "}}")+`,"is_new":true},"meta":{"v":2}}`)(w, r)
		case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/keys"):
			replyWith(200, `{"data":[`+key+`],"total":1}`)(w, r)
		default:
			replyWith(200, `{"data":`+key+`,"trace":"abc"}`)(w, r)
		}
	})
	c := srv.client(t)
	got, err := c.APIKeys.Get(t.Context(), facade.GetKeyRequest{Hash: testHash})
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if got.Data.LimitReset == nil || *got.Data.LimitReset != "hourly" || got.Data.LimitReset.Valid() {
		t.Errorf("limit_reset = %v, want the unknown value kept as is", got.Data.LimitReset)
	}
	if got.Data.Hash != testHash {
		t.Errorf("hash = %q", got.Data.Hash)
	}
	page, err := c.APIKeys.List(t.Context(), facade.ListRequest{})
	if err != nil || len(page.Data) != 1 {
		t.Fatalf("List: %v, %v", page, err)
	}
	cur, err := c.APIKeys.GetCurrentKeyMetadata(t.Context())
	if err != nil {
		t.Fatalf("GetCurrentKeyMetadata: %v", err)
	}
	if cur.Data.LimitReset == nil || *cur.Data.LimitReset != "quarterly" {
		t.Errorf("current limit_reset = %v", cur.Data.LimitReset)
	}
}

// A hash is one path segment, however odd: it cannot reach another path.
func TestHashIsEscapedAsOneSegment(t *testing.T) {
	clearEnv(t)
	for _, tc := range []struct{ hash, uri string }{
		{"../credits?x=1#", "/api/v1/keys/..%2Fcredits%3Fx=1%23"},
		{"a/b", "/api/v1/keys/a%2Fb"},
		{"%2e%2e", "/api/v1/keys/%252e%252e"},
		{"..%2F..%2Fcredits", "/api/v1/keys/..%252F..%252Fcredits"},
		{"a b", "/api/v1/keys/a%20b"},
		{"...", "/api/v1/keys/..."},
		{"./x", "/api/v1/keys/.%2Fx"},
	} {
		t.Run(tc.hash, func(t *testing.T) {
			srv := newRecorder(t, nil)
			c := srv.client(t)
			if _, err := c.APIKeys.Get(t.Context(), facade.GetKeyRequest{Hash: tc.hash}); err != nil {
				t.Fatalf("Get: %v", err)
			}
			if _, err := c.APIKeys.Update(t.Context(), facade.UpdateKeysRequest{Hash: tc.hash, RequestBody: facade.UpdateKeysRequestBody{Disabled: boolPtr(true)}}); err != nil {
				t.Fatalf("Update: %v", err)
			}
			if _, err := c.APIKeys.Delete(t.Context(), facade.DeleteKeysRequest{Hash: tc.hash}); err != nil {
				t.Fatalf("Delete: %v", err)
			}
			for _, r := range srv.requests() {
				if r.RequestURI != tc.uri {
					t.Errorf("%s reached %q, want %q", r.Method, r.RequestURI, tc.uri)
				}
				if r.Path != "/api/v1/keys/"+tc.hash {
					t.Errorf("%s: server decoded the path as %q", r.Method, r.Path)
				}
			}
		})
	}
}

// An empty hash or a dot segment cannot name a key and is refused before
// anything is sent.
func TestBadHashRejectedBeforeSending(t *testing.T) {
	clearEnv(t)
	srv := newRecorder(t, nil)
	c := srv.client(t)
	for _, hash := range []string{"", ".", ".."} {
		errs := map[string]error{}
		_, errs["Get"] = c.APIKeys.Get(t.Context(), facade.GetKeyRequest{Hash: hash})
		_, errs["Update"] = c.APIKeys.Update(t.Context(), facade.UpdateKeysRequest{Hash: hash, RequestBody: facade.UpdateKeysRequestBody{Name: strPtr("x")}})
		_, errs["Delete"] = c.APIKeys.Delete(t.Context(), facade.DeleteKeysRequest{Hash: hash})
		_, errs["APIKeysGet"] = facade.APIKeysGet(t.Context(), c, facade.GetKeyRequest{Hash: hash})
		for op, err := range errs {
			if err == nil || !strings.Contains(err.Error(), "hash") {
				t.Errorf("%s(%q): err = %v, want one about the hash", op, hash, err)
			}
		}
	}
	if n := srv.count(); n != 0 {
		t.Errorf("server saw %d requests, want 0", n)
	}
}

// Bad input is refused before sending, with an error naming the field.
func TestBadInputRejectedBeforeSending(t *testing.T) {
	clearEnv(t)
	srv := newRecorder(t, nil)
	c := srv.client(t)
	ctx := t.Context()
	create := func(b facade.CreateKeysRequestBody) error {
		_, err := c.APIKeys.Create(ctx, facade.CreateKeysRequest{RequestBody: b})
		return err
	}
	update := func(b facade.UpdateKeysRequestBody) error {
		_, err := c.APIKeys.Update(ctx, facade.UpdateKeysRequest{Hash: testHash, RequestBody: b})
		return err
	}
	list := func(r facade.ListRequest) error {
		_, err := c.APIKeys.List(ctx, r)
		return err
	}
	for _, tc := range []struct {
		name  string
		err   error
		field string
	}{
		{"empty name", create(facade.CreateKeysRequestBody{}), "CreateKeysRequestBody.Name"},
		{"negative limit", create(facade.CreateKeysRequestBody{Name: "n", Limit: facade.Ptr(-1.0)}), "CreateKeysRequestBody.Limit"},
		{"NaN limit", create(facade.CreateKeysRequestBody{Name: "n", Limit: facade.Ptr(math.NaN())}), "CreateKeysRequestBody.Limit"},
		{"infinite limit", create(facade.CreateKeysRequestBody{Name: "n", Limit: facade.Ptr(math.Inf(1))}), "CreateKeysRequestBody.Limit"},
		{"unknown limit_reset", create(facade.CreateKeysRequestBody{Name: "n", LimitReset: facade.Ptr(facade.LimitReset("hourly"))}), "CreateKeysRequestBody.LimitReset"},
		{"empty limit_reset", create(facade.CreateKeysRequestBody{Name: "n", LimitReset: facade.Ptr(facade.LimitReset(""))}), "CreateKeysRequestBody.LimitReset"},
		{"empty creator", create(facade.CreateKeysRequestBody{Name: "n", CreatorUserID: facade.Ptr("")}), "CreateKeysRequestBody.CreatorUserID"},
		{"zero expiry", create(facade.CreateKeysRequestBody{Name: "n", ExpiresAt: facade.Ptr(time.Time{})}), "CreateKeysRequestBody.ExpiresAt"},
		{"empty update name", update(facade.UpdateKeysRequestBody{Name: strPtr("")}), "UpdateKeysRequestBody.Name"},
		{"negative update limit", update(facade.UpdateKeysRequestBody{Limit: nullable.NewNullableWithValue(-0.01)}), "UpdateKeysRequestBody.Limit"},
		{"NaN update limit", update(facade.UpdateKeysRequestBody{Limit: nullable.NewNullableWithValue(math.NaN())}), "UpdateKeysRequestBody.Limit"},
		{"unknown update limit_reset", update(facade.UpdateKeysRequestBody{LimitReset: nullable.NewNullableWithValue(facade.LimitReset("yearly"))}), "UpdateKeysRequestBody.LimitReset"},
		{"limit_reset without limit", create(facade.CreateKeysRequestBody{Name: "n", LimitReset: facade.Ptr(facade.LimitResetMonthly)}),
			"CreateKeysRequestBody.LimitReset is set without a Limit: a reset period needs a limit to reset"},
		{"limit_reset while clearing the limit", update(facade.UpdateKeysRequestBody{Limit: nullable.NewNullNullable[float64](), LimitReset: nullable.NewNullableWithValue(facade.LimitResetWeekly)}),
			"UpdateKeysRequestBody.LimitReset is set while Limit is null"},
		{"negative offset", list(facade.ListRequest{Offset: intPtr(-1)}), "ListRequest.Offset"},
		{"workspace not a UUID", list(facade.ListRequest{WorkspaceID: strPtr("default")}), "ListRequest.WorkspaceID"},
		{"workspace empty", list(facade.ListRequest{WorkspaceID: strPtr("")}), "ListRequest.WorkspaceID"},
	} {
		if tc.err == nil || !strings.Contains(tc.err.Error(), tc.field) {
			t.Errorf("%s: err = %v, want one naming %s", tc.name, tc.err, tc.field)
		}
	}
	// The standalone functions check the same way.
	_, err := facade.APIKeysCreate(ctx, c, facade.CreateKeysRequest{})
	if err == nil || !strings.Contains(err.Error(), "CreateKeysRequestBody.Name") {
		t.Errorf("APIKeysCreate with no name: %v", err)
	}
	_, err = facade.APIKeysList(ctx, c, facade.ListRequest{Offset: intPtr(-5)})
	if err == nil || !strings.Contains(err.Error(), "ListRequest.Offset") {
		t.Errorf("APIKeysList with negative offset: %v", err)
	}
	if n := srv.count(); n != 0 {
		t.Errorf("server saw %d requests, want 0", n)
	}
}

// Good edge values pass: a limit of 0 is a real cap, not "unset".
func TestEdgeValuesAccepted(t *testing.T) {
	clearEnv(t)
	srv := newRecorder(t, nil)
	c := srv.client(t)
	if _, err := c.APIKeys.Create(t.Context(), facade.CreateKeysRequest{RequestBody: facade.CreateKeysRequestBody{
		Name: "zero", Limit: facade.Ptr(0.0),
	}}); err != nil {
		t.Errorf("limit 0: %v", err)
	}
	if _, err := c.APIKeys.List(t.Context(), facade.ListRequest{Offset: intPtr(0)}); err != nil {
		t.Errorf("offset 0: %v", err)
	}
	if n := srv.count(); n != 2 {
		t.Errorf("server saw %d requests, want 2", n)
	}
}

// The list query carries exactly the fields that are set.
func TestListQuery(t *testing.T) {
	clearEnv(t)
	ws := "0DF9E665-D932-5740-B2C7-B52AF166BC11"
	for _, tc := range []struct {
		name string
		req  facade.ListRequest
		want string
	}{
		// include_disabled is a plain bool (absent and false mean the
		// same to the API), so gen always sends it.
		{"none", facade.ListRequest{}, "include_disabled=false"},
		{"include disabled", facade.ListRequest{IncludeDisabled: true}, "include_disabled=true"},
		{"exclude disabled", facade.ListRequest{IncludeDisabled: false}, "include_disabled=false"},
		{"offset zero", facade.ListRequest{Offset: intPtr(0)}, "include_disabled=false&offset=0"},
		{"all", facade.ListRequest{IncludeDisabled: true, Offset: intPtr(200), WorkspaceID: &ws},
			"include_disabled=true&offset=200&workspace_id=0DF9E665-D932-5740-B2C7-B52AF166BC11"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newRecorder(t, nil)
			if _, err := facade.APIKeysList(t.Context(), srv.client(t), tc.req); err != nil {
				t.Fatal(err)
			}
			r := srv.only()
			if r.Path != "/api/v1/keys" || r.Query != tc.want {
				t.Errorf("sent %s?%s, want /api/v1/keys?%s", r.Path, r.Query, tc.want)
			}
		})
	}
}

// Each call returns the decoded response.
func TestResponsesDecoded(t *testing.T) {
	clearEnv(t)
	srv := newRecorder(t, nil)
	c := srv.client(t)
	ctx := t.Context()
	created, err := c.APIKeys.Create(ctx, facade.CreateKeysRequest{RequestBody: facade.CreateKeysRequestBody{Name: "new"}})
	if err != nil || created.Key.Reveal() != testKey || created.Data.Name != "new" || created.Data.Hash != testHash {
		t.Errorf("Create: %+v, %v", created, err)
	}
	page, err := c.APIKeys.List(ctx, facade.ListRequest{})
	if err != nil || len(page.Data) != 1 || page.Data[0].Name != "one" {
		t.Errorf("List: %+v, %v", page, err)
	}
	got, err := c.APIKeys.Get(ctx, facade.GetKeyRequest{Hash: testHash})
	if err != nil || got.Data.WorkspaceID != "0df9e665-d932-5740-b2c7-b52af166bc11" {
		t.Errorf("Get: %+v, %v", got, err)
	}
	upd, err := c.APIKeys.Update(ctx, facade.UpdateKeysRequest{Hash: testHash, RequestBody: facade.UpdateKeysRequestBody{Name: strPtr("one")}})
	if err != nil || upd.Data.Hash != testHash {
		t.Errorf("Update: %+v, %v", upd, err)
	}
	del, err := c.APIKeys.Delete(ctx, facade.DeleteKeysRequest{Hash: testHash})
	if err != nil || !del.Deleted {
		t.Errorf("Delete: %+v, %v", del, err)
	}
	cur, err := c.APIKeys.GetCurrentKeyMetadata(ctx)
	want := facade.CurrentKey{
		Label: "sk-or-v1-abc...1234", Usage: 1.5, IsManagementKey: true, IsProvisioningKey: true,
	}
	want.RateLimit.Requests, want.RateLimit.Interval, want.RateLimit.Note = 1000, "1h", "ignore"
	if err != nil || !reflect.DeepEqual(cur.Data, want) {
		t.Errorf("GetCurrentKeyMetadata: %+v, %v", cur, err)
	}
}

// A 2XX create answer without the plaintext key or the hash must not pass
// for a usable key: the caller learns the hash (to delete it) and gets an
// error.
func TestCreateSuccessWithoutKeyIsAnError(t *testing.T) {
	for name, body := range map[string]string{
		"no key":  `{"data":{"hash":"` + testHash + `","name":"n"}}`,
		"no hash": `{"data":{"name":"n"},"key":"` + testKey + `"}`,
		"empty":   `{}`,
	} {
		t.Run(name, func(t *testing.T) {
			rec := newRecorder(t, func(w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(http.StatusCreated)
				io.WriteString(w, body)
			})
			c := rec.client(t)
			res, err := c.APIKeys.Create(context.Background(), facade.CreateKeysRequest{RequestBody: facade.CreateKeysRequestBody{Name: "n"}})
			if err == nil || !strings.Contains(err.Error(), "lacks the plaintext key or the hash") {
				t.Fatalf("err = %v, want a missing-key error", err)
			}
			if strings.Contains(err.Error(), testKey) {
				t.Fatalf("error shows the key: %v", err)
			}
			if res == nil {
				t.Fatal("response is nil; the caller needs the hash to clean up")
			}
		})
	}
}
