package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"

	"github.com/spf13/cobra"

	"github.com/orkeys/orkeys/facade"
)

// outputFormat is the -o flag: "table" for people, "json" for programs.
type outputFormat string

const (
	formatTable outputFormat = "table"
	formatJSON  outputFormat = "json"
)

func (f *outputFormat) String() string { return string(*f) }
func (f *outputFormat) Type() string   { return "table|json" }
func (f *outputFormat) Set(s string) error {
	switch outputFormat(s) {
	case formatTable, formatJSON:
		*f = outputFormat(s)
		return nil
	}
	return fmt.Errorf("want table or json, got %q", s)
}

// addOutputFlag registers -o on cmd, with completion of its two values.
func addOutputFlag(cmd *cobra.Command) *outputFormat {
	f := formatTable
	cmd.Flags().VarP(&f, "output", "o", "output format: table or json (the API's JSON)")
	_ = cmd.RegisterFlagCompletionFunc("output", cobra.FixedCompletions([]string{"table", "json"}, cobra.ShellCompDirectiveNoFileComp))
	return &f
}

// writeRawJSON prints a response body as the API sent it, indented: fields
// this version of orkeys does not model survive, in the API's order.
func writeRawJSON(w io.Writer, raw []byte) error {
	var buf bytes.Buffer
	if err := json.Indent(&buf, bytes.TrimSpace(raw), "", "  "); err != nil {
		return fmt.Errorf("indenting JSON output: %w", err)
	}
	buf.WriteByte('\n')
	_, err := w.Write(buf.Bytes())
	return err
}

// writeJSON prints v, a value orkeys assembled (such as every page of
// --all), as indented JSON.
func writeJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding JSON output: %w", err)
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}

// none is how a null or absent value shows in tables.
const none = "-"

// money formats USD as $12.50: at least two decimals, more when the amount
// has them ($0.0042), so that small spend does not show as $0.00.
func money(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	s := strconv.FormatFloat(v, 'f', -1, 64)
	switch i := strings.IndexByte(s, '.'); {
	case i < 0:
		s += ".00"
	case len(s)-i == 2:
		s += "0"
	}
	return sign + "$" + s
}

func moneyPtr(v *float64) string {
	if v == nil {
		return none
	}
	return money(*v)
}

func str(v *string) string {
	if v == nil {
		return none
	}
	return cell(*v)
}

func resetStr(v *facade.LimitReset) string {
	if v == nil {
		return none
	}
	return cell(string(*v))
}

func timeStr(t *time.Time) string {
	if t == nil {
		return none
	}
	return t.UTC().Format(time.RFC3339)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func status(k *facade.APIKey) string {
	if k.Disabled {
		return "disabled"
	}
	return "enabled"
}

func newTable(w io.Writer) *tabwriter.Writer {
	return tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
}

// writeKeyTable prints keys one per row.
func writeKeyTable(w io.Writer, keys []facade.APIKey) error {
	tw := newTable(w)
	fmt.Fprintln(tw, "HASH\tNAME\tLABEL\tSTATUS\tLIMIT\tREMAINING\tRESET\tUSAGE\tEXPIRES")
	for i := range keys {
		k := &keys[i]
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
			cell(k.Hash), cell(k.Name), cell(k.Label), status(k), moneyPtr(k.Limit), moneyPtr(k.LimitRemaining),
			resetStr(k.LimitReset), money(k.Usage), timeStr(k.ExpiresAt))
	}
	return tw.Flush()
}

// cell keeps a value from the server from breaking the table or the
// terminal: tabs and newlines would start new cells or rows, and escape
// sequences could rewrite the screen.
func cell(s string) string {
	if s == "" {
		return none
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}

// usageLine sums up spend per period.
func usageLine(all, day, week, month float64) string {
	return fmt.Sprintf("%s (today %s, this week %s, this month %s)", money(all), money(day), money(week), money(month))
}

// writeKeyDetail prints every field of one key, one per line.
func writeKeyDetail(w io.Writer, k *facade.APIKey) error {
	return writeFields(w, [][2]string{
		{"Hash", cell(k.Hash)},
		{"Name", cell(k.Name)},
		{"Label", cell(k.Label)},
		{"Status", status(k)},
		{"Limit", moneyPtr(k.Limit)},
		{"Limit remaining", moneyPtr(k.LimitRemaining)},
		{"Limit reset", resetStr(k.LimitReset)},
		{"BYOK in limit", yesNo(k.IncludeByokInLimit)},
		{"Usage", usageLine(k.Usage, k.UsageDaily, k.UsageWeekly, k.UsageMonthly)},
		{"BYOK usage", usageLine(k.ByokUsage, k.ByokUsageDaily, k.ByokUsageWeekly, k.ByokUsageMonthly)},
		{"Workspace", cell(k.WorkspaceID)},
		{"Creator", str(k.CreatorUserID)},
		{"Created", timeStr(&k.CreatedAt)},
		{"Updated", timeStr(k.UpdatedAt)},
		{"Expires", timeStr(k.ExpiresAt)},
	})
}

// writeCurrentKey prints what GET /key says about the calling key.
func writeCurrentKey(w io.Writer, k *facade.CurrentKey) error {
	return writeFields(w, [][2]string{
		{"Label", cell(k.Label)},
		{"Management key", yesNo(k.IsManagementKey)},
		{"Free tier", yesNo(k.IsFreeTier)},
		{"Limit", moneyPtr(k.Limit)},
		{"Limit remaining", moneyPtr(k.LimitRemaining)},
		{"Limit reset", resetStr(k.LimitReset)},
		{"BYOK in limit", yesNo(k.IncludeByokInLimit)},
		{"Usage", usageLine(k.Usage, k.UsageDaily, k.UsageWeekly, k.UsageMonthly)},
		{"BYOK usage", usageLine(k.ByokUsage, k.ByokUsageDaily, k.ByokUsageWeekly, k.ByokUsageMonthly)},
		{"Creator", str(k.CreatorUserID)},
		{"Expires", timeStr(k.ExpiresAt)},
	})
}

// writeFields prints "Name:  value" rows aligned in two columns.
func writeFields(w io.Writer, rows [][2]string) error {
	tw := newTable(w)
	for _, r := range rows {
		fmt.Fprintf(tw, "%s:\t%s\n", r[0], r[1])
	}
	return tw.Flush()
}
