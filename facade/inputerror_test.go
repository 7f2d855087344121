package facade_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/orkeys/orkeys/facade"
)

// An InputError names what was refused and where the value came from, so a
// CLI can name its own flag or variable without parsing the message.
func TestInputErrorNamesTheSetting(t *testing.T) {
	env := func(vars map[string]string) facade.Option {
		return facade.WithEnv(func(k string) string { return vars[k] })
	}
	c, err := facade.New(env(nil), facade.WithAPIKey("sk-or-v1-"+strings.Repeat("0123456789abcdef", 4)))
	if err != nil {
		t.Fatal(err)
	}
	neg := -1
	cases := []struct {
		name         string
		err          error
		setting, src string
	}{
		{"option", func() error {
			_, err := facade.New(env(nil), facade.WithServerURL("ftp://example.com"))
			return err
		}(), "WithServerURL", ""},
		{"environment", func() error {
			_, err := facade.New(env(map[string]string{facade.EnvBaseURL: "ftp://example.com"}))
			return err
		}(), "WithServerURL", facade.EnvBaseURL},
		{"plain http", func() error {
			_, err := facade.New(env(nil), facade.WithServerURL("http://example.com/api/v1"))
			return err
		}(), "WithServerURL", ""},
		{"request field", func() error {
			_, err := c.APIKeys.List(context.Background(), facade.ListRequest{Offset: &neg})
			return err
		}(), "ListRequest.Offset", ""},
		{"hash", func() error {
			_, err := c.APIKeys.Get(context.Background(), facade.GetKeyRequest{Hash: ".."})
			return err
		}(), "GetKeyRequest.Hash", ""},
		{"no key", func() error {
			bare, err := facade.New(env(nil))
			if err != nil {
				return err
			}
			_, err = bare.APIKeys.Get(context.Background(), facade.GetKeyRequest{Hash: "ab"})
			return err
		}(), "WithAPIKey", ""},
	}
	for _, tc := range cases {
		var in *facade.InputError
		if !errors.As(tc.err, &in) || !errors.Is(tc.err, facade.ErrInvalidInput) {
			t.Errorf("%s: %v, want an *InputError matching ErrInvalidInput", tc.name, tc.err)
			continue
		}
		if in.Setting != tc.setting || in.Env != tc.src {
			t.Errorf("%s: Setting %q, Env %q; want %q, %q (%v)", tc.name, in.Setting, in.Env, tc.setting, tc.src, in)
		}
	}
}
