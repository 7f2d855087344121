package main

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/orkeys/orkeys/secret"
)

// sanitize is the one filter for text the CLI prints that it did not write
// itself: names, hashes, labels and messages from the server or another
// user, in tables, detail views, stderr lines, dry-run output and the
// exporter's log. Key-shaped tokens are cut (secret.Scrub), in
// percent-encoded forms too (secret.ScrubURL: a URL quoted in a message),
// and control and bidirectional-override characters become spaces: a tab
// or newline would start a new cell or row, an escape sequence could
// rewrite the screen, an override could reorder what the reader sees.
func sanitize(s string) string {
	s = scrubKeepingLabels(s)
	if strings.Contains(s, "%") {
		s = secret.ScrubURL(s)
	}
	// A stray byte of 0x80-0x9F is an 8-bit control (CSI is 0x9B) to some
	// terminals.
	s = strings.ToValidUTF8(s, "\uFFFD")
	if strings.IndexFunc(s, unsafeRune) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unsafeRune(r) {
			return ' '
		}
		return r
	}, s)
}

// labelRE matches OpenRouter's own short form of a key, its label
// ("sk-or-v1-012...cdef"): a prefix, three characters, "..." and the last
// characters. It shows no secret, so Scrub must not cut it.
var labelRE = regexp.MustCompile(`sk-or-(?:v1|mgmt)-[A-Za-z0-9]{3}\.\.\.[A-Za-z0-9]{0,8}\b`)

// labelMark stands for a label's "..." while Scrub runs: Scrub leaves a
// prefix and three characters followed by "…" as it is.
const labelMark = "…\uE000"

// scrubKeepingLabels is secret.Scrub, with labels kept as they are.
func scrubKeepingLabels(s string) string {
	if !strings.Contains(s, "...") {
		return secret.Scrub(s)
	}
	s = labelRE.ReplaceAllStringFunc(s, func(l string) string { return strings.Replace(l, "...", labelMark, 1) })
	return strings.ReplaceAll(secret.Scrub(s), labelMark, "...")
}

// sanitizeLines is sanitize for text of several lines: newlines stay.
func sanitizeLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = sanitize(l)
	}
	return strings.Join(lines, "\n")
}

// showURL is a URL fit to print: keys cut out in any spelling, raw,
// percent-encoded or partly so, secrets given included.
func showURL(u string, secrets ...string) string {
	return sanitize(secret.ScrubURL(u, secrets...))
}

func unsafeRune(r rune) bool {
	switch {
	case unicode.IsControl(r):
		return true
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0x200E, r == 0x200F:
		return true
	}
	return false
}

// cell is a table or detail value: sanitized, and "-" when empty.
func cell(s string) string {
	if s == "" {
		return none
	}
	return sanitize(s)
}
