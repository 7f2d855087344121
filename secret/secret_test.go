package secret_test

import (
	"bytes"
	"encoding/gob"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"text/template"

	"github.com/orkeys/orkeys/secret"
)

const (
	plain    = "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"
	redacted = "sk-or-v1-d35…855d"
	// middle is a part of the key that no redacted form may contain.
	middle = "7c9e1b2d4f6a8c0e"

	mgmtPlain    = "sk-or-mgmt-abc0123456789abcdef0123456789abcdef0123456789abcdef0123wxyz"
	mgmtRedacted = "sk-or-mgmt-abc…wxyz"
	mgmtMiddle   = "0123456789abcdef"
)

// leaks reports whether out shows any part of a test key that its redacted
// form does not.
func leaks(out string) bool {
	return strings.Contains(out, middle) || strings.Contains(out, mgmtMiddle)
}

func TestPrefix(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{plain, secret.PrefixV1},
		{mgmtPlain, secret.PrefixMgmt},
		{"sk-or-v1-", secret.PrefixV1},
		{"sk-or-mgmt-", secret.PrefixMgmt},
		{"sk-or-v2-abc", ""},
		{"sk-or-mgmt", ""},
		{" sk-or-v1-abc", ""},
		{"", ""},
	} {
		if got := secret.Prefix(tc.in); got != tc.want {
			t.Errorf("Prefix(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestLooksLikeKey(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{plain, true},
		{mgmtPlain, true},
		{"sk-or-v1-0123456789abcdef", true},      // 16 after the prefix
		{"sk-or-mgmt-0123456789ABCDEF", true},    // upper case too
		{"sk-or-v1-0123456789abcde", false},      // 15
		{"sk-or-v1-0123456789abcdef-x", false},   // a dash
		{"sk-or-v1-0123456789abcdef ", false},    // trailing space
		{"sk-or-v1-0123456789abcdé", false},      // not ASCII
		{redacted, false},                        // "…"
		{"sk-or-v2-0123456789abcdef0123", false}, // unknown version
		{"0123456789abcdef0123456789abcdef", false},
		{"", false},
	} {
		if got := secret.LooksLikeKey(tc.in); got != tc.want {
			t.Errorf("LooksLikeKey(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestRedact(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{plain, redacted},
		{mgmtPlain, mgmtRedacted},
		{"", ""},
		{"sk-or-v1-short", "[redacted]"},
		{"sk-or-v1-abcdefghijklmn", "[redacted]"}, // one short of the shortest shown form
		{"sk-or-v1-abcdefghijklmno", "sk-or-v1-abc…lmno"},
		{"sk-or-mgmt-abcdefghijklmn", "[redacted]"},
		{"sk-or-mgmt-abcdefghijklmno", "sk-or-mgmt-abc…lmno"},
		{"sk-or-v1-per-call-key-0000000000000000000000", "sk-or-v1-per…0000"},
		{"sk-or-v1-has a space in the middle", "[redacted]"},
		{"sk-or-v1-\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9", "[redacted]"}, // would cut a character
		{"sk-or-v1-abcdefghijklmno\n", "[redacted]"},
		{`sk-or-v1-abcdefghijklmno"\"`, "[redacted]"}, // would need quoting in JSON
		{"sk-or-v1-abc.defghijklmnop", "[redacted]"},
		{"sk-or-v1-abc_defghijklmno-", "sk-or-v1-abc…mno-"},
		{"not-an-openrouter-key-at-all", "[redacted]"},
		{"sk-or-v2-abcdefghijklmnopqrstuvwxyz", "[redacted]"},
		{"x", "[redacted]"},
	} {
		if got := secret.Redact(tc.in); got != tc.want {
			t.Errorf("Redact(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if got := secret.New(tc.in).String(); got != tc.want {
			t.Errorf("New(%q).String() = %q, want %q", tc.in, got, tc.want)
		}
	}
	if secret.Placeholder != "[redacted]" {
		t.Errorf("Placeholder = %q", secret.Placeholder)
	}
}

func TestNewRevealIsZeroEqual(t *testing.T) {
	var zero secret.Key
	k := secret.New(plain)
	for _, tc := range []struct {
		name   string
		k      secret.Key
		reveal string
		isZero bool
	}{
		{"zero", zero, "", true},
		{"New empty", secret.New(""), "", true},
		{"v1", k, plain, false},
		{"mgmt", secret.New(mgmtPlain), mgmtPlain, false},
	} {
		if got := tc.k.Reveal(); got != tc.reveal {
			t.Errorf("%s: Reveal = %q, want %q", tc.name, got, tc.reveal)
		}
		if got := tc.k.IsZero(); got != tc.isZero {
			t.Errorf("%s: IsZero = %v, want %v", tc.name, got, tc.isZero)
		}
	}
	if secret.New("") != zero {
		t.Error(`New("") is not the zero Key`)
	}
	for _, tc := range []struct {
		name string
		a, b secret.Key
		want bool
	}{
		{"same plaintext, separate New", k, secret.New(plain), true},
		{"same Key", k, k, true},
		{"both zero", zero, secret.New(""), true},
		{"key and zero", k, zero, false},
		{"v1 and mgmt", k, secret.New(mgmtPlain), false},
		{"last byte differs", k, secret.New(plain[:len(plain)-1] + "e"), false},
		{"prefix of the other", k, secret.New(plain[:len(plain)-1]), false},
	} {
		if got := tc.a.Equal(tc.b); got != tc.want {
			t.Errorf("%s: Equal = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// Every verb, with any flags, width and precision, prints the redacted form:
// those fmt hands to Format, and %p, which fmt keeps for itself and on a
// non-pointer prints through reflection, finding only the pointer.
func TestFormatEveryVerbRedacts(t *testing.T) {
	keys := map[string]secret.Key{redacted: secret.New(plain), mgmtRedacted: secret.New(mgmtPlain)}
	for want, k := range keys {
		for _, verb := range "vsqxXdboOcUeEfFgGtTp" {
			for _, flags := range []string{"", "+", "#", "-", " ", "0", "10", ".3", "-20.40", "#+", "080"} {
				format := "%" + flags + string(verb)
				out := fmt.Sprintf(format, k)
				if leaks(out) || strings.Contains(out, plain) {
					t.Errorf("Sprintf(%q) = %q shows the key", format, out)
				}
				if verb != 'T' && verb != 'p' && !strings.Contains(out, want) {
					t.Errorf("Sprintf(%q) = %q, want the redacted form", format, out)
				}
			}
		}
	}
	k := keys[redacted]
	for _, tc := range []struct{ format, want string }{
		{"%v", redacted},
		{"%s", redacted},
		{"%+v", redacted},
		{"%d", redacted},
		{"%x", redacted},
		{"%q", `"` + redacted + `"`},
		{"%#v", `secret.Key("` + redacted + `")`},
		{"%T", "secret.Key"},
		{"%20s|", "   " + redacted + "|"},
		{"%-20s|", redacted + "   |"},
		{"%-20q|", `"` + redacted + `" |`},
		{"%.3s", redacted},
		{"%5s", redacted},
		{"[%v]", "[" + redacted + "]"},
	} {
		if got := fmt.Sprintf(tc.format, k); got != tc.want {
			t.Errorf("Sprintf(%q) = %q, want %q", tc.format, got, tc.want)
		}
	}
	var zero secret.Key
	for _, tc := range []struct{ format, want string }{
		{"%v", ""},
		{"%q", `""`},
		{"%#v", `secret.Key("")`},
		{"%3s|", "   |"},
	} {
		if got := fmt.Sprintf(tc.format, zero); got != tc.want {
			t.Errorf("zero Key: Sprintf(%q) = %q, want %q", tc.format, got, tc.want)
		}
	}
	if got := k.GoString(); got != `secret.Key("`+redacted+`")` {
		t.Errorf("GoString = %q", got)
	}
}

// The print functions without a format, errors, templates: all go through
// Format or String.
func TestPrintPathsRedact(t *testing.T) {
	k := secret.New(plain)
	var tmpl bytes.Buffer
	if err := template.Must(template.New("").Parse("{{.}} {{printf \"%q\" .}}")).Execute(&tmpl, k); err != nil {
		t.Fatal(err)
	}
	wrapped := fmt.Errorf("create: %w", fmt.Errorf("stored %v", k))
	for name, out := range map[string]string{
		"Sprint":        fmt.Sprint(k),
		"Sprintln":      fmt.Sprintln(k),
		"Sprint mixed":  fmt.Sprint("a", k, 1),
		"Errorf %v":     fmt.Errorf("stored %v", k).Error(),
		"Errorf %s":     fmt.Errorf("stored %s", k).Error(),
		"wrapped":       wrapped.Error(),
		"unwrapped":     errors.Unwrap(wrapped).Error(),
		"errors.New":    errors.New(k.String()).Error(),
		"text/template": tmpl.String(),
	} {
		if leaks(out) || !strings.Contains(out, redacted) {
			t.Errorf("%s: %q, want only the redacted form", name, out)
		}
	}
}

// Nested values: fmt calls Format on reachable exported Keys, and prints
// unexported ones (and everything under %p) by reflection, which finds only
// the pointer.
func TestFormatNestedRedacts(t *testing.T) {
	k := secret.New(plain)
	m := secret.New(mgmtPlain)
	type inner struct {
		Key  secret.Key
		keys []secret.Key
	}
	type created struct {
		Name    string
		Key     secret.Key
		Ptr     *secret.Key
		private secret.Key
		ptr     *secret.Key
		Inner   inner
		inner   *inner
		Map     map[string]secret.Key
		mapped  map[string]secret.Key
		Any     any
		anyKey  any
	}
	c := created{
		Name: "ci", Key: k, Ptr: &m, private: k, ptr: &m,
		Inner: inner{m, []secret.Key{k, m}}, inner: &inner{k, []secret.Key{m}},
		Map: map[string]secret.Key{"k": k}, mapped: map[string]secret.Key{"m": m},
		Any: k, anyKey: m,
	}
	values := map[string]any{
		"struct":              c,
		"*struct":             &c,
		"[]Key":               []secret.Key{k, m},
		"[]*Key":              []*secret.Key{&k, &m},
		"map[string]Key":      map[string]secret.Key{"k": k},
		"map[Key]int":         map[secret.Key]int{k: 1},
		"map[string]*Key":     map[string]*secret.Key{"m": &m},
		"[1]Key":              [1]secret.Key{k},
		"*Key":                &k,
		"**Key":               func() **secret.Key { p := &k; return &p }(),
		"[]any":               []any{k, &m, c},
		"anonymous struct":    struct{ k, K secret.Key }{k, m},
		"struct in interface": any(struct{ K any }{K: k}),
	}
	for name, v := range values {
		for _, format := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d", "%p", "%T", "%10.2v"} {
			if out := fmt.Sprintf(format, v); leaks(out) {
				t.Errorf("%s: Sprintf(%q) = %q shows a key", name, format, out)
			}
		}
		for _, out := range []string{fmt.Sprint(v), fmt.Sprintln(v), fmt.Errorf("%v", v).Error()} {
			if leaks(out) {
				t.Errorf("%s: %q shows a key", name, out)
			}
		}
	}
}

// slog calls LogValue, and its JSON handler falls back on MarshalJSON for
// Keys inside other values; neither shows the key.
func TestSlogRedacts(t *testing.T) {
	k := secret.New(plain)
	m := secret.New(mgmtPlain)
	type holder struct {
		Name    string
		Key     secret.Key
		Ptr     *secret.Key
		Keys    []secret.Key
		private secret.Key
	}
	h := holder{"ci", k, &m, []secret.Key{k, m}, k}
	var buf bytes.Buffer
	for name, newHandler := range map[string]func() slog.Handler{
		"text": func() slog.Handler { return slog.NewTextHandler(&buf, nil) },
		"json": func() slog.Handler { return slog.NewJSONHandler(&buf, nil) },
	} {
		for _, tc := range []struct {
			name      string
			log       func(*slog.Logger)
			redacteds int // how many redacted forms the line must hold
		}{
			{"attr", func(l *slog.Logger) { l.Info("created", "key", k) }, 1},
			{"slog.Any", func(l *slog.Logger) { l.Info("created", slog.Any("key", m)) }, 1},
			{"pointer", func(l *slog.Logger) { l.Info("created", "key", &k) }, 1},
			{"message", func(l *slog.Logger) { l.Info(fmt.Sprint("created ", k)) }, 1},
			{"group", func(l *slog.Logger) { l.Info("created", slog.Group("g", "key", k, slog.Group("h", "key", m))) }, 2},
			{"With", func(l *slog.Logger) { l.With("key", k).WithGroup("g").Info("created", "key", m) }, 2},
			{"struct", func(l *slog.Logger) { l.Info("created", slog.Any("holder", h)) }, 4},
			{"*struct", func(l *slog.Logger) { l.Info("created", "holder", &h) }, 4},
			{"struct in group", func(l *slog.Logger) { l.Info("created", slog.Group("g", slog.Any("holder", h))) }, 4},
			{"slice", func(l *slog.Logger) { l.Info("created", "keys", []secret.Key{k, m}) }, 2},
			{"map", func(l *slog.Logger) { l.Info("created", "keys", map[string]secret.Key{"k": k}) }, 1},
		} {
			buf.Reset()
			tc.log(slog.New(newHandler()))
			out := buf.String()
			if leaks(out) {
				t.Errorf("%s handler, %s: shows a key: %s", name, tc.name, out)
			}
			if n := strings.Count(out, redacted) + strings.Count(out, mgmtRedacted); n != tc.redacteds {
				t.Errorf("%s handler, %s: %s, want %d redacted forms, got %d", name, tc.name, out, tc.redacteds, n)
			}
		}
	}
	if v := k.LogValue(); v.Kind() != slog.KindString || v.String() != redacted {
		t.Errorf("LogValue = %v", v)
	}
}

// JSON gets the redacted form, however the Key is held.
func TestMarshalJSONRedacts(t *testing.T) {
	k := secret.New(plain)
	m := secret.New(mgmtPlain)
	type withKey struct {
		Key secret.Key `json:"key"`
	}
	type withPtr struct {
		Key *secret.Key `json:"key"`
	}
	type omit struct {
		Key secret.Key `json:"key,omitzero"`
	}
	for _, tc := range []struct {
		name string
		v    any
		want string
	}{
		{"Key", k, `"` + redacted + `"`},
		{"mgmt Key", m, `"` + mgmtRedacted + `"`},
		{"zero Key", secret.Key{}, `""`},
		{"struct", withKey{k}, `{"key":"` + redacted + `"}`},
		{"*Key field", withPtr{&k}, `{"key":"` + redacted + `"}`},
		{"nil *Key field", withPtr{}, `{"key":null}`},
		{"*Key", &k, `"` + redacted + `"`},
		{"map[string]Key", map[string]secret.Key{"a": k, "b": m}, `{"a":"` + redacted + `","b":"` + mgmtRedacted + `"}`},
		{"map[Key]string", map[secret.Key]string{k: "x"}, `{"` + redacted + `":"x"}`},
		{"[]Key", []secret.Key{k, m}, `["` + redacted + `","` + mgmtRedacted + `"]`},
		{"[]*Key", []*secret.Key{&k, nil}, `["` + redacted + `",null]`},
		{"omitzero, zero", omit{}, `{}`},
		{"omitzero, set", omit{k}, `{"key":"` + redacted + `"}`},
		{"any", map[string]any{"k": k, "s": []any{withKey{m}}}, `{"k":"` + redacted + `","s":[{"key":"` + mgmtRedacted + `"}]}`},
	} {
		out, err := json.Marshal(tc.v)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if string(out) != tc.want {
			t.Errorf("%s: Marshal = %s, want %s", tc.name, out, tc.want)
		}
		indented, err := json.MarshalIndent(tc.v, "", "  ")
		if err != nil || leaks(string(indented)) {
			t.Errorf("%s: MarshalIndent = %s, %v", tc.name, indented, err)
		}
	}
	// Text and XML marshalling redact as well.
	if out, err := k.MarshalText(); err != nil || string(out) != redacted {
		t.Errorf("MarshalText = %q, %v", out, err)
	}
	type xmlHolder struct {
		Attr secret.Key  `xml:"attr,attr"`
		Elem secret.Key  `xml:"elem"`
		Ptr  *secret.Key `xml:"ptr"`
	}
	out, err := xml.Marshal(xmlHolder{k, m, &k})
	if err != nil || leaks(string(out)) || strings.Count(string(out), "…") != 3 {
		t.Errorf("xml.Marshal = %s, %v", out, err)
	}
	var back xmlHolder
	if err := xml.Unmarshal([]byte(`<x attr="`+plain+`"><elem>`+mgmtPlain+`</elem></x>`), &back); err != nil ||
		back.Attr.Reveal() != plain || back.Elem.Reveal() != mgmtPlain {
		t.Errorf("xml.Unmarshal = %+v, %v", back, err)
	}
}

// JSON strings coming in are plaintext: the API sends a new key that way.
func TestUnmarshalJSON(t *testing.T) {
	type withKey struct {
		Key secret.Key `json:"key"`
	}
	type withPtr struct {
		Key *secret.Key `json:"key"`
	}
	for _, tc := range []struct {
		name, in, want string
	}{
		{"v1", `{"key":"` + plain + `"}`, plain},
		{"mgmt", `{"key":"` + mgmtPlain + `"}`, mgmtPlain},
		{"escaped", `{"key":"\u0073k-or-v1-d35a7c9e1b2d4f6a8c0e2b4d6f8a1c3e5b7d9f0a2c4e6b8d1f3a5c7e9b2d855d"}`, plain},
		{"null", `{"key":null}`, ""},
		{"empty", `{"key":""}`, ""},
		{"absent", `{}`, ""},
	} {
		var v withKey
		if err := json.Unmarshal([]byte(tc.in), &v); err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if v.Key.Reveal() != tc.want || v.Key.IsZero() != (tc.want == "") {
			t.Errorf("%s: Reveal = %q, want %q", tc.name, v.Key.Reveal(), tc.want)
		}
		var p withPtr
		if err := json.Unmarshal([]byte(tc.in), &p); err != nil {
			t.Errorf("%s, *Key: %v", tc.name, err)
		} else if p.Key != nil && p.Key.Reveal() != tc.want {
			t.Errorf("%s, *Key: Reveal = %q, want %q", tc.name, p.Key.Reveal(), tc.want)
		}
	}

	// A key decoded from JSON over an existing one replaces it; null clears it.
	k := secret.New(mgmtPlain)
	if err := json.Unmarshal([]byte(`"`+plain+`"`), &k); err != nil || k.Reveal() != plain {
		t.Errorf("Unmarshal over a Key: %q, %v", k.Reveal(), err)
	}
	if err := json.Unmarshal([]byte(`null`), &k); err != nil || !k.IsZero() {
		t.Errorf("Unmarshal null: %q, %v", k.Reveal(), err)
	}

	// Maps and slices of Keys.
	var ks struct {
		List []secret.Key
		Map  map[string]secret.Key
	}
	if err := json.Unmarshal([]byte(`{"List":["`+plain+`"],"Map":{"m":"`+mgmtPlain+`"}}`), &ks); err != nil ||
		len(ks.List) != 1 || ks.List[0].Reveal() != plain || ks.Map["m"].Reveal() != mgmtPlain {
		t.Errorf("Unmarshal list and map: %v", err)
	}
}

// A JSON value of the wrong kind is an error that does not repeat it: it may
// hold a key that was sent in the wrong place.
func TestUnmarshalJSONErrorsDoNotEcho(t *testing.T) {
	for _, in := range []string{
		`{"key":{"value":"` + plain + `"}}`,
		`{"key":["` + plain + `"]}`,
		`{"key":735927193712}`,
		`{"key":true}`,
	} {
		var v struct {
			Key secret.Key `json:"key"`
		}
		err := json.Unmarshal([]byte(in), &v)
		if err == nil {
			t.Errorf("Unmarshal(%s) succeeded", in)
			continue
		}
		if leaks(err.Error()) || strings.Contains(err.Error(), "735927193712") {
			t.Errorf("Unmarshal(%s) = %v: repeats the input", in, err)
		}
	}
	// Called directly, UnmarshalJSON may see input encoding/json never
	// passes on.
	for _, in := range []string{"", "   ", `"` + plain, `nul`, `'` + plain + `'`} {
		var k secret.Key
		err := k.UnmarshalJSON([]byte(in))
		if err == nil {
			t.Errorf("UnmarshalJSON(%q) succeeded", in)
		} else if leaks(err.Error()) {
			t.Errorf("UnmarshalJSON(%q) = %v: repeats the input", in, err)
		}
	}
}

func TestUnmarshalText(t *testing.T) {
	var k secret.Key
	if err := k.UnmarshalText([]byte(mgmtPlain)); err != nil || k.Reveal() != mgmtPlain {
		t.Errorf("UnmarshalText = %q, %v", k.Reveal(), err)
	}
	if err := k.UnmarshalText(nil); err != nil || !k.IsZero() {
		t.Errorf("UnmarshalText(nil) = %q, %v", k.Reveal(), err)
	}
}

// gob refuses a Key rather than carrying the plaintext, or carrying the
// redacted form as if it were the key.
func TestGobRefuses(t *testing.T) {
	k := secret.New(plain)
	for name, v := range map[string]any{
		"Key":    k,
		"struct": struct{ Key secret.Key }{k},
		"slice":  []secret.Key{k},
	} {
		var buf bytes.Buffer
		err := gob.NewEncoder(&buf).Encode(v)
		if err == nil {
			t.Errorf("%s: gob encoded a Key", name)
		} else if leaks(err.Error()) {
			t.Errorf("%s: gob error %v shows the key", name, err)
		}
		if leaks(buf.String()) || strings.Contains(buf.String(), redacted) {
			t.Errorf("%s: gob wrote %q", name, buf.String())
		}
	}
	var k2 secret.Key
	if err := k2.GobDecode([]byte(plain)); err == nil || !k2.IsZero() {
		t.Errorf("GobDecode = %q, %v", k2.Reveal(), err)
	}
}
