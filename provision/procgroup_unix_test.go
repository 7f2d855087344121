//go:build unix

package provision

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/orkeys/orkeys/secret"
)

// An interrupted apply leaves no receiver running: the child a receiver's
// shell started is killed with it.
func TestCancelledReceiverLeavesNoChild(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "pid")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- runReceiver(ctx, "sleep 60 & echo $! > '"+pidFile+"'; wait", "", secret.New("sk-or-v1-"+strings.Repeat("a", 64)))
	}()
	var pid int
	for deadline := time.Now().Add(10 * time.Second); pid == 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the receiver did not start its child")
		}
		b, _ := os.ReadFile(pidFile)
		pid, _ = strconv.Atoi(strings.TrimSpace(string(b)))
	}
	cancel()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("a cancelled receiver reported success")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("runReceiver did not return after its context ended")
	}
	for deadline := time.Now().Add(5 * time.Second); syscall.Kill(pid, 0) == nil; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("the receiver's child %d outlived the cancelled apply", pid)
		}
	}
}
