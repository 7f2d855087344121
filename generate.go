// Package orkeys is the root of the orkeys module: see package facade for the
// client, gen for the generated low-level code and fake for the offline server.
package orkeys

//go:generate go tool oapi-codegen -config oapi-codegen.yaml api/openapi.yaml
