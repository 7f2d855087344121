package facade

import (
	"fmt"
	"hash/maphash"
)

// pageSet remembers the full pages of a walk, in bounded memory, to tell
// when a server ignores offset:
//   - each page by fingerprint: the sums of two seeded hashes of each key's
//     hash, which do not depend on the order of the keys. Two different
//     pages share a fingerprint by chance alone (about 2^-128 with random
//     seeds); a server that wants to end a walk early can do so anyway;
//   - every key in a Bloom filter of 2^18 bits (32 KiB, made with the
//     first full page), counting the keys seen before: a walk that has seen
//     more than a page of them, and more of them than new ones, is not
//     reading pages of one listing (a server serving shuffled subsets of
//     one set, or the same keys with one new one per page). A key is seen
//     again only when a key created during the walk shifts the offsets, so
//     a real walk gets there only if more keys are created while it runs
//     than it lists. The filter counts while it holds fewer than 2^15
//     keys, where it takes at most 3% of new keys for old ones; past that,
//     only the fingerprints count.
type pageSet struct {
	seeds [3]maphash.Seed
	pages map[[2]uint64]int // fingerprint → offset of the page
	bloom []uint64
	fresh int // keys new to the filter
	again int // keys the filter had seen, while it held fewer than bloomTrusted
}

const (
	bloomBits    = 1 << 18
	bloomTrusted = 1 << 15
)

func newPageSet() *pageSet {
	return &pageSet{
		seeds: [3]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed(), maphash.MakeSeed()},
		pages: map[[2]uint64]int{},
	}
}

// add records the page at offset. It returns an error when an earlier page
// listed the same keys, or when the walk so far has seen more keys again
// than new ones (and more than a page of them).
func (s *pageSet) add(page []APIKey, offset int) error {
	var fp [2]uint64
	for i := range page {
		fp[0] += maphash.String(s.seeds[0], page[i].Hash)
		fp[1] += maphash.String(s.seeds[1], page[i].Hash)
	}
	if earlier, ok := s.pages[fp]; ok {
		return fmt.Errorf("openrouter: GET /keys: the page at offset %d repeats the keys of the page at offset %d (in some order); the server ignores offset, so the walk stopped", offset, earlier)
	}
	s.pages[fp] = offset
	if s.fresh >= bloomTrusted {
		return nil
	}
	if s.bloom == nil {
		s.bloom = make([]uint64, bloomBits/64)
	}
	for i := range page {
		if s.addKey(page[i].Hash) {
			s.fresh++
		} else {
			s.again++
		}
	}
	if s.again > PageSize && s.again > s.fresh {
		return fmt.Errorf("openrouter: GET /keys: up to the page at offset %d, the pages listed %d keys again and %d new ones; the server ignores offset, so the walk stopped", offset, s.again, s.fresh)
	}
	return nil
}

// addKey sets hash's three bits in the filter and reports whether any was
// unset: whether the key is new for certain.
func (s *pageSet) addKey(hash string) bool {
	h := maphash.String(s.seeds[2], hash)
	fresh := false
	for _, bit := range [3]uint64{h, h >> 18, h >> 36} {
		bit &= bloomBits - 1
		word, mask := bit/64, uint64(1)<<(bit%64)
		if s.bloom[word]&mask == 0 {
			fresh = true
			s.bloom[word] |= mask
		}
	}
	return fresh
}
