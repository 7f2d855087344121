package tests

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// With node present but the registry out of reach, the SDK check skips
// with its message instead of failing make test. The registry is a closed
// loopback port and the cache is empty, so npm has nowhere to fetch from.
func TestTypeScriptSDKInstallSkipsWhenRegistryUnreachable(t *testing.T) {
	npm, err := exec.LookPath("npm")
	if err != nil {
		t.Skip("needs npm on PATH")
	}
	dir := t.TempDir()
	for _, name := range []string{"package.json", "package-lock.json"} {
		b, err := os.ReadFile(filepath.Join("tssdk", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("npm_config_registry", "http://127.0.0.1:1/")
	t.Setenv("npm_config_cache", t.TempDir())
	t.Setenv("npm_config_fetch_retries", "0")
	t.Setenv("npm_config_offline", "false")
	for _, v := range []string{"HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "npm_config_proxy", "npm_config_https_proxy"} {
		t.Setenv(v, "")
	}

	var inner *testing.T
	t.Run("install", func(t *testing.T) {
		inner = t
		tssdkInstall(context.Background(), t, npm, dir)
	})
	if !inner.Skipped() {
		t.Fatal("npm ci against an unreachable registry did not skip the SDK check")
	}
}
