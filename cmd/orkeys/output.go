package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/timestamp"
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
	return errors.New("want table or json")
}

// apiJSON describes -o json for the commands that print the API's answer.
const apiJSON = "json prints the API's JSON"

// addOutputFlag registers -o on cmd, with completion of its two values;
// json says what -o json prints.
func addOutputFlag(cmd *cobra.Command, f *outputFormat, json string) {
	*f = formatTable
	cmd.Flags().VarP(f, "output", "o", "output format: table or json ("+json+")")
	_ = cmd.RegisterFlagCompletionFunc("output", cobra.FixedCompletions([]string{"table", "json"}, cobra.ShellCompDirectiveNoFileComp))
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
	// Twelve significant digits: the float noise of arithmetic (25 - 18.9
	// is 6.100000000000001) is no amount anyone spent.
	v, _ = strconv.ParseFloat(strconv.FormatFloat(v, 'g', 12, 64), 64)
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	if v >= 1e12 {
		// Compactly: a hostile or broken server's 1e308 must not widen a
		// table to hundreds of characters.
		return sign + "$" + strconv.FormatFloat(v, 'g', 6, 64)
	}
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if len(s) > 24 {
		s = strconv.FormatFloat(v, 'f', 6, 64)
	}
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

// timeStr shows an instant of an answer; text the server sent that is no
// instant is shown as sent (cells are sanitized).
func timeStr(t *timestamp.Time) string {
	switch {
	case t == nil || (!t.Parsed() && t.Raw == ""):
		return none
	case !t.Parsed():
		return cell(t.Raw)
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

// Tables have no color, so NO_COLOR has nothing to turn off; they do fit
// the terminal (tableWidth).

// tableGap is the space between table columns.
const tableGap = 2

// minNameWidth is as narrow as the NAME column gets to fit a terminal.
const minNameWidth = 8

// writeKeyTable prints keys one per row. With width > 0 it shortens long
// names (the one column nothing else depends on: hashes are what commands
// take) so that rows fit in width columns where they can.
func writeKeyTable(w io.Writer, keys []facade.APIKey, width int) error {
	return writeKeyTableIn(w, keys, width, nil)
}

// writeKeyTableIn is writeKeyTable with a WORKSPACE column when workspaces
// is not nil: each key's workspace by its slug there, else its id.
func writeKeyTableIn(w io.Writer, keys []facade.APIKey, width int, workspaces map[string]string) error {
	head := []string{"HASH", "NAME", "LABEL", "STATUS", "LIMIT", "REMAINING", "RESET", "USAGE", "LAST USED", "EXPIRES"}
	if workspaces != nil {
		head = slices.Insert(head, 3, "WORKSPACE")
	}
	rows := [][]string{head}
	for i := range keys {
		k := &keys[i]
		r := []string{cell(k.Hash), cell(k.Name), cell(k.Label), status(k), moneyPtr(k.Limit), moneyPtr(k.LimitRemaining),
			resetStr(k.LimitReset), money(k.Usage), lastUsed(k.LastUsedAt), timeStr(k.ExpiresAt)}
		if workspaces != nil {
			r = slices.Insert(r, 3, workspaceCell(workspaces, k.WorkspaceID))
		}
		rows = append(rows, r)
	}
	if width > 0 {
		fitColumn(rows, 1, width)
		shortenHashes(rows, 0, width)
		if tableTotal(rows) > width {
			// Still too wide: the label goes, the one column no command
			// takes and the detail view shows.
			for i, r := range rows {
				rows[i] = append(r[:2:2], r[3:]...)
			}
			fitColumn(rows, 1, width)
		}
		if tableTotal(rows) > width {
			// And the last use and the expiry show their day only.
			for _, r := range rows[1:] {
				for c := len(r) - 2; c < len(r); c++ {
					if e := r[c]; len(e) == len(time.RFC3339)-5 {
						r[c] = e[:len(time.DateOnly)]
					}
				}
			}
		}
		if i := slices.Index(rows[0], "REMAINING"); tableTotal(rows) > width && i > 0 {
			// Last, what LIMIT and USAGE tell: the amount remaining.
			for j, r := range rows {
				rows[j] = slices.Delete(r, i, i+1)
			}
		}
	}
	return writeRows(w, rows)
}

// lastUsed shows last_used_at: "never" when null (no use since the end of
// 2025, as OpenRouter reports it).
func lastUsed(t *timestamp.Time) string {
	if t == nil {
		return "never"
	}
	return timeStr(t)
}

// writeRows prints rows as an aligned table.
func writeRows(w io.Writer, rows [][]string) error {
	tw := newTable(w)
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	return tw.Flush()
}

// tableTotal is the width of rows as a table.
func tableTotal(rows [][]string) int {
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	total := tableGap * (len(widths) - 1)
	for _, n := range widths {
		total += n
	}
	return total
}

// minHashWidth is as short as a hash gets in a narrow table, as git's
// short hashes.
const minHashWidth = 8

// shortenHashes cuts the hashes in column col to the shortest prefix, of at
// least minHashWidth, that still tells every row's hash apart, when the
// table is wider than width: a prefix is what a person copies, and keys
// get, update and delete name it in full from 'keys list -o json'.
func shortenHashes(rows [][]string, col, width int) {
	if tableTotal(rows) <= width || len(rows) < 2 {
		return
	}
	n := minHashWidth
	for ; ; n++ {
		seen := map[string]bool{}
		unique, longest := true, 0
		for _, r := range rows[1:] {
			h := r[col]
			longest = max(longest, utf8.RuneCountInString(h))
			p := runePrefix(h, n)
			if seen[p] {
				unique = false
			}
			seen[p] = true
		}
		if unique || n >= longest {
			break
		}
	}
	for _, r := range rows[1:] {
		r[col] = runePrefix(r[col], n)
	}
}

// runePrefix is the first n runes of s (a hostile server's hash need not
// be ASCII).
func runePrefix(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

// fitColumn shortens column col, down to minNameWidth, until the table is no
// wider than width; a cut value ends in "…".
func fitColumn(rows [][]string, col, width int) {
	total := tableTotal(rows)
	if total <= width {
		return
	}
	widest := 0
	for _, r := range rows {
		widest = max(widest, utf8.RuneCountInString(r[col]))
	}
	limit := max(minNameWidth, widest-(total-width))
	for _, r := range rows {
		if utf8.RuneCountInString(r[col]) > limit {
			r[col] = string([]rune(r[col])[:limit-1]) + "…"
		}
	}
}

// usageLine sums up spend per period.
func usageLine(u [4]float64) string {
	return fmt.Sprintf("%s (today %s, this week %s, this month %s)", money(u[0]), money(u[1]), money(u[2]), money(u[3]))
}

// writeKeyDetail prints every field of one key, one per line.
func writeKeyDetail(w io.Writer, k *facade.APIKey) error {
	return writeFields(w, [][2]string{
		{"Hash", cell(k.Hash)},
		{"Name", cell(k.Name)},
		{"Label", cell(k.Label)},
		{"Status", status(k)},
	}, spendFields(spend{k.Limit, k.LimitRemaining, k.LimitReset, k.IncludeByokInLimit,
		[4]float64{k.Usage, k.UsageDaily, k.UsageWeekly, k.UsageMonthly},
		[4]float64{k.ByokUsage, k.ByokUsageDaily, k.ByokUsageWeekly, k.ByokUsageMonthly}}), [][2]string{
		{"Workspace", cell(k.WorkspaceID)},
		{"External user", str(k.ExternalUser)},
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
	}, spendFields(spend{k.Limit, k.LimitRemaining, k.LimitReset, k.IncludeByokInLimit,
		[4]float64{k.Usage, k.UsageDaily, k.UsageWeekly, k.UsageMonthly},
		[4]float64{k.ByokUsage, k.ByokUsageDaily, k.ByokUsageWeekly, k.ByokUsageMonthly}}), [][2]string{
		{"Creator", str(k.CreatorUserID)},
		{"Organization", str(k.OrganizationID)},
		{"Workspace", str(k.WorkspaceID)},
		{"Data regions", regions(k.AllowedDataRegions)},
		{"Free models today", fmt.Sprintf("%d of %d requests used, %d left (resets at midnight UTC)",
			k.FreeModelDailyRequests.Used, k.FreeModelDailyRequests.Limit, k.FreeModelDailyRequests.Remaining)},
		{"Expires", timeStr(k.ExpiresAt)},
	})
}

// regions lists data regions, or says that none is permitted.
func regions(rs []facade.DataRegion) string {
	if len(rs) == 0 {
		return "none permitted"
	}
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = cell(string(r))
	}
	return strings.Join(parts, ", ")
}

// spend is the limit and usage a key and the calling key both report.
type spend struct {
	limit, remaining *float64
	reset            *facade.LimitReset
	byokInLimit      bool
	usage, byok      [4]float64 // all time, today, this week, this month
}

// spendFields are spend's rows of a detail view.
func spendFields(s spend) [][2]string {
	return [][2]string{
		{"Limit", moneyPtr(s.limit)},
		{"Limit remaining", moneyPtr(s.remaining)},
		{"Limit reset", resetStr(s.reset)},
		{"BYOK in limit", yesNo(s.byokInLimit)},
		{"Usage", usageLine(s.usage)},
		{"BYOK usage", usageLine(s.byok)},
	}
}

// writeFields prints "Name:  value" rows aligned in two columns; groups
// are printed one after another.
func writeFields(w io.Writer, groups ...[][2]string) error {
	tw := newTable(w)
	for _, rows := range groups {
		for _, r := range rows {
			fmt.Fprintf(tw, "%s:\t%s\n", r[0], r[1])
		}
	}
	return tw.Flush()
}

// writeKey prints one key: the API's JSON as sent, or the detail view.
func writeKey(w io.Writer, format outputFormat, raw []byte, k *facade.APIKey) error {
	if format == formatJSON {
		return writeRawJSON(w, raw)
	}
	return writeKeyDetail(w, k)
}
