package provision

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Two keys delivering to one file: the second write would replace the
// first key's plaintext while both are recorded delivered, leaving a live
// key no one holds. Two spellings of the same path are one file.
func TestParseRefusesTwoKeysDeliveringToOneFile(t *testing.T) {
	for _, pair := range [][2]string{{"same.key", "./same.key"}, {"same.key", "/cfg/same.key"}, {"a/../same.key", "same.key"}} {
		file := "version: 1\nkeys:\n  x: {name: x, deliver: {file: " + pair[0] + "}}\n  y: {name: y, deliver: {file: " + pair[1] + "}}\n"
		_, err := Parse([]byte(file), "/cfg")
		if err == nil || !strings.Contains(err.Error(), "is also keys.x.deliver.file") {
			t.Errorf("%v: err = %v, want the shared file refused", pair, err)
		}
	}
	if _, err := Parse([]byte("version: 1\nkeys:\n  x: {name: x, deliver: {file: x.key}}\n  y: {name: y, deliver: {file: y.key}}\n"), "/cfg"); err != nil {
		t.Errorf("two files: %v", err)
	}
}

// A key delivered into the desired-state file itself would put the
// plaintext where it is usually committed; into the state file, the next
// save would overwrite it. Both are refused before anything is created.
func TestDeliveryIntoOrkeysOwnFilesIsRefused(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "orkeys.yaml")
	if err := os.WriteFile(cfg, []byte("version: 1\nkeys:\n  x: {name: x, deliver: {file: ./orkeys.yaml}}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadFile(cfg); err == nil || !strings.Contains(err.Error(), "a file orkeys keeps itself") {
		t.Errorf("delivery into the file itself: err = %v", err)
	}

	d, err := Parse([]byte("version: 1\nkeys:\n  x: {name: x, deliver: {file: .orkeys/state.json}}\n  y: {name: y, deliver: {file: s.lock}}\n"), dir)
	if err != nil {
		t.Fatal(err)
	}
	state := filepath.Join(dir, DefaultStatePath)
	err = d.CheckDeliveryTargets(state, filepath.Join(dir, "s.lock"))
	if err == nil || strings.Count(err.Error(), "a file orkeys keeps itself") != 2 {
		t.Errorf("delivery into the state and a lock: err = %v, want both refused", err)
	}
}
