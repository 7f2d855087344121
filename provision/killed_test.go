//go:build unix

package provision

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/orkeys/orkeys/facade"
)

// TestApplyRecoversFromAKilledProcess runs an apply in a child process
// that SIGKILLs itself at each point between create and delivery; the
// kernel drops its lock, and the next apply converges.
func TestApplyRecoversFromAKilledProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("runs child processes")
	}
	for _, point := range []string{"after-create", "after-bind"} {
		t.Run(point, func(t *testing.T) {
			r := newRig(t)
			cmd := exec.Command(os.Args[0], "-test.run=^TestKilledApplyChild$", "-test.count=1")
			cmd.Env = append(os.Environ(), "PROVISION_CHILD_AT="+point, "PROVISION_CHILD_URL="+r.url,
				"PROVISION_CHILD_KEY="+r.srv.ManagementKey, "PROVISION_CHILD_DIR="+r.dir)
			out, err := cmd.CombinedOutput()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				t.Fatalf("child: %v\n%s", err, out)
			}
			d := r.fileKeys("ci")
			if r.fileReceived("ci") != nil {
				t.Fatal("delivered before the kill")
			}
			_, res, err := r.run(d, nil)
			mustOK(t, res, err)
			r.converged(d, r.fileReceived)
		})
	}
}

// TestKilledApplyChild is the child of TestApplyRecoversFromAKilledProcess.
func TestKilledApplyChild(t *testing.T) {
	point := os.Getenv("PROVISION_CHILD_AT")
	if point == "" {
		t.Skip("only as a child process")
	}
	c, err := facade.New(facade.WithServerURL(os.Getenv("PROVISION_CHILD_URL")), facade.WithAPIKey(os.Getenv("PROVISION_CHILD_KEY")))
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{t: t, dir: os.Getenv("PROVISION_CHILD_DIR"), backend: NewFacadeBackend(c), c: c}
	r.state = filepath.Join(r.dir, DefaultStatePath)
	r.run(r.fileKeys("ci"), nil, func(o *applyOptions) {
		o.stop = func(p string) bool {
			if p == point {
				syscall.Kill(os.Getpid(), syscall.SIGKILL)
				select {}
			}
			return false
		}
	})
	t.Fatal("not killed")
}
