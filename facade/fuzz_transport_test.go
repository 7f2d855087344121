package facade

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/orkeys/orkeys/secret"
)

// FuzzScrubTransportLocation builds the *url.Error net/http returns for a
// Location it cannot parse, or for a redirect target it cannot reach, with
// a key hidden in the Location in a form the fuzzer picks (each byte
// percent-encoded or not, up to three layers, text around it). No lenient
// percent-decoding of the call's error, its %+v, or the *url.Error's URL
// and cause may spell the key.
func FuzzScrubTransportLocation(f *testing.F) {
	f.Add("/", "?x=%zz", uint64(1), uint8(1))
	f.Add("http://127.0.0.1:1/", "/%zz", uint64(0x5555), uint8(2))
	f.Add("/a?next=", "&x=%", uint64(0xffffffffffffffff), uint8(3))
	const key = "sk-or-mgmt-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	f.Fuzz(func(t *testing.T, before, after string, mask uint64, layers uint8) {
		hidden := key
		for layer := range int(layers % 4) {
			var b strings.Builder
			for i := 0; i < len(hidden); i++ {
				if mask>>((i+layer*7)%64)&1 == 1 {
					fmt.Fprintf(&b, "%%%02X", hidden[i])
				} else {
					b.WriteByte(hidden[i])
				}
			}
			hidden = b.String()
		}
		loc := before + hidden + after
		cause := errors.New("dial tcp: connection refused")
		if _, err := url.Parse(loc); err != nil {
			cause = fmt.Errorf("failed to parse Location header %q: %v", loc, err)
		}
		ue := &url.Error{Op: "Get", URL: loc, Err: cause}
		err := fmt.Errorf("openrouter: GET /keys: %w", scrubTransport(ue, shield{}))
		for _, s := range []string{err.Error(), fmt.Sprintf("%+v", err), ue.URL, ue.Err.Error()} {
			d := s
			for range 8 {
				if strings.Contains(d, key[12:]) || secret.Scrub(d) != d {
					t.Fatalf("Location %q: %q shows the key (%q)", loc, s, d)
				}
				// %q may have escaped bytes of the text; read them back.
				if u, err := strconv.Unquote(`"` + d + `"`); err == nil && u != d && secret.Scrub(u) != u {
					t.Fatalf("Location %q: %q shows the key once unquoted (%q)", loc, s, u)
				}
				next := lenientDecodeForTest(d)
				if next == d {
					break
				}
				d = next
			}
		}
	})
}

// lenientDecodeForTest decodes every valid %XX of s, as a log viewer might.
func lenientDecodeForTest(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
				b.WriteByte(byte(v))
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// requestURL's text goes into a *url.Error, which quotes it: for a URL that
// does not parse it must not come quoted already.
func TestRequestURLOfUnparsableURLIsNotQuoted(t *testing.T) {
	if got := requestURL("http://127.0.0.1:1/a%zz"); got != "http://127.0.0.1:1/a%zz" {
		t.Errorf("requestURL = %s, want the URL as it is", got)
	}
	e := &url.Error{Op: "Get", URL: requestURL("http://127.0.0.1:1/%73k-or-v1-abcdefabcdef%zz"), Err: errors.New("x")}
	if got, want := e.Error(), `Get "http://127.0.0.1:1/`+secret.URLPlaceholder+`": x`; got != want {
		t.Errorf("url.Error = %s, want %s", got, want)
	}
}
