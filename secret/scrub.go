package secret

import (
	"cmp"
	"maps"
	"net/http"
	"slices"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// maxDepth bounds how many nested layers of JSON string escaping Scrub
// looks through (a JSON document quoted inside a JSON string is two). Text
// that still decodes further after that many is replaced whole, because
// Scrub cannot vouch for it.
const maxDepth = 8

// maxPasses bounds how often Scrub re-examines its own output. A second
// pass only confirms the first, except in contrived text where a redacted
// form and its neighbours join into a new match.
const maxPasses = 3

// Scrub returns text with secrets cut out, for showing text the program did
// not write itself, such as an error body or header a server echoed:
//
//   - every occurrence of a non-empty secret is replaced by Redact(secret);
//   - every key-shaped token is replaced by its Redact form. A token is a
//     known prefix (PrefixV1, PrefixMgmt) followed by one or more of
//     [A-Za-z0-9_-]. This is wider than LooksLikeKey on purpose: a token
//     that only resembles a key is still cut out. A redacted form, a prefix
//     and three characters followed by "…", is left as it is;
//   - both also when the text spells them with JSON string escapes
//     ("\u0073k-or-v1-…", "\/", surrogate pairs, any mix of escaped and
//     plain characters), through up to 8 nested layers of escaping. Only the
//     stretch of raw text that spells a secret is replaced, so the escapes
//     around it survive and a JSON document stays valid JSON.
//
// The result never contains a given secret, neither as it is nor after
// decoding JSON escapes. Where that cannot be ensured (escaping nested deeper
// than 8 layers, or contrived text that keeps producing new matches) the
// whole result is Placeholder, or "" if a secret occurs within Placeholder.
//
// Text without a backslash, without "sk-or-" and without any of the secrets
// is returned as it is, without allocating.
func Scrub(text string, secrets ...string) string {
	out, _ := scrub(text, secrets)
	return out
}

// ScrubBytes is Scrub for a byte slice. It returns b itself when nothing had
// to be cut out, and otherwise a new slice; b is never modified.
func ScrubBytes(b []byte, secrets ...string) []byte {
	if len(b) == 0 {
		return b
	}
	// Read b as a string without copying it. scrub only reads its input and
	// builds any result in fresh memory, so nothing returned aliases b.
	out, changed := scrub(unsafe.String(unsafe.SliceData(b), len(b)), secrets)
	if !changed {
		return b
	}
	return []byte(out)
}

// ScrubHeader returns a copy of h with every name and value passed through
// Scrub. A name that held a secret is renamed to its scrubbed form; when two
// names scrub to the same one, their values are merged in the order of the
// original names. The copy is always a new map (nil stays nil), so the
// caller may keep or change it without touching h.
func ScrubHeader(h http.Header, secrets ...string) http.Header {
	if h == nil {
		return nil
	}
	out := make(http.Header, len(h))
	// Sorted so that merged values come out in the same order every time.
	for _, name := range slices.Sorted(maps.Keys(h)) {
		vs := h[name]
		var clean []string
		if vs != nil {
			clean = make([]string, len(vs))
			for i, v := range vs {
				clean[i] = Scrub(v, secrets...)
			}
		}
		to := scrubName(name, secrets)
		if prev, ok := out[to]; ok {
			out[to] = append(prev, clean...)
		} else {
			out[to] = clean
		}
	}
	return out
}

// scrubName scrubs a header name. Names are case-insensitive, and net/http
// canonicalises those it receives ("X-Sk-Or-V1-…"), so a key in a name is
// looked for in lower case, where both the key's prefix and its letters
// compare as sent.
func scrubName(name string, secrets []string) string {
	if to := Scrub(name, secrets...); to != name {
		return to
	}
	lower := strings.ToLower(name)
	lowered := make([]string, len(secrets))
	for i, s := range secrets {
		lowered[i] = strings.ToLower(s)
	}
	if to := Scrub(lower, lowered...); to != lower {
		return http.CanonicalHeaderKey(to)
	}
	return name
}

// scrub implements Scrub and reports whether the result differs from text.
func scrub(text string, secrets []string) (string, bool) {
	if !suspicious(text, secrets) {
		return text, false
	}
	out, changed := text, false
	// Each pass after a change re-examines the result, which is what
	// guarantees it is clean.
	for range maxPasses {
		spans, ok := collect(out, secrets)
		if !ok {
			return fallback(secrets), true
		}
		if len(spans) == 0 {
			return out, changed
		}
		out, changed = replace(out, spans), true
	}
	if spans, ok := collect(out, secrets); ok && len(spans) == 0 {
		return out, true
	}
	return fallback(secrets), true
}

// suspicious reports whether text could hold anything Scrub replaces. Only
// text that passes this cheap test is examined further.
func suspicious(text string, secrets []string) bool {
	if strings.IndexByte(text, '\\') >= 0 || strings.Contains(text, keyStart) {
		return true
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(text, s) {
			return true
		}
	}
	return false
}

// fallback is the result when Scrub cannot vouch for anything better.
func fallback(secrets []string) string {
	for _, s := range secrets {
		if s != "" && strings.Contains(Placeholder, s) {
			return ""
		}
	}
	return Placeholder
}

// span is a stretch of the raw text to replace.
type span struct {
	lo, hi int // byte offsets in the raw text, hi exclusive
	repl   string
}

// collect returns the spans of raw text that spell a secret or a key-shaped
// token, as they are or through layers of JSON escaping. It reports false
// when the escaping nests deeper than maxDepth.
func collect(s string, secrets []string) ([]span, bool) {
	var spans []span
	find(s, secrets, func(lo, hi int) {
		spans = append(spans, span{lo, hi, Redact(s[lo:hi])})
	})
	if strings.IndexByte(s, '\\') < 0 {
		return spans, true
	}

	// Decode the layers without tracking positions first: escaped text that
	// hides nothing, the usual case, never needs them.
	depth, hidden := 0, false
	for cur := s; ; {
		next, changed := unescape(cur, nil, false)
		if !changed {
			break
		}
		if depth == maxDepth {
			return nil, false
		}
		depth++
		if !hidden && matches(next.s, secrets) {
			hidden = true
		}
		cur = next.s
	}
	if !hidden {
		return spans, true
	}

	// Decode again, now mapping every decoded byte back to the raw bytes
	// that spell it, and collect the matches of every layer in raw terms.
	cur := decoded{s: s}
	for range depth {
		next, _ := unescape(cur.s, &cur, true)
		find(next.s, secrets, func(lo, hi int) {
			rlo, _ := next.raw(lo)
			_, rhi := next.raw(hi - 1)
			spans = append(spans, span{rlo, rhi, Redact(next.s[lo:hi])})
		})
		cur = next
	}
	return spans, true
}

// matches reports whether find would find anything in s.
func matches(s string, secrets []string) bool {
	for _, sec := range secrets {
		if sec != "" && strings.Contains(s, sec) {
			return true
		}
	}
	found := false
	tokens(s, func(int, int) { found = true })
	return found
}

// find calls fn with the byte range of every occurrence of a non-empty
// secret and of every key-shaped token in s. Occurrences of a secret that
// overlap or touch are reported as one range, which covers them all.
func find(s string, secrets []string, fn func(lo, hi int)) {
	for _, sec := range secrets {
		if sec == "" {
			continue
		}
		lo, hi := -1, -1 // the run of occurrences so far
		for i := 0; ; {
			j := strings.Index(s[i:], sec)
			if j < 0 {
				break
			}
			at := i + j
			if at > hi {
				if lo >= 0 {
					fn(lo, hi)
				}
				lo = at
			}
			hi = at + len(sec)
			// One byte on, not past the match: an overlapping occurrence
			// must be cut out as well.
			i = at + 1
		}
		if lo >= 0 {
			fn(lo, hi)
		}
	}
	tokens(s, fn)
}

// tokens calls fn with the byte range of every key-shaped token in s, except
// redacted forms.
func tokens(s string, fn func(lo, hi int)) {
	for i := 0; ; {
		j := strings.Index(s[i:], keyStart)
		if j < 0 {
			return
		}
		lo := i + j
		p := Prefix(s[lo:])
		if p == "" {
			i = lo + len(keyStart)
			continue
		}
		hi := lo + len(p)
		for hi < len(s) && isTokenByte(s[hi]) {
			hi++
		}
		switch n := hi - lo - len(p); {
		case n == 0:
		case n == shownHead && strings.HasPrefix(s[hi:], "…"):
			// Already redacted: what it shows is meant to be seen.
		default:
			fn(lo, hi)
		}
		i = hi
	}
}

// isTokenByte reports whether c may follow a prefix in a key-shaped token.
func isTokenByte(c byte) bool { return isAlnum(c) || c == '_' || c == '-' }

// replace returns s with the spans replaced. Spans may overlap: one inside
// another gives way to the outer one, and spans that only partly overlap are
// replaced together by Placeholder, since neither's redacted form describes
// the union.
func replace(s string, spans []span) string {
	slices.SortFunc(spans, func(a, b span) int {
		return cmp.Or(cmp.Compare(a.lo, b.lo), cmp.Compare(b.hi, a.hi))
	})
	var b strings.Builder
	b.Grow(len(s))
	last := 0
	cur := spans[0]
	for _, sp := range spans[1:] {
		switch {
		case sp.lo >= cur.hi:
			b.WriteString(s[last:cur.lo])
			b.WriteString(cur.repl)
			last, cur = cur.hi, sp
		case sp.hi <= cur.hi:
			// Inside cur, or the same match found in another layer.
		default:
			cur.hi, cur.repl = sp.hi, Placeholder
		}
	}
	b.WriteString(s[last:cur.lo])
	b.WriteString(cur.repl)
	b.WriteString(s[cur.hi:])
	return b.String()
}

// decoded is one layer of decoded text. lo and hi, when set, give for each
// byte of s the raw byte range that spells it; when nil, s is the raw text
// itself.
type decoded struct {
	s      string
	lo, hi []int
}

// raw returns the raw byte range that spells byte i of d.
func (d *decoded) raw(i int) (int, int) {
	if d.lo == nil {
		return i, i + 1
	}
	return d.lo[i], d.hi[i]
}

// unescape decodes the JSON string escapes in s, one layer. A backslash that
// starts no valid escape stays as it is, as does everything else; a lone
// surrogate becomes U+FFFD, as encoding/json decodes it. With track, the
// result maps its bytes to raw ranges through in (the layer s came from).
// It reports whether anything was decoded.
func unescape(s string, in *decoded, track bool) (decoded, bool) {
	i := strings.IndexByte(s, '\\')
	if i < 0 {
		return decoded{s: s}, false
	}
	buf := make([]byte, 0, len(s))
	var lo, hi []int
	if track {
		lo, hi = make([]int, 0, len(s)), make([]int, 0, len(s))
	}
	changed := false
	last := 0 // start of the plain run not yet copied
	for i < len(s) {
		r, n := decodeEscape(s[i:])
		if n == 0 {
			// Not an escape: the backslash is an ordinary character.
			i++
		} else {
			buf = append(buf, s[last:i]...)
			start := len(buf)
			buf = utf8.AppendRune(buf, r)
			if track {
				for j := last; j < i; j++ {
					l, h := in.raw(j)
					lo, hi = append(lo, l), append(hi, h)
				}
				l, _ := in.raw(i)
				_, h := in.raw(i + n - 1)
				for range len(buf) - start {
					lo, hi = append(lo, l), append(hi, h)
				}
			}
			i += n
			last = i
			changed = true
		}
		j := strings.IndexByte(s[i:], '\\')
		if j < 0 {
			break
		}
		i += j
	}
	if !changed {
		return decoded{s: s}, false
	}
	buf = append(buf, s[last:]...)
	if track {
		for j := last; j < len(s); j++ {
			l, h := in.raw(j)
			lo, hi = append(lo, l), append(hi, h)
		}
	}
	return decoded{s: string(buf), lo: lo, hi: hi}, true
}

// decodeEscape decodes the JSON escape at the start of s (which starts with
// a backslash) and returns the rune and the escape's length, or a length of
// 0 when s starts with no valid escape.
func decodeEscape(s string) (rune, int) {
	if len(s) < 2 {
		return 0, 0
	}
	switch c := s[1]; c {
	case '"', '\\', '/':
		return rune(c), 2
	case 'b':
		return '\b', 2
	case 'f':
		return '\f', 2
	case 'n':
		return '\n', 2
	case 'r':
		return '\r', 2
	case 't':
		return '\t', 2
	case 'u':
		r, ok := hex4(s[2:])
		if !ok {
			return 0, 0
		}
		if !utf16.IsSurrogate(r) {
			return r, 6
		}
		if len(s) >= 12 && s[6] == '\\' && s[7] == 'u' {
			if r2, ok := hex4(s[8:]); ok {
				if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
					return d, 12
				}
			}
		}
		return utf8.RuneError, 6
	}
	return 0, 0
}

// hex4 parses the four hex digits at the start of s.
func hex4(s string) (rune, bool) {
	if len(s) < 4 {
		return 0, false
	}
	var r rune
	for i := range 4 {
		c := s[i]
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}
