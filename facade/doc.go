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
// The key never appears in an error string, a log record or fmt output of a
// Client, and a server that echoes it back has it cut out of the error.
// The plaintext of a new key (CreateKeysResponse.Key) is a SecretKey that
// prints redacted; Reveal returns it.
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
// model included), WithLogger, WithInsecureHTTP and WithPageConcurrency
// (read-ahead of APIKeysListAll), and the attribution
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
// (from 0) is 500 ms × 1.5^n with ±25% jitter, capped at 30 s; no retry
// starts past 2 minutes after the first attempt, nor past the context's
// deadline. A Retry-After (seconds or HTTP-date) or retry-after-ms hint is a
// floor for the wait; a hint longer than MaxInterval or than the time left
// ends the call at once, with the hint in APIError.RetryAfter.
// RetryConfig{Strategy: "none"} makes exactly one attempt.
//
// POST /keys is special: a retry after the server acted would mint a second
// live key. It is re-sent only on 429 and when no connection was made
// (refused, DNS, TLS handshake). On a 5XX, a timeout, a connection lost
// after it was made, or a 2XX whose body cannot be read, it returns a
// *MaybeCreatedError: list the keys with that name before creating it again.
// GET, PATCH and DELETE are idempotent; their retries re-send the same bytes.
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
// connection. A 2XX body that does not decode is an error naming the
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
// Keys come in page order. While the loop works through one page, the next
// ones are fetched ahead, up to WithPageConcurrency(n) requests in flight
// (default 4; 1 fetches each page only when the loop needs it). The first
// page goes alone, so a walk that fits in one page sends one request; past
// the last page a walk sends at most n−1 requests, and it holds at most n+1
// pages in memory. A 429 on any page drops the walk to one request at a
// time. The walk stops after a short or empty page or when the loop breaks
// (cancelling what is in flight; no goroutine outlives the loop), yields an
// error at most once as its last value, and does not change req. A page
// that repeats the previous page's keys (a server ignoring offset) ends the
// walk with an error. The API has no cursor: keys created or deleted during
// a walk can shift the offsets.
//
// # Connections
//
// Without WithHTTPClient, every Client of the process sends through one
// shared transport: a clone of http.DefaultTransport that keeps up to 32
// idle connections per host, so that concurrent calls reuse connections
// rather than opening new ones. A client given with WithHTTPClient is used
// as given.
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
