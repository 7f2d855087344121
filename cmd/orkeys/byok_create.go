package main

import (
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/orkeys/orkeys/facade"
)

// byokCreateOptions is byok create.
type byokCreateOptions struct {
	cmdBase
	conn         *clientFlags
	fs           *pflag.FlagSet
	Provider     string
	Name         string
	Workspace    workspaceValue
	Fallback     bool
	BYOKOnly     bool
	Required     bool
	Disabled     bool
	Models       listFlag
	Users        listFlag
	APIKeyHashes listFlag
	Key          providerKeySource
	DryRun       bool
	Output       outputFormat
}

func newBYOKCreateCmd(f *factory, conn *clientFlags, runF func(*byokCreateOptions) error) *cobra.Command {
	o := &byokCreateOptions{cmdBase: cmdBase{f: f}, conn: conn}
	cmd := &cobra.Command{
		Use:   "create --provider PROVIDER (--key-file PATH | --key-stdin)",
		Short: "Store a provider key; it is read from a file or stdin, never from a flag",
		Example: `  orkeys byok create --provider openai --name prod --key-file ~/.secrets/openai
  pass show openai | orkeys byok create --provider openai --key-stdin --allowed-models openai/gpt-4o
  orkeys byok create --provider anthropic --key-file key.txt --dry-run   # shows the key as [redacted]`,
		Args: byokNoArgs,
		RunE: runCommand(o, runF),
	}
	addOutputFlag(cmd, &o.Output, apiJSON+", without the key (the API never returns it)")
	fs := cmd.Flags()
	o.fs = fs
	fs.StringVar(&o.Provider, "provider", "", "the upstream provider, such as openai or anthropic (required)")
	fs.StringVar(&o.Name, "name", "", "a name to tell provider keys apart")
	addWorkspaceFlag(fs, &o.Workspace, "workspace the provider key serves")
	fs.BoolVar(&o.Fallback, "fallback", false, "try it only after the provider's other keys")
	fs.BoolVar(&o.BYOKOnly, "byok-only", false, "never fall back to OpenRouter's shared capacity for this provider")
	fs.BoolVar(&o.Required, "required", false, "serve the models it applies to only with your keys")
	fs.BoolVar(&o.Disabled, "disabled", false, "store it switched off")
	o.Models.add(fs, "allowed-models", "comma-separated model slugs it may serve (default: all)")
	o.Users.add(fs, "allowed-user-ids", "comma-separated members who may use it (default: all)")
	o.APIKeyHashes.add(fs, "allowed-api-key-hashes", "comma-separated hashes of the API keys that may use it (default: all)")
	o.Key.addFlags(fs, "the provider's key (required)")
	addDryRunFlag(fs, &o.DryRun)
	return cmd
}

func (o *byokCreateOptions) validate() error {
	switch {
	case strings.TrimSpace(o.Provider) == "":
		return usageErrorf("byok create needs --provider, such as --provider openai")
	case o.fs.Changed("name") && strings.TrimSpace(o.Name) == "":
		return usageErrorf("--name must not be empty")
	case !o.Key.given():
		return usageErrorf("byok create needs the provider key: --key-file PATH, or --key-stdin to read it from stdin (never a flag's value)")
	}
	if err := o.Key.validate(); err != nil {
		return err
	}
	return checkLists(o.fs, &o.Models, &o.Users, &o.APIKeyHashes)
}

func (o *byokCreateOptions) body() facade.CreateBYOKKeyRequestBody {
	fs := o.fs
	body := facade.CreateBYOKKeyRequestBody{
		Provider:            facade.BYOKProviderSlug(o.Provider),
		WorkspaceID:         o.Workspace.ptr(),
		AllowedModels:       o.Models.ptr(fs),
		AllowedUserIds:      o.Users.ptr(fs),
		AllowedAPIKeyHashes: o.APIKeyHashes.ptr(fs),
	}
	if fs.Changed("name") {
		body.Name = &o.Name
	}
	for flag, dst := range map[string]**bool{"fallback": &body.IsFallback, "byok-only": &body.IsByokOnly, "required": &body.IsRequired, "disabled": &body.Disabled} {
		if fs.Changed(flag) {
			v, _ := fs.GetBool(flag)
			*dst = &v
		}
	}
	return body
}

func (o *byokCreateOptions) run() error {
	key, err := o.Key.read(o.f)
	if err != nil {
		return err
	}
	c, rec, err := o.f.clientFor(o.conn, o.DryRun)
	if err != nil {
		return err
	}
	body := o.body()
	body.Key = key
	var raw []byte
	res, err := c.BYOK.Create(o.ctx, facade.CreateBYOKKeyRequest{RequestBody: body}, facade.WithResponseBodyInto(&raw))
	switch {
	case err != nil:
		return err
	case rec != nil:
		return o.f.writeDryRun(rec, o.Output)
	}
	return writeBYOK(o.f.io.Out, o.Output, raw, &res.Data)
}
