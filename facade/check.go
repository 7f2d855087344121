package facade

import (
	"github.com/oapi-codegen/nullable"

	"github.com/orkeys/orkeys/internal/rules"
)

// Input checks run before anything is sent, with the rules the fake and the
// CLI apply too (internal/rules). Each error names the field and matches
// ErrInvalidInput.

func checkList(r ListRequest) error {
	if r.Offset != nil && *r.Offset < 0 {
		return refusef("ListRequest.Offset", "ListRequest.Offset %d: must not be negative", *r.Offset)
	}
	if r.WorkspaceID != nil {
		if err := rules.UUID(*r.WorkspaceID); err != nil {
			return refusef("ListRequest.WorkspaceID", "ListRequest.WorkspaceID %v", err)
		}
	}
	return nil
}

// checkHash checks a request's Hash; setting names the field
// ("GetKeyRequest.Hash").
func checkHash(setting, h string) error {
	if err := rules.Hash(h); err != nil {
		return refusef(setting, "%v", err)
	}
	return nil
}

// checkCreate checks b, a copy of the caller's body, puts ExpiresAt in UTC
// (the API accepts UTC only, and the same instant is what was meant) and
// makes a limit of -0 plain 0.
func checkCreate(b *CreateKeysRequestBody) error {
	if err := rules.Name(b.Name); err != nil {
		return refusef("CreateKeysRequestBody.Name", "CreateKeysRequestBody.Name %v", err)
	}
	if b.Limit != nil {
		if err := rules.Limit(*b.Limit); err != nil {
			return refusef("CreateKeysRequestBody.Limit", "CreateKeysRequestBody.Limit %v", err)
		}
		// A new pointer: the old one is the caller's.
		b.Limit = Ptr(rules.PlainZero(*b.Limit))
	}
	if b.LimitReset != nil {
		if err := rules.LimitReset(string(*b.LimitReset)); err != nil {
			return refusef("CreateKeysRequestBody.LimitReset", "CreateKeysRequestBody.LimitReset %v", err)
		}
	}
	if err := rules.ResetNeedsLimit(b.LimitReset != nil, b.Limit != nil); err != nil {
		return refusef("CreateKeysRequestBody.LimitReset", "CreateKeysRequestBody.LimitReset is set without a Limit: %v", err)
	}
	if b.CreatorUserID != nil && *b.CreatorUserID == "" {
		return refuse("CreateKeysRequestBody.CreatorUserID", "CreateKeysRequestBody.CreatorUserID must not be empty (leave it nil instead)")
	}
	if b.WorkspaceID != nil {
		if err := rules.UUID(*b.WorkspaceID); err != nil {
			return refusef("CreateKeysRequestBody.WorkspaceID", "CreateKeysRequestBody.WorkspaceID %v", err)
		}
	}
	if e := b.External; e != nil {
		if e.User == "" {
			return refuse("CreateKeysRequestBody.External.User", "CreateKeysRequestBody.External.User must not be empty (leave External nil instead)")
		}
		if e.APIKey != nil {
			if err := rules.ExternalAPIKey(*e.APIKey); err != nil {
				return refusef("CreateKeysRequestBody.External.APIKey", "CreateKeysRequestBody.External.APIKey %v", err)
			}
		}
	}
	if b.ExpiresAt != nil {
		if b.ExpiresAt.IsZero() {
			return refuse("CreateKeysRequestBody.ExpiresAt", "CreateKeysRequestBody.ExpiresAt is the zero time (leave it nil for no expiry)")
		}
		b.ExpiresAt = Ptr(b.ExpiresAt.UTC())
	}
	return nil
}

// checkUpdate checks b, a copy of the caller's body, and makes a limit of
// -0 plain 0.
func checkUpdate(b *UpdateKeysRequestBody) error {
	if b.Name != nil {
		if err := rules.Name(*b.Name); err != nil {
			return refusef("UpdateKeysRequestBody.Name", "UpdateKeysRequestBody.Name %v (leave it nil to keep the name)", err)
		}
	}
	if v, err := b.Limit.Get(); err == nil {
		if err := rules.Limit(v); err != nil {
			return refusef("UpdateKeysRequestBody.Limit", "UpdateKeysRequestBody.Limit %v", err)
		}
		// A new value: Nullable is a map, shared with the caller's.
		b.Limit = Value(rules.PlainZero(v))
	}
	if v, err := b.LimitReset.Get(); err == nil {
		if err := rules.LimitReset(string(v)); err != nil {
			return refusef("UpdateKeysRequestBody.LimitReset", "UpdateKeysRequestBody.LimitReset %v", err)
		}
		if err := rules.ResetNeedsLimit(true, !b.Limit.IsNull()); err != nil {
			return refusef("UpdateKeysRequestBody.LimitReset", "UpdateKeysRequestBody.LimitReset is set while Limit is null: %v", err)
		}
	}
	if isEmptyUpdate(b) {
		return refuse("UpdateKeysRequestBody", "UpdateKeysRequestBody changes nothing: set at least one field")
	}
	return nil
}

// isEmptyUpdate reports whether b would send {}.
func isEmptyUpdate(b *UpdateKeysRequestBody) bool {
	return b.Name == nil && b.Disabled == nil && b.IncludeByokInLimit == nil &&
		!b.Limit.IsSpecified() && !b.LimitReset.IsSpecified()
}

// Ptr returns a pointer to v, for the optional fields of requests:
//
//	facade.CreateKeysRequestBody{Name: "ci", Limit: facade.Ptr(25.0)}
func Ptr[T any](v T) *T { return &v }

// Nullable is a request field that tells "leave alone" (the zero value, not
// sent), "clear" (Null) and "set" (Value) apart, as PATCH needs. It is
// oapi-codegen's nullable type, named here so that callers need not import it.
type Nullable[T any] = nullable.Nullable[T]

// Value returns a Nullable set to v.
func Value[T any](v T) Nullable[T] { return nullable.NewNullableWithValue(v) }

// Null returns a Nullable set to JSON null, which clears the field.
func Null[T any]() Nullable[T] { return nullable.NewNullNullable[T]() }
