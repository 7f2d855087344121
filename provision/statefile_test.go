package provision

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestStateFileRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".orkeys", "state.json")
	f, err := OpenStateFile(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, err := f.Load()
	if err != nil || len(s.Keys) != 0 || s.Version != Version {
		t.Fatalf("missing file: %+v, %v", s, err)
	}
	s.Keys = map[string]BoundKey{"ci": {Hash: "abc", Undelivered: true}}
	s.Intents = []Intent{{Address: "ci", Name: "ci-runner", Started: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}}
	if err := f.Save(s); err != nil {
		t.Fatal(err)
	}
	got, err := f.Load()
	if err != nil || got.Keys["ci"] != s.Keys["ci"] || got.Intents[0] != s.Intents[0] {
		t.Fatalf("got %+v, %v", got, err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, %v", fi.Mode(), err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

func TestStateFileRefusesUnknownFieldsAndVersions(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"unknown field": `{"version":1,"plaintext":"x"}`,
		"version":       `{"version":7}`,
		"torn":          `{"version":1,"keys":`,
	} {
		path := filepath.Join(dir, name+".json")
		os.WriteFile(path, []byte(body), 0o600)
		if _, err := ReadStateFile(path); err == nil {
			t.Errorf("%s: read %s without an error", name, body)
		}
	}
}

func TestStateFileSaveFailureKeepsTheOldState(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	f, err := OpenStateFile(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	old := NewState()
	old.Keys = map[string]BoundKey{"a": {Hash: "h1"}}
	if err := f.Save(old); err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o500) // no new temporary file can be made
	defer os.Chmod(dir, 0o700)
	if os.Geteuid() == 0 {
		t.Skip("root writes into a read-only folder")
	}
	if err := f.Save(NewState()); err == nil {
		t.Fatal("save into a read-only folder succeeded")
	}
	got, err := f.Load()
	if err != nil || got.Keys["a"].Hash != "h1" {
		t.Fatalf("after a failed save: %+v, %v", got, err)
	}
}

func TestStateFileLockFailsAtOnceAndNamesTheLock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	first, err := OpenStateFile(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	_, err = OpenStateFile(path, 0)
	var le *LockedError
	if !errors.As(err, &le) || le.Lock != path+".lock" || !strings.Contains(err.Error(), path+".lock") {
		t.Fatalf("second open: %v, want a LockedError naming %s.lock", err, path)
	}
}

func TestStateFileLockWaitsForTheHolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	first, err := OpenStateFile(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	released := make(chan struct{})
	go func() {
		time.Sleep(100 * time.Millisecond)
		// Announce the release before it happens: the second open may
		// return the moment the lock is free, before a later close ran.
		close(released)
		first.Close()
	}()
	second, err := OpenStateFile(path, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	select {
	case <-released:
	default:
		t.Fatal("the second open got the lock while the first held it")
	}
}

func TestStateFileLockTimesOut(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	first, err := OpenStateFile(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	_, err = OpenStateFile(path, 120*time.Millisecond)
	var le *LockedError
	if !errors.As(err, &le) || le.Waited != 120*time.Millisecond {
		t.Fatalf("err = %v", err)
	}
}
