// Package facade is the orkeys client for OpenRouter's API-key management
// API: list, create, get, update and delete keys, describe the calling key,
// and read the account's credits and activity.
//
// Every operation exists twice, as a standalone Result-style function named
// after the TypeScript SDK's (APIKeysList, APIKeysCreate, APIKeysUpdate,
// APIKeysDelete, APIKeysGet, APIKeysGetCurrentKeyMetadata, CreditsGetCredits,
// AnalyticsGetUserActivity) and as a method on a service of Client
// (c.APIKeys, c.Credits, c.Analytics) that calls it:
//
//	c, err := facade.New() // key and base URL from the environment
//	page, err := facade.APIKeysList(ctx, c, facade.ListRequest{})
//	page, err = c.APIKeys.List(ctx, facade.ListRequest{})
//
// A Client is safe for concurrent use; make one and share it.
//
// # The management plane
//
// Beyond keys, the facade manages what an organization runs around them,
// under the TypeScript SDK's names and as methods of c.Guardrails,
// c.Workspaces and c.Organization:
//
//   - guardrails: GuardrailsList, GuardrailsCreate, GuardrailsGet,
//     GuardrailsUpdate, GuardrailsDelete; their keys:
//     GuardrailsBulkAssignKeys, GuardrailsBulkUnassignKeys,
//     GuardrailsListGuardrailKeyAssignments; their members:
//     GuardrailsBulkAssignMembers, GuardrailsBulkUnassignMembers,
//     GuardrailsListGuardrailMemberAssignments; and every guardrail's:
//     GuardrailsListKeyAssignments, GuardrailsListMemberAssignments;
//   - workspaces: WorkspacesList, WorkspacesCreate, WorkspacesGet,
//     WorkspacesUpdate, WorkspacesDelete; members: WorkspacesListMembers,
//     WorkspacesBulkAddMembers, WorkspacesBulkRemoveMembers; budgets:
//     WorkspacesListBudgets, WorkspacesGetBudget, WorkspacesSetBudget,
//     WorkspacesDeleteBudget;
//   - the organization: OrganizationListMembers;
//   - provider keys (bring your own key), as methods of c.BYOK: BYOKList,
//     BYOKCreate, BYOKGet, BYOKUpdate, BYOKDelete.
//
// A provider key is a SecretKey in CreateBYOKKeyRequestBody.Key and
// UpdateBYOKKeyRequestBody.Key: redacted in fmt, slog and JSON, revealed
// only into the request's bytes, and scrubbed from any error the call
// returns; answers hold only a masked label. Rotating it is BYOKUpdate with
// a new Key, one PATCH that replaces it in place and returns no secret, so
// a separate rotate function would add nothing. The restriction lists
// (AllowedModels, AllowedUserIds, AllowedAPIKeyHashes) are tri-state on an
// update: unset keeps, Null clears, Value sets; an empty list is refused
// before sending. POST /byok follows the create rule.
//
// Every list has an …All walk (GuardrailsListAll, c.Guardrails.All,
// WorkspacesListMembersAll, …), and APIKeysListAllWorkspaces
// (c.APIKeys.AllWorkspaces) walks the keys of every workspace, where GET
// /keys lists one. These lists page with offset and limit
// (PlanePageSize, 100, at most) and report total_count: a walk asks for
// full pages, stops when it reaches total_count, and refuses a server that
// does not progress (an empty page short of the total, a page of records
// all seen before). As APIKeysListAll, it merges options once, reads ahead
// after the first page (WithPageConcurrency; never past total_count),
// drops to one request at a time after a 429, yields an error at most once
// as its last value, and leaves nothing running when the loop breaks.
//
// PATCH replaces lists whole (send the full set of allowed models or
// providers) and tells absent, Null and Value apart as for keys. Input is
// checked before sending, with the rules the fake applies: guardrail ids
// are UUIDs; workspaces are named by UUID or slug; slugs are lowercase
// letters and digits joined by single hyphens; budget intervals are daily,
// weekly, monthly or lifetime; limit_usd is 0 or more (a budget's more
// than 0); a guardrail's LimitUsd needs a ResetInterval; a list sent is not
// empty.
//
// Retries: the PUT, PATCHes and DELETEs are idempotent and retried like the
// key calls. POST /guardrails and POST /workspaces create things and follow
// the create rule below: never re-sent once the server may have acted, and
// a *MaybeCreatedError (Kind "guardrail" or "workspace") when that is left
// open. The bulk POSTs (GuardrailsBulkAssignKeys, …UnassignKeys,
// …AssignMembers, …UnassignMembers, WorkspacesBulkAddMembers,
// …RemoveMembers) are idempotent in effect: the same list sent twice leaves
// the same assignments or memberships (only the counts in the answer can
// differ), so they are retried too; the spec marks them x-orkeys-idempotent.
//
// Errors are typed per status, as for keys. A 403 keeps the API's message,
// so one from a met workspace budget says so.
//
// Audit (and AuditOf, on data already fetched) lists what an operator
// should look at across every workspace: enabled keys without a limit,
// unused for 30 days (a key never used counts once it is that old),
// expiring within 7 days or past 80% of their limit this window; disabled
// keys still holding a guardrail; provider keys that no enabled API key may
// use. Each finding names the key and the reason.
//
// # How it is built
//
// Package gen is generated by oapi-codegen from api/openapi.yaml: the models
// and a low-level client. Every facade call travels one road: its options
// are merged into the client's once, gen's request builder (NewGetKeyRequest
// and its kind) makes the request, the facade sends it with its policy
// (auth and headers, retries and the create rule, capped reads, redaction,
// typed errors and logging), and the answer's body, read once, is decoded
// once into gen's response model. The request and response types are gen's
// (ListRequest is gen.ListKeysParams), so a parameter or field added to the
// spec reaches facade users through `make generate` alone, and a new
// operation takes one short function.
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
// origin (scheme, host or port, compared with the call's first request, not
// the previous hop) loses the Authorization header, and plain http:// is
// refused for hosts other than loopback unless WithInsecureHTTP is given.
// No redirect carries Referer, which net/http would set to the previous
// URL, path included. A request other than GET or HEAD is not followed to
// another origin at all: a create's 307 or 308 would resend its body
// (external.api_key included) there and return that host's 201 as the new
// key, so the call fails instead, with a *MaybeCreatedError, since the
// configured server answered and orkeys cannot see what it did; the error
// is not retried. Within the configured origin a redirect is followed as
// net/http does (a 307 or 308 repeats the request with its body and key):
// the server the caller chose already had both.
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
// To hand a new key on, call Reveal where it must leave the program:
//
//	res, err := c.APIKeys.Create(ctx, req)
//	store.Put(res.Data.Hash, res.Key.Reveal())
//
// # Request options
//
// One Option type serves both levels. Options given to New set the client's
// defaults, after the environment; options given to a call are applied after
// the client's, for that call only, and do not change the client. An option
// that means nothing at the level it is given is refused with
// ErrInvalidInput, naming it: WithEnv on a call (a call reads no
// environment), WithResponseInto and WithResponseBodyInto on New (every call
// would write the same destination), WithPageConcurrency on a call that
// sends one request (it has no read-ahead).
//
//	c.APIKeys.Get(ctx, req, facade.WithHeader("X-Trace", id), facade.WithTimeout(5*time.Second))
//
// The options are WithEnv (where New reads the OPENROUTER_* variables
// from: EnvAPIKey, EnvBaseURL, …), WithAPIKey, WithAPIKeyFunc,
// WithServerURL (default
// https://openrouter.ai/api/v1, or OPENROUTER_BASE_URL), WithHTTPClient,
// WithHeader, WithTimeout (the whole call, retries included),
// WithAttemptTimeout, WithRetryConfig, WithUserAgent (default
// "orkeys-go/VERSION (…)"), WithResponseInto (the raw *http.Response),
// WithResponseBodyInto (the raw JSON of a success, fields orkeys does not
// model included), WithLogger, WithAttemptHook, WithInsecureHTTP and
// WithPageConcurrency (read-ahead of APIKeysListAll), and the attribution
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
// connection failures, never 501 or another 4XX. A RetryConfig that sets
// some fields keeps the defaults of the others. The wait before retry n
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
// a call gives up on a failure retrying could fix. WithAttemptHook gives the
// same facts typed, as an Attempt, for progress messages and metrics.
// Neither ever holds header values, bodies, error text or keys.
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
// When orkeys can tell what to do about an error, APIError.Hint says it, and
// Error() ends with it (a key appears in it only redacted): a 404 of an
// operation from a server URL without /api/v1 points at that path; a 401
// names the key's form (a management key or not, redacted) and where it came
// from (WithAPIKey, WithAPIKeyFunc or $OPENROUTER_API_KEY); a 403 on a /keys
// operation (or any but GET /key) says that a management key is needed; a 429 not retried because
// its Retry-After is past the retry budget names the wait and the time it
// points to. InputError.Hint does the same for input (WithHeader refuses
// Authorization naming WithAPIKey).
//
// Other failures come back wrapped with %w: errors.Is(err, context.Canceled)
// or context.DeadlineExceeded holds for a cancelled or timed-out call, and
// errors.As(err, &urlErr) finds the *url.Error of a refused or dropped
// connection, its URL with keys cut out. A 2XX body that does not decode is
// an error naming the operation, wrapping the encoding/json error. Its text
// is scrubbed like every error built from the server's bytes; when the
// decoder's text held a key, the cause is dropped rather than wrapped, so
// that nothing unscrubbed stays reachable.
//
// A create's answer is read for the plaintext and the hash first. When it
// holds both, APIKeysCreate succeeds even if other fields do not decode (a
// string where a number goes, say): those are left zero, and the raw body
// is in WithResponseBodyInto's copy. Only an answer without the plaintext or
// the hash is a *MaybeCreatedError.
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
// # Rotation and lookup by name
//
// APIKeysRotate (c.APIKeys.Rotate) replaces a key with a successor that
// copies its settings, then disables (the default), deletes or keeps the old
// one. It composes Get, Create and Update or Delete, so each step has their
// retries and errors. A failed read or create leaves the old key untouched;
// a failed step on the old key returns the response, with the successor's
// plaintext, beside a *RotateOldKeyError naming both hashes. The successor's
// spend window starts fresh: limit_remaining equals limit again.
//
// APIKeysFind (c.APIKeys.Find) returns the keys with a given name, or name
// prefix, from every page, disabled keys included: the check a script makes
// before creating a key it may have created on an earlier run.
//
// # Using generated types directly
//
// The request and response types are aliases of package gen's models,
// generated by oapi-codegen from api/openapi.yaml, so values pass between
// the facade and gen unchanged. Response fields that may be JSON null are
// pointers (nil for null). Timestamps (created_at, updated_at, expires_at)
// are timestamp.Time: the instant, in UTC, in its embedded time.Time when
// the text is one of the ISO 8601 forms the API could send (RFC 3339 with
// or without fractional seconds, a space for the T, with or without a zone,
// UTC then); otherwise a zero time.Time with the text as sent in Raw, and
// never a failed answer. Optional request fields
// are pointers: facade.Ptr(v) sets one. PATCH fields that tell "leave
// alone", "clear" and "set" apart are Nullable: leave the field unset to
// leave the value alone, facade.Null[T]() to clear it (limit and
// limit_reset), facade.Value(v) to set it. An update that would change
// nothing is refused before sending. LimitReset is a string type: a value
// the API adds later decodes as is, and LimitReset.Valid reports whether
// orkeys knows it. For anything the facade does not cover,
// gen.NewClientWithResponses is the full generated client; it has none of
// the facade's checks, retries or redaction.
package facade
