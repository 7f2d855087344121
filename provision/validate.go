package provision

import (
	"fmt"
	"slices"
	"strings"

	"github.com/orkeys/orkeys/internal/rules"
)

// InvalidError lists every problem found in a Desired, one per line, each
// led by the field's path ("keys.ci.workspace").
type InvalidError struct {
	Problems []string
}

func (e *InvalidError) Error() string {
	return "invalid desired state:\n  " + strings.Join(e.Problems, "\n  ")
}

// Version is the only file format version this package reads.
const Version = 1

// problems collects validation findings under dotted paths.
type problems []string

func (p *problems) addf(path, format string, args ...any) {
	*p = append(*p, path+": "+fmt.Sprintf(format, args...))
}

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	slices.Sort(p)
	return &InvalidError{Problems: p}
}

// Validate checks d as Plan needs it: the version, every address and the
// references between them, and each field against the API's rules. It
// does not require Deliver; the file loader does.
func (d *Desired) Validate() error {
	var p problems
	d.validate(&p)
	return p.err()
}

func (d *Desired) validate(p *problems) {
	if d.Version != Version {
		p.addf("version", "is %d; this orkeys reads version %d", d.Version, Version)
	}
	for addr, w := range d.Workspaces {
		at := "workspaces." + addr
		checkAddress(p, at, addr)
		checkName(p, at+".name", w.Name)
		if err := rules.Slug(w.Slug); err != nil {
			p.addf(at+".slug", "%v", err)
		}
		limits := map[string]float64{}
		for name, v := range map[string]*float64{"daily": w.Budgets.Daily, "weekly": w.Budgets.Weekly, "monthly": w.Budgets.Monthly, "lifetime": w.Budgets.Lifetime} {
			if v == nil {
				continue
			}
			if err := rules.BudgetLimit(*v); err != nil {
				p.addf(at+".budgets."+name, "%v", err)
				continue
			}
			limits[name] = *v
		}
		if err := rules.BudgetOrder(limits); err != nil {
			p.addf(at+".budgets", "%v", err)
		}
	}
	for addr, g := range d.Guardrails {
		at := "guardrails." + addr
		checkAddress(p, at, addr)
		checkName(p, at+".name", g.Name)
		d.checkWorkspace(p, at+".workspace", g.Workspace)
		var reset *string
		if g.ResetInterval != "" {
			reset = &g.ResetInterval
		}
		if err := rules.GuardrailLimit(g.LimitUSD, reset); err != nil {
			p.addf(at+".limit_usd", "%v", err)
		}
	}
	for addr, k := range d.Keys {
		at := "keys." + addr
		checkAddress(p, at, addr)
		checkName(p, at+".name", k.Name)
		d.checkWorkspace(p, at+".workspace", k.Workspace)
		if k.Guardrail != "" {
			if _, ok := d.Guardrails[k.Guardrail]; !ok {
				p.addf(at+".guardrail", "no guardrail %q in guardrails", k.Guardrail)
			}
		}
		checkLimit(p, at+".limit", k.Limit)
		checkReset(p, at+".limit_reset", k.LimitReset)
		if err := rules.ResetNeedsLimit(k.LimitReset != "", k.Limit != nil); err != nil {
			p.addf(at+".limit_reset", "%v: add a limit, or leave limit_reset out", err)
		}
		if k.Deliver != nil {
			checkDeliver(p, at+".deliver", *k.Deliver)
		}
	}
	d.checkTargets(p, nil)
}

func (d *Desired) checkWorkspace(p *problems, at, addr string) {
	if addr == "" {
		return
	}
	if _, ok := d.Workspaces[addr]; !ok {
		p.addf(at, "no workspace %q in workspaces", addr)
	}
}

// checkAddress keeps addresses to characters that need no quoting in a
// shell, a path or a JSON pointer.
func checkAddress(p *problems, at, addr string) {
	if addr == "" {
		p.addf(at, "an address must not be empty")
		return
	}
	for _, c := range addr {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-' || c == '.') {
			p.addf(at, "address %q: use letters, digits, '_', '-' and '.' only", addr)
			return
		}
	}
}

func checkName(p *problems, at, name string) {
	if err := rules.Name(name); err != nil {
		p.addf(at, "%v", err)
	}
}

func checkLimit(p *problems, at string, v *float64) {
	if v != nil {
		if err := rules.Limit(*v); err != nil {
			p.addf(at, "%v", err)
		}
	}
}

func checkReset(p *problems, at, s string) {
	if s != "" {
		if err := rules.LimitReset(s); err != nil {
			p.addf(at, "%v", err)
		}
	}
}

func checkDeliver(p *problems, at string, d Deliver) {
	n := 0
	for _, set := range []bool{d.File != "", d.Exec != "", d.Stdout} {
		if set {
			n++
		}
	}
	if n != 1 {
		p.addf(at, "set exactly one of file, exec and stdout (%d set)", n)
	}
}
