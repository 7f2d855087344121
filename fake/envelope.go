package fake

import (
	"encoding/json"
	"net/http"

	"github.com/orkeys/orkeys/gen"
)

// The messages the fake answers with, for tests that match on them.
const (
	msgNoCredentials    = "No auth credentials found"
	msgUnknownKey       = "User not found."
	msgDisabledKey      = "This API key is disabled"
	msgExpiredKey       = "This API key has expired"
	msgManagementOnly   = "Only management keys can perform this operation"
	msgBodyTooLarge     = "Request body too large"
	msgUnreadableBody   = "Could not read the request body"
	msgInternal         = "Internal Server Error"
	msgMethodNotAllowed = "Method Not Allowed"
)

// envelope is the documented error body: {"error":{"code":…,"message":…}}.
func envelope(status int, message string) gen.ErrorResponse {
	return gen.ErrorResponse{Error: gen.ErrorDetail{Code: status, Message: message}}
}

// writeError answers with status and the documented error envelope.
func writeError(w http.ResponseWriter, status int, message string) {
	writeJSON(w, status, envelope(status, message))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil { // cannot happen for the fake's own types
		status = http.StatusInternalServerError
		body, _ = json.Marshal(envelope(status, msgInternal))
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n'))
}

// defaultFaultBody is the envelope a scripted fault answers with when it
// names no body: the status and its standard text.
func defaultFaultBody(status int) []byte {
	text := http.StatusText(status)
	if text == "" {
		text = "Error"
	}
	body, _ := json.Marshal(envelope(status, text))
	return body
}
