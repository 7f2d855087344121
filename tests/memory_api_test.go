package tests

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/orkeys/orkeys/gen"
	"github.com/orkeys/orkeys/secret"
)

// memoryAPI plays OpenRouter's key API in memory, just enough for the
// lifecycle test: keys live in a slice, newest first. Package fake is the
// full offline server; this stays small on purpose.
type memoryAPI struct {
	managementKey string
	workspace     string

	mu    sync.Mutex
	keys  []*storedKey
	clock time.Time
}

type storedKey struct {
	plaintext string
	data      gen.APIKey
}

func newMemoryAPI(managementKey string) *memoryAPI {
	return &memoryAPI{
		managementKey: managementKey,
		workspace:     "0df9e665-d932-5740-b2c7-b52af166bc11",
		clock:         time.Date(2025, 8, 24, 10, 0, 0, 0, time.UTC),
	}
}

func (m *memoryAPI) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/key", m.currentKey)
	mux.HandleFunc("GET /api/v1/keys", m.management(m.list))
	mux.HandleFunc("POST /api/v1/keys", m.management(m.create))
	mux.HandleFunc("GET /api/v1/keys/{hash}", m.management(m.withKey(m.get)))
	mux.HandleFunc("PATCH /api/v1/keys/{hash}", m.management(m.withKey(m.update)))
	mux.HandleFunc("DELETE /api/v1/keys/{hash}", m.management(m.withKey(m.delete)))
	return mux
}

func bearer(r *http.Request) string {
	return strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
}

// management lets only the management key through. A known regular key gets
// 403 where the spec documents it (POST /keys) and 401 elsewhere.
func (m *memoryAPI) management(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		key := bearer(r)
		if key == m.managementKey {
			next(w, r)
			return
		}
		m.mu.Lock()
		_, known := m.findByPlaintext(key)
		m.mu.Unlock()
		if known && r.Method == http.MethodPost {
			writeError(w, http.StatusForbidden, "Only management keys can perform this operation")
			return
		}
		writeError(w, http.StatusUnauthorized, "Invalid API key")
	}
}

// withKey finds the key named in the path, or answers 404.
func (m *memoryAPI) withKey(next func(http.ResponseWriter, *http.Request, *storedKey)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		m.mu.Lock()
		defer m.mu.Unlock()
		i := slices.IndexFunc(m.keys, func(k *storedKey) bool { return k.data.Hash == r.PathValue("hash") })
		if i < 0 {
			writeError(w, http.StatusNotFound, "Resource not found")
			return
		}
		next(w, r, m.keys[i])
	}
}

func (m *memoryAPI) findByPlaintext(key string) (*storedKey, bool) {
	for _, k := range m.keys {
		if k.plaintext == key {
			return k, true
		}
	}
	return nil, false
}

func (m *memoryAPI) now() string {
	m.clock = m.clock.Add(time.Minute)
	return m.clock.Format(time.RFC3339)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func (m *memoryAPI) currentKey(w http.ResponseWriter, r *http.Request) {
	key := bearer(r)
	cur := gen.CurrentKey{Label: secret.Redact(key)}
	cur.RateLimit.Requests, cur.RateLimit.Interval, cur.RateLimit.Note = -1, "10s", "deprecated"
	m.mu.Lock()
	defer m.mu.Unlock()
	if key == m.managementKey {
		cur.IsManagementKey, cur.IsProvisioningKey = true, true
	} else if k, ok := m.findByPlaintext(key); ok && !k.data.Disabled {
		d := k.data
		cur.Label, cur.Limit, cur.LimitRemaining, cur.LimitReset = d.Label, d.Limit, d.LimitRemaining, d.LimitReset
		cur.IncludeByokInLimit, cur.ExpiresAt, cur.CreatorUserID = d.IncludeByokInLimit, d.ExpiresAt, d.CreatorUserID
	} else {
		writeError(w, http.StatusUnauthorized, "Invalid API key")
		return
	}
	writeJSON(w, http.StatusOK, gen.GetCurrentKeyResponseBody{Data: cur})
}

func (m *memoryAPI) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	offset, _ := strconv.Atoi(q.Get("offset"))
	includeDisabled := q.Get("include_disabled") == "true"
	workspace := q.Get("workspace_id")
	if workspace == "" {
		workspace = m.workspace
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	out := []gen.APIKey{}
	for _, k := range m.keys {
		if (k.data.Disabled && !includeDisabled) || k.data.WorkspaceID != workspace {
			continue
		}
		out = append(out, k.data)
	}
	out = out[min(offset, len(out)):]
	out = out[:min(len(out), 100)]
	writeJSON(w, http.StatusOK, gen.ListKeysResponseBody{Data: out})
}

func (m *memoryAPI) create(w http.ResponseWriter, r *http.Request) {
	var body gen.CreateKeysRequestBody
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		writeError(w, http.StatusBadRequest, "body is not JSON")
		return
	}
	raw := make([]byte, 32)
	rand.Read(raw)
	plaintext := "sk-or-v1-" + hex.EncodeToString(raw)
	sum := sha256.Sum256([]byte(plaintext))

	m.mu.Lock()
	defer m.mu.Unlock()
	k := &storedKey{plaintext: plaintext, data: gen.APIKey{
		Hash:               hex.EncodeToString(sum[:]),
		Name:               body.Name,
		Label:              secret.Redact(plaintext),
		CreatedAt:          m.now(),
		WorkspaceID:        m.workspace,
		IncludeByokInLimit: body.IncludeByokInLimit != nil && *body.IncludeByokInLimit,
	}}
	if body.WorkspaceID != nil {
		k.data.WorkspaceID = body.WorkspaceID.String()
	}
	if v, err := body.Limit.Get(); err == nil {
		k.data.Limit, k.data.LimitRemaining = &v, &v
	}
	if v, err := body.LimitReset.Get(); err == nil {
		k.data.LimitReset = &v
	}
	if v, err := body.ExpiresAt.Get(); err == nil {
		k.data.ExpiresAt = &v
	}
	if v, err := body.CreatorUserID.Get(); err == nil {
		k.data.CreatorUserID = &v
	}
	m.keys = append([]*storedKey{k}, m.keys...)
	writeJSON(w, http.StatusCreated, gen.CreateKeysResponseBody{Data: k.data, Key: secret.Key(plaintext)})
}

func (m *memoryAPI) get(w http.ResponseWriter, _ *http.Request, k *storedKey) {
	writeJSON(w, http.StatusOK, gen.GetKeyResponseBody{Data: k.data})
}

func (m *memoryAPI) update(w http.ResponseWriter, r *http.Request, k *storedKey) {
	var body gen.UpdateKeysRequestBody
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		writeError(w, http.StatusBadRequest, "body is not JSON")
		return
	}
	d := &k.data
	if body.Name != nil {
		d.Name = *body.Name
	}
	if body.Disabled != nil {
		d.Disabled = *body.Disabled
	}
	if body.IncludeByokInLimit != nil {
		d.IncludeByokInLimit = *body.IncludeByokInLimit
	}
	if body.Limit.IsSpecified() {
		d.Limit, d.LimitRemaining = nil, nil
		if v, err := body.Limit.Get(); err == nil {
			rest := v - d.Usage
			d.Limit, d.LimitRemaining = &v, &rest
		}
	}
	if body.LimitReset.IsSpecified() {
		d.LimitReset = nil
		if v, err := body.LimitReset.Get(); err == nil {
			d.LimitReset = &v
		}
	}
	now := m.now()
	d.UpdatedAt = &now
	writeJSON(w, http.StatusOK, gen.UpdateKeysResponseBody{Data: *d})
}

func (m *memoryAPI) delete(w http.ResponseWriter, _ *http.Request, k *storedKey) {
	m.keys = slices.DeleteFunc(m.keys, func(s *storedKey) bool { return s == k })
	writeJSON(w, http.StatusOK, gen.DeleteKeysResponseBody{Deleted: true})
}
