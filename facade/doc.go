// Package facade is the orkeys client for OpenRouter's API-key management
// API: list, create, get, update and delete keys, and describe the calling
// key.
//
// Every operation exists twice, as a standalone Result-style function named
// after the TypeScript SDK's (APIKeysList, APIKeysCreate, APIKeysUpdate,
// APIKeysDelete, APIKeysGet, APIKeysGetCurrentKeyMetadata) and as a method on
// Client.APIKeys that calls it:
//
//	c, err := facade.New() // key and base URL from the environment
//	page, err := facade.APIKeysList(ctx, c, facade.ListRequest{})
//	page, err = c.APIKeys.List(ctx, facade.ListRequest{})
//
// A Client is safe for concurrent use; make one and share it.
//
// # Authentication
//
// Requests carry "Authorization: Bearer KEY". New reads the key from
// OPENROUTER_API_KEY (surrounding whitespace trimmed) unless WithAPIKey says
// otherwise; WithAPIKeyFunc instead asks a function before every attempt, for
// keys that rotate, and an error from it fails the call before anything is
// sent. A Client may be made without a key and given one per call; a call
// that has none fails before sending.
//
// The /keys operations need a management key (older documents say
// provisioning key); OpenRouter refuses POST /keys with a regular key with a
// 403, a *ForbiddenResponseError. GET /key works with any valid key.
//
// The key is sent only to the configured server: a redirect to another
// scheme, host or port loses the Authorization header, and plain http:// is
// refused for hosts other than loopback unless WithInsecureHTTP is given.
// See "What never leaves the process" for where keys are never shown.
//
// # What never leaves the process
//
// orkeys keeps keys out of everything it prints, logs or returns, by these
// rules. Both key prefixes count as keys: sk-or-v1- and the management
// keys' sk-or-mgmt-.
//
//   - The API key goes out only in the Authorization header, to the
//     configured origin (see above). No error string, log record, Attempt
//     or fmt output of a Client holds it.
//   - A new key's plaintext (CreateKeysResponse.Key) is a SecretKey. fmt
//     (every verb, %p included), slog (every handler), encoding/json,
//     encoding/xml and text marshalling give the redacted form
//     ("sk-or-v1-d35…855d", "sk-or-mgmt-abc…wxyz"); gob refuses it. The
//     plaintext comes out only through Reveal. A CreateKeysResponse logged
//     as JSON is therefore safe; to store the key, write Reveal() yourself.
//   - A server that echoes a key, the request's own or any key-shaped
//     token, raw or JSON-escaped ("\u0073k-or-v1-…"), in the body, the
//     message, the metadata or a header name or value, has it cut out of
//     the APIError.
//   - The server URL may not hold user info, a query or a fragment (New
//     refuses them without repeating them). A key in its path, or anywhere
//     in a redirect's target, is cut out of every URL orkeys shows: option
//     and environment errors, the *url.Error of a transport failure (whose
//     URL field is rewritten), and fmt output of a Client. ServerURL returns
//     the URL as given.
//   - What the caller asks for raw stays raw: WithResponseBodyInto copies a
//     create's body, plaintext included, and WithResponseInto's
//     *http.Response carries the server's header as sent.
//
// None of this is a security boundary inside the process: code that reads
// unexported fields by reflection or unsafe can still find a key.
//
// # Request options
//
// One Option type serves both levels. Options given to New set the client's
// defaults, after the environment; options given to a call are applied after
// the client's, for that call only, and do not change the client:
//
//	c.APIKeys.Get(ctx, req, facade.WithHeader("X-Trace", id), facade.WithTimeout(5*time.Second))
//
// The options are WithAPIKey, WithAPIKeyFunc, WithServerURL (default
// https://openrouter.ai/api/v1, or OPENROUTER_BASE_URL), WithHTTPClient,
// WithHeader, WithTimeout (the whole call, retries included),
// WithAttemptTimeout, WithRetryConfig, WithUserAgent (default
// "orkeys-go/VERSION (…)"), WithResponseInto (the raw *http.Response),
// WithResponseBodyInto (the raw JSON of a success, fields orkeys does not
// model included), WithLogger and WithInsecureHTTP, and the attribution
// headers:
// WithHTTPReferer (HTTP-Referer), WithXTitle (X-OpenRouter-Title and, for
// older deployments, X-Title) and WithAppCategories (X-OpenRouter-Categories),
// which default to OPENROUTER_HTTP_REFERER, OPENROUTER_APP_TITLE and
// OPENROUTER_APP_CATEGORIES (comma-separated).
//
// An option given bad input (an unparsable URL, a header value with a line
// break, a negative timeout, an invalid RetryConfig, …) makes New or the call
// return an error naming it, before anything is sent. So does bad request
// input: an empty name or hash, a negative or NaN limit, an unknown
// limit_reset, a negative offset, a workspace ID that is not a UUID.
//
// # Retries
//
// The zero RetryConfig retries 408, 429, 500, 502, 503 and 504, and
// connection failures, never 501 or another 4XX. The wait before retry n
// (from 0) is 500 ms × 1.5^n with ±25% jitter, capped at 30 s (MaxInterval
// caps the wait with its jitter); no retry starts past 2 minutes after the
// first attempt, nor past the context's deadline. InitialInterval and
// MaxInterval above MaxBackoffInterval (1000 hours) are taken as it, so no
// setting overflows into a zero or negative wait. A Retry-After (seconds or HTTP-date) or retry-after-ms hint is a
// floor for the wait; a hint longer than MaxInterval or than the time left
// ends the call at once, with the hint in APIError.RetryAfter.
// RetryConfig{Strategy: "none"} makes exactly one attempt.
//
// POST /keys is special: a retry after the server acted would mint a second
// live key. It is re-sent only on 429 and when no connection was made
// (refused, DNS, TLS handshake). On a 5XX, a timeout, a connection lost
// after it was made, or a 2XX whose body cannot be read or is over the cap,
// it returns a *MaybeCreatedError: list the keys with that name before
// creating it again. net/http would re-send a POST by itself, on a new
// connection, when it carries an Idempotency-Key or X-Idempotency-Key header
// and a reused connection drops after the request went out; orkeys makes
// such a create attempt non-rewindable, so exactly one POST goes out (a
// 307 or 308 redirect of it is then not followed either).
// GET, PATCH and DELETE are idempotent; their retries re-send the same bytes.
//
// Once a status has arrived, it decides the outcome: a 4XX whose body is
// cut short is that 4XX (not retried), carrying the part of the body that
// came; a 5XX cut short is retried as a 5XX. A 2XX is usable only whole: one
// cut short is a failed attempt, retried like a dropped connection. A 2XX
// body over 64 MiB is not retried (another attempt would bring the same);
// the error names the cap. A Content-Length over the cap is refused unread,
// and decompressed bytes count against the cap as they are read, so a gzip
// bomb costs memory in proportion to the cap. A gzip answer that net/http
// did not decompress (a transport with DisableCompression, or
// Accept-Encoding set with WithHeader) is decompressed under the same cap.
//
// WithTimeout bounds a whole call, waits included; WithAttemptTimeout bounds
// one attempt, which is retried (with RetryConnectionErrors) while the budget
// allows. Cancelling the context ends a wait at once. Before a retry the
// previous body is drained (a few KiB at most) and closed, so the
// connection is reused; error bodies are kept up to 1 MiB. A call that made
// more than one attempt and failed returns a *RetryError ("giving up after 4
// attempts: …") that unwraps to the last attempt's error.
//
// WithLogger writes one Debug record per attempt (method, path template,
// status, attempt, duration, and the wait before the next) and a Warn when
// a call gives up on a failure retrying could fix. Records never hold
// header values, bodies, error text or keys.
//
// # Errors
//
// Every non-2XX answer is an error that errors.As turns into *APIError
// (StatusCode, Code and CodeText, Message, Metadata, Header, and the raw Body
// read up to 1 MiB) and into the type for its status: BadRequestResponseError
// (400), UnauthorizedResponseError (401), ForbiddenResponseError (403),
// NotFoundResponseError (404), TooManyRequestsResponseError (429),
// InternalServerResponseError (500), or OpenRouterDefaultError for any other
// status. errors.As reaches both through *RetryError and *MaybeCreatedError
// too. A body that is not the documented JSON envelope (an HTML page from a
// proxy, an empty body, error.code as a string, error as a plain string)
// still gives the typed error with its status, and a short excerpt as
// Message. Error() is one line:
//
//	openrouter: 404 Not Found: Resource not found (GET /keys/{hash})
//
// Other failures come back wrapped with %w: errors.Is(err, context.Canceled)
// or context.DeadlineExceeded holds for a cancelled or timed-out call, and
// errors.As(err, &urlErr) finds the *url.Error of a refused or dropped
// connection, its URL with keys cut out. A 2XX body that does not decode is an error naming the
// operation, wrapping the encoding/json error.
//
// Input refused before anything is sent (a bad option, request field or
// OPENROUTER_* variable) is an error naming the field that matches
// errors.Is(err, ErrInvalidInput). A bad environment variable fails New
// only when no option replaces the setting it feeds.
//
// # Pagination
//
// GET /keys returns at most PageSize (100) keys. APIKeysListAll, or
// Client.APIKeys.All, walks the pages as an iter.Seq2, from req.Offset on:
//
//	for key, err := range c.APIKeys.All(ctx, facade.ListRequest{}) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(key.Name)
//	}
//
// It fetches a page only when the loop needs it, holds one page at a time,
// stops after a short or empty page or when the loop breaks, yields an error
// at most once as its last value, and does not change req. The API has no
// cursor: keys created or deleted during a walk can shift the offsets.
//
// # Using generated types directly
//
// The request and response types are aliases of package gen's models,
// generated by oapi-codegen from api/openapi.yaml, so values pass between
// the facade and gen unchanged. Response fields that may be JSON null are
// pointers (nil for null). Request fields that can be left out, sent as null
// or sent with a value use nullable.Nullable from
// github.com/oapi-codegen/nullable: leave the field unset to leave the value
// alone, nullable.NewNullNullable to clear it (PATCH limit and limit_reset),
// nullable.NewNullableWithValue to set it. LimitReset is a string type: a
// value the API adds later decodes as is, and LimitReset.Valid reports
// whether orkeys knows it. For anything the facade does not cover,
// gen.NewClientWithResponses is the full generated client; it has none of
// the facade's checks, retries or redaction.
package facade
