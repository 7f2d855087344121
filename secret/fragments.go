package secret

import "strings"

// FragmentLen is the shortest stretch of a secret that ScrubFragments
// treats as the secret: long enough that ordinary text does not hold one
// by chance, short enough that what survives a cut is of no use.
const FragmentLen = 12

// ScrubFragments cuts, as Placeholder, every run of key characters
// (letters, digits and + / = _ -) in text that holds FragmentLen or more
// consecutive characters of one of the secrets, in any letter case: what
// a server echoes of a secret cut short, split across fields or
// upper-cased, which Scrub, matching the whole secret, does not see.
// Secrets shorter than FragmentLen are left to Scrub. Text that holds no
// such run is returned as it is.
func ScrubFragments(text string, secrets ...string) string {
	windows := fragmentWindows(secrets)
	if len(windows) == 0 || len(text) < FragmentLen {
		return text
	}
	var b strings.Builder
	last := 0 // text[:last] is written, or needs no cut
	for lo := 0; lo < len(text); {
		if !isFragmentByte(text[lo]) {
			lo++
			continue
		}
		hi := lo
		for hi < len(text) && isFragmentByte(text[hi]) {
			hi++
		}
		if holdsWindow(text[lo:hi], windows) {
			if b.Len() == 0 {
				b.Grow(len(text))
			}
			b.WriteString(text[last:lo])
			b.WriteString(Placeholder)
			last = hi
		}
		lo = hi
	}
	if last == 0 {
		return text
	}
	b.WriteString(text[last:])
	return b.String()
}

// fragmentWindows is every FragmentLen-long stretch of the secrets, in
// lower case.
func fragmentWindows(secrets []string) map[string]struct{} {
	var w map[string]struct{}
	for _, s := range secrets {
		s = strings.ToLower(s)
		for i := 0; i+FragmentLen <= len(s); i++ {
			if w == nil {
				w = map[string]struct{}{}
			}
			w[s[i:i+FragmentLen]] = struct{}{}
		}
	}
	return w
}

func holdsWindow(run string, windows map[string]struct{}) bool {
	if len(run) < FragmentLen {
		return false
	}
	lower := strings.ToLower(run)
	for i := 0; i+FragmentLen <= len(lower); i++ {
		if _, ok := windows[lower[i:i+FragmentLen]]; ok {
			return true
		}
	}
	return false
}

func isFragmentByte(c byte) bool {
	return isAlnum(c) || c == '+' || c == '/' || c == '=' || c == '_' || c == '-'
}
