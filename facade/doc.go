// Package facade is the orkeys client for OpenRouter's API-key management
// API: list, create, get, update and delete keys, and describe the calling
// key.
//
// Every operation exists twice, as a standalone Result-style function named
// after the TypeScript SDK's (APIKeysList, APIKeysCreate, …) and as a method
// on Client.APIKeys that calls it:
//
//	c, err := facade.New() // key and base URL from the environment
//	page, err := facade.APIKeysList(ctx, c, facade.ListRequest{})
//	page, err = c.APIKeys.List(ctx, facade.ListRequest{})
//
// # Authentication
//
// Requests carry "Authorization: Bearer KEY". New reads the key from
// OPENROUTER_API_KEY unless WithAPIKey, or WithAPIKeyFunc for keys that
// rotate, says otherwise. The /keys operations need a management key; a
// regular key gets a *ForbiddenResponseError. The key is sent only to the
// configured server: a redirect to another scheme, host or port loses the
// Authorization header, and plain http:// is refused for hosts other than
// loopback unless WithInsecureHTTP is given. The key never appears in an
// error, a log record or fmt output of a Client.
//
// # Request options
//
// One Option type serves both levels. Options given to New set the client's
// defaults; options given to a call are applied after them, for that call
// only:
//
//	c.APIKeys.Get(ctx, req, facade.WithHeader("X-Trace", id), facade.WithTimeout(5*time.Second))
//
// Attribution headers (HTTP-Referer, X-OpenRouter-Title and X-Title,
// X-OpenRouter-Categories) come from WithHTTPReferer, WithXTitle and
// WithAppCategories or the OPENROUTER_HTTP_REFERER, OPENROUTER_APP_TITLE and
// OPENROUTER_APP_CATEGORIES variables. WithResponseInto hands back the raw
// *http.Response.
//
// # Retries
//
// The zero RetryConfig retries 408, 429, 500, 502, 503 and 504 and
// connection errors, waiting 500 ms × 1.5^n (±25% jitter, at most 30 s) and
// giving up 2 minutes after the first attempt. A Retry-After or
// retry-after-ms hint is honoured; a hint longer than the remaining budget
// ends the call at once with the hint in APIError.RetryAfter. POST /keys is
// retried only on 429 and on connection failures before anything was sent,
// because any other retry could create a second key; otherwise it fails with
// a *MaybeCreatedError. A call that retried and still failed returns a
// *RetryError holding the attempt count.
//
// # Errors
//
// Every non-2XX answer is an error that errors.As can turn into *APIError
// (status, code, message, metadata, header, raw body capped at 1 MiB) and
// into the type for its status: BadRequestResponseError (400),
// UnauthorizedResponseError (401), ForbiddenResponseError (403),
// NotFoundResponseError (404), TooManyRequestsResponseError (429),
// InternalServerResponseError (500) or OpenRouterDefaultError (any other).
// A body that is not the documented JSON still gives the status and a short
// excerpt. Transport errors are wrapped with %w.
//
// # Pagination
//
// GET /keys returns at most PageSize (100) keys. APIKeysListAll, or
// Client.APIKeys.All, walks the pages as an iter.Seq2:
//
//	for key, err := range c.APIKeys.All(ctx, facade.ListRequest{}) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(key.Name)
//	}
//
// # Using generated types directly
//
// The request and response types are aliases of package gen's models,
// generated from api/openapi.yaml. Nullable request fields use
// nullable.Nullable from github.com/oapi-codegen/nullable, which tells
// "leave unchanged" (unset), "clear" (NewNullNullable) and "set"
// (NewNullableWithValue) apart. For anything the facade does not cover,
// gen.NewClientWithResponses is the full generated client.
package facade
