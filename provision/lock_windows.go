//go:build windows

package provision

import (
	"errors"
	"os"
	"time"

	"golang.org/x/sys/windows"
)

type fileLock struct{ f *os.File }

const lockPoll = 50 * time.Millisecond

// lockFile takes an exclusive LockFileEx on path; Windows releases it when
// the process dies.
func lockFile(path string, timeout time.Duration) (*fileLock, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(timeout)
	for {
		var ol windows.Overlapped
		err := windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &ol)
		if err == nil {
			return &fileLock{f: f}, nil
		}
		if !errors.Is(err, windows.ERROR_LOCK_VIOLATION) {
			f.Close()
			return nil, err
		}
		if !time.Now().Before(deadline) {
			f.Close()
			return nil, &LockedError{Lock: path, Waited: timeout}
		}
		time.Sleep(min(lockPoll, time.Until(deadline)))
	}
}

func (l *fileLock) unlock() error { return l.f.Close() }

// syncDir is a no-op: Windows cannot sync a folder, and its rename is
// durable once the file's data is.
func syncDir(string) error { return nil }
