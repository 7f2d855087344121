package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/orkeys/orkeys/internal/rules"
	"github.com/spf13/cobra"

	"github.com/orkeys/orkeys/facade"
)

func (a *app) keysListCmd(cf *clientFlags) *cobra.Command {
	var (
		includeDisabled bool
		workspace       string
		offset          int
		all             bool
	)
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List keys, newest first (one page of up to 100, or --all)",
		Example: `  orkeys keys list
  orkeys keys list --include-disabled --all -o json`,
		Args: a.noArgs,
	}
	out := addOutputFlag(cmd, "json prints the API's JSON; with --all, one array of every key")
	fs := cmd.Flags()
	fs.BoolVar(&includeDisabled, "include-disabled", false, "also list disabled keys")
	fs.StringVar(&workspace, "workspace", "", "only keys of this workspace (a UUID; default: the default workspace)")
	fs.IntVar(&offset, "offset", 0, "skip this many keys (pages hold up to 100)")
	fs.BoolVar(&all, "all", false, "follow every page instead of printing one")
	cmd.RunE = runE(func(cmd *cobra.Command, _ []string) error {
		if err := exclusive(fs, "offset", "all", "--all reads every page from the first"); err != nil {
			return err
		}
		var req facade.ListRequest
		req.IncludeDisabled = includeDisabled
		if fs.Changed("workspace") {
			if err := checkUUID("--workspace", workspace); err != nil {
				return err
			}
			req.WorkspaceID = &workspace
		}
		if fs.Changed("offset") {
			if offset < 0 {
				return usageErrorf("--offset %d: must not be negative", offset)
			}
			req.Offset = &offset
		}
		c, err := a.newClient(cmd.Flags(), cf, a.stderr)
		if err != nil {
			return err
		}
		ctx := cmd.Context()

		var keys []facade.APIKey
		var raw []byte // -o json: the API's body, or for --all one array of every key
		if all {
			keys, raw, err = listAll(ctx, c, req)
		} else {
			var page *facade.ListResponse
			page, err = c.APIKeys.List(ctx, req, facade.WithResponseBodyInto(&raw))
			if page != nil {
				keys = page.Data
			}
		}
		if err != nil {
			return err
		}
		if !all && len(keys) == facade.PageSize {
			// On stderr, so that it reaches a person without spoiling JSON.
			fmt.Fprintf(a.stderr, "(showing %d keys from offset %d; there may be more: use --offset %d for the next page, or --all for every key)\n",
				len(keys), offset, offset+len(keys))
		}
		if *out == formatJSON {
			return writeRawJSON(a.stdout, raw)
		}
		if len(keys) == 0 {
			msg := "No keys."
			if !includeDisabled {
				msg = "No enabled keys (--include-disabled shows disabled ones too)."
			}
			_, err := fmt.Fprintln(a.stdout, msg)
			return err
		}
		return writeKeyTable(a.stdout, keys, a.tableWidth())
	})
	return cmd
}

// listAll reads every page from req's offset with the library's walk (read
// ahead, with its guards against pages that do not progress), and returns
// the keys with one JSON array of them for -o json.
func listAll(ctx context.Context, c *facade.Client, req facade.ListRequest) ([]facade.APIKey, []byte, error) {
	keys := []facade.APIKey{}
	for k, err := range c.APIKeys.All(ctx, req) {
		if err != nil {
			return nil, nil, err
		}
		keys = append(keys, k)
	}
	all, err := json.Marshal(keys)
	return keys, all, err
}

// checkUUID rejects a workspace ID that is not a UUID before anything is sent.
func checkUUID(flag, v string) error {
	if err := rules.UUID(v); err != nil {
		return usageErrorf("%s %v", flag, err)
	}
	return nil
}
