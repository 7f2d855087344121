// Package orkeys is the root of the orkeys module: see package facade for the
// client, gen for the generated models and low-level client, and fake for the
// offline server.
package orkeys

// gen: models and client, the only generated code library users link.
//go:generate go tool oapi-codegen -config oapi-codegen.yaml api/openapi.yaml
// The fake's strict server and embedded spec, from the same document.
//go:generate go tool oapi-codegen -config fake/internal/fakeapi/oapi-codegen.yaml api/openapi.yaml
