//go:build race

package fake_test

// raceEnabled reports whether the tests run under the race detector, which
// changes what is allocated: heap bounds are checked only without it, and
// `make test` runs those tests again without it (NORACE_TESTS).
const raceEnabled = true
