//go:build unix

package provision

import (
	"os/exec"
	"syscall"
)

// ownGroup runs cmd in a process group of its own and, when its context
// ends, kills the whole group: a receiver's shell may have started
// children that hold the plaintext on their stdin, and killing the shell
// alone would leave them running after an interrupted apply.
func ownGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
