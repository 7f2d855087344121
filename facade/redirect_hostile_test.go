package facade_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/orkeys/orkeys/facade"
)

// redirectFor answers path (and only it) with a redirect to target.
func redirectFor(path, target string, code int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, path) {
			http.Redirect(w, r, target, code)
			return
		}
		okFor(w, r)
	}
}

// A key in the server URL's path never reaches another origin in Referer,
// which net/http sets on a redirect to the previous URL: no redirect carries
// Referer, to another port or on the same server.
func TestRedirectSendsNoReferer(t *testing.T) {
	clearEnv(t)
	other := newRecorder(t, nil)
	home := newRecorder(t, redirectFor("/key", other.srv.URL+"/api/v1/key", http.StatusFound))
	c := home.client(t, facade.WithServerURL(home.srv.URL+"/"+urlKey+"/api/v1"))
	if _, err := c.APIKeys.GetCurrentKeyMetadata(t.Context()); err != nil {
		t.Fatal(err)
	}
	if r := other.only(); r.Header.Get("Referer") != "" || r.Header.Get("Authorization") != "" {
		t.Errorf("the other port received Referer %q and Authorization %q, want neither", r.Header.Get("Referer"), r.Header.Get("Authorization"))
	}

	// Same origin: the header would not leave the server, but it is no
	// use to it either, and "every redirect" is the simpler rule to keep.
	same := newRecorder(t, nil)
	same.setReply(redirectFor("/api/v1/key", same.srv.URL+"/api/v2/key", http.StatusFound))
	c = same.client(t, facade.WithServerURL(same.srv.URL+"/"+urlKey+"/api/v1"))
	if _, err := c.APIKeys.GetCurrentKeyMetadata(t.Context()); err != nil {
		t.Fatal(err)
	}
	if reqs := same.requests(); len(reqs) != 2 || reqs[1].Header.Get("Referer") != "" {
		t.Errorf("same-origin redirect: %d requests, Referer %q; want 2 and none", len(reqs), reqs[len(reqs)-1].Header.Get("Referer"))
	}
}

// A create redirected to another origin is not followed, whatever the
// status: a 307 or 308 would resend the body (external.api_key included)
// and return the other host's 201 as the new key; a 301, 302 or 303 would
// turn it into a GET whose answer is not a create's. The call fails, is not
// retried, and the other origin receives nothing.
func TestCreateRedirectToAnotherOriginIsRefused(t *testing.T) {
	clearEnv(t)
	const providerKey = "provider-secret-0123456789abcdef0123456789"
	for _, code := range []int{http.StatusTemporaryRedirect, http.StatusPermanentRedirect, http.StatusFound, http.StatusSeeOther, http.StatusMovedPermanently} {
		other := newRecorder(t, nil)
		home := newRecorder(t, redirectFor("/keys", other.srv.URL+"/api/v1/keys", code))
		c := home.client(t, facade.WithRetryConfig(facade.RetryConfig{}), facade.WithTestClock(&facade.TestClock{}))
		res, err := c.APIKeys.Create(t.Context(), facade.CreateKeysRequest{RequestBody: facade.CreateKeysRequestBody{
			Name: "ci", External: &facade.ExternalIdentity{APIKey: strPtr(providerKey), User: "u1"},
		}})
		if err == nil {
			t.Errorf("%d: create followed the redirect and returned %s", code, res.Data.Hash)
			continue
		}
		if n := other.count(); n != 0 {
			t.Errorf("%d: the other origin received %d requests, want none", code, n)
		}
		if n := home.count(); n != 1 {
			t.Errorf("%d: the configured server received %d requests, want 1 (no retry)", code, n)
		}
		if strings.Contains(err.Error(), providerKey) || !strings.Contains(err.Error(), fmt.Sprintf("refusing to follow a %d redirect of POST to another origin", code)) {
			t.Errorf("%d: err = %v, want the refusal without the provider key", code, err)
		}
		if _, ok := errors.AsType[*facade.MaybeCreatedError](err); !ok {
			t.Errorf("%d: err = %T, want a *MaybeCreatedError (doc.go says so)", code, err)
		}
	}
}

// A create redirected within the configured origin is followed with its
// body and its key: nothing leaves the server the caller chose.
func TestCreateRedirectWithinOriginIsFollowed(t *testing.T) {
	clearEnv(t)
	srv := newRecorder(t, nil)
	srv.setReply(redirectFor("/api/v1/keys", srv.srv.URL+"/api/v2/keys", http.StatusTemporaryRedirect))
	c := srv.client(t)
	if _, err := c.APIKeys.Create(t.Context(), facade.CreateKeysRequest{RequestBody: facade.CreateKeysRequestBody{Name: "ci"}}); err != nil {
		t.Fatal(err)
	}
	reqs := srv.requests()
	if len(reqs) != 2 || reqs[1].Method != http.MethodPost || !strings.Contains(string(reqs[1].Body), `"ci"`) || reqs[1].Header.Get("Authorization") != "Bearer "+testKey {
		t.Fatalf("same-origin 307 of a create: %+v, want the POST repeated with body and key", reqs)
	}
}

// Origins are compared with the first request's, not the previous hop's:
// home → other:/hop → other:/key sends Authorization to neither hop.
func TestTwoHopRedirectLosesAuthorization(t *testing.T) {
	clearEnv(t)
	other := newRecorder(t, nil)
	other.setReply(redirectFor("/hop", other.srv.URL+"/api/v1/key", http.StatusFound))
	home := newRecorder(t, redirectFor("/key", other.srv.URL+"/hop", http.StatusFound))
	if _, err := home.client(t).APIKeys.GetCurrentKeyMetadata(t.Context()); err != nil {
		t.Fatal(err)
	}
	reqs := other.requests()
	if len(reqs) != 2 || reqs[0].Path != "/hop" || reqs[1].Path != "/api/v1/key" {
		t.Fatalf("other server saw %+v, want /hop then /api/v1/key", reqs)
	}
	for i, r := range reqs {
		if a := r.Header.Get("Authorization"); a != "" {
			t.Errorf("hop %d (%s) received Authorization %q, want none", i+1, r.Path, a)
		}
	}
}

// The refusal of a create's cross-origin redirect is a policy error: not
// retried, and reported under the redirect-policy class.
func TestCreateRedirectRefusalIsNotRetried(t *testing.T) {
	clearEnv(t)
	other := newRecorder(t, nil)
	home := newRecorder(t, redirectFor("/keys", other.srv.URL+"/api/v1/keys", http.StatusPermanentRedirect))
	c := home.client(t, facade.WithRetryConfig(facade.RetryConfig{}), facade.WithTestClock(&facade.TestClock{}))
	_, err := c.APIKeys.Create(t.Context(), facade.CreateKeysRequest{RequestBody: facade.CreateKeysRequestBody{Name: "ci"}})
	var re *facade.RetryError
	if err == nil || errors.As(err, &re) || home.count() != 1 {
		t.Errorf("err = %v after %d requests, want one refused attempt", err, home.count())
	}
}

// The rule is not a create's alone: an update's body and a delete go to
// the configured origin or nowhere.
func TestWriteRedirectToAnotherOriginIsRefused(t *testing.T) {
	clearEnv(t)
	for _, code := range []int{http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		other := newRecorder(t, nil)
		home := newRecorder(t, redirectFor("/keys/"+testHash, other.srv.URL+"/api/v1/keys/"+testHash, code))
		c := home.client(t)
		_, err := c.APIKeys.Update(t.Context(), facade.UpdateKeysRequest{Hash: testHash, RequestBody: facade.UpdateKeysRequestBody{Name: strPtr("renamed")}})
		if err == nil || !strings.Contains(err.Error(), "redirect of PATCH to another origin") {
			t.Errorf("%d of PATCH: err = %v, want the refusal", code, err)
		}
		_, err = c.APIKeys.Delete(t.Context(), facade.DeleteKeysRequest{Hash: testHash})
		if err == nil || !strings.Contains(err.Error(), "redirect of DELETE to another origin") {
			t.Errorf("%d of DELETE: err = %v, want the refusal", code, err)
		}
		if n := other.count(); n != 0 {
			t.Errorf("%d: the other origin received %d requests, want none", code, n)
		}
	}
}
