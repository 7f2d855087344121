package timestamp_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/orkeys/orkeys/timestamp"
)

func TestUnmarshalReadsEveryFormTheAPICouldSend(t *testing.T) {
	want := time.Date(2026, 11, 26, 0, 21, 3, 0, time.UTC)
	withMillis := want.Add(718 * time.Millisecond)
	cases := []struct {
		in   string
		want time.Time
	}{
		{`"2026-11-26T00:21:03Z"`, want},
		{`"2026-11-26T00:21:03.718Z"`, withMillis},
		{`"2026-11-26T00:21:03.718123456Z"`, want.Add(718123456)},
		{`"2026-11-26 00:21:03.718+00:00"`, withMillis},
		{`"2026-11-26T01:21:03+01:00"`, want},
		{`"2026-11-26T01:21:03+0100"`, want},
		{`"2026-11-26T01:21:03+01"`, want},
		{`"2026-11-26T00:21:03"`, want},
		{`"2026-11-26 00:21:03.718"`, withMillis},
		{`"2026-11-26t00:21:03z"`, want},
		{`"2026-11-26T00:21Z"`, want.Truncate(time.Minute)},
		{`"2026-11-26"`, time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)},
		{`" 2026-11-26T00:21:03Z "`, want},
	}
	for _, tc := range cases {
		var v timestamp.Time
		if err := json.Unmarshal([]byte(tc.in), &v); err != nil {
			t.Errorf("%s: %v", tc.in, err)
			continue
		}
		if !v.Parsed() || !v.Equal(tc.want) || v.Location() != time.UTC || v.Raw != "" {
			t.Errorf("%s: got %v (parsed %v, raw %q), want %v in UTC", tc.in, v.Time, v.Parsed(), v.Raw, tc.want)
		}
	}
}

// Whatever the server sends decodes: text that is no instant is kept in Raw,
// so one odd field cannot fail the answer it sits in.
func TestUnmarshalNeverFails(t *testing.T) {
	cases := []struct{ in, raw string }{
		{`"yesterday"`, "yesterday"},
		{`""`, ""},
		{`"2026-13-45T99:99:99Z"`, "2026-13-45T99:99:99Z"},
		{`"sk-or-v1-not-a-time"`, "sk-or-v1-not-a-time"},
		{`1764116463`, "1764116463"},
		{`{"a":1}`, `{"a":1}`},
		{`true`, "true"},
		{`"\u0000\u001b[31m"`, "\x00\x1b[31m"},
	}
	for _, tc := range cases {
		var v timestamp.Time
		if err := json.Unmarshal([]byte(tc.in), &v); err != nil {
			t.Errorf("%s: %v, want no error", tc.in, err)
		}
		if v.Parsed() || v.Raw != tc.raw {
			t.Errorf("%s: parsed %v, raw %q; want unparsed with raw %q", tc.in, v.Parsed(), v.Raw, tc.raw)
		}
	}
	// Inside a struct, as gen's models hold it, a bad field leaves the
	// others decoded.
	var doc struct {
		Name    string          `json:"name"`
		Created timestamp.Time  `json:"created_at"`
		Expires *timestamp.Time `json:"expires_at"`
		Updated *timestamp.Time `json:"updated_at"`
	}
	if err := json.Unmarshal([]byte(`{"created_at":"Lorem ipsum","name":"ci","expires_at":null,"updated_at":"2026-01-02 03:04:05"}`), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Name != "ci" || doc.Created.Raw != "Lorem ipsum" || doc.Expires != nil || doc.Updated == nil || !doc.Updated.Parsed() {
		t.Errorf("decoded %+v", doc)
	}
}

func TestMarshalRoundTrips(t *testing.T) {
	for _, in := range []string{`"2026-11-26T00:21:03.718Z"`, `"Lorem ipsum"`, `null`} {
		var v timestamp.Time
		if err := json.Unmarshal([]byte(in), &v); err != nil {
			t.Fatal(err)
		}
		out, err := json.Marshal(v)
		if err != nil || string(out) != in {
			t.Errorf("%s: marshalled back as %s, %v", in, out, err)
		}
	}
	if s := timestamp.Of(time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("X", 3600))).String(); s != "2026-01-02T02:04:05Z" {
		t.Errorf("String() = %q", s)
	}
}

// Instant gives nil for an expiry that could not be read, so that callers
// never take it for one in the past.
func TestInstant(t *testing.T) {
	var absent *timestamp.Time
	odd := timestamp.Time{Raw: "soon"}
	when := timestamp.Of(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	if absent.Instant() != nil || odd.Instant() != nil {
		t.Error("Instant of a nil or unparsed Time is not nil")
	}
	if got := when.Instant(); got == nil || !got.Equal(when.Time) {
		t.Errorf("Instant() = %v", got)
	}
}
