package provision

import (
	"path/filepath"
	"slices"
)

// CheckDeliveryTargets refuses a key whose deliver.file is one of reserved
// (the files orkeys itself keeps: the desired-state file, the state file
// and its lock) and, as Validate does, two keys delivering to one file.
// Either way a plaintext would be overwritten (by the other key, or by the
// next save) while its key stays live, or be written into a file that is
// usually committed.
func (d *Desired) CheckDeliveryTargets(reserved ...string) error {
	var p problems
	d.checkTargets(&p, reserved)
	return p.err()
}

func (d *Desired) checkTargets(p *problems, reserved []string) {
	kept := map[string]bool{}
	for _, r := range reserved {
		if r != "" {
			kept[samePath(r)] = true
		}
	}
	seen := map[string]string{}
	for _, addr := range slices.Sorted(mapKeys(d.Keys)) {
		k := d.Keys[addr]
		if k.Deliver == nil || k.Deliver.File == "" {
			continue
		}
		at, f := "keys."+addr+".deliver.file", samePath(k.Deliver.File)
		if other, ok := seen[f]; ok {
			p.addf(at, "is also keys.%s.deliver.file: give each key its own file, or one plaintext overwrites the other", other)
			continue
		}
		seen[f] = addr
		if kept[f] {
			p.addf(at, "is a file orkeys keeps itself (the desired-state file, the state file or its lock): the plaintext would be overwritten or committed")
		}
	}
}

// samePath is path made absolute and clean, with links resolved as far as
// they exist, so that two spellings of one file compare equal.
func samePath(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = filepath.Clean(path)
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		return real
	}
	if dir, err := filepath.EvalSymlinks(filepath.Dir(abs)); err == nil {
		return filepath.Join(dir, filepath.Base(abs))
	}
	return abs
}
