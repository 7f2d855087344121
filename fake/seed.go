package fake

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/orkeys/orkeys/gen"
)

// AddKey creates a key as POST /keys would, without HTTP and without
// recording a request: for seeding a server before a test. The body goes
// through the same JSON encoding and the same rules as over HTTP, so what
// POST /keys refuses with 400, AddKey refuses with an error (an expires_at
// with a zero offset counts as UTC, since JSON writes it with a Z).
func (s *Server) AddKey(body gen.CreateKeysRequestBody) (gen.CreateKeysResponse, error) {
	raw, err := json.Marshal(body)
	if err != nil {
		return gen.CreateKeysResponse{}, fmt.Errorf("fake: AddKey: encode the body: %w", err)
	}
	var decoded gen.CreateKeysRequestBody
	if err := json.Unmarshal(raw, &decoded); err != nil {
		return gen.CreateKeysResponse{}, fmt.Errorf("fake: AddKey: decode the body: %w", err)
	}
	created, aerr := s.keys.create(decoded)
	if aerr != nil {
		return gen.CreateKeysResponse{}, errors.New("fake: AddKey: " + aerr.message)
	}
	return created, nil
}

// SetUsage sets the spend a key reports, as if it had been used; it also
// lowers limit_remaining. Spend counts against the limit for the key's reset
// period: Daily, Weekly or Monthly when limit_reset says so, else Usage;
// plus the matching BYOK figure when include_byok_in_limit is set. An
// unknown hash, or an amount that is negative, NaN or infinite, is an error.
func (s *Server) SetUsage(hash string, u Usage) error {
	for _, f := range []struct {
		name string
		v    float64
	}{
		{"Usage", u.Usage}, {"Daily", u.Daily}, {"Weekly", u.Weekly}, {"Monthly", u.Monthly},
		{"BYOK", u.BYOK}, {"BYOKDaily", u.BYOKDaily}, {"BYOKWeekly", u.BYOKWeekly}, {"BYOKMonthly", u.BYOKMonthly},
	} {
		if f.v < 0 || math.IsNaN(f.v) || math.IsInf(f.v, 0) {
			return fmt.Errorf("fake: SetUsage: Usage.%s %v: want a finite amount of USD, 0 or more", f.name, f.v)
		}
	}
	if !s.keys.setUsage(hash, u) {
		return fmt.Errorf("fake: SetUsage: no key has hash %q", hash)
	}
	return nil
}

// SetLastUsed sets when a key last authenticated a request, as if it had
// been used then (the zero time: never), for tests of dormant keys. The
// fake sets it itself whenever the key authenticates a request.
func (s *Server) SetLastUsed(hash string, t time.Time) error {
	st := s.keys
	st.mu.Lock()
	defer st.mu.Unlock()
	rec, ok := st.byHash[hash]
	if !ok {
		return fmt.Errorf("fake: SetLastUsed: no key has hash %q", hash)
	}
	rec.lastUsedAt = nil
	if !t.IsZero() {
		rec.lastUsedAt = ptr(t.UTC())
	}
	return nil
}
