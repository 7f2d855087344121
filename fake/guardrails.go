package fake

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/orkeys/orkeys/gen"
	"github.com/orkeys/orkeys/internal/rules"
)

// Guardrails: a guardrail is filed in a workspace (the default one unless
// the create names another) and restricts nothing until assigned. Each
// workspace also has a default guardrail, at its default_guardrail_id,
// which exists (GET answers it) once a PATCH first configures it; its name
// is the workspace's and cannot be changed. A key
// holds at most one guardrail, so assigning another moves it; a member may
// hold several. Deleting a guardrail removes its assignments.

// AddGuardrail creates a guardrail as POST /guardrails would, without HTTP
// and without recording a request: for seeding. It applies the same rules.
func (s *Server) AddGuardrail(body gen.CreateGuardrailRequest) (gen.Guardrail, error) {
	g, aerr := s.keys.createGuardrail(body)
	if aerr != nil {
		return gen.Guardrail{}, errorf("AddGuardrail", "%s", aerr.message)
	}
	return g, nil
}

func (st *store) createGuardrail(body gen.CreateGuardrailRequest) (gen.Guardrail, *apiError) {
	if err := rules.Name(body.Name); err != nil {
		return gen.Guardrail{}, badRequest("name " + err.Error())
	}
	if aerr := checkGuardrailLimit(body.LimitUsd, body.ResetInterval); aerr != nil {
		return gen.Guardrail{}, aerr
	}
	now := st.now().UTC()
	st.mu.Lock()
	defer st.mu.Unlock()
	ws := DefaultWorkspaceID
	if body.WorkspaceID != nil {
		w, aerr := st.plane.workspace(*body.WorkspaceID)
		if aerr != nil {
			return gen.Guardrail{}, badRequest(aerr.message)
		}
		ws = w.w.ID
	}
	g := gen.Guardrail{
		ID:                         newID(),
		Name:                       body.Name,
		Description:                clone(body.Description),
		WorkspaceID:                ptr(ws),
		LimitUsd:                   plainLimit(body.LimitUsd),
		ResetInterval:              clone(body.ResetInterval),
		IncludeByokInBudgets:       body.IncludeByokInBudgets != nil && *body.IncludeByokInBudgets,
		AllowedModels:              cloneSlice(body.AllowedModels),
		IgnoredModels:              cloneSlice(body.IgnoredModels),
		AllowedProviders:           cloneSlice(body.AllowedProviders),
		IgnoredProviders:           cloneSlice(body.IgnoredProviders),
		AllowedDataRegions:         cloneSlice(body.AllowedDataRegions),
		ContentFilters:             cloneSlice(body.ContentFilters),
		ContentFilterBuiltins:      builtins(body.ContentFilterBuiltins),
		EnforceZdrAnthropic:        clone(body.EnforceZdrAnthropic),
		EnforceZdrOpenai:           clone(body.EnforceZdrOpenai),
		EnforceZdrGoogle:           clone(body.EnforceZdrGoogle),
		EnforceZdrXai:              clone(body.EnforceZdrXai),
		EnforceZdrOther:            clone(body.EnforceZdrOther),
		EnableFreeModelPublication: clone(body.EnableFreeModelPublication),
		EnableFreeModelTraining:    clone(body.EnableFreeModelTraining),
		EnablePaidModelTraining:    clone(body.EnablePaidModelTraining),
		CreatedAt:                  ts(now),
	}
	//lint:ignore SA1019 the fake answers the deprecated switch as the API does
	g.EnforceZdr = clone(body.EnforceZdr)
	fillZDR(&g)
	st.plane.guardrails[g.ID] = &guardrailRec{seq: st.plane.next(), g: g}
	return cloneGuardrail(g), nil
}

// fillZDR copies the deprecated enforce_zdr into the per-provider switches
// left unset, as the API does.
func fillZDR(g *gen.Guardrail) {
	if g.EnforceZdr == nil {
		return
	}
	for _, f := range []**bool{&g.EnforceZdrAnthropic, &g.EnforceZdrOpenai, &g.EnforceZdrGoogle, &g.EnforceZdrXai, &g.EnforceZdrOther} {
		if *f == nil {
			*f = ptr(*g.EnforceZdr)
		}
	}
}

// builtins gives each built-in filter the label the API chooses.
func builtins(in *[]gen.ContentFilterBuiltinInput) *[]gen.ContentFilterBuiltinEntry {
	if in == nil {
		return nil
	}
	out := make([]gen.ContentFilterBuiltinEntry, len(*in))
	for i, b := range *in {
		label := "[" + strings.ToUpper(strings.ReplaceAll(string(b.Slug), "-", "_")) + "]"
		out[i] = gen.ContentFilterBuiltinEntry{Slug: b.Slug, Action: b.Action, Label: &label, ScanScope: clone(b.ScanScope)}
	}
	return &out
}

func checkGuardrailLimit(limit *float64, reset *gen.GuardrailInterval) *apiError {
	var r *string
	if reset != nil {
		r = ptr(string(*reset))
	}
	if err := rules.GuardrailLimit(limit, r); err != nil {
		return badRequest(err.Error())
	}
	return nil
}

func (st *store) listGuardrails(p gen.ListGuardrailsParams) ([]gen.Guardrail, int) {
	st.mu.Lock()
	defer st.mu.Unlock()
	ws := DefaultWorkspaceID
	if p.WorkspaceID != nil {
		ws = strings.ToLower(*p.WorkspaceID)
	}
	var matched []*guardrailRec
	for _, g := range sortedBySeq(st.plane.guardrails, func(g *guardrailRec) uint64 { return g.seq }) {
		if g.g.WorkspaceID != nil && *g.g.WorkspaceID == ws {
			matched = append(matched, g)
		}
	}
	return pageOf(matched, p.Offset, p.Limit, func(g *guardrailRec) gen.Guardrail { return cloneGuardrail(g.g) }), len(matched)
}

func (st *store) getGuardrail(id string) (gen.Guardrail, *apiError) {
	st.mu.Lock()
	defer st.mu.Unlock()
	g, ok := st.plane.guardrails[strings.ToLower(id)]
	if !ok {
		return gen.Guardrail{}, notFound("guardrail", id)
	}
	return cloneGuardrail(g.g), nil
}

// updateGuardrail applies PATCH semantics: absent keeps, null clears, a
// value (a list included, whole) replaces. The result must still pair a
// limit with a reset interval.
func (st *store) updateGuardrail(id string, body gen.UpdateGuardrailRequest) (gen.Guardrail, *apiError) {
	if body.Name != nil && *body.Name == "" {
		return gen.Guardrail{}, badRequest("name must not be empty")
	}
	now := st.now().UTC()
	st.mu.Lock()
	defer st.mu.Unlock()
	rec, ok := st.plane.guardrails[strings.ToLower(id)]
	if !ok {
		if rec = st.plane.materializeDefault(strings.ToLower(id), now); rec == nil {
			return gen.Guardrail{}, notFound("guardrail", id)
		}
	}
	if body.Name != nil && st.plane.isDefaultGuardrail(rec.g.ID) && *body.Name != rec.g.Name {
		return gen.Guardrail{}, badRequest("A workspace default guardrail's name comes from its workspace and cannot be changed")
	}
	g := cloneGuardrail(rec.g)
	if body.Name != nil {
		g.Name = *body.Name
	}
	if body.IncludeByokInBudgets != nil {
		g.IncludeByokInBudgets = *body.IncludeByokInBudgets
	}
	patch(&g.Description, body.Description)
	patch(&g.LimitUsd, body.LimitUsd)
	patch(&g.ResetInterval, body.ResetInterval)
	patch(&g.AllowedModels, body.AllowedModels)
	patch(&g.IgnoredModels, body.IgnoredModels)
	patch(&g.AllowedProviders, body.AllowedProviders)
	patch(&g.IgnoredProviders, body.IgnoredProviders)
	patch(&g.AllowedDataRegions, body.AllowedDataRegions)
	patch(&g.ContentFilters, body.ContentFilters)
	if body.ContentFilterBuiltins.IsSpecified() {
		var in *[]gen.ContentFilterBuiltinInput
		patch(&in, body.ContentFilterBuiltins)
		g.ContentFilterBuiltins = builtins(in)
	}
	//lint:ignore SA1019 the fake answers the deprecated switch as the API does
	patch(&g.EnforceZdr, body.EnforceZdr)
	patch(&g.EnforceZdrAnthropic, body.EnforceZdrAnthropic)
	patch(&g.EnforceZdrOpenai, body.EnforceZdrOpenai)
	patch(&g.EnforceZdrGoogle, body.EnforceZdrGoogle)
	patch(&g.EnforceZdrXai, body.EnforceZdrXai)
	patch(&g.EnforceZdrOther, body.EnforceZdrOther)
	patch(&g.EnableFreeModelPublication, body.EnableFreeModelPublication)
	patch(&g.EnableFreeModelTraining, body.EnableFreeModelTraining)
	patch(&g.EnablePaidModelTraining, body.EnablePaidModelTraining)
	g.LimitUsd = plainLimit(g.LimitUsd)
	if aerr := checkGuardrailLimit(g.LimitUsd, g.ResetInterval); aerr != nil {
		return gen.Guardrail{}, aerr
	}
	g.UpdatedAt = ptr(ts(now))
	rec.g = g
	st.plane.guardrails[g.ID] = rec // new when a default is materialized
	return cloneGuardrail(g), nil
}

// materializeDefault makes the default guardrail of the workspace whose
// default_guardrail_id is id, on its first PATCH, as OpenRouter does: until
// then GET answers 404. It returns nil when id is no workspace's. The
// caller holds st.mu and stores the record only if the PATCH succeeds.
func (p *plane) materializeDefault(id string, now time.Time) *guardrailRec {
	for _, w := range p.workspaces {
		if w.w.DefaultGuardrailID == id {
			return &guardrailRec{seq: p.next(), g: gen.Guardrail{
				ID: id, Name: w.w.Name + " default guardrail", WorkspaceID: ptr(w.w.ID), CreatedAt: ts(now),
			}}
		}
	}
	return nil
}

func (p *plane) isDefaultGuardrail(id string) bool {
	for _, w := range p.workspaces {
		if w.w.DefaultGuardrailID == id {
			return true
		}
	}
	return false
}

// deleteGuardrail removes the guardrail and every assignment of it.
func (st *store) deleteGuardrail(id string) *apiError {
	st.mu.Lock()
	defer st.mu.Unlock()
	id = strings.ToLower(id)
	if _, ok := st.plane.guardrails[id]; !ok {
		return notFound("guardrail", id)
	}
	st.plane.dropGuardrail(id)
	return nil
}

func (p *plane) dropGuardrail(id string) {
	delete(p.guardrails, id)
	delete(p.memberGuardrails, id)
	for hash, a := range p.keyGuardrail {
		if a.guardrailID == id {
			delete(p.keyGuardrail, hash)
		}
	}
}

// assignKeys gives each key the guardrail, moving it off any other. Every
// hash must name a key; nothing changes otherwise. The count is of keys
// whose guardrail changed, so sending the same hashes again counts 0.
func (st *store) assignKeys(id string, hashes []string) (int, *apiError) {
	now := st.now().UTC()
	st.mu.Lock()
	defer st.mu.Unlock()
	id = strings.ToLower(id)
	if _, ok := st.plane.guardrails[id]; !ok {
		return 0, notFound("guardrail", id)
	}
	for _, h := range hashes {
		if _, ok := st.byHash[h]; !ok {
			return 0, notFound("key", h)
		}
	}
	n := 0
	for _, h := range hashes {
		if a, ok := st.plane.keyGuardrail[h]; ok && a.guardrailID == id {
			continue
		}
		st.plane.keyGuardrail[h] = &assignmentRec{seq: st.plane.next(), id: newID(), guardrailID: id, createdAt: now}
		n++
	}
	return n, nil
}

// unassignKeys takes the guardrail off those of the keys that hold it.
func (st *store) unassignKeys(id string, hashes []string) (int, *apiError) {
	st.mu.Lock()
	defer st.mu.Unlock()
	id = strings.ToLower(id)
	if _, ok := st.plane.guardrails[id]; !ok {
		return 0, notFound("guardrail", id)
	}
	n := 0
	for _, h := range hashes {
		if a, ok := st.plane.keyGuardrail[h]; ok && a.guardrailID == id {
			delete(st.plane.keyGuardrail, h)
			n++
		}
	}
	return n, nil
}

// keyAssignments lists the key assignments of guardrail id, or of every
// guardrail when id is "".
func (st *store) keyAssignments(id string, offset, limit *int) ([]gen.KeyAssignment, int, *apiError) {
	st.mu.Lock()
	defer st.mu.Unlock()
	id = strings.ToLower(id)
	if _, ok := st.plane.guardrails[id]; id != "" && !ok {
		return nil, 0, notFound("guardrail", id)
	}
	type row struct {
		hash string
		a    *assignmentRec
	}
	var rows []row
	for h, a := range st.plane.keyGuardrail {
		if id == "" || a.guardrailID == id {
			rows = append(rows, row{h, a})
		}
	}
	slices.SortFunc(rows, func(x, y row) int { return cmp.Compare(x.a.seq, y.a.seq) })
	return pageOf(rows, offset, limit, func(r row) gen.KeyAssignment {
		k := st.byHash[r.hash]
		return gen.KeyAssignment{
			ID: r.a.id, KeyHash: r.hash, GuardrailID: r.a.guardrailID,
			KeyName: k.name, KeyLabel: k.label, AssignedBy: ptr(DefaultCreatorUserID), CreatedAt: ts(r.a.createdAt),
		}
	}), len(rows), nil
}

// assignMembers assigns the guardrail to organization members; each user
// id must name one.
func (st *store) assignMembers(id string, users []string) (int, *apiError) {
	now := st.now().UTC()
	st.mu.Lock()
	defer st.mu.Unlock()
	id = strings.ToLower(id)
	if _, ok := st.plane.guardrails[id]; !ok {
		return 0, notFound("guardrail", id)
	}
	for _, u := range users {
		if _, ok := st.plane.members[u]; !ok {
			return 0, notFound("organization member", u)
		}
	}
	held := st.plane.memberGuardrails[id]
	if held == nil {
		held = map[string]*assignmentRec{}
		st.plane.memberGuardrails[id] = held
	}
	n := 0
	for _, u := range users {
		if _, ok := held[u]; !ok {
			held[u] = &assignmentRec{seq: st.plane.next(), id: newID(), guardrailID: id, createdAt: now}
			n++
		}
	}
	return n, nil
}

func (st *store) unassignMembers(id string, users []string) (int, *apiError) {
	st.mu.Lock()
	defer st.mu.Unlock()
	id = strings.ToLower(id)
	if _, ok := st.plane.guardrails[id]; !ok {
		return 0, notFound("guardrail", id)
	}
	n := 0
	for _, u := range users {
		if _, ok := st.plane.memberGuardrails[id][u]; ok {
			delete(st.plane.memberGuardrails[id], u)
			n++
		}
	}
	return n, nil
}

// memberAssignments lists the member assignments of guardrail id, or of
// every guardrail when id is "".
func (st *store) memberAssignments(id string, offset, limit *int) ([]gen.MemberAssignment, int, *apiError) {
	st.mu.Lock()
	defer st.mu.Unlock()
	id = strings.ToLower(id)
	if _, ok := st.plane.guardrails[id]; id != "" && !ok {
		return nil, 0, notFound("guardrail", id)
	}
	type row struct {
		user string
		a    *assignmentRec
	}
	var rows []row
	for g, held := range st.plane.memberGuardrails {
		if id != "" && g != id {
			continue
		}
		for u, a := range held {
			rows = append(rows, row{u, a})
		}
	}
	slices.SortFunc(rows, func(x, y row) int { return cmp.Compare(x.a.seq, y.a.seq) })
	return pageOf(rows, offset, limit, func(r row) gen.MemberAssignment {
		return gen.MemberAssignment{
			ID: r.a.id, UserID: r.user, OrganizationID: DefaultOrganizationID, GuardrailID: r.a.guardrailID,
			AssignedBy: ptr(DefaultCreatorUserID), CreatedAt: ts(r.a.createdAt),
		}
	}), len(rows), nil
}

// cloneGuardrail copies every pointer and list, so that no caller shares
// memory with the store.
func cloneGuardrail(g gen.Guardrail) gen.Guardrail {
	g.Description, g.WorkspaceID, g.LimitUsd = clone(g.Description), clone(g.WorkspaceID), clone(g.LimitUsd)
	g.ResetInterval, g.UpdatedAt = clone(g.ResetInterval), clone(g.UpdatedAt)
	g.AllowedModels, g.IgnoredModels = cloneSlice(g.AllowedModels), cloneSlice(g.IgnoredModels)
	g.AllowedProviders, g.IgnoredProviders = cloneSlice(g.AllowedProviders), cloneSlice(g.IgnoredProviders)
	g.AllowedDataRegions, g.ContentFilters = cloneSlice(g.AllowedDataRegions), cloneSlice(g.ContentFilters)
	if g.ContentFilters != nil {
		for i, f := range *g.ContentFilters {
			(*g.ContentFilters)[i].Label = clone(f.Label)
		}
	}
	g.ContentFilterBuiltins = cloneSlice(g.ContentFilterBuiltins)
	if g.ContentFilterBuiltins != nil {
		for i, b := range *g.ContentFilterBuiltins {
			(*g.ContentFilterBuiltins)[i].Label, (*g.ContentFilterBuiltins)[i].ScanScope = clone(b.Label), clone(b.ScanScope)
		}
	}
	for _, f := range []**bool{&g.EnforceZdr, &g.EnforceZdrAnthropic, &g.EnforceZdrOpenai, &g.EnforceZdrGoogle, &g.EnforceZdrXai,
		&g.EnforceZdrOther, &g.EnableFreeModelPublication, &g.EnableFreeModelTraining, &g.EnablePaidModelTraining} {
		*f = clone(*f)
	}
	return g
}
