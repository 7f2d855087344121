package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/orkeys/orkeys/facade"
)

// byokUpdateOptions is byok update: only the flags given are sent. A new
// key (--key-file or --key-stdin) rotates the stored one in place.
type byokUpdateOptions struct {
	cmdBase
	conn         *clientFlags
	fs           *pflag.FlagSet
	ID           string
	Name         string
	Disable      bool
	Enable       bool
	Fallback     bool
	BYOKOnly     bool
	Required     bool
	Models       listFlag
	Users        listFlag
	APIKeyHashes listFlag
	Key          providerKeySource
	DryRun       bool
	Output       outputFormat
}

func newBYOKUpdateCmd(f *factory, conn *clientFlags, runF func(*byokUpdateOptions) error) *cobra.Command {
	o := &byokUpdateOptions{cmdBase: cmdBase{f: f}, conn: conn}
	cmd := &cobra.Command{
		Use:   "update ID [flags]",
		Short: "Change a provider key; a new --key-file or --key-stdin rotates it in place",
		Example: `  orkeys byok update 5b3c…9e0f --key-file ~/.secrets/openai-new   # rotate
  orkeys byok update 5b3c…9e0f --allowed-models openai/gpt-4o,openai/o3
  orkeys byok update 5b3c…9e0f --no-allowed-models --disable`,
		Args: byokIDArg(&o.ID),
		RunE: runCommand(o, runF),
	}
	addOutputFlag(cmd, &o.Output, apiJSON+", without the key (the API never returns it)")
	fs := cmd.Flags()
	o.fs = fs
	fs.StringVar(&o.Name, "name", "", "new name")
	fs.BoolVar(&o.Disable, "disable", false, "switch it off")
	fs.BoolVar(&o.Enable, "enable", false, "switch it back on")
	fs.BoolVar(&o.Fallback, "fallback", false, "try it only after the provider's other keys (=false to stop)")
	fs.BoolVar(&o.BYOKOnly, "byok-only", false, "never fall back to OpenRouter's shared capacity (=false to stop)")
	fs.BoolVar(&o.Required, "required", false, "serve the models it applies to only with your keys (=false to stop)")
	for _, l := range []struct {
		f          *listFlag
		name, what string
	}{{&o.Models, "allowed-models", "model slugs it may serve"}, {&o.Users, "allowed-user-ids", "members who may use it"}, {&o.APIKeyHashes, "allowed-api-key-hashes", "hashes of the API keys that may use it"}} {
		l.f.add(fs, l.name, "replace the comma-separated "+l.what)
		fs.Bool("no-"+l.name, false, "lift the restriction of --"+l.name+" (sends null)")
	}
	o.Key.addFlags(fs, "a new provider key, replacing the stored one")
	addDryRunFlag(fs, &o.DryRun)
	return cmd
}

// byokSettings are the flags of byok update that change a setting.
var byokSettings = []string{"name", "disable", "enable", "fallback", "byok-only", "required",
	"allowed-models", "no-allowed-models", "allowed-user-ids", "no-allowed-user-ids", "allowed-api-key-hashes", "no-allowed-api-key-hashes"}

func (o *byokUpdateOptions) validate() error {
	_, err := o.body()
	return err
}

// body holds exactly the flags given, without the key, which run reads.
func (o *byokUpdateOptions) body() (facade.UpdateBYOKKeyRequestBody, error) {
	fs := o.fs
	var body facade.UpdateBYOKKeyRequestBody
	if err := exclusive(fs, "disable", "enable", "give one"); err != nil {
		return body, err
	}
	if err := o.Key.validate(); err != nil {
		return body, err
	}
	if err := checkLists(fs, &o.Models, &o.Users, &o.APIKeyHashes); err != nil {
		return body, err
	}
	if fs.Changed("name") {
		if strings.TrimSpace(o.Name) == "" {
			return body, usageErrorf("--name must not be empty")
		}
		body.Name = facade.Value(o.Name)
	}
	if fs.Changed("disable") {
		body.Disabled = facade.Ptr(o.Disable)
	}
	if fs.Changed("enable") {
		body.Disabled = facade.Ptr(!o.Enable)
	}
	for flag, dst := range map[string]**bool{"fallback": &body.IsFallback, "byok-only": &body.IsByokOnly, "required": &body.IsRequired} {
		if fs.Changed(flag) {
			v, _ := fs.GetBool(flag)
			*dst = &v
		}
	}
	for _, l := range []struct {
		f   *listFlag
		dst *facade.Nullable[[]string]
	}{{&o.Models, &body.AllowedModels}, {&o.Users, &body.AllowedUserIds}, {&o.APIKeyHashes, &body.AllowedAPIKeyHashes}} {
		if err := exclusive(fs, l.f.name, "no-"+l.f.name, "--"+l.f.name+" replaces the list, --no-"+l.f.name+" lifts it"); err != nil {
			return body, err
		}
		if fs.Changed(l.f.name) {
			*l.dst = facade.Value(l.f.v)
		}
		if fs.Changed("no-" + l.f.name) {
			if lift, _ := fs.GetBool("no-" + l.f.name); !lift {
				return body, usageErrorf("--no-%s=false means nothing; leave the flag out to keep the list", l.f.name)
			}
			*l.dst = facade.Null[[]string]()
		}
	}
	if !o.Key.given() && !slices.ContainsFunc(byokSettings, fs.Changed) {
		return body, usageErrorf("nothing to update: give a new key (--key-file, --key-stdin) or at least one setting; see --help")
	}
	return body, nil
}

func (o *byokUpdateOptions) run() error {
	body, _ := o.body() // validate checked it
	if o.Key.given() {
		key, err := o.Key.read(o.f)
		if err != nil {
			return err
		}
		body.Key = &key
	}
	c, rec, err := o.f.clientFor(o.conn, o.DryRun)
	if err != nil {
		return err
	}
	var raw []byte
	res, err := c.BYOK.Update(o.ctx, facade.UpdateBYOKKeyRequest{ID: o.ID, RequestBody: body}, facade.WithResponseBodyInto(&raw))
	switch {
	case err != nil:
		return err
	case rec != nil:
		return o.f.writeDryRun(rec, o.Output)
	case o.Key.given() && o.Output != formatJSON:
		// The label is the one sign, for a person, that the key changed.
		fmt.Fprintln(o.f.io.ErrOut, "Provider key replaced; its label shows the new one.")
	}
	return writeBYOK(o.f.io.Out, o.Output, raw, &res.Data)
}
