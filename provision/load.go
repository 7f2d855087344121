package provision

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"go.yaml.in/yaml/v3"
)

// LoadFile reads a desired-state file (YAML, or JSON, which is YAML too),
// refusing unknown fields and duplicate addresses, and validates it. Every
// key must say where its plaintext goes (deliver), since the file may
// create any of them; a relative deliver.file is resolved against the
// file's folder, and deliver.exec runs there.
func LoadFile(path string) (*Desired, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	d, err := Parse(b, filepath.Dir(abs))
	if err == nil {
		err = d.CheckDeliveryTargets(abs)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return d, nil
}

// Parse decodes and validates a file's bytes as LoadFile does; dir is the
// folder relative deliver.file paths are resolved against.
func Parse(b []byte, dir string) (*Desired, error) {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	var d Desired
	if err := dec.Decode(&d); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("empty file: want at least \"version: 1\"")
		}
		return nil, err
	}
	var extra any
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, errors.New("more than one YAML document; put everything in one")
	}
	var p problems
	for _, addr := range slices.Sorted(mapKeys(d.Keys)) {
		k := d.Keys[addr]
		if k.Deliver == nil {
			p.addf("keys."+addr+".deliver", "required: say where the new key's plaintext goes (file, exec or stdout)")
			continue
		}
		if f := k.Deliver.File; f != "" && !filepath.IsAbs(f) {
			k.Deliver.File = filepath.Join(dir, f)
		}
		k.Deliver.dir = dir
	}
	// After the paths are resolved, so that two spellings of one file are
	// seen as one.
	d.validate(&p)
	if err := p.err(); err != nil {
		return nil, err
	}
	return &d, nil
}
