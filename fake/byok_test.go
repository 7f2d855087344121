package fake_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/orkeys/orkeys/gen"
)

const providerKey = "sk-proj-PROVIDERSECRET0123456789abcdefXYZ9"

func (e *env) byok(body string) gen.BYOKKey {
	e.t.Helper()
	r := e.mgmt("POST", "/byok", body)
	if r.Status != http.StatusCreated {
		e.t.Fatalf("create provider key %s: %d %s", body, r.Status, r.Body)
	}
	return decode[gen.CreateBYOKKeyResponse](e.t, r).Data
}

// The provider key goes in and never comes out: answers carry a masked
// label, and a rotation changes what is stored.
func TestBYOKKeyIsWriteOnly(t *testing.T) {
	e := newEnv(t)
	k := e.byok(fmt.Sprintf(`{"provider":"openai","key":%q,"name":"prod"}`, providerKey))
	if k.Label != "sk-...XYZ9" || k.Provider != "openai" || k.IsFallback || k.DeclaredZdr != nil || k.SortOrder != 0 {
		t.Errorf("created %+v", k)
	}
	before := e.srv.BYOKKeyHash(k.ID)
	for _, r := range []reply{
		e.mgmt("GET", "/byok", ""), e.mgmt("GET", "/byok/"+k.ID, ""),
		e.mgmt("PATCH", "/byok/"+k.ID, `{"key":"sk-ant-ROTATED000000000000000000000000abcd"}`),
	} {
		if r.Status != http.StatusOK || strings.Contains(string(r.Body), "PROVIDERSECRET") || strings.Contains(string(r.Body), "ROTATED") {
			t.Errorf("%d %s: want 200 without the key", r.Status, r.Body)
		}
	}
	got := decode[gen.GetBYOKKeyResponse](t, e.mgmt("GET", "/byok/"+k.ID, "")).Data
	if got.Label != "sk-...abcd" || e.srv.BYOKKeyHash(k.ID) == before {
		t.Errorf("after rotation: label %q, stored key changed %v", got.Label, e.srv.BYOKKeyHash(k.ID) != before)
	}
}

// The restriction lists: absent keeps, null clears, empty is refused.
func TestBYOKListsAreTriState(t *testing.T) {
	e := newEnv(t)
	key := e.create(`{"name":"app"}`)
	k := e.byok(fmt.Sprintf(`{"provider":"anthropic","key":%q,"allowed_models":["anthropic/claude"],"allowed_api_key_hashes":[%q]}`, providerKey, key.Data.Hash))
	got := decode[gen.UpdateBYOKKeyResponse](t, e.mgmt("PATCH", "/byok/"+k.ID, `{"name":"renamed"}`)).Data
	if got.AllowedModels == nil || len(*got.AllowedModels) != 1 || got.AllowedAPIKeyHashes == nil || got.AllowedUserIds != nil {
		t.Errorf("absent lists changed: %+v", got)
	}
	got = decode[gen.UpdateBYOKKeyResponse](t, e.mgmt("PATCH", "/byok/"+k.ID, `{"allowed_models":null,"declared_zdr":true}`)).Data
	if got.AllowedModels != nil || got.DeclaredZdr == nil || !*got.DeclaredZdr || got.AllowedAPIKeyHashes == nil {
		t.Errorf("null did not clear only allowed_models: %+v", got)
	}
	for _, body := range []string{`{"allowed_models":[]}`, `{"allowed_user_ids":[]}`, `{"allowed_api_key_hashes":[]}`} {
		e.mgmt("PATCH", "/byok/"+k.ID, body).wantError(t, http.StatusBadRequest)
	}
	e.mgmt("POST", "/byok", fmt.Sprintf(`{"provider":"openai","key":%q,"allowed_models":[]}`, providerKey)).wantError(t, http.StatusBadRequest)
}

func TestBYOKRules(t *testing.T) {
	e := newEnv(t)
	ws := e.workspace("Team", "team")
	first := e.byok(fmt.Sprintf(`{"provider":"openai","key":%q}`, providerKey))
	second := e.byok(fmt.Sprintf(`{"provider":"openai","key":%q,"is_fallback":true}`, providerKey))
	if first.SortOrder != 0 || second.SortOrder != 1 {
		t.Errorf("sort orders %d %d, want 0 1", first.SortOrder, second.SortOrder)
	}
	inTeam := e.byok(fmt.Sprintf(`{"provider":"openai","key":%q,"workspace_id":%q}`, providerKey, ws.ID))
	for _, tc := range []struct{ body, want string }{
		{fmt.Sprintf(`{"provider":"not-a-provider","key":%q}`, providerKey), "provider"},
		{fmt.Sprintf(`{"provider":"openai","key":%q,"is_fallback":true,"is_byok_only":true}`, providerKey), "is_byok_only"},
		{fmt.Sprintf(`{"provider":"openai","key":%q,"workspace_id":"0df9e665-d932-4740-b2c7-b52af166bc11"}`, providerKey), "workspace"},
		{fmt.Sprintf(`{"provider":"openai","key":%q,"allowed_api_key_hashes":[%q]}`, providerKey, strings.Repeat("a", 64)), "allowed_api_key_hashes"},
		{`{"provider":"openai","key":""}`, "key"},
	} {
		e.mgmt("POST", "/byok", tc.body).wantError(t, http.StatusBadRequest, tc.want)
	}
	e.mgmt("PATCH", "/byok/"+second.ID, `{"is_byok_only":true}`).wantError(t, http.StatusBadRequest, "is_byok_only")
	list := decode[gen.ListBYOKKeysResponse](t, e.mgmt("GET", "/byok?provider=openai", ""))
	if list.TotalCount != 2 {
		t.Errorf("default workspace's openai keys = %d, want 2", list.TotalCount)
	}
	team := decode[gen.ListBYOKKeysResponse](t, e.mgmt("GET", "/byok?workspace_id="+ws.ID, ""))
	if team.TotalCount != 1 || team.Data[0].ID != inTeam.ID {
		t.Errorf("team keys = %+v", team)
	}
	if n := decode[gen.ListBYOKKeysResponse](t, e.mgmt("GET", "/byok?provider=anthropic", "")).TotalCount; n != 0 {
		t.Errorf("anthropic keys = %d", n)
	}
	e.wantOK(e.mgmt("DELETE", "/byok/"+first.ID, ""))
	for _, m := range []string{"GET", "DELETE"} {
		e.mgmt(m, "/byok/"+first.ID, "").wantError(t, http.StatusNotFound)
	}
	e.mgmt("PATCH", "/byok/"+first.ID, `{"name":"x"}`).wantError(t, http.StatusNotFound)
	regular := e.create(`{"name":"inference"}`).Key.Reveal()
	e.do("GET", "/byok", regular, "").wantError(t, http.StatusForbidden)
}

// The request record keeps a provider key redacted: the fake writes it
// only to the store, as the key's SHA-256.
func TestBYOKKeyNotInTheRecord(t *testing.T) {
	e := newEnv(t)
	k := e.byok(fmt.Sprintf(`{"provider":"openai","key":%q}`, providerKey))
	e.wantOK(e.mgmt("PATCH", "/byok/"+k.ID, fmt.Sprintf(`{"key":%q,"name":"n"}`, providerKey+"2")))
	for _, r := range e.srv.Requests() {
		if strings.Contains(string(r.Body), "PROVIDERSECRET") {
			t.Errorf("%s %s recorded the provider key: %s", r.Method, r.Path, r.Body)
		}
	}
	if last := e.srv.Requests()[1]; !strings.Contains(string(last.Body), `"name":"n"`) {
		t.Errorf("the rest of the body is gone: %s", last.Body)
	}
	if e.srv.BYOKKeyHash(k.ID) != sha256Hex(providerKey+"2") {
		t.Error("the rotated key is not what the store holds")
	}
}
