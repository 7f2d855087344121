package rules

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestUUID(t *testing.T) {
	for s, ok := range map[string]bool{
		"5d0f3c2e-8a41-4b7e-9c16-0e2f4a6b8d10":   true,
		"5D0F3C2E-8A41-4B7E-9C16-0E2F4A6B8D10":   true,
		"":                                       false,
		"5d0f3c2e8a414b7e9c160e2f4a6b8d10":       false, // no dashes: not the canonical form
		"{5d0f3c2e-8a41-4b7e-9c16-0e2f4a6b8d10}": false,
		"5d0f3c2e-8a41-4b7e-9c16-0e2f4a6b8d1g":   false,
		"5d0f3c2e-8a41-4b7e-9c16-0e2f4a6b8d10\n": false,
	} {
		if err := UUID(s); (err == nil) != ok {
			t.Errorf("UUID(%q) = %v, want ok=%v", s, err, ok)
		}
	}
}

func TestLimit(t *testing.T) {
	for _, v := range []float64{0, 0.01, 1e9} {
		if err := Limit(v); err != nil {
			t.Errorf("Limit(%v) = %v", v, err)
		}
	}
	for _, v := range []float64{-0.01, math.NaN(), math.Inf(1), math.Inf(-1), MaxLimit + 1, 1e308} {
		if err := Limit(v); err == nil {
			t.Errorf("Limit(%v) accepted", v)
		}
	}
}

func TestLimitReset(t *testing.T) {
	for _, s := range LimitResets {
		if err := LimitReset(s); err != nil {
			t.Errorf("LimitReset(%q) = %v", s, err)
		}
	}
	for _, s := range []string{"", "Daily", "yearly", "never"} {
		if err := LimitReset(s); err == nil {
			t.Errorf("LimitReset(%q) accepted", s)
		}
	}
}

func TestHashAndName(t *testing.T) {
	for _, h := range []string{"", ".", ".."} {
		if Hash(h) == nil {
			t.Errorf("Hash(%q) accepted", h)
		}
	}
	if err := Hash("abc/def"); err != nil { // escaped as one segment by the builder
		t.Errorf("Hash(abc/def) = %v", err)
	}
	if Name("") == nil || Name("x") != nil {
		t.Error("Name: want empty refused and x accepted")
	}
}

func TestExpiresAt(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	if err := ExpiresAt(now.Add(time.Second), now); err != nil {
		t.Errorf("future: %v", err)
	}
	for _, at := range []time.Time{{}, now, now.Add(-time.Hour)} {
		if ExpiresAt(at, now) == nil {
			t.Errorf("ExpiresAt(%v) accepted", at)
		}
	}
}

func TestExternalAPIKeyDoesNotEcho(t *testing.T) {
	const short = "partner-secret-short"
	err := ExternalAPIKey(short)
	if err == nil || strings.Contains(err.Error(), short) {
		t.Fatalf("ExternalAPIKey(short) = %v: want an error without the value", err)
	}
	if err := ExternalAPIKey(strings.Repeat("k", MinExternalAPIKey)); err != nil {
		t.Errorf("32 characters: %v", err)
	}
}

func TestProviderKey(t *testing.T) {
	mgmt := "sk-or-mgmt-" + strings.Repeat("b", 64)
	for _, c := range []struct{ key, want string }{
		{"sk-or-v1-" + strings.Repeat("a", 64), "holds sk-or-v1-, so it is an OpenRouter key"},
		{mgmt, "holds sk-or-mgmt-, so it is an OpenRouter key"},
		{strings.ToUpper(mgmt), "holds sk-or-mgmt-"},
		{"\ufeff" + mgmt, "holds sk-or-mgmt-"},
		{"OPENROUTER_API_KEY=" + mgmt, "holds sk-or-mgmt-"},
		{"sk-or-v1-", "OpenRouter key"},
		{`"sk-proj-abcdefghijklmnop"`, "holds a quote"},
		{"OPENAI_API_KEY=sk-proj-abcdefghijklmnop", "is a NAME=value assignment"},
		{"export OPENAI_API_KEY=sk-proj-abcdefghijklmnop", "is a NAME=value assignment"},
		{"\ufeffsk-proj-abcdefghijklmnop", "non-ASCII character (U+FEFF)"},
		{"sk-proj-abcd\u200befghijklmnop", "non-ASCII character (U+200B)"},
		{"sk-proj-abcdefghijkl\xffmnop", "is not UTF-8"},
		{"sk-proj-abc", "is 11 characters, too short"},
		{"sk-proj-abcdefgh\ufe0fijklmnop", "non-ASCII character (U+FE0F)"},
		{"sk-proj-abcdefgh\u3164ijklmnop", "non-ASCII character (U+3164)"},
		{"sk-proj-abcdefgh\u2800ijklmnop", "non-ASCII character (U+2800)"},
		{"sk-pr\u043ej-abcdefghijklmnop", "non-ASCII character (U+043E)"},
	} {
		err := ProviderKey(c.key)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ProviderKey(%.14q…) = %v, want %q", c.key, err, c.want)
			continue
		}
		if len(c.key) > 20 && strings.Contains(err.Error(), c.key[len(c.key)-8:]) {
			t.Errorf("ProviderKey(%.14q…) = %v: shows the key", c.key, err)
		}
	}
	for _, k := range []string{"sk-proj-abcdefghijklmnop", "sk-ant-api03-xyzxyzxyzxyz", "AIzaSy0123456789abcdef", "gsk_0123456789abcdef", "a+b/c=d_e-f.g:h~0123456"} {
		if err := ProviderKey(k); err != nil {
			t.Errorf("ProviderKey(%q) = %v", k, err)
		}
	}
}

func TestPlainZero(t *testing.T) {
	if got := PlainZero(math.Copysign(0, -1)); got != 0 || math.Signbit(got) {
		t.Errorf("PlainZero(-0) = %v (sign bit %v), want 0", got, math.Signbit(got))
	}
	for _, v := range []float64{0, 1.5, -2, math.Inf(1)} {
		if got := PlainZero(v); got != v {
			t.Errorf("PlainZero(%v) = %v", v, got)
		}
	}
}

func TestKeyHash(t *testing.T) {
	for _, h := range []string{"0", "3f9aC1d2", strings.Repeat("ab", 32)} {
		if err := KeyHash(h); err != nil {
			t.Errorf("KeyHash(%q) = %v", h, err)
		}
	}
	for _, h := range []string{"", ".", "..", "nothex", "3f9a c1d2", "3f9a/..", "é", strings.Repeat("a", 129)} {
		if err := KeyHash(h); err == nil {
			t.Errorf("KeyHash(%q) accepted", h)
		}
	}
}

// The messages suggest only values that the rule accepts.
func TestLimitResetSuggestsOnlyValidValues(t *testing.T) {
	err := LimitReset("none")
	if err == nil || strings.Contains(err.Error(), "none for") {
		t.Errorf("LimitReset(none) = %v", err)
	}
	for _, w := range LimitResets {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("message %q lacks %s", err, w)
		}
	}
}

func TestResetNeedsLimit(t *testing.T) {
	if ResetNeedsLimit(true, false) == nil {
		t.Error("a reset without a limit passed")
	}
	for _, c := range [][2]bool{{true, true}, {false, false}, {false, true}} {
		if err := ResetNeedsLimit(c[0], c[1]); err != nil {
			t.Errorf("ResetNeedsLimit(%v) = %v", c, err)
		}
	}
}
