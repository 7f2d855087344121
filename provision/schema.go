package provision

import _ "embed"

// Schema is the JSON Schema (draft 2020-12) of the desired-state file, for
// editors; `orkeys schema` prints it.
//
//go:embed schema.json
var Schema []byte
