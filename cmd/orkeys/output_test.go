package main

import (
	"bytes"
	"math"
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
	if err := writeKeyTable(&buf, []facade.APIKey{{Hash: "h", Name: "evil\nrow\tcell", Label: "l"}}); err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(buf.Bytes(), []byte("\n")); n != 2 {
		t.Errorf("table has %d lines, want 2:\n%s", n, buf.String())
	}
}
