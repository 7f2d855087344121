package fake

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"

	"github.com/orkeys/orkeys/secret"
)

// keyHexLen is how many hex characters follow the prefix of a real key.
const keyHexLen = 64

// newPlaintextKey draws a key shaped like OpenRouter's: prefix
// (secret.PrefixV1 for the keys POST /keys creates, secret.PrefixMgmt for a
// management key) and 64 lowercase hex characters (32 random bytes).
func newPlaintextKey(prefix string) string {
	var b [keyHexLen / 2]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return prefix + hex.EncodeToString(b[:])
}

// hashKey is a key's identifier: the hex SHA-256 of its plaintext.
func hashKey(plaintext string) string {
	sum := sha256.Sum256([]byte(plaintext))
	return hex.EncodeToString(sum[:])
}

// labelFor shortens a key the way OpenRouter's labels do: the prefix
// ("sk-or-v1-" or "sk-or-mgmt-") and three characters, "...", and the last
// four characters.
func labelFor(plaintext string) string {
	head := len(secret.Prefix(plaintext)) + 3
	return plaintext[:head] + "..." + plaintext[len(plaintext)-4:]
}

// isKeyShaped reports whether s is a real key's shape: either known prefix
// (secret.LooksLikeKey) followed by exactly 64 lowercase hex characters.
func isKeyShaped(s string) bool {
	if !secret.LooksLikeKey(s) {
		return false
	}
	body := s[len(secret.Prefix(s)):]
	if len(body) != keyHexLen {
		return false
	}
	for _, c := range body {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
