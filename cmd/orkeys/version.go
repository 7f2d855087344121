package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/orkeys/orkeys/facade"
)

// versionInfo is what orkeys version reports.
type versionInfo struct {
	Version   string `json:"version"`    // the module version; for a build from a checkout, the library's (facade.Version), as the User-Agent says
	GoVersion string `json:"go_version"` // the toolchain that built the binary
	Platform  string `json:"platform"`   // GOOS/GOARCH
	Revision  string `json:"vcs_revision,omitempty"`
	Modified  bool   `json:"vcs_modified,omitempty"`
}

// buildVersion reads the version the go command stamped into the binary:
// the module version for `go install …@v1.2.3` or a pseudo-version; a build
// from a checkout ("(devel)") reports facade.Version, the one the
// User-Agent sends, so that both say the same.
func buildVersion() versionInfo {
	v := versionInfo{Version: facade.Version, GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return v
	}
	if info.Main.Version != "" && info.Main.Version != "(devel)" {
		v.Version = info.Main.Version
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			v.Revision = s.Value
		case "vcs.modified":
			v.Modified = s.Value == "true"
		}
	}
	return v
}

// versionOptions is version.
type versionOptions struct {
	cmdBase
	Output outputFormat
}

func (f *factory) versionCmd() *cobra.Command {
	o := &versionOptions{cmdBase: cmdBase{f: f}}
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the version of orkeys and of Go it was built with",
		Args:  noArgs,
		RunE:  runCommand(o, nil),
	}
	addOutputFlag(cmd, &o.Output, "json prints one object")
	return cmd
}

func (o *versionOptions) validate() error { return nil }

func (o *versionOptions) run() error {
	v := buildVersion()
	if o.Output == formatJSON {
		return writeJSON(o.f.io.Out, v)
	}
	line := fmt.Sprintf("orkeys %s (%s, %s", v.Version, v.GoVersion, v.Platform)
	if v.Revision != "" {
		line += ", commit " + v.Revision
		if v.Modified {
			line += " with local changes"
		}
	}
	_, err := fmt.Fprintln(o.f.io.Out, line+")")
	return err
}
