package fake

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// describe turns a request validation error into one line that names every
// problem, such as
//
//	invalid request body: limit: number must be at least 0; name: value is required but missing
//
// kin-openapi's own text spans many lines and quotes whole schemas.
func describe(err error) string {
	var parts []string
	collect(err, &parts)
	parts = slices.Compact(parts)
	if len(parts) == 0 {
		return oneLine(err.Error())
	}
	return strings.Join(parts, "; ")
}

func collect(err error, out *[]string) {
	// A type switch, not errors.As: a RequestError unwraps to a MultiError
	// of its own, which must not lose the RequestError's framing.
	if me, ok := err.(openapi3.MultiError); ok {
		for _, e := range me {
			collect(e, out)
		}
		return
	}
	var re *openapi3filter.RequestError
	if !errors.As(err, &re) {
		*out = append(*out, oneLine(err.Error()))
		return
	}
	var where string
	switch {
	case re.Parameter != nil:
		where = fmt.Sprintf("invalid %s parameter %s", re.Parameter.In, re.Parameter.Name)
	case re.RequestBody != nil:
		where = "invalid request body"
	default:
		*out = append(*out, oneLine(re.Error()))
		return
	}
	leaves := schemaLeaves(re.Err)
	if len(leaves) == 0 {
		*out = append(*out, where+": "+requestReason(re))
		return
	}
	reasons := make([]string, len(leaves))
	for i, se := range leaves {
		reasons[i] = schemaReason(se)
	}
	*out = append(*out, where+": "+strings.Join(reasons, "; "))
}

// requestReason is a RequestError's text without the "parameter … has an
// error" framing, which describe replaces with its own.
func requestReason(re *openapi3filter.RequestError) string {
	reason := re.Reason
	if re.Err != nil {
		if e := re.Err.Error(); reason == "" || reason == e {
			reason = e
		} else {
			reason += ": " + e
		}
	}
	return oneLine(reason)
}

// schemaLeaves flattens err into the innermost schema errors, which carry
// the path of the value that failed.
func schemaLeaves(err error) []*openapi3.SchemaError {
	if err == nil {
		return nil
	}
	var me openapi3.MultiError
	if errors.As(err, &me) {
		var all []*openapi3.SchemaError
		for _, e := range me {
			all = append(all, schemaLeaves(e)...)
		}
		return all
	}
	var se *openapi3.SchemaError
	if !errors.As(err, &se) {
		return nil
	}
	// A oneOf/anyOf failure or a JSON Schema 2020 wrapper holds its causes in
	// Origin; the enclosing error says best which value failed, unless the
	// causes point deeper.
	if se.Origin != nil {
		if inner := schemaLeaves(se.Origin); len(inner) > 0 && len(inner[0].JSONPointer()) > len(se.JSONPointer()) {
			return inner
		}
	}
	return []*openapi3.SchemaError{se}
}

// schemaReason says "field: what is wrong", with allowed values spelled out
// for enums, and without the regular expressions kin-openapi quotes.
func schemaReason(se *openapi3.SchemaError) string {
	field := strings.Join(se.JSONPointer(), ".")
	reason := se.Reason
	// The JSON Schema 2020 validator repeats the path: `error at "/x": `, `at '': `.
	if _, after, ok := strings.Cut(reason, `": `); ok && strings.HasPrefix(reason, `error at "`) {
		reason = after
	}
	if _, after, ok := strings.Cut(reason, `': `); ok && strings.HasPrefix(reason, `at '`) {
		reason = after
	}
	for _, sep := range []string{": string doesn't match pattern", " (string doesn't match pattern"} {
		if head, _, ok := strings.Cut(reason, sep); ok {
			reason = head
		}
	}
	if allowed := allowedValues(se.Schema); len(allowed) > 0 && (se.SchemaField == "enum" || se.SchemaField == "anyOf" || se.SchemaField == "oneOf") {
		reason = "must be one of " + strings.Join(allowed, ", ")
	}
	reason = oneLine(reason)
	if field == "" {
		return reason
	}
	return field + ": " + reason
}

// allowedValues lists the enum members a schema accepts, "null" included,
// looking through anyOf/oneOf branches; nil when it is not an enum.
func allowedValues(s *openapi3.Schema) []string {
	if s == nil {
		return nil
	}
	var out []string
	for _, v := range s.Enum {
		out = append(out, fmt.Sprint(v))
	}
	branches := append(slices.Clone(s.AnyOf), s.OneOf...)
	for _, b := range branches {
		if b == nil || b.Value == nil {
			continue
		}
		sub := allowedValues(b.Value)
		if len(sub) == 0 {
			if b.Value.Type != nil && b.Value.Type.Is("null") {
				sub = []string{"null"}
			} else {
				return nil // a branch that is no enum: not an enum overall
			}
		}
		out = append(out, sub...)
	}
	if s.Type != nil && s.Type.Includes("null") && len(out) > 0 && !slices.Contains(out, "null") {
		out = append(out, "null")
	}
	return out
}

// oneLine folds runs of whitespace, newlines included, into single spaces.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
