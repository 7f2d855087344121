package fake

import (
	"cmp"
	"crypto/sha256"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/oapi-codegen/nullable"

	"github.com/orkeys/orkeys/gen"
	"github.com/orkeys/orkeys/timestamp"
)

// The management plane around keys: guardrails and their assignments
// (guardrails.go), workspaces with members and budgets (workspaces.go), and
// the organization's members. It lives in the key store, under the same
// mutex, because its rules reach across: a workspace with active keys
// cannot be deleted, a deleted key loses its guardrail.

// DefaultWorkspaceSlug is the default workspace's slug. The default
// workspace (DefaultWorkspaceID) always exists and cannot be deleted.
const DefaultWorkspaceSlug = "default"

// DefaultOrganizationID is the organization the management key belongs to.
const DefaultOrganizationID = "org_fake0000000000000000000000000"

// Organization roles, as GET /organization/members writes them.
const (
	RoleAdmin  = gen.OrganizationRoleOrgAdmin
	RoleMember = gen.OrganizationRoleOrgMember
)

// Pages of the plane's lists: offset and limit, 50 by default, 100 at most.
const (
	planeDefaultLimit = 50
	planeMaxLimit     = 100
)

type plane struct {
	seq        uint64 // creation order of everything below
	guardrails map[string]*guardrailRec
	// keyGuardrail is each key's one guardrail: assigning another moves it.
	keyGuardrail map[string]*assignmentRec
	// memberGuardrails is, per guardrail id, its member assignments.
	memberGuardrails map[string]map[string]*assignmentRec
	workspaces       map[string]*workspaceRec
	members          map[string]*memberRec
	byok             map[string]*byokRec // provider keys (byok.go)
}

type guardrailRec struct {
	seq uint64
	g   gen.Guardrail
}

type assignmentRec struct {
	seq         uint64
	id          string
	guardrailID string
	createdAt   time.Time
}

type workspaceRec struct {
	seq     uint64
	w       gen.Workspace
	members map[string]*assignmentRec // explicit memberships by user id
	budgets map[gen.WorkspaceBudgetInterval]*budgetRec
}

type budgetRec struct {
	id                   string
	limit                float64
	createdAt, updatedAt time.Time
}

type memberRec struct {
	seq uint64
	m   gen.OrganizationMember
}

// newPlane holds the default workspace and the member who owns the
// management key.
func newPlane(now time.Time) plane {
	p := plane{
		guardrails:       map[string]*guardrailRec{},
		keyGuardrail:     map[string]*assignmentRec{},
		memberGuardrails: map[string]map[string]*assignmentRec{},
		workspaces:       map[string]*workspaceRec{},
		members:          map[string]*memberRec{},
		byok:             map[string]*byokRec{},
	}
	p.addWorkspace(DefaultWorkspaceID, gen.CreateWorkspaceRequest{Name: "Default Workspace", Slug: DefaultWorkspaceSlug}, now)
	first, owner := "Fake", "Owner"
	p.seq++
	p.members[DefaultCreatorUserID] = &memberRec{seq: p.seq, m: gen.OrganizationMember{
		ID: DefaultCreatorUserID, Email: "owner@example.com", FirstName: &first, LastName: &owner, Role: RoleAdmin,
	}}
	return p
}

func (p *plane) next() uint64 { p.seq++; return p.seq }

// newID draws a random (version 4) UUID.
func newID() string { return uuid.NewString() }

// defaultGuardrailID derives a workspace's default guardrail id from its
// id, as OpenRouter does, so that it is known before it is configured.
func defaultGuardrailID(workspaceID string) string {
	return uuid.NewHash(sha256.New(), uuid.NameSpaceURL, []byte("orkeys-fake:"+workspaceID), 8).String()
}

// workspace finds a workspace by UUID (any case) or slug.
func (p *plane) workspace(ref string) (*workspaceRec, *apiError) {
	if w, ok := p.workspaces[strings.ToLower(ref)]; ok {
		return w, nil
	}
	for _, w := range p.workspaces {
		if w.w.Slug == ref {
			return w, nil
		}
	}
	return nil, notFound("workspace", ref)
}

func notFound(what, id string) *apiError {
	return &apiError{http.StatusNotFound, "No " + what + " " + id}
}

// AddMember adds a member to the organization, for seeding: the API cannot
// create users. Role is RoleAdmin or RoleMember (RoleMember when empty). The
// member also belongs, as every member does, to the default workspace.
func (s *Server) AddMember(m gen.OrganizationMember) error {
	if m.ID == "" || m.Email == "" {
		return errorf("AddMember", "ID and Email are required")
	}
	if m.Role == "" {
		m.Role = RoleMember
	}
	if m.Role != RoleAdmin && m.Role != RoleMember {
		return errorf("AddMember", "role %q: want %s or %s", m.Role, RoleAdmin, RoleMember)
	}
	st := s.keys
	st.mu.Lock()
	defer st.mu.Unlock()
	if _, ok := st.plane.members[m.ID]; ok {
		return errorf("AddMember", "member %q exists", m.ID)
	}
	m.FirstName, m.LastName = clone(m.FirstName), clone(m.LastName)
	st.plane.members[m.ID] = &memberRec{seq: st.plane.next(), m: m}
	return nil
}

func (st *store) organizationMembers(offset, limit *int) ([]gen.OrganizationMember, int) {
	st.mu.Lock()
	defer st.mu.Unlock()
	all := sortedBySeq(st.plane.members, func(m *memberRec) uint64 { return m.seq })
	return pageOf(all, offset, limit, func(m *memberRec) gen.OrganizationMember {
		out := m.m
		out.FirstName, out.LastName = clone(m.m.FirstName), clone(m.m.LastName)
		return out
	}), len(all)
}

// sortedBySeq lists a map's values in creation order.
func sortedBySeq[K comparable, V any](m map[K]V, seq func(V) uint64) []V {
	out := make([]V, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	slices.SortFunc(out, func(a, b V) int { return cmp.Compare(seq(a), seq(b)) })
	return out
}

// pageOf renders the page offset and limit select (the gate has checked
// both against the spec's bounds).
func pageOf[T, R any](all []T, offset, limit *int, render func(T) R) []R {
	from, n := 0, planeDefaultLimit
	if offset != nil {
		from = *offset
	}
	if limit != nil {
		n = min(*limit, planeMaxLimit)
	}
	out := make([]R, 0, min(n, max(len(all)-from, 0)))
	for i := from; i < len(all) && len(out) < n; i++ {
		out = append(out, render(all[i]))
	}
	return out
}

// patch applies one nullable field of a PATCH: absent keeps, null clears,
// a value sets.
func patch[T any](dst **T, n nullable.Nullable[T]) {
	if !n.IsSpecified() {
		return
	}
	if v, err := n.Get(); err == nil {
		*dst = &v
		return
	}
	*dst = nil
}

// cloneSlice copies what p points to, so that no caller shares a backing
// array with the store.
func cloneSlice[T any](p *[]T) *[]T {
	if p == nil {
		return nil
	}
	v := slices.Clone(*p)
	return &v
}

func ts(t time.Time) timestamp.Time { return timestamp.Of(t) }

// errorf is a seeding method's error: "fake: AddMember: …".
func errorf(method, format string, args ...any) error {
	return fmt.Errorf("fake: %s: %s", method, fmt.Sprintf(format, args...))
}
