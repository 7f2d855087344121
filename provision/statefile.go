package provision

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// DefaultStatePath is where the state file lives, relative to the
// desired-state file's folder.
const DefaultStatePath = ".orkeys/state.json"

// StateFile is a JSON state file held under an exclusive lock, so that two
// applies never interleave. Open it, Load, Save as often as needed, Close.
type StateFile struct {
	path string
	lock *fileLock
}

// LockedError says another process holds the state file's lock.
type LockedError struct {
	// Lock is the lock file's path.
	Lock   string
	Waited time.Duration
}

func (e *LockedError) Error() string {
	if e.Waited == 0 {
		return fmt.Sprintf("the state is locked by another run: %s is held", e.Lock)
	}
	return fmt.Sprintf("the state is locked by another run: %s is still held after %v", e.Lock, e.Waited)
}

// OpenStateFile takes the exclusive lock on path (in path+".lock", which
// outlives the renames of each save) and returns the file. When another
// process holds the lock it waits up to timeout, then fails with a
// *LockedError; a timeout of 0 fails at once. The folder is made, mode
// 0700, if missing.
func OpenStateFile(path string, timeout time.Duration) (*StateFile, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	l, err := lockFile(path+".lock", timeout)
	if err != nil {
		return nil, err
	}
	return &StateFile{path: path, lock: l}, nil
}

// Path is the state file's path.
func (f *StateFile) Path() string { return f.path }

// Load reads the state; a missing file is an empty state.
func (f *StateFile) Load() (*State, error) {
	return ReadStateFile(f.path)
}

// ReadStateFile reads a state file without locking it, as a read-only
// plan may: each save replaces the file whole, so a read never sees half
// of one.
func ReadStateFile(path string) (*State, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return NewState(), nil
	}
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var s State
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if s.Version != Version {
		return nil, fmt.Errorf("%s: state version %d; this orkeys reads version %d", path, s.Version, Version)
	}
	return &s, nil
}

// Save writes s atomically: a temporary file in the same folder, synced,
// then renamed over the state, then the folder synced, so that a crash
// leaves the old state or the new one, never a torn one.
func (f *StateFile) Save(s *State) error {
	if f.lock == nil {
		return errors.New("state file is closed")
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return writeAtomic(f.path, append(b, '\n'), 0o600)
}

// Close releases the lock.
func (f *StateFile) Close() error {
	if f.lock == nil {
		return nil
	}
	err := f.lock.unlock()
	f.lock = nil
	return err
}

// writeAtomic is the one atomic write, for the state and for delivered
// key files.
func writeAtomic(path string, data []byte, mode fs.FileMode) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = tmp.Chmod(mode); err != nil {
		return err
	}
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	return syncDir(dir)
}
