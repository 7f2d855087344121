package secret

import "strings"

// The prefixes of OpenRouter API keys. Everything in this package that
// recognises a key accepts both.
const (
	// PrefixV1 starts an ordinary OpenRouter API key.
	PrefixV1 = "sk-or-v1-"
	// PrefixMgmt starts an OpenRouter management key.
	PrefixMgmt = "sk-or-mgmt-"
)

// Placeholder stands for a secret whose shape Redact does not know, or that
// is too short to show any of it.
const Placeholder = "[redacted]"

// keyStart is what both prefixes share; Scrub looks for it first.
const keyStart = "sk-or-"

// Redact shows this many characters of a key's body at the start, and this
// many at the end; a body needs minHidden more for anything to be shown.
const (
	shownHead = 3
	shownTail = 4
	minHidden = 8
)

// Prefix returns the known key prefix s starts with, PrefixV1 or PrefixMgmt,
// or "" when it starts with neither.
func Prefix(s string) string {
	switch {
	case strings.HasPrefix(s, PrefixV1):
		return PrefixV1
	case strings.HasPrefix(s, PrefixMgmt):
		return PrefixMgmt
	}
	return ""
}

// LooksLikeKey reports whether s as a whole has the shape of an OpenRouter
// key: a known prefix followed by at least 16 ASCII letters and digits and
// nothing else. Real keys carry 64 hex digits; 16 leaves room for other
// lengths while rejecting a bare prefix, a placeholder or a redacted form
// (whose "…" is not a letter). Surrounding space is not trimmed.
func LooksLikeKey(s string) bool {
	p := Prefix(s)
	if p == "" {
		return false
	}
	body := s[len(p):]
	if len(body) < 16 {
		return false
	}
	for i := range len(body) {
		if !isAlnum(body[i]) {
			return false
		}
	}
	return true
}

// Redact shortens a key to a form that identifies it to a person without
// revealing it: its prefix and the first three characters after it, an
// ellipsis, and the last four characters, as in "sk-or-v1-d35…855d" or
// "sk-or-mgmt-abc…wxyz". "" stays "". Anything else (no known prefix, fewer
// than 15 characters after the prefix, or any character there other than
// ASCII letters, digits, '-' and '_') becomes Placeholder, since showing part
// of it could show too much.
func Redact(s string) string {
	if s == "" {
		return ""
	}
	p := Prefix(s)
	body := s[len(p):]
	if p == "" || len(body) < shownHead+minHidden+shownTail {
		return Placeholder
	}
	for i := range len(body) {
		// The characters of a key-shaped token (see Scrub) and no others:
		// the shown ends are then whole characters, text that merely starts
		// like a key is not cut up, and the redacted form needs no quoting or
		// escaping wherever Scrub puts it.
		if !isTokenByte(body[i]) {
			return Placeholder
		}
	}
	return p + body[:shownHead] + "…" + body[len(body)-shownTail:]
}

// isAlnum reports whether c is an ASCII letter or digit.
func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}
