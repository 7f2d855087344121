//go:build unix

package provision

import (
	"errors"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

type fileLock struct{ f *os.File }

// lockPoll is how often a waiting lock tries again.
const lockPoll = 50 * time.Millisecond

// lockFile takes an exclusive flock on path, which the kernel releases
// when the process dies, so a crashed apply leaves no stale lock.
func lockFile(path string, timeout time.Duration) (*fileLock, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(timeout)
	for {
		err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
		if err == nil {
			return &fileLock{f: f}, nil
		}
		if !errors.Is(err, unix.EWOULDBLOCK) {
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

func (l *fileLock) unlock() error {
	return l.f.Close() // closing the descriptor drops the flock
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
