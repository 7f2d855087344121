package facade

import (
	"errors"
	"fmt"
)

// ErrInvalidInput matches, through errors.Is, every error orkeys returns for
// input it refused before sending anything: a bad option, request field or
// environment variable. Callers such as a CLI can tell "fix your input" from
// API and network failures with it:
//
//	if errors.Is(err, facade.ErrInvalidInput) { … exit 2 … }
var ErrInvalidInput = errors.New("orkeys: invalid input")

// InputError is input refused before anything was sent. It matches
// ErrInvalidInput, and its fields say what was refused, so that a program
// (a CLI naming its own flags, a form naming its fields) can point at the
// input without parsing the message:
//
//	var in *facade.InputError
//	if errors.As(err, &in) && in.Setting == "WithServerURL" { … }
type InputError struct {
	// Setting names what was refused, as a Go program writes it: an option
	// ("WithServerURL", "WithAPIKey", "WithInsecureHTTP"), or a request
	// field ("ListRequest.Offset", "CreateKeysRequestBody.Limit"). It is ""
	// when the refusal is about no one setting (a nil context).
	Setting string
	// Env is the environment variable that supplied the value ("" when an
	// option or a request did), such as EnvBaseURL.
	Env string
	// Problem is the whole refusal in Go terms, setting named: for example
	// "ListRequest.Offset -3: must not be negative".
	Problem string
}

// Error is the problem and where the value came from:
// "orkeys: server URL \"ftp://x\": scheme must be http or https (from $OPENROUTER_BASE_URL)".
func (e *InputError) Error() string {
	msg := "orkeys: " + e.Problem
	if e.Env != "" {
		msg += " (from $" + e.Env + ")"
	}
	return msg
}

// Is makes errors.Is(err, ErrInvalidInput) hold.
func (e *InputError) Is(target error) bool { return target == ErrInvalidInput }

// invalid refuses input that is about no one setting.
func invalid(problem string) error { return &InputError{Problem: problem} }

// refuse refuses setting's value; problem is the whole message, which names
// the setting as a Go programmer knows it.
func refuse(setting, problem string) error {
	return &InputError{Setting: setting, Problem: problem}
}

// refusef is refuse with a formatted problem.
func refusef(setting, format string, args ...any) error {
	return &InputError{Setting: setting, Problem: fmt.Sprintf(format, args...)}
}
