package secret_test

import (
	"encoding/json"
	"fmt"

	"github.com/orkeys/orkeys/secret"
)

// A Key prints, logs and marshals redacted; Reveal is the one way to the
// plaintext.
func ExampleKey_Reveal() {
	var created struct {
		Key secret.Key `json:"key"`
	}
	// The API sends a new key as a JSON string; it decodes as plaintext.
	body := `{"key":"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"}`
	if err := json.Unmarshal([]byte(body), &created); err != nil {
		panic(err)
	}
	out, _ := json.Marshal(created)

	fmt.Println(created.Key)
	fmt.Printf("%+v\n", created)
	fmt.Println(string(out))
	fmt.Println(created.Key.Reveal())
	// Output:
	// sk-or-v1-d35…855d
	// {Key:sk-or-v1-d35…855d}
	// {"key":"sk-or-v1-d35…855d"}
	// 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
}

func ExampleRedact() {
	fmt.Println(secret.Redact("sk-or-mgmt-abc0123456789abcdef0123456789wxyz"))
	fmt.Println(secret.Redact("sk-or-v1-short"))
	// Output:
	// sk-or-mgmt-abc…wxyz
	// [redacted]
}

// Scrub finds a key however a server spelled it, and keeps the rest of a
// JSON body as it was.
func ExampleScrub() {
	body := `{"error":{"message":"invalid key \u0073k-or-v1-d35a7c9e1b2d4f6a8c0e2b4d6f8a1c3e5b7d9f0a2c4e6b8d1f3a5c7e9b2d855d\n"}}`
	fmt.Println(secret.Scrub(body))
	fmt.Println(secret.Scrub("password=hunter2\\/pw", "hunter2/pw"))
	// Output:
	// {"error":{"message":"invalid key sk-or-v1-d35…855d\n"}}
	// password=[redacted]
}
