//go:build windows

package provision

import "os/exec"

// ownGroup leaves cmd as it is: Windows has no process groups to kill
// together, and exec.CommandContext kills the receiver itself.
func ownGroup(*exec.Cmd) {}
