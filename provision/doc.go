// Package provision converges OpenRouter keys, guardrails and workspaces
// on a declared desired state, safely enough to run from cron or CI with
// no operator: every ambiguity a run leaves (a lost create answer, a crash
// between create and delivery, a failed delivery) is resolved by the next
// run, and no plaintext is ever kept anywhere but its receiver.
//
// The engine works on Go values:
//
//	desired := &provision.Desired{Version: 1, Keys: map[string]provision.Key{
//		"customer-42": {Name: "customer-42", Limit: &limit},
//	}}
//	backend := provision.NewFacadeBackend(client)
//	plan, err := provision.ComputePlan(ctx, backend, desired, state)
//	result, err := provision.Apply(ctx, backend, plan,
//		provision.WithDeliver(storeInVault), provision.WithSave(saveState))
//
// The file format (LoadFile, Schema) and the JSON state file
// (OpenStateFile) are one way to load and store those values.
//
// # Identity
//
// An address (a map key of Desired) is the caller's name for a resource.
// State binds each address to an immutable id: a key's hash, a guardrail's
// or workspace's UUID. Names are mutable and never identify anything,
// except to find orphans of a journaled create.
//
// # Plans
//
// ComputePlan is read-only. Each Change says what Apply would do about one
// resource: Create, Update (field by field, old → new, with Drift set for
// out-of-band changes), NoOp, Replace and Repair (the journal at work),
// Recreate or Missing (deleted out of band; a key is recreated only
// WithRecreateMissing, since its consumers hold a dead secret), and
// Unmanaged (bound but gone from the desired state: left alone, not
// pending, unless WithPrune). Comparison is semantic: a null limit equals
// an absent one, timestamps compare as instants, model lists as sets.
//
// # Unattended safety
//
// Before each key create an Intent (address, name, workspace, start time)
// is saved. Once the key is made it is bound, marked undelivered, and the
// intent dropped, in one save; after its plaintext reaches its receiver it
// is marked delivered. So the next run finds every leftover:
//   - an intent without a binding: any key of that name in that
//     workspace, made since the intent's start and bound to no address, is
//     an orphan whose plaintext no one has; it is deleted (Repair) and the
//     key made again;
//   - a binding marked undelivered: the key is deleted and a fresh one made
//     and delivered (Replace).
//
// The orphan rule trusts that no one else makes keys of these names in
// these workspaces while an intent is open: keep one state per set of
// names, and let the API's clock and this machine's agree (or widen the
// rule WithClockSkew).
//
// Workspace and guardrail creates are journaled too; what a lost one made
// holds no secret, so the next run adopts it (Adopt) rather than failing
// on a taken slug or making a second guardrail.
//
// After any sequence of crashes, lost answers and failed deliveries, a run
// that converges leaves exactly one live key per address, and that key's
// plaintext has reached its receiver exactly once.
//
// # Receivers
//
// A new key's plaintext goes to WithDeliver's function, or else to the
// key's Deliver: a file (mode 0600, written atomically, refused in a
// group- or world-writable folder, or below one without the sticky bit,
// before the key is made), a shell command
// (the plaintext on stdin only; it must exit 0), or Result.Keys (stdout),
// delivered once the caller has printed them and called
// Result.MarkDelivered.
package provision
