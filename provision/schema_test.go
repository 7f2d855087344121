package provision

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
)

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// asJSON reads YAML as the JSON value an editor's schema check sees.
func asJSON(t *testing.T, y []byte) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(y, &v); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	out, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSchemaAcceptsTheExample(t *testing.T) {
	b, err := os.ReadFile("testdata/example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := compileSchema(t).Validate(asJSON(t, b)); err != nil {
		t.Fatal(err)
	}
}

func TestSchemaRefusesWhatTheLoaderRefuses(t *testing.T) {
	s := compileSchema(t)
	for _, tc := range badFiles {
		if tc.loaderOnly {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			if err := s.Validate(asJSON(t, []byte(tc.file))); err == nil {
				t.Fatal("the schema accepts it")
			}
		})
	}
}

// TestSchemaNamesTheGoFields keeps schema.json and the Go types in step:
// each object's properties are exactly the struct's field names.
func TestSchemaNamesTheGoFields(t *testing.T) {
	var schema struct {
		Properties map[string]any `json:"properties"`
		Defs       map[string]struct {
			Properties map[string]struct {
				Properties map[string]any `json:"properties"`
			} `json:"properties"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(Schema, &schema); err != nil {
		t.Fatal(err)
	}
	props := func(m map[string]struct {
		Properties map[string]any `json:"properties"`
	}) []string {
		return slices.Sorted(mapKeys(m))
	}
	check := func(what string, got []string, typ any) {
		var want []string
		rt := reflect.TypeOf(typ)
		for i := range rt.NumField() {
			if !rt.Field(i).IsExported() {
				continue
			}
			name, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
			want = append(want, name)
		}
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: schema has %v, Go has %v", what, got, want)
		}
	}
	check("top level", slices.Sorted(mapKeys(schema.Properties)), Desired{})
	check("workspace", props(schema.Defs["workspace"].Properties), Workspace{})
	check("budgets", slices.Sorted(mapKeys(schema.Defs["workspace"].Properties["budgets"].Properties)), Budgets{})
	check("guardrail", props(schema.Defs["guardrail"].Properties), Guardrail{})
	check("key", props(schema.Defs["key"].Properties), Key{})
	check("deliver", props(schema.Defs["deliver"].Properties), Deliver{})
}
