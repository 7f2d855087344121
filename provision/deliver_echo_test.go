package provision

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/orkeys/orkeys/secret"
)

// A failing receiver that prints the plaintext changed (upper-cased,
// base64, a prefix) must not carry it into the error, while its ordinary
// error text still shows.
func TestExecFailureDoesNotEchoAChangedPlaintext(t *testing.T) {
	raw := "sk-or-v1-" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	pt := secret.New(raw)
	for _, c := range []struct{ cmd, leak string }{
		{"tr a-z A-Z; echo 'vault: permission denied' >&2; exit 1", strings.ToUpper(raw)[9:30]},
		{"base64 -w0; echo; echo 'vault: permission denied' >&2; exit 1", base64.StdEncoding.EncodeToString([]byte(raw))[:24]},
		{"head -c 30; echo; echo 'vault: permission denied' >&2; exit 1", raw[9:30]},
	} {
		err := runReceiver(context.Background(), c.cmd, "", pt)
		if err == nil {
			t.Fatalf("%s: exit 1 passed", c.cmd)
		}
		if strings.Contains(err.Error(), c.leak) {
			t.Errorf("%s: the error echoes the changed plaintext: %v", c.cmd, err)
		}
		if !strings.Contains(err.Error(), "vault: permission denied") {
			t.Errorf("%s: the receiver's own error is lost: %v", c.cmd, err)
		}
	}
}
