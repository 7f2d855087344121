package exporter

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// descLastUsed is when each key was last used, for alerts on dormant keys:
// time() - openrouter_key_last_used_timestamp_seconds > 30 * 86400. A key
// never used (last_used_at null: no use since the end of 2025) has no
// sample, so that a missing use never reads as a use at the epoch.
var descLastUsed = prometheus.NewDesc("openrouter_key_last_used_timestamp_seconds",
	"Unix time at which the key last authenticated a request; absent for keys never used (none since the end of 2025).",
	keyLabels, nil)

// collectLastUsed reports k's last use, when it has one.
func collectLastUsed(k keySample, gauge func(*prometheus.Desc, float64, ...string)) {
	if k.lastUsed != nil {
		gauge(descLastUsed, unixSeconds(*k.lastUsed), k.hash, k.name)
	}
}

func unixSeconds(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }
