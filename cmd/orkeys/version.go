package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// versionInfo is what orkeys version reports.
type versionInfo struct {
	Version   string `json:"version"`    // the module version, "(devel)" for a build from a checkout
	GoVersion string `json:"go_version"` // the toolchain that built the binary
	Platform  string `json:"platform"`   // GOOS/GOARCH
	Revision  string `json:"vcs_revision,omitempty"`
	Modified  bool   `json:"vcs_modified,omitempty"`
}

// buildVersion reads the version the go command stamped into the binary:
// the module version for `go install …@v1.2.3`, a pseudo-version or
// "(devel)" for a build from a checkout.
func buildVersion() versionInfo {
	v := versionInfo{Version: "(unknown)", GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return v
	}
	if info.Main.Version != "" {
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

func (a *app) versionCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the version of orkeys and of Go it was built with",
		Args:  a.noArgs,
	}
	out := addOutputFlag(cmd, "json prints one object")
	cmd.RunE = runE(func(*cobra.Command, []string) error {
		v := buildVersion()
		if *out == formatJSON {
			return writeJSON(a.stdout, v)
		}
		line := fmt.Sprintf("orkeys %s (%s, %s", v.Version, v.GoVersion, v.Platform)
		if v.Revision != "" {
			line += ", commit " + v.Revision
			if v.Modified {
				line += " with local changes"
			}
		}
		_, err := fmt.Fprintln(a.stdout, line+")")
		return err
	})
	return cmd
}
