package secret

import "strings"

// URLPlaceholder stands for the part of a URL that spelled a key in an
// escaped form that cannot be cut out cleanly.
const URLPlaceholder = "(not shown: it holds an escaped key)"

// maxURLDecodes bounds how many layers of percent-encoding ScrubURL looks
// through (a URL quoted inside a query parameter is two).
const maxURLDecodes = 4

// ScrubURL returns a URL, or any text that may hold one (a Location header,
// an error quoting a request), fit to show: Scrub's cuts, and also keys
// spelled with percent-escapes ("/%73k-or-v1-…"), including where other
// escapes in the text are malformed ("%zz"), where the escapes are nested,
// and where they are themselves JSON-escaped ("\u002573k-or-v1-…"). Each
// form is decoded leniently: every valid %XX, and every JSON escape of an
// ASCII character, is decoded and every other byte kept. When a decoded form still spells a key or one of
// secrets, the word that spells it (a stretch between spaces and quotes,
// such as one URL quoted in an error) is cut: from the first byte of its
// path, query or fragment on, it is replaced by URLPlaceholder, since the
// escaped stretch cannot be told apart reliably; the scheme and host, which
// name the server, stay, and so does the text around the word.
//
// The result never contains a secret or a key-shaped token, neither as it
// is nor after any number of lenient percent-decodings: past 4 layers, the
// path and what follows are replaced whatever they hold.
func ScrubURL(s string, secrets ...string) string {
	s = Scrub(s, secrets...)
	if !strings.ContainsAny(s, `%\`) || !escapesSecret(s, secrets) {
		return s
	}
	if cut := cutWords(s, secrets); !escapesSecret(cut, secrets) {
		return cut
	}
	// A secret with a space or quote in it, spelled across words.
	return cutFromPath(s)
}

// escapesSecret reports whether a lenient decoding of s, after Scrub has
// passed it, spells a key or one of secrets, or whether s is escaped deeper
// than ScrubURL looks.
func escapesSecret(s string, secrets []string) bool {
	d := s
	for range maxURLDecodes {
		next := lenientUnescape(jsonUnescapeASCII(d))
		if next == d {
			return false
		}
		if Scrub(next, secrets...) != next {
			return true
		}
		d = next
	}
	// Nested deeper than ScrubURL looks: it cannot vouch for the rest.
	return lenientUnescape(jsonUnescapeASCII(d)) != d
}

// cutWords applies cutFromPath to each word of s that escapesSecret, a word
// being a stretch without spaces, quotes or control characters: decoding
// changes only %XX within a word, so a key cannot spell itself across one.
func cutWords(s string, secrets []string) string {
	var b strings.Builder
	for len(s) > 0 {
		i := strings.IndexFunc(s, isWordRune)
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		s = s[i:]
		j := strings.IndexFunc(s, func(r rune) bool { return !isWordRune(r) })
		if j < 0 {
			j = len(s)
		}
		if w := s[:j]; strings.ContainsAny(w, `%\`) && escapesSecret(w, secrets) {
			b.WriteString(cutFromPath(w))
		} else {
			b.WriteString(w)
		}
		s = s[j:]
	}
	return b.String()
}

func isWordRune(r rune) bool {
	return r > ' ' && r != '"' && r != '\'' && r != '`' && r != 0x7f
}

// cutFromPath keeps scheme and authority ("https://host:port") and
// replaces the rest with URLPlaceholder; text that is not a URL is
// replaced whole.
func cutFromPath(s string) string {
	if i := strings.Index(s, "://"); i > 0 && !strings.ContainsAny(s[:i], "/?#%") {
		rest := s[i+3:]
		if j := strings.IndexAny(rest, "/?#"); j >= 0 && !strings.Contains(rest[:j], "%") {
			return s[:i+3+j] + "/" + URLPlaceholder
		}
	}
	return URLPlaceholder
}

// lenientUnescape decodes every valid %XX escape of s and keeps every other
// byte, malformed escapes included, where url.PathUnescape gives up on the
// whole string.
func lenientUnescape(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// jsonUnescapeASCII decodes the JSON escapes of s that stand for an ASCII
// character (\u0025, \/, \\) and keeps every other byte. A key is ASCII,
// so these are the escapes that can hide one, or a % that spells one.
func jsonUnescapeASCII(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			switch c := s[i+1]; {
			case c == '\\' || c == '/':
				b.WriteByte(c)
				i++
				continue
			case c == 'u' && i+5 < len(s) && s[i+2] == '0' && s[i+3] == '0' && isHex(s[i+4]) && isHex(s[i+5]) && s[i+4] < '8':
				b.WriteByte(unhex(s[i+4])<<4 | unhex(s[i+5]))
				i += 5
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}
