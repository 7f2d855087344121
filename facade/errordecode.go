package facade

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"unicode"
)

// Reading an error answer into an *APIError (the types are in errors.go).

// errorEnvelope is read loosely: OpenRouter documents error.code as a number
// but has sent strings, and proxies in front of it send HTML or plain text.
type errorEnvelope struct {
	Error json.RawMessage `json:"error"`
}

type errorDetail struct {
	Code     json.RawMessage `json:"code"`
	Message  string          `json:"message"`
	Metadata map[string]any  `json:"metadata"`
}

// excerptLen bounds the part of an undecodable body shown in Message.
const excerptLen = 200

// decodeAPIError builds an *APIError from a non-2XX response. It never fails:
// whatever the body holds, the status survives. key, the API key the request
// carried, and every key-shaped token (either prefix, a new key's plaintext
// included) are cut out of the body, message, metadata and header names and
// values, raw or JSON-escaped ("\u0073k-or-…"): a server echoing a key must
// not put it into an error.
func decodeAPIError(status int, header http.Header, body []byte, sh shield) *APIError {
	// Before the excerpt below is taken: an excerpt may cut a secret where
	// only its fragments can be found.
	body = sh.body(body)
	e := &APIError{StatusCode: status, Header: sh.header(header), Body: body}

	var env errorEnvelope
	if json.Unmarshal(body, &env) == nil && len(env.Error) > 0 {
		var d errorDetail
		var s string
		switch {
		case json.Unmarshal(env.Error, &d) == nil:
			e.Message = d.Message
			e.Metadata = d.Metadata
			e.Code, e.CodeText = parseCode(d.Code)
		case json.Unmarshal(env.Error, &s) == nil:
			e.Message = s
		}
	}
	if e.Message == "" {
		e.Message = excerpt(body)
	}
	// What was decoded may spell a key that the raw bytes escaped in a way
	// the body scrub could not see, so scrub the decoded strings too, with
	// the URL scrubber: a message may quote a URL that percent-escapes it.
	e.Message = sh.text(oneLine(e.Message))
	e.CodeText = sh.text(e.CodeText)
	e.Metadata, _ = sh.strings(e.Metadata).(map[string]any)
	return e
}

func parseCode(raw json.RawMessage) (int, string) {
	if len(raw) == 0 || string(raw) == "null" {
		return 0, ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		n, _ := strconv.Atoi(strings.TrimSpace(s))
		return n, s
	}
	var f float64
	if json.Unmarshal(raw, &f) == nil && f == float64(int(f)) {
		return int(f), string(raw)
	}
	return 0, string(raw)
}

// excerpt returns the start of a body as one short line of valid UTF-8.
func excerpt(body []byte) string {
	b := bytes.TrimSpace(body)
	if len(b) == 0 {
		return ""
	}
	truncated := false
	if len(b) > excerptLen {
		b = b[:excerptLen]
		truncated = true
	}
	// A cut inside a multi-byte character leaves an invalid tail, which
	// ToValidUTF8 drops.
	s := strings.ToValidUTF8(string(b), "")
	if truncated {
		s += "…"
	}
	return s
}

// oneLine folds runs of white space and control characters (every kind of
// line break included) into single spaces, so that an error is one printable
// line.
func oneLine(s string) string {
	clean := true
	for _, r := range s {
		if r != ' ' && (unicode.IsSpace(r) || unicode.IsControl(r)) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	s = strings.Map(func(r rune) rune {
		switch {
		case r == 0:
			// Dropped, not spaced: UTF-16 text of ASCII (a key echoed in
			// it) then reads as the scrubber can see it.
			return -1
		case unicode.IsControl(r):
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}
