package fake

import (
	"errors"
	"fmt"
	"regexp"
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
		if _, ok := errors.AsType[*openapi3filter.ParseError](re.Err); ok {
			// kin-openapi's parse errors name its own internals ("schema
			// has non primitive type null" for an integer that is not one);
			// the parameter's type says what was wanted.
			if want := wantType(re.Parameter.Schema); want != "" {
				*out = append(*out, where+": must be "+want)
				return
			}
		}
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
	return plain(oneLine(reason))
}

// rewrites put kin-openapi's wording, which varies between its validators
// and has slips ("Value is not nullable", Go type names, a format error
// that repeats the format's own message), into the fake's: "must …".
var rewrites = []struct {
	re *regexp.Regexp
	to string
}{
	{regexp.MustCompile(`^minimum string length is 1$`), "must not be empty"},
	{regexp.MustCompile(`^minimum string length is (\d+)$`), "must be at least $1 characters"},
	{regexp.MustCompile(`^maximum string length is (\d+)$`), "must be at most $1 characters"},
	{regexp.MustCompile(`^property "[^"]*" is missing$`), "is required"},
	{regexp.MustCompile(`(?i)^value is not nullable$`), "must not be null"},
	{regexp.MustCompile(`^string doesn't match the format "uuid" \((.+)\)$`), "$1"},
	{regexp.MustCompile(`^string doesn't match the format "date-time".*$`), "must be a date-time such as 2026-01-31T12:00:00Z"},
	{regexp.MustCompile(`^string doesn't match the format "([^"]+)".*$`), "must be a valid $1"},
	{regexp.MustCompile(`^cannot convert json\.Number to float64$`), "must be a finite number"},
	{regexp.MustCompile(`^(?:doesn't match schema: )?failed to decode request body.*$`), "not valid JSON"},
	{regexp.MustCompile(`^(?:doesn't match schema: )?value is required but missing$`), "a JSON body is required"},
	{regexp.MustCompile(`^value must be a boolean$`), "must be true or false"},
	{regexp.MustCompile(`^(?:value|number|string|integer) must be (.+)$`), "must be $1"},
}

// typeNames spells JSON types in a sentence.
var typeNames = map[string]string{
	"number": "a number", "integer": "an integer", "string": "a string",
	"boolean": "true or false", "object": "an object", "array": "an array", "null": "null",
}

// plain rewrites one reason (see rewrites).
func plain(reason string) string {
	if list, ok := strings.CutPrefix(reason, "value must be one of "); ok {
		// A type list ("number, null"), not an enum (which schemaReason
		// spells itself).
		var names []string
		for _, t := range strings.Split(list, ", ") {
			n, ok := typeNames[t]
			if !ok {
				names = nil
				break
			}
			names = append(names, n)
		}
		if len(names) > 0 {
			return "must be " + strings.Join(names, " or ")
		}
	}
	for _, r := range rewrites {
		if r.re.MatchString(reason) {
			return r.re.ReplaceAllString(reason, r.to)
		}
	}
	return reason
}

// wantType says what a parameter's schema wants, "" when that is not one
// plain type (and null).
func wantType(ref *openapi3.SchemaRef) string {
	if ref == nil || ref.Value == nil || ref.Value.Type == nil {
		return ""
	}
	var want string
	for _, t := range ref.Value.Type.Slice() {
		if t == "null" {
			continue
		}
		if want != "" {
			return ""
		}
		want = typeNames[t]
	}
	return want
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
	reason = plain(oneLine(reason))
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
		if v == nil {
			out = append(out, "null") // fmt would say <nil>
			continue
		}
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
	return slices.Compact(out)
}

// oneLine folds runs of whitespace, newlines included, into single spaces.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
