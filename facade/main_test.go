package facade

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package if any goroutine is still running after the
// tests: a retry wait, a hung attempt or a transport goroutine that outlived
// its call. No goroutine is ignored; tests close their servers, which closes
// the transports' idle connections.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
