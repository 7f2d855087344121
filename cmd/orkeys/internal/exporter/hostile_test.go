package exporter_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/orkeys/orkeys/cmd/orkeys/internal/exporter"
	"github.com/orkeys/orkeys/facade"
)

const goodHash = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

// oddKeysServer answers GET /keys with a well-formed key and keys whose
// hashes are not hex, one of them with a two-byte character across byte 12
// (a byte cut there is invalid UTF-8), and GET /credits.
func oddKeysServer(t *testing.T) *httptest.Server {
	key := func(hash, name string) string {
		return `{"hash":"` + hash + `","name":"` + name + `","label":"l","disabled":false,"limit":null,"limit_remaining":null,"limit_reset":null,` +
			`"usage":1,"usage_daily":1,"usage_weekly":1,"usage_monthly":1,"byok_usage":0,"byok_usage_daily":0,"byok_usage_weekly":0,"byok_usage_monthly":0,` +
			`"include_byok_in_limit":false,"created_at":"2026-03-11T12:00:00Z","updated_at":null,"workspace_id":"w"}`
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case strings.HasSuffix(r.URL.Path, "/keys") && (r.URL.Query().Get("offset") == "" || r.URL.Query().Get("offset") == "0"):
			io.WriteString(w, `{"data":[`+key(goodHash, "good")+`,`+key("aaaaaaaaaaaéééé", "odd")+`,`+key("zz<script>", "odder")+`]}`)
		case strings.HasSuffix(r.URL.Path, "/keys"):
			io.WriteString(w, `{"data":[]}`)
		case strings.HasSuffix(r.URL.Path, "/credits"):
			io.WriteString(w, `{"data":{"total_credits":10,"total_usage":1}}`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// One key with a hash that is not hex leaves the other keys' metrics
// whole: the scrape answers 200 and counts the odd ones.
func TestNonHexHashesDoNotBreakScrapes(t *testing.T) {
	srv := oddKeysServer(t)
	c, err := facade.New(facade.WithServerURL(srv.URL+"/api/v1"), facade.WithAPIKey("sk-or-mgmt-"+strings.Repeat("1", 64)),
		facade.WithRetryConfig(facade.RetryConfig{Strategy: "none"}))
	if err != nil {
		t.Fatal(err)
	}
	e := newExporter(t, exporter.Config{Client: c})
	for range 2 {
		if err := e.Refresh(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	body := get(t, e.Handler(), "/metrics") // fails the test unless 200
	if !strings.Contains(body, `openrouter_key_usage_dollars{hash="0123456789ab",name="good",window="total"} 1`) {
		t.Errorf("the good key is missing:\n%s", body)
	}
	if strings.Contains(body, `name="odd"`) || !strings.Contains(body, "openrouter_exporter_rejected_keys_total 4\n") {
		t.Errorf("want the odd keys left out and counted (2 per refresh):\n%s", body)
	}
}

func TestHashLabelIsValidUTF8(t *testing.T) {
	for _, h := range []string{goodHash, "aaaaaaaaaaaéééé", "é", "\xff\xfe" + goodHash, ""} {
		got := exporter.HashLabel(h)
		if !utf8.ValidString(got) || utf8.RuneCountInString(got) > exporter.HashLabelLen {
			t.Errorf("HashLabel(%q) = %q", h, got)
		}
	}
	if got := exporter.HashLabel(goodHash); got != goodHash[:12] {
		t.Errorf("HashLabel = %q", got)
	}
}

// A keep-alive connection left idle is closed by the server.
func TestServeClosesIdleConnections(t *testing.T) {
	_, c, _ := setup(t)
	e := newExporter(t, exporter.Config{Client: c, Interval: time.Hour, IdleTimeout: 100 * time.Millisecond})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.Serve(ctx, ln) }()
	defer func() { cancel(); <-done }()

	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.Close {
		t.Fatal("the server closed the connection at once; want keep-alive, then an idle close")
	}
	// Idle now: the server must hang up, well before this deadline.
	_ = conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	if _, err := br.ReadByte(); !errors.Is(err, io.EOF) {
		if errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatal("an idle keep-alive connection is still open after 20s")
		}
		t.Fatalf("read on the idle connection: %v, want EOF", err)
	}
}
