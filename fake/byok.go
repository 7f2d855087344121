package fake

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"

	"github.com/orkeys/orkeys/gen"
	"github.com/orkeys/orkeys/secret"
)

// Provider keys (bring your own key). The key is write-only: the fake keeps
// only a masked label and the SHA-256 of the key (to tell a rotation
// happened), never the key, and answers with the label, as OpenRouter does.
// Rules: the workspace must exist; is_fallback and is_byok_only exclude
// each other; allowed_api_key_hashes must name keys of the account; the
// restriction lists are tri-state (absent keeps, null clears, and an empty
// list is refused by the spec's minItems); the provider is one of the
// spec's (the gate checks the enum).

type byokRec struct {
	seq     uint64
	k       gen.BYOKKey
	keyHash string // hex SHA-256 of the provider key
}

// BYOKKeyHash returns the SHA-256 (hex) of the provider key stored under
// id, so that a test can tell a rotation from a settings change without
// the fake keeping the key; "" for an unknown id.
func (s *Server) BYOKKeyHash(id string) string {
	s.keys.mu.Lock()
	defer s.keys.mu.Unlock()
	if r, ok := s.keys.plane.byok[strings.ToLower(id)]; ok {
		return r.keyHash
	}
	return ""
}

// AddBYOKKey stores a provider key as POST /byok would, without HTTP and
// without recording a request: for seeding. It applies the same rules,
// but for the provider list, which only the gate knows.
func (s *Server) AddBYOKKey(body gen.CreateBYOKKeyRequest) (gen.BYOKKey, error) {
	k, aerr := s.keys.createBYOK(body)
	if aerr != nil {
		return gen.BYOKKey{}, errorf("AddBYOKKey", "%s", aerr.message)
	}
	return k, nil
}

// byokLabel masks a provider key: its first three and last four characters
// when it is long enough to keep most of it hidden, else stars.
func byokLabel(k secret.Key) string {
	s := k.Reveal()
	if len(s) < 16 {
		return "****"
	}
	return s[:3] + "..." + s[len(s)-4:]
}

func (st *store) createBYOK(body gen.CreateBYOKKeyRequest) (gen.BYOKKey, *apiError) {
	if body.Key.IsZero() {
		return gen.BYOKKey{}, badRequest("key must not be empty")
	}
	now := st.now().UTC()
	st.mu.Lock()
	defer st.mu.Unlock()
	ws := DefaultWorkspaceID
	if body.WorkspaceID != nil {
		w, aerr := st.plane.workspace(*body.WorkspaceID)
		if aerr != nil {
			return gen.BYOKKey{}, badRequest(aerr.message)
		}
		ws = w.w.ID
	}
	k := gen.BYOKKey{
		ID:                  newID(),
		Provider:            body.Provider,
		Name:                clone(body.Name),
		Label:               byokLabel(body.Key),
		WorkspaceID:         ptr(ws),
		Disabled:            isTrue(body.Disabled),
		IsFallback:          isTrue(body.IsFallback),
		IsByokOnly:          isTrue(body.IsByokOnly),
		IsRequired:          isTrue(body.IsRequired),
		DeclaredZdr:         clone(body.DeclaredZdr),
		AllowedModels:       cloneSlice(body.AllowedModels),
		AllowedUserIds:      cloneSlice(body.AllowedUserIds),
		AllowedAPIKeyHashes: cloneSlice(body.AllowedAPIKeyHashes),
		CreatedAt:           ts(now),
	}
	if aerr := st.checkBYOK(&k); aerr != nil {
		return gen.BYOKKey{}, aerr
	}
	for _, r := range st.plane.byok {
		if r.k.Provider == k.Provider && *r.k.WorkspaceID == ws {
			k.SortOrder++
		}
	}
	st.plane.byok[k.ID] = &byokRec{seq: st.plane.next(), k: k, keyHash: hashKey(body.Key.Reveal())}
	return cloneBYOK(k), nil
}

// checkBYOK applies the rules across fields. The caller holds st.mu.
func (st *store) checkBYOK(k *gen.BYOKKey) *apiError {
	if k.IsFallback && k.IsByokOnly {
		return badRequest("is_fallback cannot be combined with is_byok_only")
	}
	if k.AllowedAPIKeyHashes != nil {
		for _, h := range *k.AllowedAPIKeyHashes {
			if _, ok := st.byHash[h]; !ok {
				return badRequest("allowed_api_key_hashes: no key of the account has hash " + h)
			}
		}
	}
	return nil
}

func (st *store) listBYOK(p gen.ListBYOKKeysParams) ([]gen.BYOKKey, int) {
	st.mu.Lock()
	defer st.mu.Unlock()
	ws := DefaultWorkspaceID
	if p.WorkspaceID != nil {
		ws = strings.ToLower(*p.WorkspaceID)
	}
	var matched []*byokRec
	for _, r := range sortedBySeq(st.plane.byok, func(r *byokRec) uint64 { return r.seq }) {
		if *r.k.WorkspaceID == ws && (p.Provider == nil || r.k.Provider == *p.Provider) {
			matched = append(matched, r)
		}
	}
	return pageOf(matched, p.Offset, p.Limit, func(r *byokRec) gen.BYOKKey { return cloneBYOK(r.k) }), len(matched)
}

func (st *store) getBYOK(id string) (gen.BYOKKey, *apiError) {
	st.mu.Lock()
	defer st.mu.Unlock()
	r, ok := st.plane.byok[strings.ToLower(id)]
	if !ok {
		return gen.BYOKKey{}, notFound("provider key", id)
	}
	return cloneBYOK(r.k), nil
}

// updateBYOK applies PATCH semantics; a key rotates the stored key in place
// and regenerates the label.
func (st *store) updateBYOK(id string, body gen.UpdateBYOKKeyRequest) (gen.BYOKKey, *apiError) {
	if body.Key != nil && body.Key.IsZero() {
		return gen.BYOKKey{}, badRequest("key must not be empty")
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	r, ok := st.plane.byok[strings.ToLower(id)]
	if !ok {
		return gen.BYOKKey{}, notFound("provider key", id)
	}
	k := cloneBYOK(r.k)
	patch(&k.Name, body.Name)
	patch(&k.DeclaredZdr, body.DeclaredZdr)
	patch(&k.AllowedModels, body.AllowedModels)
	patch(&k.AllowedUserIds, body.AllowedUserIds)
	patch(&k.AllowedAPIKeyHashes, body.AllowedAPIKeyHashes)
	for _, f := range []struct{ dst, src *bool }{
		{&k.Disabled, body.Disabled}, {&k.IsFallback, body.IsFallback}, {&k.IsByokOnly, body.IsByokOnly}, {&k.IsRequired, body.IsRequired},
	} {
		if f.src != nil {
			*f.dst = *f.src
		}
	}
	if aerr := st.checkBYOK(&k); aerr != nil {
		return gen.BYOKKey{}, aerr
	}
	if body.Key != nil {
		k.Label, r.keyHash = byokLabel(*body.Key), hashKey(body.Key.Reveal())
	}
	r.k = k
	return cloneBYOK(k), nil
}

func (st *store) deleteBYOK(id string) *apiError {
	st.mu.Lock()
	defer st.mu.Unlock()
	id = strings.ToLower(id)
	if _, ok := st.plane.byok[id]; !ok {
		return notFound("provider key", id)
	}
	delete(st.plane.byok, id)
	return nil
}

func cloneBYOK(k gen.BYOKKey) gen.BYOKKey {
	k.Name, k.WorkspaceID, k.DeclaredZdr = clone(k.Name), clone(k.WorkspaceID), clone(k.DeclaredZdr)
	k.AllowedModels, k.AllowedUserIds, k.AllowedAPIKeyHashes = cloneSlice(k.AllowedModels), cloneSlice(k.AllowedUserIds), cloneSlice(k.AllowedAPIKeyHashes)
	return k
}

func isTrue(b *bool) bool { return b != nil && *b }

// unparsedBody is what the request record keeps of a /byok body that is
// not exactly one JSON object: a JSON string, so that the record still
// reads as JSON, saying what happened.
const unparsedBody = `"[unparsed body not recorded]"`

// withoutProviderKey is what the request record keeps of a body: for
// /byok, the provider key is written only to the store, so the record holds
// it redacted (the placeholder), like the bearer key in the header. Every
// member named "key" in any case, at any depth, is redacted: the gate's
// decoding matches member names case-insensitively, as encoding/json does,
// so "KEY" is the key too. A body that is not exactly one JSON object
// (truncated, trailing data, a BOM, an array) is not recorded at all: what
// in it is a key cannot be told. The path matches in any case, routed or
// not: a key sent to /BYOK is as secret as one sent to /byok.
func withoutProviderKey(path string, body []byte) []byte {
	if !strings.Contains(strings.ToLower(path), "/byok") || len(body) == 0 {
		return body
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber() // numbers recorded as sent
	var fields map[string]any
	if dec.Decode(&fields) != nil || fields == nil || dec.Decode(&struct{}{}) != io.EOF {
		return []byte(unparsedBody)
	}
	redactKeys(fields)
	out, err := json.Marshal(fields)
	if err != nil {
		return []byte(unparsedBody)
	}
	return out
}

// redactKeys replaces, in a decoded JSON value, every member named "key"
// in any case (Unicode folding, as encoding/json matches) with the
// placeholder.
func redactKeys(v any) {
	switch v := v.(type) {
	case map[string]any:
		for name, m := range v {
			if strings.EqualFold(name, "key") {
				v[name] = secret.Placeholder
			} else {
				redactKeys(m)
			}
		}
	case []any:
		for _, e := range v {
			redactKeys(e)
		}
	}
}
