package facade_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/fake"
	"github.com/orkeys/orkeys/secret"
)

// A provider key goes to the server and nowhere else: not into any fmt
// verb, JSON or slog output of the request, nor into the call's logs, nor
// into an error, even when the server echoes it.
func TestProviderKeyNeverShown(t *testing.T) {
	clearEnv(t)
	f := newPlaneFixture(t)
	var logs bytes.Buffer
	c := f.client(t, facade.WithLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	req := facade.CreateBYOKKeyRequest{RequestBody: facade.CreateBYOKKeyRequestBody{Provider: "openai", Key: secret.New(providerKey)}}
	upd := facade.UpdateBYOKKeyRequest{ID: f.byok.ID, RequestBody: facade.UpdateBYOKKeyRequestBody{Key: facade.Ptr(secret.New(providerKey))}}

	var shown []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%T", "%p"} {
		shown = append(shown, fmt.Sprintf(verb, req), fmt.Sprintf(verb, &req), fmt.Sprintf(verb, upd), fmt.Sprintf(verb, req.RequestBody.Key))
	}
	for _, v := range []any{req, upd} {
		raw, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		shown = append(shown, string(raw))
	}
	var sl bytes.Buffer
	slog.New(slog.NewTextHandler(&sl, nil)).Info("byok", "req", req, "update", upd, "key", req.RequestBody.Key)
	shown = append(shown, sl.String())

	// The server refuses, echoing the key in its message and body.
	echo := fmt.Sprintf(`{"error":{"code":400,"message":"invalid key %s for openai"}}`, providerKey)
	f.srv.Inject(fake.Fault{Method: "POST", Path: "/byok", Status: 400, Body: echo},
		fake.Fault{Method: "PATCH", Path: "/byok/{id}", Status: 400, Body: echo})
	_, errCreate := c.BYOK.Create(t.Context(), req)
	_, errUpdate := c.BYOK.Update(t.Context(), upd)
	for _, err := range []error{errCreate, errUpdate} {
		e, ok := errors.AsType[*facade.BadRequestResponseError](err)
		if !ok {
			t.Fatalf("err = %v, want a typed 400", err)
		}
		shown = append(shown, err.Error(), fmt.Sprintf("%+v", err), e.Message, string(e.Body))
	}
	// And a success, for the logs of both.
	created, err := c.BYOK.Create(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}
	shown = append(shown, logs.String())
	for _, r := range f.srv.Requests() {
		shown = append(shown, r.Path+"?"+r.Query.Encode(), string(r.Body))
	}

	for i, s := range shown {
		if strings.Contains(s, providerKey) || strings.Contains(s, "PROVIDERSECRET") {
			t.Errorf("output %d shows the provider key: %s", i, s)
		}
	}
	// It did reach the server, which stores its SHA-256.
	sum := sha256.Sum256([]byte(providerKey))
	if got := f.srv.BYOKKeyHash(created.Data.ID); got != hex.EncodeToString(sum[:]) {
		t.Errorf("the server stored %q, not the provider key's hash", got)
	}
}

// An OpenRouter key given as a provider key, most likely the management key
// in the wrong file, is refused before sending, in words that name its
// prefix and none of the key.
func TestProviderKeyRefusesOpenRouterKey(t *testing.T) {
	clearEnv(t)
	f := newPlaneFixture(t)
	c := f.client(t)
	for _, key := range []string{"sk-or-mgmt-" + strings.Repeat("7e", 32), "sk-or-v1-" + strings.Repeat("3c", 32)} {
		_, errCreate := c.BYOK.Create(t.Context(), facade.CreateBYOKKeyRequest{RequestBody: facade.CreateBYOKKeyRequestBody{Provider: "openai", Key: secret.New(key)}})
		_, errUpdate := c.BYOK.Update(t.Context(), facade.UpdateBYOKKeyRequest{ID: f.byok.ID, RequestBody: facade.UpdateBYOKKeyRequestBody{Key: facade.Ptr(secret.New(key))}})
		for _, err := range []error{errCreate, errUpdate} {
			in, ok := errors.AsType[*facade.InputError](err)
			if !ok || !errors.Is(err, facade.ErrInvalidInput) || !strings.HasSuffix(in.Setting, ".Key") {
				t.Fatalf("err = %v, want an InputError about the Key", err)
			}
			if msg := err.Error(); strings.Contains(msg, key[len(secret.Prefix(key)):]) || !strings.Contains(msg, secret.Prefix(key)+", so it is an OpenRouter key") {
				t.Errorf("message %q: want the prefix named and none of the key", msg)
			}
		}
	}
	if n := len(f.srv.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}
