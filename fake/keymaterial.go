package fake

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
)

const keyPrefix = "sk-or-v1-"

// newPlaintextKey draws a key shaped like OpenRouter's: the prefix and 64
// lowercase hex characters (32 random bytes).
func newPlaintextKey() string {
	var b [32]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return keyPrefix + hex.EncodeToString(b[:])
}

// hashKey is a key's identifier: the hex SHA-256 of its plaintext.
func hashKey(plaintext string) string {
	sum := sha256.Sum256([]byte(plaintext))
	return hex.EncodeToString(sum[:])
}

// labelFor shortens a key the way OpenRouter's labels do:
// "sk-or-v1-" and three characters, "...", and the last four characters.
func labelFor(plaintext string) string {
	const head = len(keyPrefix) + 3
	return plaintext[:head] + "..." + plaintext[len(plaintext)-4:]
}

// isKeyShaped reports whether s is "sk-or-v1-" and 64 lowercase hex characters.
func isKeyShaped(s string) bool {
	if len(s) != len(keyPrefix)+64 || s[:len(keyPrefix)] != keyPrefix {
		return false
	}
	for _, c := range s[len(keyPrefix):] {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
