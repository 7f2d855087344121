package secret_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/orkeys/orkeys/secret"
)

const (
	plain    = "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"
	redacted = "sk-or-v1-d35…855d"
	// middle is a part of the key that no redacted form may contain.
	middle = "7c9e1b2d4f6a8c0e"
)

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		plain:                          redacted,
		"":                             "",
		"sk-or-v1-short":               "[redacted]",
		"sk-or-v1-abcdefghijklmn":      "[redacted]", // one short of the shortest shown form
		"sk-or-v1-abcdefghijklmno":     "sk-or-v1-abc…lmno",
		"not-an-openrouter-key-at-all": "[redacted]",
		"x":                            "[redacted]",
	} {
		if got := secret.Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
		if got := secret.Key(in).String(); got != want {
			t.Errorf("Key(%q).String() = %q, want %q", in, got, want)
		}
	}
}

func TestReveal(t *testing.T) {
	if got := secret.Key(plain).Reveal(); got != plain {
		t.Errorf("Reveal = %q", got)
	}
}

// Every verb fmt lets a type handle prints the redacted form, with any
// flags, width and precision. (%p is the exception fmt keeps for itself: on
// a non-pointer it is a wrong-type verb that go vet reports, and fmt prints
// the raw value without asking the type.)
func TestFormatEveryVerbRedacts(t *testing.T) {
	k := secret.Key(plain)
	verbs := "vsqxXdboOcUeEfFgGtT"
	for _, verb := range verbs {
		for _, flags := range []string{"", "+", "#", "-", " ", "0", "10", ".3", "-20.40", "#+"} {
			format := "%" + flags + string(verb)
			out := fmt.Sprintf(format, k)
			if strings.Contains(out, middle) || strings.Contains(out, plain) {
				t.Errorf("Sprintf(%q) = %q shows the key", format, out)
			}
			if verb != 'T' && !strings.Contains(out, redacted) {
				t.Errorf("Sprintf(%q) = %q, want the redacted form", format, out)
			}
		}
	}
	for format, want := range map[string]string{
		"%v":  redacted,
		"%s":  redacted,
		"%+v": redacted,
		"%q":  `"` + redacted + `"`,
		"%#v": `secret.Key("` + redacted + `")`,
	} {
		if got := fmt.Sprintf(format, k); got != want {
			t.Errorf("Sprintf(%q) = %q, want %q", format, got, want)
		}
	}
	if got := k.GoString(); got != `secret.Key("`+redacted+`")` {
		t.Errorf("GoString = %q", got)
	}
	// The print functions without a format, and errors built from the key.
	for _, out := range []string{fmt.Sprint(k), fmt.Sprintln(k), fmt.Errorf("stored %v", k).Error(), fmt.Sprint("a", k, 1)} {
		if strings.Contains(out, middle) {
			t.Errorf("%q shows the key", out)
		}
	}
}

// A Key inside other values (structs, pointers, slices, maps) stays
// redacted, as it does in the facade's CreateKeysResponse.
func TestFormatNestedRedacts(t *testing.T) {
	k := secret.Key(plain)
	type created struct {
		Name string
		Key  secret.Key
		Ptr  *secret.Key
	}
	values := []any{
		created{"ci", k, &k},
		&created{"ci", k, &k},
		[]secret.Key{k},
		map[string]secret.Key{"k": k},
		map[secret.Key]int{k: 1},
		[1]secret.Key{k},
		&k,
	}
	for _, v := range values {
		for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
			if out := fmt.Sprintf(format, v); strings.Contains(out, middle) {
				t.Errorf("Sprintf(%q, %T) = %q shows the key", format, v, out)
			}
		}
	}
}

// slog calls LogValue, so no handler prints the key.
func TestSlogRedacts(t *testing.T) {
	k := secret.Key(plain)
	var buf bytes.Buffer
	for name, h := range map[string]slog.Handler{
		"text": slog.NewTextHandler(&buf, nil),
		"json": slog.NewJSONHandler(&buf, nil),
	} {
		buf.Reset()
		l := slog.New(h)
		l.Info("created", "key", k, slog.Any("any", k), slog.Group("g", "key", k))
		out := buf.String()
		if strings.Contains(out, middle) {
			t.Errorf("%s handler shows the key: %s", name, out)
		}
		if strings.Count(out, redacted) != 3 {
			t.Errorf("%s handler: %s, want the redacted form three times", name, out)
		}
	}
	if v := k.LogValue(); v.Kind() != slog.KindString || v.String() != redacted {
		t.Errorf("LogValue = %v", v)
	}
}

// JSON carries the full key: the API sends it that way, and a program that
// stores a CreateKeysResponse must get the key back out.
func TestJSONKeepsFullValue(t *testing.T) {
	out, err := json.Marshal(struct {
		Key secret.Key `json:"key"`
	}{secret.Key(plain)})
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != `{"key":"`+plain+`"}` {
		t.Errorf("Marshal = %s", out)
	}
	var back struct {
		Key secret.Key `json:"key"`
	}
	if err := json.Unmarshal(out, &back); err != nil {
		t.Fatal(err)
	}
	if back.Key.Reveal() != plain {
		t.Errorf("Unmarshal = %q", back.Key.Reveal())
	}
}
