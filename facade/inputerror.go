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

// inputError keeps the message as written (field named, no sentinel text
// appended) while matching ErrInvalidInput.
type inputError struct{ msg string }

func (e *inputError) Error() string        { return e.msg }
func (e *inputError) Is(target error) bool { return target == ErrInvalidInput }

func invalid(msg string) error { return &inputError{msg} }

func invalidf(format string, args ...any) error {
	return &inputError{fmt.Sprintf(format, args...)}
}
