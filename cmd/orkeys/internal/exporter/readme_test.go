package exporter_test

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/orkeys/orkeys/cmd/orkeys/internal/exporter"
	"github.com/orkeys/orkeys/facade"
)

// The README's metrics table, scrape config and alert rules name the
// metrics the exporter has, and all of them.
func TestREADMENamesTheMetrics(t *testing.T) {
	readme, err := os.ReadFile("../../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "\n## Watching spend")
	if !ok {
		t.Fatal("README has no section \"Watching spend\"")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	documented := regexp.MustCompile(`openrouter_[a-z_]+`).FindAllString(section, -1)
	slices.Sort(documented)
	documented = slices.Compact(documented)

	c, err := facade.New(facade.WithAPIKey("sk-or-v1-unused"))
	if err != nil {
		t.Fatal(err)
	}
	e, err := exporter.New(exporter.Config{Client: c, Plane: true})
	if err != nil {
		t.Fatal(err)
	}
	descs := make(chan *prometheus.Desc, 32)
	e.Describe(descs)
	close(descs)
	var defined []string
	for d := range descs {
		defined = append(defined, regexp.MustCompile(`fqName: "([^"]+)"`).FindStringSubmatch(d.String())[1])
	}
	slices.Sort(defined)
	if !slices.Equal(documented, defined) {
		t.Errorf("README names %q\nthe exporter has %q", documented, defined)
	}
}
