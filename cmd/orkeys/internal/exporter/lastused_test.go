package exporter_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/orkeys/orkeys/cmd/orkeys/internal/exporter"
)

// One sample per key that has been used, at its last use; never-used keys
// have none.
func TestLastUsedMetric(t *testing.T) {
	srv, c, hashes := setup(t)
	used := now.Add(-36 * time.Hour)
	if err := srv.SetLastUsed(hashes["alpha"], used); err != nil {
		t.Fatal(err)
	}
	if err := srv.SetLastUsed(hashes["gamma"], now.AddDate(0, 0, -45)); err != nil {
		t.Fatal(err)
	}
	e := newExporter(t, exporter.Config{Client: c})
	if err := e.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := `# HELP openrouter_key_last_used_timestamp_seconds Unix time at which the key last authenticated a request; absent for keys never used (none since the end of 2025).
# TYPE openrouter_key_last_used_timestamp_seconds gauge
openrouter_key_last_used_timestamp_seconds{hash="{alpha}",name="alpha"} 1.7731008e+09
openrouter_key_last_used_timestamp_seconds{hash="{gamma}",name="gamma"} 1.7693424e+09
`
	for name, h := range hashes {
		want = strings.ReplaceAll(want, "{"+name+"}", h[:12])
	}
	if err := testutil.CollectAndCompare(e, strings.NewReader(want), "openrouter_key_last_used_timestamp_seconds"); err != nil {
		t.Error(err)
	}
	if float64(used.Unix()) != 1.7731008e+09 {
		t.Errorf("the expected value is not alpha's last use: %d", used.Unix())
	}
}
