package facade

import (
	"net/http"
	"testing"
)

// Clients made without WithHTTPClient share one pooled transport, built
// once: a clone of http.DefaultTransport (proxy, timeouts and HTTP/2 kept)
// with a larger idle pool per host.
func TestDefaultClientsSharePooledTransport(t *testing.T) {
	a, err := New(WithAPIKey("sk-or-v1-a"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(WithAPIKey("sk-or-v1-b"))
	if err != nil {
		t.Fatal(err)
	}
	if a.cfg.httpClient != b.cfg.httpClient || a.cfg.httpClient == http.DefaultClient {
		t.Fatal("clients without WithHTTPClient do not share the pooled client")
	}
	tr, ok := a.cfg.httpClient.Transport.(*http.Transport)
	if !ok || tr == http.DefaultTransport {
		t.Fatalf("transport %T is not a clone of http.DefaultTransport", a.cfg.httpClient.Transport)
	}
	def := http.DefaultTransport.(*http.Transport)
	if tr.MaxIdleConnsPerHost != maxIdleConnsPerHost || tr.MaxIdleConns < tr.MaxIdleConnsPerHost {
		t.Errorf("pool: %d idle per host, %d in all; want %d per host", tr.MaxIdleConnsPerHost, tr.MaxIdleConns, maxIdleConnsPerHost)
	}
	if tr.Proxy == nil || tr.DialContext == nil || !tr.ForceAttemptHTTP2 || tr.TLSHandshakeTimeout != def.TLSHandshakeTimeout || tr.IdleConnTimeout != def.IdleConnTimeout {
		t.Error("the pooled transport lost a setting of http.DefaultTransport")
	}
}
