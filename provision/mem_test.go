package provision

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"
	"time"

	"github.com/orkeys/orkeys/secret"
)

// memBackend is an in-memory Backend for plan and apply tests of the
// guardrail and workspace parts, which the facade does not have yet. fail
// makes the named method fail once per entry.
type memBackend struct {
	mu         sync.Mutex
	now        time.Time
	keys       map[string]LiveKey
	plaintexts map[string]string
	workspaces map[string]LiveWorkspace
	guardrails map[string]LiveGuardrail
	assigned   map[string]string
	fail       map[string]int
	n          int
}

func newMem() *memBackend {
	return &memBackend{
		now:  time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC),
		keys: map[string]LiveKey{}, plaintexts: map[string]string{},
		workspaces: map[string]LiveWorkspace{}, guardrails: map[string]LiveGuardrail{},
		assigned: map[string]string{}, fail: map[string]int{},
	}
}

func (m *memBackend) failing(op string) error {
	if m.fail[op] > 0 {
		m.fail[op]--
		return fmt.Errorf("%s: 503 injected", op)
	}
	return nil
}

func (m *memBackend) id() string {
	m.n++
	return fmt.Sprintf("00000000-0000-4000-8000-%012d", m.n)
}

func (m *memBackend) ListKeys(_ context.Context, ws string) ([]LiveKey, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.failing("ListKeys"); err != nil {
		return nil, err
	}
	var out []LiveKey
	for _, k := range m.keys {
		if k.WorkspaceID == ws {
			out = append(out, k)
		}
	}
	return out, nil
}

func (m *memBackend) GetKey(_ context.Context, h string) (LiveKey, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.failing("GetKey"); err != nil {
		return LiveKey{}, err
	}
	k, ok := m.keys[h]
	if !ok {
		return LiveKey{}, ErrNotFound
	}
	return k, nil
}

func (m *memBackend) CreateKey(_ context.Context, s KeySpec) (LiveKey, secret.Key, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.failing("CreateKey"); err != nil {
		return LiveKey{}, secret.Key{}, err
	}
	b := make([]byte, 32)
	rand.Read(b)
	pt := "sk-or-v1-" + hex.EncodeToString(b)
	sum := sha256.Sum256([]byte(pt))
	k := LiveKey{Hash: hex.EncodeToString(sum[:]), Name: s.Name, WorkspaceID: s.WorkspaceID, Limit: s.Limit, LimitReset: s.LimitReset,
		IncludeBYOKInLimit: s.IncludeBYOKInLimit, ExpiresAt: s.ExpiresAt, CreatedAt: m.now}
	m.keys[k.Hash], m.plaintexts[k.Hash] = k, pt
	if m.failing("CreateKeyLost") != nil { // made, but the answer is lost
		return LiveKey{}, secret.Key{}, fmt.Errorf("create: connection lost")
	}
	return k, secret.New(pt), nil
}

func (m *memBackend) UpdateKey(_ context.Context, h string, p KeyPatch) (LiveKey, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.failing("UpdateKey"); err != nil {
		return LiveKey{}, err
	}
	k, ok := m.keys[h]
	if !ok {
		return LiveKey{}, ErrNotFound
	}
	if p.Name != nil {
		k.Name = *p.Name
	}
	if p.ClearLimit {
		k.Limit = nil
	} else if p.Limit != nil {
		v := *p.Limit
		k.Limit = &v
	}
	if p.LimitReset != nil {
		k.LimitReset = *p.LimitReset
	}
	if p.IncludeBYOKInLimit != nil {
		k.IncludeBYOKInLimit = *p.IncludeBYOKInLimit
	}
	if p.Disabled != nil {
		k.Disabled = *p.Disabled
	}
	m.keys[h] = k
	return k, nil
}

func (m *memBackend) DeleteKey(_ context.Context, h string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.failing("DeleteKey"); err != nil {
		return err
	}
	if _, ok := m.keys[h]; !ok {
		return ErrNotFound
	}
	delete(m.keys, h)
	delete(m.assigned, h)
	return nil
}

func (m *memBackend) GetWorkspace(_ context.Context, id string) (LiveWorkspace, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.failing("GetWorkspace"); err != nil {
		return LiveWorkspace{}, err
	}
	if w, ok := m.workspaces[id]; ok {
		return w, nil
	}
	for _, w := range m.workspaces {
		if w.Slug == id {
			return w, nil
		}
	}
	return LiveWorkspace{}, ErrNotFound
}

func (m *memBackend) CreateWorkspace(_ context.Context, w LiveWorkspace) (LiveWorkspace, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.failing("CreateWorkspace"); err != nil {
		return w, err
	}
	for _, o := range m.workspaces {
		if o.Slug == w.Slug {
			return LiveWorkspace{}, fmt.Errorf("400: slug %q is taken", w.Slug)
		}
	}
	w.ID, w.CreatedAt = m.id(), m.now
	m.workspaces[w.ID] = w
	if m.failing("CreateWorkspaceLost") != nil {
		return LiveWorkspace{}, fmt.Errorf("create workspace: connection lost")
	}
	return w, nil
}

func (m *memBackend) UpdateWorkspace(_ context.Context, id string, w LiveWorkspace) (LiveWorkspace, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.workspaces[id]; !ok {
		return w, ErrNotFound
	}
	w.ID = id
	m.workspaces[id] = w
	return w, nil
}

func (m *memBackend) DeleteWorkspace(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.workspaces, id)
	return nil
}

func (m *memBackend) ListGuardrails(_ context.Context, ws string) ([]LiveGuardrail, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []LiveGuardrail
	for _, g := range m.guardrails {
		if g.WorkspaceID == ws {
			out = append(out, g)
		}
	}
	return out, nil
}

func (m *memBackend) GetGuardrail(_ context.Context, id string) (LiveGuardrail, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	g, ok := m.guardrails[id]
	if !ok {
		return g, ErrNotFound
	}
	return g, nil
}

func (m *memBackend) CreateGuardrail(_ context.Context, g LiveGuardrail) (LiveGuardrail, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	g.ID, g.CreatedAt = m.id(), m.now
	m.guardrails[g.ID] = g
	if m.failing("CreateGuardrailLost") != nil {
		return LiveGuardrail{}, fmt.Errorf("create guardrail: connection lost")
	}
	return g, nil
}

func (m *memBackend) UpdateGuardrail(_ context.Context, id string, g LiveGuardrail) (LiveGuardrail, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	g.ID = id
	m.guardrails[id] = g
	return g, nil
}

func (m *memBackend) DeleteGuardrail(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.guardrails, id)
	for h, g := range m.assigned {
		if g == id {
			delete(m.assigned, h)
		}
	}
	return nil
}

func (m *memBackend) KeyGuardrails(context.Context) (map[string]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return cloneMap(m.assigned), nil
}

func (m *memBackend) AssignGuardrail(_ context.Context, h, gid, _ string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.failing("AssignGuardrail"); err != nil {
		return err
	}
	if gid == "" {
		delete(m.assigned, h)
	} else {
		m.assigned[h] = gid
	}
	return nil
}
