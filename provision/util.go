package provision

import (
	"iter"
	"maps"
)

func mapKeys[V any](m map[string]V) iter.Seq[string] { return maps.Keys(m) }
