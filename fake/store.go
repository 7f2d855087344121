package fake

import (
	"cmp"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/oapi-codegen/nullable"

	"github.com/orkeys/orkeys/gen"
	"github.com/orkeys/orkeys/internal/rules"
	"github.com/orkeys/orkeys/secret"
	"github.com/orkeys/orkeys/timestamp"
)

// pageSize is how many keys one GET /keys answer holds at most.
const pageSize = 100

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
	// externalUser is the create's external.user; external.api_key is
	// checked and dropped, as upstream keeps only a hash the fake has no
	// use for.
	externalUser *string
	// lastUsedAt is when the key last authenticated a request.
	lastUsedAt *time.Time
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
	// The account: credits bought, credits used and the activity behind
	// them (activity.go).
	credits, used float64
	activity      []activityRow
	// The management plane: guardrails, workspaces, members (plane.go).
	plane plane
}

func newStore(now func() time.Time) *store {
	st := &store{now: now, byHash: map[string]*keyRecord{}, credits: DefaultCredits}
	st.plane = newPlane(now().UTC())
	return st
}

// create adds a key as POST /keys does and returns the answer with the
// plaintext, which is not kept anywhere.
func (st *store) create(body gen.CreateKeysRequestBody) (gen.CreateKeysResponse, *apiError) {
	now := st.now()
	rec, aerr := newRecord(body, now)
	if aerr != nil {
		return gen.CreateKeysResponse{}, aerr
	}
	plaintext := newPlaintextKey(secret.PrefixV1)
	rec.hash, rec.label = hashKey(plaintext), labelFor(plaintext)

	st.mu.Lock()
	defer st.mu.Unlock()
	st.seq++
	rec.seq = st.seq
	st.byHash[rec.hash] = rec
	return gen.CreateKeysResponse{Data: rec.apiKey(), Key: secret.New(plaintext)}, nil
}

// newRecord checks a create's body by the rules the schema cannot say and
// turns it into a record without hash or label.
func newRecord(body gen.CreateKeysRequestBody, now time.Time) (*keyRecord, *apiError) {
	if err := rules.Name(body.Name); err != nil {
		return nil, badRequest("name " + err.Error())
	}
	if aerr := checkLimit(body.Limit, body.LimitReset); aerr != nil {
		return nil, aerr
	}
	rec := &keyRecord{
		name:        body.Name,
		limit:       plainLimit(body.Limit),
		limitReset:  clone(body.LimitReset),
		includeBYOK: body.IncludeByokInLimit != nil && *body.IncludeByokInLimit,
		createdAt:   now.UTC(),
		creatorID:   DefaultCreatorUserID,
		workspaceID: DefaultWorkspaceID,
	}
	if t := body.ExpiresAt; t != nil {
		if t.Location() != time.UTC {
			return nil, badRequest("expires_at must be in UTC (ending in Z)")
		}
		if err := rules.ExpiresAt(*t, now); err != nil {
			return nil, badRequest("expires_at " + err.Error())
		}
		rec.expiresAt = clone(t)
	}
	if body.CreatorUserID != nil {
		if *body.CreatorUserID == "" {
			return nil, badRequest("creator_user_id must not be empty")
		}
		rec.creatorID = *body.CreatorUserID
	}
	if body.WorkspaceID != nil {
		// UUIDs compare without regard to case; the API writes them lower.
		rec.workspaceID = strings.ToLower(*body.WorkspaceID)
	}
	if ext := body.External; ext != nil {
		if ext.User == "" {
			return nil, badRequest("external.user must not be empty")
		}
		if ext.APIKey != nil {
			if err := rules.ExternalAPIKey(*ext.APIKey); err != nil {
				return nil, badRequest("external.api_key " + err.Error())
			}
		}
		rec.externalUser = clone(&ext.User)
	}
	return rec, nil
}

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
	limit, reset := nullableValue(body.Limit), nullableValue(body.LimitReset)
	if aerr := checkLimit(limit, reset); aerr != nil {
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
		rec.limit = plainLimit(limit)
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
	delete(st.plane.keyGuardrail, hash) // a deleted key holds no guardrail
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

// state is what authentication finds of a regular key. A key found active
// has authenticated a request, so its last_used_at becomes now.
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
	used := now.UTC()
	rec.lastUsedAt = &used
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
		Label:                  k.Label,
		Limit:                  k.Limit,
		LimitRemaining:         k.LimitRemaining,
		LimitReset:             k.LimitReset,
		IncludeByokInLimit:     k.IncludeByokInLimit,
		Usage:                  k.Usage,
		UsageDaily:             k.UsageDaily,
		UsageWeekly:            k.UsageWeekly,
		UsageMonthly:           k.UsageMonthly,
		ByokUsage:              k.ByokUsage,
		ByokUsageDaily:         k.ByokUsageDaily,
		ByokUsageWeekly:        k.ByokUsageWeekly,
		ByokUsageMonthly:       k.ByokUsageMonthly,
		ExpiresAt:              k.ExpiresAt,
		CreatorUserID:          k.CreatorUserID,
		RateLimit:              legacyRateLimit(),
		AllowedDataRegions:     allRegions(),
		FreeModelDailyRequests: freeModelQuota(),
		WorkspaceID:            ptr(k.WorkspaceID),
	}, true
}

// managementCurrent describes the management key as GET /key does.
func managementCurrent(label string) gen.CurrentKey {
	creator := DefaultCreatorUserID
	return gen.CurrentKey{
		Label:                  label,
		IsManagementKey:        true,
		IsProvisioningKey:      true, // the old name, which the API still sends
		CreatorUserID:          &creator,
		RateLimit:              legacyRateLimit(),
		AllowedDataRegions:     allRegions(),
		FreeModelDailyRequests: freeModelQuota(),
		WorkspaceID:            ptr(DefaultWorkspaceID),
	}
}

// allRegions is what the fake permits every key: each region the spec
// names, in a fresh slice.
func allRegions() []gen.DataRegion {
	return []gen.DataRegion{gen.DataRegionGlobal, gen.DataRegionEurope, gen.DataRegionUs}
}

// freeModelQuota is the free-model quota the fake reports: the API's daily
// allowance for an account with credits, none of it used.
func freeModelQuota() gen.FreeModelDailyRequests {
	return gen.FreeModelDailyRequests{Limit: 1000, Remaining: 1000, Used: 0}
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
		CreatedAt:          timestamp.Of(rec.createdAt),
		CreatorUserID:      ptr(rec.creatorID),
		WorkspaceID:        rec.workspaceID,
		ExternalUser:       clone(rec.externalUser),
	}
	if rec.limit != nil {
		k.Limit = ptr(*rec.limit)
		k.LimitRemaining = ptr(max(*rec.limit-rec.spent(), 0))
	}
	if rec.limitReset != nil {
		k.LimitReset = ptr(*rec.limitReset)
	}
	if rec.updatedAt != nil {
		k.UpdatedAt = ptr(timestamp.Of(*rec.updatedAt))
	}
	if rec.expiresAt != nil {
		k.ExpiresAt = ptr(timestamp.Of(*rec.expiresAt))
	}
	if rec.lastUsedAt != nil {
		k.LastUsedAt = ptr(timestamp.Of(*rec.lastUsedAt))
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

// checkLimit applies the shared rules to a limit and its reset period from
// a request; nil means none.
func checkLimit(limit *float64, reset *gen.LimitReset) *apiError {
	if limit != nil {
		if err := rules.Limit(*limit); err != nil {
			return badRequest("limit " + err.Error())
		}
	}
	if reset != nil {
		if err := rules.LimitReset(string(*reset)); err != nil {
			return badRequest("limit_reset " + err.Error())
		}
	}
	return nil
}

// plainLimit copies a limit with -0 made 0, which would print as "-0".
func plainLimit(limit *float64) *float64 {
	if limit == nil {
		return nil
	}
	v := rules.PlainZero(*limit)
	return &v
}

// nullableValue reads an update's field: absent and null are nil.
func nullableValue[T any](n nullable.Nullable[T]) *T {
	if v, err := n.Get(); err == nil {
		return &v
	}
	return nil
}

// clone copies what p points to, so that no caller shares memory with the
// store.
func clone[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

func ptr[T any](v T) *T { return &v }
