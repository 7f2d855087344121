package main

import (
	"bytes"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/orkeys/orkeys/facade"
)

func TestMoney(t *testing.T) {
	cases := map[float64]string{
		0:          "$0.00",
		12.5:       "$12.50",
		100:        "$100.00",
		0.01:       "$0.01",
		0.0042:     "$0.0042",
		1.234:      "$1.234",
		1.23456789: "$1.23456789",
		1e-9:       "$0.000000001",
		-3:         "-$3.00",
		1234567.89: "$1234567.89",
	}
	for v, want := range cases {
		if got := money(v); got != want {
			t.Errorf("money(%v) = %q, want %q", v, got, want)
		}
	}
	// At run time, not as a constant: the noise of float arithmetic.
	limit, spent := 25.0, 18.9
	if got := money(limit - spent); got != "$6.10" {
		t.Errorf("money(%v) = %q, want $6.10", limit-spent, got)
	}
	if got := money(math.Inf(1)); got != "+Inf" {
		t.Errorf("money(+Inf) = %q", got)
	}
}

// Values from the server cannot break the table or drive the terminal.
func TestCellStripsControlCharacters(t *testing.T) {
	if got := cell("a\tb\nc\x1b[31md"); got != "a b c [31md" {
		t.Errorf("cell = %q", got)
	}
	if cell("") != "-" {
		t.Error("empty cell should show -")
	}
	var buf bytes.Buffer
	if err := writeKeyTable(&buf, []facade.APIKey{{Hash: "h", Name: "evil\nrow\tcell", Label: "l"}}, 0); err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(buf.Bytes(), []byte("\n")); n != 2 {
		t.Errorf("table has %d lines, want 2:\n%s", n, buf.String())
	}
}

// -o json prints the API's own JSON: a field this version of orkeys does not
// model still reaches the user (decoding into the Go type would drop it).
func TestJSONOutputKeepsUnknownFields(t *testing.T) {
	srv, e := newFake(t)
	keys := seed(t, srv)
	// Put a field the spec does not know into every answer of the fake.
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, r)
		body := bytes.Replace(rec.Body.Bytes(), []byte(`"data":`), []byte(`"future_field":"kept","data":`), 1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(rec.Code)
		w.Write(body)
	}))
	t.Cleanup(proxy.Close)
	e["OPENROUTER_BASE_URL"] = proxy.URL + "/api/v1"
	for _, args := range [][]string{
		{"keys", "get", keys[0].Data.Hash, "-o", "json"},
		{"keys", "list", "-o", "json"},
		{"key", "-o", "json"},
		{"keys", "update", keys[0].Data.Hash, "--name", "renamed", "-o", "json"},
	} {
		r := runCLI(t, e, "", args...)
		wantCode(t, r, exitOK)
		if !strings.Contains(r.stdout, `"future_field": "kept"`) {
			t.Errorf("%v: JSON output lost the API's unknown field:\n%s", args, r.stdout)
		}
	}
}
