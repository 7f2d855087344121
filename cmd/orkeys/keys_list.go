package main

import (
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
		Args: cobra.NoArgs,
	}
	out := addOutputFlag(cmd)
	fs := cmd.Flags()
	fs.BoolVar(&includeDisabled, "include-disabled", false, "also list disabled keys")
	fs.StringVar(&workspace, "workspace", "", "only keys of this workspace (a UUID; default: the default workspace)")
	fs.IntVar(&offset, "offset", 0, "skip this many keys (pages hold up to 100)")
	fs.BoolVar(&all, "all", false, "follow every page instead of printing one")
	cmd.MarkFlagsMutuallyExclusive("offset", "all")

	cmd.RunE = runE(func(cmd *cobra.Command, _ []string) error {
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
		c, err := a.newClient(cmd.Flags(), cf)
		if err != nil {
			return err
		}
		ctx := cmd.Context()

		var page facade.ListResponse
		var raw []byte // the API's body of a single page
		if all {
			page.Data = []facade.APIKey{}
			for k, err := range c.APIKeys.All(ctx, req) {
				if err != nil {
					return err
				}
				page.Data = append(page.Data, k)
			}
		} else {
			res, err := c.APIKeys.List(ctx, req, facade.WithResponseBodyInto(&raw))
			if err != nil {
				return err
			}
			page = *res
		}

		switch {
		case *out == formatJSON && all:
			return writeJSON(a.stdout, page) // every page, assembled here
		case *out == formatJSON:
			return writeRawJSON(a.stdout, raw)
		}
		if len(page.Data) == 0 {
			msg := "No keys."
			if !includeDisabled {
				msg = "No enabled keys (--include-disabled shows disabled ones too)."
			}
			_, err := fmt.Fprintln(a.stdout, msg)
			return err
		}
		if err := writeKeyTable(a.stdout, page.Data); err != nil {
			return err
		}
		if !all && len(page.Data) == facade.PageSize {
			fmt.Fprintf(a.stderr, "(showing %d keys from offset %d; there may be more: use --offset %d or --all)\n",
				len(page.Data), offset, offset+len(page.Data))
		}
		return nil
	})
	return cmd
}

// checkUUID rejects a workspace ID that is not a UUID before anything is sent.
func checkUUID(flag, v string) error {
	if err := rules.UUID(v); err != nil {
		return usageErrorf("%s %v", flag, err)
	}
	return nil
}
