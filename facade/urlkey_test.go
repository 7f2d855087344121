package facade_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/orkeys/orkeys/facade"
)

// urlKey is an API key that a careless user put into the server URL.
const urlKey = "sk-or-v1-a11ce0c0ffee5ec7e7c0ffee5ec7e7c0ffee5ec7e7c0ffee5ec7e7c0ffee5e"

// holdsKey reports whether s shows any part of urlKey past what its
// redacted form shows.
func holdsKey(s string) bool { return strings.Contains(s, urlKey[12:40]) }

// A server URL refused for its shape never repeats a key in its path: the
// error shows the URL with the key cut out, from WithServerURL and from
// OPENROUTER_BASE_URL alike (the CLI's --server-url is WithServerURL).
func TestServerURLErrorHidesKeyInPath(t *testing.T) {
	clearEnv(t)
	for _, raw := range []string{
		"ftp://openrouter.ai/" + urlKey + "/api/v1",
		"https:///" + urlKey + "/api/v1",
		"https://openrouter.ai/" + urlKey + "/%zz",
		"https://openrouter.ai/" + urlKey + "/%zz?token=abc",
		"http://example.com/" + urlKey + "/api/v1",
		"https://" + urlKey + "/api/v1?x=1",
	} {
		_, err := facade.New(facade.WithServerURL(raw))
		if err == nil || holdsKey(err.Error()) || strings.Contains(err.Error(), "abc") || !errors.Is(err, facade.ErrInvalidInput) {
			t.Errorf("WithServerURL(%q): err = %v, want an input error without the key", raw, err)
		}
		_, err = facade.New(facade.WithEnv(func(name string) string {
			if name == facade.EnvBaseURL {
				return raw
			}
			return ""
		}))
		if err == nil || holdsKey(err.Error()) {
			t.Errorf("$%s=%q: err = %v, want an error without the key", facade.EnvBaseURL, raw, err)
		}
	}
}

// checkNoKey fails t if err, or the *url.Error inside it, shows urlKey or
// secret.
func checkNoKey(t *testing.T, err error, secret string) {
	t.Helper()
	if err == nil {
		t.Fatal("the call succeeded; want a transport error")
	}
	for _, s := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
		if holdsKey(s) || (secret != "" && strings.Contains(s, secret)) {
			t.Errorf("error shows the key: %s", s)
		}
	}
	var ue *url.Error
	if !errors.As(err, &ue) {
		t.Fatalf("err = %v, want a wrapped *url.Error", err)
	}
	if holdsKey(ue.URL) || holdsKey(ue.Error()) || (secret != "" && strings.Contains(ue.Error(), secret)) {
		t.Errorf("the *url.Error shows the key: %s", ue.Error())
	}
}

// A transport error names the URL it failed on; with a key in the server
// URL's path, that URL is shown with the key cut out, whichever way the URL
// was given.
func TestTransportErrorHidesKeyInURL(t *testing.T) {
	clearEnv(t)
	base := "http://" + closedPort(t) + "/" + urlKey + "/api/v1"
	none := facade.WithRetryConfig(facade.RetryConfig{Strategy: facade.StrategyNone})
	call := func(t *testing.T, opts ...facade.Option) error {
		t.Helper()
		c, err := facade.New(append([]facade.Option{facade.WithAPIKey(testKey), none}, opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		if s := fmt.Sprint(c); holdsKey(s) {
			t.Errorf("the client prints the key: %s", s)
		}
		_, err = c.APIKeys.Get(t.Context(), facade.GetKeyRequest{Hash: testHash})
		return err
	}
	t.Run("WithServerURL", func(t *testing.T) {
		checkNoKey(t, call(t, facade.WithServerURL(base)), "")
	})
	t.Run("WithEnv", func(t *testing.T) {
		env := map[string]string{facade.EnvBaseURL: base}
		checkNoKey(t, call(t, facade.WithEnv(func(k string) string { return env[k] })), "")
	})
	t.Run("OPENROUTER_BASE_URL", func(t *testing.T) {
		t.Setenv(facade.EnvBaseURL, base)
		checkNoKey(t, call(t), "")
	})
	t.Run("create", func(t *testing.T) {
		c, err := facade.New(facade.WithAPIKey(testKey), none, facade.WithServerURL(base))
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.APIKeys.Create(t.Context(), facade.CreateKeysRequest{RequestBody: facade.CreateKeysRequestBody{Name: "ci"}})
		checkNoKey(t, err, "")
	})
	t.Run("the API key itself, of any shape", func(t *testing.T) {
		const opaque = "gateway-token-0123456789abcdef"
		c, err := facade.New(facade.WithAPIKey(opaque), none,
			facade.WithServerURL("http://"+closedPort(t)+"/"+opaque+"/api/v1"))
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.APIKeys.List(t.Context(), facade.ListRequest{})
		checkNoKey(t, err, opaque)
	})
}

// A redirect can put a key anywhere in the URL that then fails: the query
// or the user info. Those are cut out too.
func TestRedirectErrorHidesKeyInURL(t *testing.T) {
	clearEnv(t)
	dead := closedPort(t)
	for _, target := range []string{
		"http://" + dead + "/api/v1/keys?api_key=" + urlKey,
		"http://" + urlKey + "@" + dead + "/api/v1/keys",
		"http://user:" + urlKey + "@" + dead + "/api/v1/keys",
		"http://" + dead + "/api/v1/keys#" + urlKey,
	} {
		srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, target, http.StatusFound)
		})
		_, err := srv.client(t).APIKeys.List(t.Context(), facade.ListRequest{})
		checkNoKey(t, err, "")
	}
}

// A Location that spells a key with percent-escapes, beside an escape that
// does not decode (so that url.PathUnescape gives up on the whole), is cut
// out of the call's error: where Go fails to parse it ("failed to parse
// Location header …", text inside the *url.Error's cause, not its URL) and
// where it parses and the request to it fails.
func TestEscapedKeyInLocationIsCutOut(t *testing.T) {
	clearEnv(t)
	const mgmt = "sk-or-mgmt-a11ce0c0ffee5ec7e7c0ffee5ec7e7c0ffee5ec7e7c0ffee5ec7e7c0ffee5e"
	escaped := "%73" + mgmt[1:]
	dead := "http://" + closedPort(t)
	for _, loc := range []string{
		"/" + escaped + "?x=%zz",
		"/" + escaped + "/%zz",
		"/" + escaped + "%zz",
		"/%2573" + mgmt[1:] + "/%zz", // escaped twice
		dead + "/" + escaped + "?x=%zz",
		dead + "/" + escaped + "/%zz",
		dead + "/api/v1/keys?next=" + escaped + "&x=%zz",
	} {
		srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/api/v1/keys" {
				http.Error(w, "gone", http.StatusGone) // the redirect was followed
				return
			}
			w.Header().Set("Location", loc)
			w.WriteHeader(http.StatusFound)
		})
		_, err := srv.client(t).APIKeys.List(t.Context(), facade.ListRequest{})
		if err == nil {
			continue // followed to the same server: nothing to show
		}
		for _, s := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
			if strings.Contains(s, mgmt[12:40]) {
				t.Errorf("Location %q: the error shows the key: %s", loc, s)
			}
		}
		if ue, ok := errors.AsType[*url.Error](err); ok && (strings.Contains(ue.URL, mgmt[12:40]) || strings.Contains(ue.Err.Error(), mgmt[12:40])) {
			t.Errorf("Location %q: the *url.Error shows the key: %s", loc, ue.Error())
		}
	}
}
