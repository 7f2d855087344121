package provision

import (
	"fmt"
	"io"
	"strings"
)

// marks lead each line of a plan's text, so that a reader scans by shape.
var marks = map[Action]string{
	NoOp: "=", Create: "+", Update: "~", Replace: "±", Repair: "±", Recreate: "+",
	Missing: "!", Unmanaged: "?", Disable: "-", Delete: "-", Assign: "~", Failed: "!",
}

// WriteText writes the plan for a person, one resource a line with its
// fields below (Summary sums it up). Every value read from the API goes through clean, the
// caller's filter for printed text; no value is a secret. Without
// verbose, no-op resources are left out.
func (p *Plan) WriteText(w io.Writer, clean func(string) string, verbose bool) error {
	var b strings.Builder
	for _, c := range p.Changes {
		if c.Action == NoOp && len(c.Fields) == 0 && !verbose {
			continue
		}
		fmt.Fprintf(&b, "%s %s %s: %s", marks[c.Action], c.Kind, clean(c.Address), c.Action)
		if c.ID != "" {
			fmt.Fprintf(&b, " (%s)", clean(c.ID))
		}
		if c.Drift {
			b.WriteString(", changed out of band")
		}
		b.WriteString("\n")
		for _, f := range c.Fields {
			fmt.Fprintf(&b, "    %s: %s → %s", f.Field, clean(f.Old), clean(f.New))
			switch {
			case f.Immutable:
				b.WriteString("  (fixed at creation: make a new one to change it)")
			case f.Drift:
				b.WriteString("  (drift)")
			}
			b.WriteString("\n")
		}
		for _, h := range c.Orphans {
			fmt.Fprintf(&b, "    delete orphan %s\n", clean(h))
		}
		for _, h := range c.Proposals {
			fmt.Fprintf(&b, "    same name: %s (orkeys import %s %s %s)\n", clean(h), c.Kind, clean(c.Address), clean(h))
		}
		if c.Note != "" {
			fmt.Fprintf(&b, "    %s\n", clean(c.Note))
		}
		if c.Error != "" {
			fmt.Fprintf(&b, "    error: %s\n", clean(c.Error))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Summary is the plan in one line, for below WriteText's.
func (p *Plan) Summary() string {
	n := 0
	for _, c := range p.Changes {
		if c.Action.Pending() {
			n++
		}
	}
	var fixed string
	switch f := p.Fixed(); f {
	case 0:
	case 1:
		fixed = "1 resource differs in a field fixed at creation, which apply cannot change: give it a new address to make a new one, or change the file back."
	default:
		fixed = fmt.Sprintf("%d resources differ in a field fixed at creation, which apply cannot change: give them new addresses to make new ones, or change the file back.", f)
	}
	switch {
	case p.Failed():
		return "Some resources could not be read: the plan is incomplete."
	case n == 1:
		return strings.TrimSpace("1 change pending. " + fixed)
	case n > 0:
		return strings.TrimSpace(fmt.Sprintf("%d changes pending. %s", n, fixed))
	case fixed != "":
		return "Not in sync: " + fixed
	}
	return "In sync: nothing to do."
}

// WriteText writes the result for a person, one resource a line.
func (r *Result) WriteText(w io.Writer, clean func(string) string) error {
	var b strings.Builder
	for _, o := range r.Outcomes {
		fmt.Fprintf(&b, "%s %s %s: %s", o.Status, o.Kind, clean(o.Address), o.Action)
		if o.ID != "" {
			fmt.Fprintf(&b, " (%s)", clean(o.ID))
		}
		b.WriteString("\n")
		if o.Note != "" {
			fmt.Fprintf(&b, "    %s\n", clean(o.Note))
		}
		if o.Error != "" {
			fmt.Fprintf(&b, "    error: %s\n", clean(o.Error))
		}
	}
	if len(r.Outcomes) == 0 {
		b.WriteString("Nothing to do.\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
