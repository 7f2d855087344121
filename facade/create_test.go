package facade_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/orkeys/orkeys/facade"
)

// A create's answer is read for the plaintext and the hash first: an odd
// field the caller did not need (a string where a number or a bool goes)
// neither fails the create nor makes it a MaybeCreatedError, since the key
// exists and its plaintext is in hand.
func TestCreateKeepsPlaintextDespiteOddFields(t *testing.T) {
	clearEnv(t)
	for name, data := range map[string]string{
		"string usage":    strings.Replace(keyJSON(testHash, "new"), `"usage":0`, `"usage":"Lorem ipsum"`, 1),
		"string disabled": strings.Replace(keyJSON(testHash, "new"), `"disabled":false`, `"disabled":"dolor"`, 1),
		"object name":     strings.Replace(keyJSON(testHash, "new"), `"name":"new"`, `"name":{"x":1}`, 1),
	} {
		t.Run(name, func(t *testing.T) {
			srv := newRecorder(t, replyWith(http.StatusCreated, `{"data":`+data+`,"key":"`+testKey+`"}`))
			res, err := srv.client(t).APIKeys.Create(t.Context(), facade.CreateKeysRequest{RequestBody: facade.CreateKeysRequestBody{Name: "new"}})
			if err != nil {
				t.Fatalf("create: %v, want the key", err)
			}
			if res.Key.Reveal() != testKey || res.Data.Hash != testHash {
				t.Errorf("create = %+v, want the plaintext and the hash", res)
			}
		})
	}
}

// Without the plaintext or the hash the create is not usable: an error,
// with whatever was read beside it, and never a retry.
func TestCreateWithoutPlaintextOrHash(t *testing.T) {
	clearEnv(t)
	for name, body := range map[string]string{
		"no key":           `{"data":` + keyJSON(testHash, "new") + `}`,
		"no hash":          `{"data":` + keyJSON("", "new") + `,"key":"` + testKey + `"}`,
		"odd and no hash":  `{"data":{"usage":"x"},"key":"` + testKey + `"}`,
		"not JSON":         `<html>created</html>`,
		"key not a string": `{"data":` + keyJSON(testHash, "new") + `,"key":42}`,
	} {
		t.Run(name, func(t *testing.T) {
			srv := newRecorder(t, replyWith(http.StatusCreated, body))
			_, err := srv.client(t).APIKeys.Create(t.Context(), facade.CreateKeysRequest{RequestBody: facade.CreateKeysRequestBody{Name: "new"}})
			var mc *facade.MaybeCreatedError
			if !errors.As(err, &mc) || mc.Name != "new" {
				t.Fatalf("err = %v, want a MaybeCreatedError naming the key", err)
			}
			if strings.Contains(fmt.Sprintf("%v %+v", err, err), testKey) {
				t.Errorf("the error shows the plaintext: %v", err)
			}
			if srv.count() != 1 {
				t.Errorf("%d requests, want 1", srv.count())
			}
		})
	}
}

// A server echoing the caller's key into fields of a 2XX answer, where
// they fail to decode or decode leniently, gets it into no error text.
func TestDecodeErrorsShowNoKey(t *testing.T) {
	clearEnv(t)
	k := keyJSON(testHash, "one")
	for name, body := range map[string]string{
		"created_at":  `{"data":` + strings.Replace(k, `"2025-08-24T10:30:00Z"`, `"`+testKey+`"`, 1) + `}`,
		"usage":       `{"data":` + strings.Replace(k, `"usage":0`, `"usage":"`+testKey+`"`, 1) + `}`,
		"data":        `{"data":"` + testKey + `"}`,
		"cut short":   `{"data":{"hash":"` + testKey,
		"not JSON":    testKey,
		"no hash":     `{"data":{"name":"` + testKey + `"}}`,
		"escaped key": `{"data":"\u0073` + testKey[1:] + `"}`,
	} {
		t.Run(name, func(t *testing.T) {
			srv := newRecorder(t, replyWith(http.StatusOK, body))
			_, err := srv.client(t).APIKeys.Get(t.Context(), facade.GetKeyRequest{Hash: testHash})
			for e := err; e != nil; e = errors.Unwrap(e) {
				if s := fmt.Sprintf("%v|%+v|%#v", e, e, e.Error()); strings.Contains(s, testKey) || strings.Contains(s, testKey[8:]) {
					t.Fatalf("error (or one it wraps) shows the key: %s", s)
				}
			}
		})
	}
}
