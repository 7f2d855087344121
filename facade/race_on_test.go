//go:build race

package facade_test

// raceEnabled reports whether the tests run under the race detector, which
// slows every goroutine several times over and changes what is allocated:
// tests leave their timing and memory bounds out of -race runs, and `make
// test` runs those tests again without it.
const raceEnabled = true
