package fake

import (
	"cmp"
	"math"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/oapi-codegen/nullable"

	"github.com/orkeys/orkeys/gen"
	"github.com/orkeys/orkeys/secret"
)

// pageSize is how many keys one GET /keys answer holds at most.
const pageSize = 100

// timeLayout renders created_at and updated_at like OpenRouter (ISO 8601 in
// UTC with milliseconds), a form RFC 3339 parsers accept.
const timeLayout = "2006-01-02T15:04:05.000Z07:00"

// Usage is the spend SetUsage puts on a key, in USD.
type Usage struct {
	Usage, Daily, Weekly, Monthly            float64 // OpenRouter credit spend, USD
	BYOK, BYOKDaily, BYOKWeekly, BYOKMonthly float64 // bring-your-own-key spend, USD
}

// keyRecord is one stored key. The plaintext is never kept, only its hash.
type keyRecord struct {
	seq         uint64 // creation order: ties in created_at still list newest first
	hash        string
	label       string
	name        string
	disabled    bool
	limit       *float64
	limitReset  *gen.LimitReset
	includeBYOK bool
	usage       Usage
	createdAt   time.Time
	updatedAt   *time.Time
	expiresAt   *time.Time
	creatorID   string
	workspaceID string
}

// apiError is an answer other than success, with the documented envelope's
// status and message.
type apiError struct {
	status  int
	message string
}

func (e *apiError) Error() string { return e.message }

func badRequest(msg string) *apiError { return &apiError{http.StatusBadRequest, msg} }

var errNotFound = &apiError{http.StatusNotFound, "Resource not found"}

// store holds the keys. One mutex guards it all; every method returns
// copies, so no caller shares memory with the store.
type store struct {
	now func() time.Time

	mu     sync.Mutex
	seq    uint64
	byHash map[string]*keyRecord
}

func newStore(now func() time.Time) *store {
	return &store{now: now, byHash: map[string]*keyRecord{}}
}

// create adds a key as POST /keys does and returns the answer with the
// plaintext, which is not kept anywhere.
func (st *store) create(body gen.CreateKeysRequestBody) (gen.CreateKeysResponseBody, *apiError) {
	now := st.now()
	if body.Name == "" {
		return gen.CreateKeysResponseBody{}, badRequest("name must not be empty")
	}
	limit, aerr := limitValue(body.Limit)
	if aerr != nil {
		return gen.CreateKeysResponseBody{}, aerr
	}
	reset, aerr := limitResetValue(body.LimitReset)
	if aerr != nil {
		return gen.CreateKeysResponseBody{}, aerr
	}
	var expires *time.Time
	if body.ExpiresAt.IsSpecified() && !body.ExpiresAt.IsNull() {
		t := body.ExpiresAt.MustGet()
		if t.Location() != time.UTC {
			return gen.CreateKeysResponseBody{}, badRequest("expires_at must be in UTC (ending in Z)")
		}
		if !t.After(now) {
			return gen.CreateKeysResponseBody{}, badRequest("expires_at must be in the future")
		}
		expires = &t
	}
	creator := DefaultCreatorUserID
	if body.CreatorUserID.IsSpecified() && !body.CreatorUserID.IsNull() {
		creator = body.CreatorUserID.MustGet()
		if creator == "" {
			return gen.CreateKeysResponseBody{}, badRequest("creator_user_id must not be empty")
		}
	}
	workspace := DefaultWorkspaceID
	if body.WorkspaceID != nil {
		workspace = body.WorkspaceID.String()
	}

	plaintext := newPlaintextKey()
	rec := &keyRecord{
		hash:        hashKey(plaintext),
		label:       labelFor(plaintext),
		name:        body.Name,
		limit:       limit,
		limitReset:  reset,
		includeBYOK: body.IncludeByokInLimit != nil && *body.IncludeByokInLimit,
		createdAt:   now.UTC(),
		expiresAt:   expires,
		creatorID:   creator,
		workspaceID: workspace,
	}

	st.mu.Lock()
	defer st.mu.Unlock()
	st.seq++
	rec.seq = st.seq
	st.byHash[rec.hash] = rec
	return gen.CreateKeysResponseBody{Data: rec.apiKey(), Key: secret.Key(plaintext)}, nil
}

// list returns one page of keys, newest first.
func (st *store) list(includeDisabled bool, workspace string, offset int) []gen.APIKey {
	st.mu.Lock()
	defer st.mu.Unlock()
	matched := make([]*keyRecord, 0, len(st.byHash))
	for _, rec := range st.byHash {
		if rec.workspaceID != workspace || (rec.disabled && !includeDisabled) {
			continue
		}
		matched = append(matched, rec)
	}
	slices.SortFunc(matched, func(a, b *keyRecord) int { return cmp.Compare(b.seq, a.seq) })
	page := make([]gen.APIKey, 0, min(pageSize, max(len(matched)-offset, 0)))
	for i := offset; i < len(matched) && len(page) < pageSize; i++ {
		page = append(page, matched[i].apiKey())
	}
	return page
}

func (st *store) get(hash string) (gen.APIKey, *apiError) {
	st.mu.Lock()
	defer st.mu.Unlock()
	rec, ok := st.byHash[hash]
	if !ok {
		return gen.APIKey{}, errNotFound
	}
	return rec.apiKey(), nil
}

// update applies PATCH semantics: an absent field stays, null clears limit
// and limit_reset, a value sets.
func (st *store) update(hash string, body gen.UpdateKeysRequestBody) (gen.APIKey, *apiError) {
	if body.Name != nil && *body.Name == "" {
		return gen.APIKey{}, badRequest("name must not be empty")
	}
	limit, aerr := limitValue(body.Limit)
	if aerr != nil {
		return gen.APIKey{}, aerr
	}
	reset, aerr := limitResetValue(body.LimitReset)
	if aerr != nil {
		return gen.APIKey{}, aerr
	}
	now := st.now().UTC()

	st.mu.Lock()
	defer st.mu.Unlock()
	rec, ok := st.byHash[hash]
	if !ok {
		return gen.APIKey{}, errNotFound
	}
	if body.Name != nil {
		rec.name = *body.Name
	}
	if body.Disabled != nil {
		rec.disabled = *body.Disabled
	}
	if body.Limit.IsSpecified() {
		rec.limit = limit
	}
	if body.LimitReset.IsSpecified() {
		rec.limitReset = reset
	}
	if body.IncludeByokInLimit != nil {
		rec.includeBYOK = *body.IncludeByokInLimit
	}
	rec.updatedAt = &now
	return rec.apiKey(), nil
}

func (st *store) delete(hash string) *apiError {
	st.mu.Lock()
	defer st.mu.Unlock()
	if _, ok := st.byHash[hash]; !ok {
		return errNotFound
	}
	delete(st.byHash, hash)
	return nil
}

func (st *store) setUsage(hash string, u Usage) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	rec, ok := st.byHash[hash]
	if ok {
		rec.usage = u
	}
	return ok
}

// keyState is what authentication needs to know about a regular key.
type keyState int

const (
	keyUnknown keyState = iota
	keyActive
	keyDisabled
	keyExpired
)

func (st *store) state(hash string) keyState {
	now := st.now()
	st.mu.Lock()
	defer st.mu.Unlock()
	rec, ok := st.byHash[hash]
	switch {
	case !ok:
		return keyUnknown
	case rec.disabled:
		return keyDisabled
	case rec.expiresAt != nil && !now.Before(*rec.expiresAt):
		return keyExpired
	}
	return keyActive
}

// current describes a regular key as GET /key does.
func (st *store) current(hash string) (gen.CurrentKey, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	rec, ok := st.byHash[hash]
	if !ok {
		return gen.CurrentKey{}, false
	}
	k := rec.apiKey()
	return gen.CurrentKey{
		Label:              k.Label,
		Limit:              k.Limit,
		LimitRemaining:     k.LimitRemaining,
		LimitReset:         k.LimitReset,
		IncludeByokInLimit: k.IncludeByokInLimit,
		Usage:              k.Usage,
		UsageDaily:         k.UsageDaily,
		UsageWeekly:        k.UsageWeekly,
		UsageMonthly:       k.UsageMonthly,
		ByokUsage:          k.ByokUsage,
		ByokUsageDaily:     k.ByokUsageDaily,
		ByokUsageWeekly:    k.ByokUsageWeekly,
		ByokUsageMonthly:   k.ByokUsageMonthly,
		ExpiresAt:          k.ExpiresAt,
		CreatorUserID:      k.CreatorUserID,
		RateLimit:          legacyRateLimit(),
	}, true
}

// managementCurrent describes the management key as GET /key does.
func managementCurrent(label string) gen.CurrentKey {
	creator := DefaultCreatorUserID
	return gen.CurrentKey{
		Label:             label,
		IsManagementKey:   true,
		IsProvisioningKey: true, // the old name, which the API still sends
		CreatorUserID:     &creator,
		RateLimit:         legacyRateLimit(),
	}
}

// legacyRateLimit is the meaningless block OpenRouter still sends in /key.
//
//lint:ignore SA1019 the API still sends it, so the fake must too.
func legacyRateLimit() gen.RateLimit {
	//lint:ignore SA1019 the API still sends it, so the fake must too.
	return gen.RateLimit{Requests: 1000, Interval: "1h", Note: "This field is deprecated and safe to ignore."}
}

// apiKey renders a record; every pointer in it is fresh.
func (rec *keyRecord) apiKey() gen.APIKey {
	k := gen.APIKey{
		Hash:               rec.hash,
		Name:               rec.name,
		Label:              rec.label,
		Disabled:           rec.disabled,
		IncludeByokInLimit: rec.includeBYOK,
		Usage:              rec.usage.Usage,
		UsageDaily:         rec.usage.Daily,
		UsageWeekly:        rec.usage.Weekly,
		UsageMonthly:       rec.usage.Monthly,
		ByokUsage:          rec.usage.BYOK,
		ByokUsageDaily:     rec.usage.BYOKDaily,
		ByokUsageWeekly:    rec.usage.BYOKWeekly,
		ByokUsageMonthly:   rec.usage.BYOKMonthly,
		CreatedAt:          rec.createdAt.Format(timeLayout),
		CreatorUserID:      ptr(rec.creatorID),
		WorkspaceID:        rec.workspaceID,
	}
	if rec.limit != nil {
		k.Limit = ptr(*rec.limit)
		k.LimitRemaining = ptr(max(*rec.limit-rec.spent(), 0))
	}
	if rec.limitReset != nil {
		k.LimitReset = ptr(*rec.limitReset)
	}
	if rec.updatedAt != nil {
		k.UpdatedAt = ptr(rec.updatedAt.Format(timeLayout))
	}
	if rec.expiresAt != nil {
		k.ExpiresAt = ptr(*rec.expiresAt)
	}
	return k
}

// spent is the spend that counts against the limit: that of the current
// reset period (all time when the limit never resets), plus the matching
// bring-your-own-key spend when include_byok_in_limit is set.
func (rec *keyRecord) spent() float64 {
	u, b := rec.usage.Usage, rec.usage.BYOK
	if rec.limitReset != nil {
		switch *rec.limitReset {
		case gen.LimitResetDaily:
			u, b = rec.usage.Daily, rec.usage.BYOKDaily
		case gen.LimitResetWeekly:
			u, b = rec.usage.Weekly, rec.usage.BYOKWeekly
		case gen.LimitResetMonthly:
			u, b = rec.usage.Monthly, rec.usage.BYOKMonthly
		}
	}
	if rec.includeBYOK {
		return u + b
	}
	return u
}

// limitValue checks a limit from a request: null or absent is no limit.
func limitValue(n nullable.Nullable[float64]) (*float64, *apiError) {
	if !n.IsSpecified() || n.IsNull() {
		return nil, nil
	}
	v := n.MustGet()
	if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return nil, badRequest("limit must be a number of USD, 0 or more")
	}
	return &v, nil
}

// limitResetValue checks a limit_reset from a request: null or absent is never.
func limitResetValue(n nullable.Nullable[gen.LimitReset]) (*gen.LimitReset, *apiError) {
	if !n.IsSpecified() || n.IsNull() {
		return nil, nil
	}
	v := n.MustGet()
	if !v.Valid() {
		return nil, badRequest("limit_reset must be one of " + strings.Join(limitResets, ", ") + " or null")
	}
	return &v, nil
}

var limitResets = []string{string(gen.LimitResetDaily), string(gen.LimitResetWeekly), string(gen.LimitResetMonthly)}

func ptr[T any](v T) *T { return &v }
