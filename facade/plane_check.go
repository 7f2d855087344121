package facade

import (
	"encoding/json"
	"maps"
	"slices"

	"github.com/orkeys/orkeys/internal/rules"
)

// Input checks of the management plane, before anything is sent, with the
// rules the fake applies too (internal/rules). setting names the field
// ("GetGuardrailRequest.ID"), as for keys.

func checkGuardrailID(setting, id string) error {
	if err := rules.UUID(id); err != nil {
		return refusef(setting, "%s %v", setting, err)
	}
	return nil
}

func checkWorkspaceRef(setting, ref string) error {
	if err := rules.WorkspaceRef(ref); err != nil {
		return refusef(setting, "%s %v", setting, err)
	}
	return nil
}

func checkBudgetInterval(setting string, i WorkspaceBudgetInterval) error {
	if err := rules.BudgetInterval(string(i)); err != nil {
		return refusef(setting, "%s %v", setting, err)
	}
	return nil
}

// checkPage checks a list's offset and limit (nil: the API's default).
func checkPage(setting string, offset, limit *int) error {
	if offset != nil && *offset < 0 {
		return refusef(setting+".Offset", "%s.Offset %d: must not be negative", setting, *offset)
	}
	if limit != nil && (*limit < 1 || *limit > PlanePageSize) {
		return refusef(setting+".Limit", "%s.Limit %d: want 1 to %d", setting, *limit, PlanePageSize)
	}
	return nil
}

func checkIDs(setting string, ids []string, most int) error {
	if err := rules.IDList(ids, most); err != nil {
		return refusef(setting, "%s: %v", setting, err)
	}
	return nil
}

// checkOptionalUUID checks an optional workspace id of a body or query.
func checkOptionalUUID(setting string, id *string) error {
	if id == nil {
		return nil
	}
	return checkGuardrailID(setting, *id)
}

// nonEmptyLists refuses a list sent empty: the API wants at least one entry
// or no list (nil, or Null on an update).
func nonEmptyLists(setting string, lists map[string]int) error {
	for _, name := range slices.Sorted(maps.Keys(lists)) {
		if lists[name] == 0 {
			return refusef(setting+"."+name, "%s.%s is empty: leave it out (or clear it with Null on an update)", setting, name)
		}
	}
	return nil
}

func checkCreateGuardrail(b *CreateGuardrailRequestBody) error {
	const s = "CreateGuardrailRequestBody"
	if err := rules.Name(b.Name); err != nil {
		return refusef(s+".Name", "%s.Name %v", s, err)
	}
	if err := checkOptionalUUID(s+".WorkspaceID", b.WorkspaceID); err != nil {
		return err
	}
	var reset *string
	if b.ResetInterval != nil {
		reset = Ptr(string(*b.ResetInterval))
	}
	if err := rules.GuardrailLimit(b.LimitUsd, reset); err != nil {
		return refusef(s+".LimitUsd", "%s: %v", s, err)
	}
	if b.LimitUsd != nil {
		b.LimitUsd = Ptr(rules.PlainZero(*b.LimitUsd))
	}
	lists := map[string]int{}
	for name, l := range map[string]*[]string{"AllowedModels": b.AllowedModels, "IgnoredModels": b.IgnoredModels,
		"AllowedProviders": b.AllowedProviders, "IgnoredProviders": b.IgnoredProviders} {
		if l != nil {
			lists[name] = len(*l)
		}
	}
	return nonEmptyLists(s, lists)
}

// checkUpdateGuardrail checks what it can without the stored guardrail: a
// limit set while the reset interval is cleared breaks the rule that a
// limit needs one (a limit set alone may meet one already stored).
func checkUpdateGuardrail(b *UpdateGuardrailRequestBody) error {
	const s = "UpdateGuardrailRequestBody"
	if b.Name != nil {
		if err := rules.Name(*b.Name); err != nil {
			return refusef(s+".Name", "%s.Name %v (leave it nil to keep the name)", s, err)
		}
	}
	if v, err := b.LimitUsd.Get(); err == nil {
		if err := rules.Limit(v); err != nil {
			return refusef(s+".LimitUsd", "%s.LimitUsd %v", s, err)
		}
		if b.ResetInterval.IsNull() {
			return refuse(s+".ResetInterval", s+": a LimitUsd needs a ResetInterval; it cannot be cleared while a limit is set")
		}
		b.LimitUsd = Value(rules.PlainZero(v)) // a new map: the old one is the caller's
	}
	if v, err := b.ResetInterval.Get(); err == nil {
		if err := rules.LimitReset(string(v)); err != nil {
			return refusef(s+".ResetInterval", "%s.ResetInterval %v", s, err)
		}
	}
	lists := map[string]int{}
	for name, l := range map[string]Nullable[[]string]{"AllowedModels": b.AllowedModels, "IgnoredModels": b.IgnoredModels,
		"AllowedProviders": b.AllowedProviders, "IgnoredProviders": b.IgnoredProviders} {
		if v, err := l.Get(); err == nil {
			lists[name] = len(v)
		}
	}
	if err := nonEmptyLists(s, lists); err != nil {
		return err
	}
	return refuseEmptyPatch(s, b)
}

// refuseEmptyPatch refuses a PATCH body that would send {}: it would change
// nothing, and is most likely a mistake.
func refuseEmptyPatch(setting string, body any) error {
	raw, err := json.Marshal(body)
	if err != nil {
		return refusef(setting, "%s: %v", setting, err)
	}
	if string(raw) == "{}" {
		return refuse(setting, setting+" changes nothing: set at least one field")
	}
	return nil
}

func checkCreateWorkspace(b *CreateWorkspaceRequestBody) error {
	const s = "CreateWorkspaceRequestBody"
	if err := rules.Name(b.Name); err != nil {
		return refusef(s+".Name", "%s.Name %v", s, err)
	}
	if err := rules.Slug(b.Slug); err != nil {
		return refusef(s+".Slug", "%s.Slug %v", s, err)
	}
	return nil
}

func checkUpdateWorkspace(b *UpdateWorkspaceRequestBody) error {
	const s = "UpdateWorkspaceRequestBody"
	if b.Name != nil {
		if err := rules.Name(*b.Name); err != nil {
			return refusef(s+".Name", "%s.Name %v (leave it nil to keep the name)", s, err)
		}
	}
	if b.Slug != nil {
		if err := rules.Slug(*b.Slug); err != nil {
			return refusef(s+".Slug", "%s.Slug %v", s, err)
		}
	}
	return refuseEmptyPatch(s, b)
}

func checkBudget(r UpsertWorkspaceBudgetRequest) error {
	if err := checkWorkspaceRef("UpsertWorkspaceBudgetRequest.ID", r.ID); err != nil {
		return err
	}
	if err := checkBudgetInterval("UpsertWorkspaceBudgetRequest.Interval", r.Interval); err != nil {
		return err
	}
	if err := rules.BudgetLimit(r.RequestBody.LimitUsd); err != nil {
		return refusef("UpsertWorkspaceBudgetRequestBody.LimitUsd", "UpsertWorkspaceBudgetRequestBody.LimitUsd %v", err)
	}
	return nil
}
