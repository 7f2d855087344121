package main

import (
	"io"
	"strconv"
	"strings"

	"github.com/orkeys/orkeys/facade"
)

// writeBYOKTable prints provider keys one per row.
func writeBYOKTable(w io.Writer, keys []facade.BYOKKey) error {
	rows := [][]string{{"ID", "PROVIDER", "NAME", "LABEL", "STATUS", "FALLBACK", "WORKSPACE"}}
	for i := range keys {
		k := &keys[i]
		rows = append(rows, []string{cell(k.ID), cell(string(k.Provider)), str(k.Name), cell(k.Label), byokStatus(k), yesNo(k.IsFallback), str(k.WorkspaceID)})
	}
	return writeRows(w, rows)
}

// writeBYOKDetail prints one provider key's settings.
func writeBYOKDetail(w io.Writer, k *facade.BYOKKey) error {
	return writeFields(w, [][2]string{
		{"ID", cell(k.ID)},
		{"Provider", cell(string(k.Provider))},
		{"Name", str(k.Name)},
		{"Label", cell(k.Label)},
		{"Status", byokStatus(k)},
		{"Fallback", yesNo(k.IsFallback)},
		{"BYOK only", yesNo(k.IsByokOnly)},
		{"Required", yesNo(k.IsRequired)},
		{"Declared ZDR", boolStr(k.DeclaredZdr)},
		{"Allowed models", listStr(k.AllowedModels)},
		{"Allowed users", listStr(k.AllowedUserIds)},
		{"Allowed API keys", listStr(k.AllowedAPIKeyHashes)},
		{"Workspace", str(k.WorkspaceID)},
		{"Sort order", strconv.Itoa(k.SortOrder)},
		{"Created", timeStr(&k.CreatedAt)},
	})
}

// writeBYOK prints an answer holding one provider key: the API's JSON, or
// its details.
func writeBYOK(w io.Writer, format outputFormat, raw []byte, k *facade.BYOKKey) error {
	if format == formatJSON {
		return writeRawJSON(w, raw)
	}
	return writeBYOKDetail(w, k)
}

func byokStatus(k *facade.BYOKKey) string {
	if k.Disabled {
		return "disabled"
	}
	return "enabled"
}

// listStr shows a restriction list: "all" when there is none.
func listStr(v *[]string) string {
	if v == nil {
		return "all"
	}
	return cell(strings.Join(*v, ", "))
}

func boolStr(v *bool) string {
	if v == nil {
		return none
	}
	return yesNo(*v)
}
