package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/orkeys/orkeys/internal/rules"
	"github.com/orkeys/orkeys/secret"
)

const byokLong = `Manage provider keys (bring your own key): the OpenAI, Anthropic, …
keys OpenRouter uses on your behalf.

A provider key is read only from a file (--key-file PATH) or from stdin
(--key-stdin), never from a flag's value or an argument, so that it stays out
of shell history and process listings. It is never printed: the API answers
with a masked label, and --dry-run shows the key as [redacted].`

func (f *factory) byokCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "byok",
		Short: "List, create, get, update and delete provider keys (bring your own key; needs a management key)",
		Long:  byokLong,
		Args:  noArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cf := addClientFlags(cmd.PersistentFlags())
	cmd.AddCommand(
		newBYOKListCmd(f, cf, nil),
		newBYOKGetCmd(f, cf, nil),
		newBYOKCreateCmd(f, cf, nil),
		newBYOKUpdateCmd(f, cf, nil),
		newBYOKDeleteCmd(f, cf, nil),
	)
	return cmd
}

// The byok commands never echo an argument: a provider key pasted where
// an ID goes must not reach the terminal or a CI log.

// byokNoArgs is noArgs for byok create and list.
func byokNoArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	return usageErrorf("%s takes no arguments, got %d (not shown); the provider key comes from --key-file PATH or --key-stdin", name(cmd), len(args))
}

// byokIDArg checks the one ID argument of byok get, update and delete (a
// UUID, rules.UUID) before anything is sent, and stores it in dst.
func byokIDArg(dst *string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != 1 {
			return usageErrorf("%s takes one ID ('orkeys byok list' shows them), got %d arguments", name(cmd), len(args))
		}
		if rules.UUID(args[0]) != nil {
			return usageErrorf("ID (not shown) is not a UUID; 'orkeys byok list' shows the IDs")
		}
		*dst = args[0]
		return nil
	}
}

// maxProviderKey bounds what --key-file and --key-stdin read: provider keys
// are far shorter, and a wrong file must not be read whole into memory.
const maxProviderKey = 16 << 10

// providerKeySource is --key-file PATH or --key-stdin.
type providerKeySource struct {
	File  string
	Stdin bool
	fs    *pflag.FlagSet
}

func (s *providerKeySource) addFlags(fs *pflag.FlagSet, what string) {
	s.fs = fs
	fs.StringVar(&s.File, "key-file", "", what+", read from this file (one line)")
	fs.BoolVar(&s.Stdin, "key-stdin", false, what+", read from stdin (one line)")
}

// given reports whether the command line names a source.
func (s *providerKeySource) given() bool { return s.fs.Changed("key-file") || s.Stdin }

func (s *providerKeySource) validate() error {
	if err := exclusive(s.fs, "key-file", "key-stdin", "the provider key comes from one of them"); err != nil {
		return err
	}
	if s.fs.Changed("key-file") && s.File == "" {
		return usageErrorf("--key-file needs a path")
	}
	return nil
}

// read returns the provider key from its source: the file, stdin, or, when
// stdin is a terminal, one line typed at a prompt without echo. No message
// it makes holds any of what was read.
func (s *providerKeySource) read(f *factory) (secret.Key, error) {
	var raw []byte
	var err error
	where := "--key-stdin"
	switch {
	case s.Stdin && f.isTerminal(f.io.In):
		fmt.Fprint(f.io.ErrOut, "Provider key (not shown as you type): ")
		raw, err = f.readHidden(f.io.In)
		fmt.Fprintln(f.io.ErrOut)
		if err != nil {
			return secret.Key{}, &localIOError{op: "read the provider key from the terminal", err: err}
		}
	case s.Stdin:
		raw, err = io.ReadAll(io.LimitReader(f.io.In, maxProviderKey+1))
		if err != nil {
			return secret.Key{}, &localIOError{op: "read the provider key from stdin", err: err}
		}
	default:
		where = "--key-file " + s.File
		if raw, err = s.readFile(); err != nil {
			return secret.Key{}, err
		}
	}
	defer clear(raw)
	// A byte-order mark is the editor's, not the key's.
	key := bytes.TrimSpace(bytes.TrimPrefix(raw, []byte("\ufeff")))
	switch {
	case len(raw) > maxProviderKey:
		return secret.Key{}, usageErrorf("%s: more than %d bytes; a provider key is one line", where, maxProviderKey)
	case len(key) == 0:
		return secret.Key{}, usageErrorf("%s: empty; it must hold the provider key", where)
	case bytes.ContainsFunc(key, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }):
		return secret.Key{}, usageErrorf("%s: more than one word or line; it must hold the provider key alone", where)
	}
	if err := rules.ProviderKey(string(key)); err != nil {
		return secret.Key{}, usageErrorf("%s: %s", where, err)
	}
	return secret.New(string(key)), nil
}

// readFile reads --key-file. A path that does not open and looks like a
// key rather than a file name (the key pasted in place of its path) is not
// shown.
func (s *providerKeySource) readFile() ([]byte, error) {
	file, err := os.Open(s.File)
	if errors.Is(err, fs.ErrNotExist) && looksLikeAKey(filepath.Base(s.File)) {
		return nil, usageErrorf("--key-file: no such file, and the value (not shown) looks like a key rather than a path: give the path of a file that holds the key")
	}
	if err != nil {
		return nil, &localIOError{op: "read --key-file", err: err}
	}
	defer file.Close()
	raw, err := io.ReadAll(io.LimitReader(file, maxProviderKey+1))
	if err != nil {
		return nil, &localIOError{op: "read --key-file " + s.File, err: err}
	}
	return raw, nil
}

// looksLikeAKey reports whether a file name is one long word of key
// characters with no extension: more likely a key than a file's name.
func looksLikeAKey(path string) bool {
	return len(path) >= rules.MinProviderKey && !strings.ContainsAny(path, "/.\\") &&
		!strings.ContainsFunc(path, func(r rune) bool {
			return !(r == '-' || r == '_' || r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)))
		})
}

// listFlag is a comma-separated restriction list of byok create and update
// (--allowed-models and the like). Given empty it is refused: the API
// refuses an empty list, and no list at all means "no restriction".
type listFlag struct {
	name string
	v    []string
}

func (l *listFlag) add(fs *pflag.FlagSet, name, usage string) {
	l.name = name
	fs.StringSliceVar(&l.v, name, nil, usage)
}

func (l *listFlag) check(fs *pflag.FlagSet) error {
	if !fs.Changed(l.name) {
		return nil
	}
	for _, s := range l.v {
		if strings.TrimSpace(s) == "" {
			return usageErrorf("--%s must not hold an empty entry", l.name)
		}
	}
	if len(l.v) == 0 {
		return usageErrorf("--%s must not be empty: leave it out for no restriction", l.name)
	}
	return nil
}

// ptr is the list for a create body: nil when not given.
func (l *listFlag) ptr(fs *pflag.FlagSet) *[]string {
	if !fs.Changed(l.name) {
		return nil
	}
	v := l.v
	return &v
}

func checkLists(fs *pflag.FlagSet, lists ...*listFlag) error {
	for _, l := range lists {
		if err := l.check(fs); err != nil {
			return err
		}
	}
	return nil
}
