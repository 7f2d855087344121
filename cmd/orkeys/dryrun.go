package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/spf13/pflag"

	"github.com/orkeys/orkeys/secret"
)

// addDryRunFlag registers --dry-run. With it, the command runs as usual
// over a transport that sends reads and only records everything else
// (factory.newDryRun): what it prints is what the facade and gen would
// really send, not a second copy of their logic.
func addDryRunFlag(fs *pflag.FlagSet, on *bool) {
	fs.BoolVar(on, "dry-run", false, "print the requests that would be sent (secrets redacted) and send none that change anything; reads are sent")
}

// writeDryRun prints what the command would have sent, in place of its
// own output.
func (f *factory) writeDryRun(rec *dryRun, format outputFormat) error {
	var err error
	if format == formatJSON {
		err = writeJSON(f.io.Out, rec.requests())
	} else {
		err = rec.write(f.io.Out)
	}
	if err == nil {
		fmt.Fprintln(f.io.ErrOut, "Dry run: nothing that changes state was sent.")
	}
	return err
}

// dryRequest is one request as --dry-run shows it.
type dryRequest struct {
	Method string `json:"method"`
	URL    string `json:"url"`
	// Header holds every header the request carries, secrets redacted
	// (Authorization and anything key-shaped).
	Header map[string]string `json:"header,omitempty"`
	Body   json.RawMessage   `json:"body,omitempty"`
	// Sent is true for reads, which go to the server.
	Sent bool `json:"sent"`
}

// dryRun is the transport under --dry-run.
type dryRun struct {
	next   http.RoundTripper
	apiKey string // scrubbed from bodies, in case one echoes it

	mu   sync.Mutex
	reqs []dryRequest
}

func (d *dryRun) RoundTrip(req *http.Request) (*http.Response, error) {
	// The URL is shown with any key cut out, in any spelling.
	rec := dryRequest{Method: req.Method, URL: showURL(req.URL.String(), d.apiKey), Header: map[string]string{}}
	for name, vs := range secret.ScrubHeader(req.Header, d.apiKey) {
		v := strings.Join(vs, ", ")
		if name == "Authorization" {
			scheme, token, _ := strings.Cut(req.Header.Get(name), " ")
			v = scheme + " " + secret.Redact(token)
		}
		rec.Header[name] = sanitize(v)
	}
	if req.Body != nil {
		body, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		rec.Body = redactBody(body, d.apiKey)
	}
	// Reads change nothing, and a rotation must read the old key to know
	// what it would create.
	rec.Sent = req.Method == http.MethodGet || req.Method == http.MethodHead
	d.mu.Lock()
	d.reqs = append(d.reqs, rec)
	d.mu.Unlock()
	if rec.Sent {
		return d.next.RoundTrip(req)
	}
	return standIn(req)
}

func (d *dryRun) requests() []dryRequest {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]dryRequest{}, d.reqs...)
}

// write prints the requests the way HTTP spells them.
func (d *dryRun) write(w io.Writer) error {
	var b bytes.Buffer
	for i, r := range d.requests() {
		if i > 0 {
			b.WriteByte('\n')
		}
		note := "not sent"
		if r.Sent {
			note = "sent: a read changes nothing"
		}
		fmt.Fprintf(&b, "%s %s  (%s)\n", r.Method, r.URL, note)
		for _, h := range slices.Sorted(maps.Keys(r.Header)) {
			fmt.Fprintf(&b, "%s: %s\n", h, r.Header[h])
		}
		if len(r.Body) > 0 {
			b.WriteByte('\n')
			var body bytes.Buffer
			if json.Indent(&body, r.Body, "", "  ") != nil {
				body.Write(r.Body)
			}
			b.WriteString(sanitizeLines(body.String()))
			b.WriteByte('\n')
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

// redactBody returns body as JSON with secrets cut out: members that hold
// a key (key, api_key) become [redacted] whole, and key-shaped text
// anywhere is scrubbed. A body that is not JSON becomes a JSON string.
func redactBody(body []byte, apiKey string) json.RawMessage {
	var v any
	if json.Unmarshal(body, &v) != nil {
		out, _ := json.Marshal(secret.Scrub(string(body), apiKey))
		return out
	}
	out, err := json.Marshal(redactValue(v, apiKey))
	if err != nil {
		out, _ = json.Marshal("[redacted]")
	}
	return out
}

func redactValue(v any, apiKey string) any {
	switch v := v.(type) {
	case string:
		return secret.Scrub(v, apiKey)
	case []any:
		for i := range v {
			v[i] = redactValue(v[i], apiKey)
		}
	case map[string]any:
		for k, x := range v {
			if _, ok := x.(string); ok && (k == "key" || k == "api_key") {
				// No part of it: a provider key shaped like an OpenRouter
				// key would otherwise keep the ends Redact shows.
				v[k] = secret.Placeholder
				continue
			}
			v[k] = redactValue(x, apiKey)
		}
	}
	return v
}

// standIn answers a request that was not sent with the success the API
// documents for it, so that the command carries on to its next step (a
// rotation's create is followed by the step on the old key). No stand-in
// value is ever shown: the command's own output is dropped.
func standIn(req *http.Request) (*http.Response, error) {
	status, body := http.StatusOK, ""
	switch {
	case req.Method == http.MethodPost && strings.HasSuffix(req.URL.Path, "/keys"):
		status = http.StatusCreated
		body = `{"data":{"hash":"dry-run","name":"dry-run"},"key":"dry-run"}`
	case req.Method == http.MethodPost && strings.HasSuffix(req.URL.Path, "/byok"):
		status, body = http.StatusCreated, `{"data":{"id":"dry-run"}}`
	case req.Method == http.MethodPatch:
		hash, _ := url.PathUnescape(path.Base(req.URL.EscapedPath()))
		// hash for a key, id for everything else.
		b, _ := json.Marshal(map[string]any{"data": map[string]any{"hash": hash, "id": hash}})
		body = string(b)
	case req.Method == http.MethodDelete:
		body = `{"deleted":true}`
	default:
		return nil, fmt.Errorf("dry run: %s %s was not sent", req.Method, req.URL.Path)
	}
	return &http.Response{
		Status:        fmt.Sprintf("%d %s", status, http.StatusText(status)),
		StatusCode:    status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        http.Header{"Content-Type": {"application/json"}},
		Body:          io.NopCloser(strings.NewReader(body)),
		ContentLength: int64(len(body)),
		Request:       req,
	}, nil
}
