package fake

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ParseFault reads a fault from one line, for command lines and other
// languages' test set-ups (orkeys fake-server --fault …):
//
//	METHOD PATH WHAT... [xN]
//
// METHOD is an HTTP method or * for any; PATH is as in Fault.Path, or * for
// any. WHAT is one or more of: a status (503), drop, hang, delay=DURATION
// (Go syntax: 250ms, 2s) and retry-after=VALUE (a header on the scripted
// answer). xN queues the fault N times. Examples:
//
//	POST /keys 503 x2
//	GET /keys drop
//	GET /keys/{hash} 429 retry-after=1
//	* * delay=300ms
//
// The result is ready for Inject: every fault in it passes Inject's checks.
func ParseFault(spec string) ([]Fault, error) {
	fields := strings.Fields(spec)
	if len(fields) < 3 {
		return nil, fmt.Errorf("fake: fault %q: want METHOD PATH WHAT... [xN], such as \"POST /keys 503 x2\"", spec)
	}
	var f Fault
	if m := fields[0]; m != "*" {
		f.Method = strings.ToUpper(m)
	}
	if p := fields[1]; p != "*" {
		if !strings.HasPrefix(p, "/") {
			return nil, fmt.Errorf("fake: fault %q: path %q must start with / (or be *)", spec, p)
		}
		f.Path = p
	}
	count := 1
	for _, w := range fields[2:] {
		if err := f.set(w, &count); err != nil {
			return nil, fmt.Errorf("fake: fault %q: %w", spec, err)
		}
	}
	if f.Status == 0 && !f.Drop && !f.Hang && f.Delay == 0 {
		return nil, fmt.Errorf("fake: fault %q: say what happens: a status, drop, hang or delay=", spec)
	}
	if err := f.check(); err != nil {
		return nil, fmt.Errorf("fake: fault %q: %w", spec, err)
	}
	faults := make([]Fault, count)
	for i := range faults {
		faults[i] = f
		faults[i].Header = f.Header.Clone()
	}
	return faults, nil
}

// set applies one WHAT word of a fault spec.
func (f *Fault) set(w string, count *int) error {
	key, value, hasValue := strings.Cut(w, "=")
	switch {
	case w == "drop":
		f.Drop = true
	case w == "hang":
		f.Hang = true
	case hasValue && key == "delay":
		d, err := time.ParseDuration(value)
		if err != nil || d < 0 {
			return fmt.Errorf("delay %q: want a duration such as 250ms or 2s", value)
		}
		f.Delay = d
	case hasValue && strings.EqualFold(key, "retry-after"):
		if f.Header == nil {
			f.Header = http.Header{}
		}
		f.Header.Set("Retry-After", value)
	case len(w) > 1 && w[0] == 'x':
		n, err := strconv.Atoi(w[1:])
		if err != nil || n < 1 {
			return fmt.Errorf("%q: want xN with N at least 1", w)
		}
		*count = n
	default:
		n, err := strconv.Atoi(w)
		if err != nil || len(w) != 3 {
			return fmt.Errorf("%q: want a status (503), drop, hang, delay=DURATION, retry-after=VALUE or xN", w)
		}
		f.Status = n
	}
	return nil
}
