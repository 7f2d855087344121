package fake

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/orkeys/orkeys/fake/internal/fakeapi"
	"github.com/orkeys/orkeys/internal/rules"
)

// api is what the fake knows of the spec, loaded once from gen's embedded
// copy of api/openapi.yaml (package fakeapi): a router over its operations under /api/v1 and
// the options to validate requests with.
type api struct {
	router routers.Router
	opts   *openapi3filter.Options
}

var loadAPI = sync.OnceValues(func() (*api, error) { return newAPI(true) })

// newAPI loads the spec and builds the router and validation options.
//
// With fast set, requests are validated as under OpenAPI 3.0. For a 3.1
// document, kin-openapi turns every schema it checks into a JSON Schema
// 2020-12 validator, compiled afresh on each check: three quarters of the
// fake's time on GET /keys/{hash}, with nothing cached. Its 3.0 validator
// checks the same schemas directly, and kin-openapi itself falls back to it
// for 3.1 schemas that use none of the keywords only 2020-12 knows. This
// spec uses none of them (TestSpecNeedsNoJSONSchema2020 holds it to that,
// and TestFastValidationAgrees compares the two on good and bad requests).
func newAPI(fast bool) (*api, error) {
	doc, err := fakeapi.GetSpec()
	if err != nil {
		return nil, fmt.Errorf("fake: load the embedded spec: %w", err)
	}
	// Route on the path, under /api/v1, whatever host the fake listens on.
	doc.Servers = openapi3.Servers{{URL: basePath}}
	if fast {
		doc.OpenAPI = "3.0.3" // read by openapi3filter through route.Spec
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("fake: route the embedded spec: %w", err)
	}
	return &api{
		router: router,
		opts: &openapi3filter.Options{
			MultiError: true,
			// The gate authenticates before validating; the spec's bearer
			// scheme needs nothing more.
			AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
			// kin-openapi checks no uuid format unless told how; the rule
			// is the one the facade and the CLI apply.
			SchemaValidationOptions: []openapi3.SchemaValidationOption{
				openapi3.WithStringFormatValidator("uuid", openapi3.NewCallbackValidator(rules.UUID)),
			},
		},
	}, nil
}

// buildHandler stacks the layers: record every request, wait out the
// latency, play scripted faults, then the gate (route, authenticate,
// validate) in front of the handler oapi-codegen generated from the spec.
func (s *Server) buildHandler(a *api) http.Handler {
	return s.record(s.delay(s.playFaults(s.gate(a, s.generatedHandler()))))
}

// generatedHandler is fakeapi's router and strict handler over the operations,
// with every error it can produce turned into the documented envelope.
func (s *Server) generatedHandler() http.Handler {
	strict := fakeapi.NewStrictHandlerWithOptions(operations{s}, nil, fakeapi.StrictHTTPServerOptions{
		RequestErrorHandlerFunc:  badRequestHandler,
		ResponseErrorHandlerFunc: internalErrorHandler,
	})
	// The gate routes first, so the catch-all only guards against the
	// generated mux and kin-openapi's router disagreeing on a path.
	mux := http.NewServeMux()
	mux.HandleFunc("/", notFoundHandler)
	return fakeapi.HandlerWithOptions(strict, fakeapi.StdHTTPServerOptions{
		BaseURL:          basePath,
		BaseRouter:       mux,
		ErrorHandlerFunc: badRequestHandler,
	})
}

// badRequestHandler answers a request gen could not decode (a parameter or
// body the spec validation let through).
func badRequestHandler(w http.ResponseWriter, _ *http.Request, err error) {
	writeError(w, http.StatusBadRequest, oneLine(err.Error()))
}

// internalErrorHandler answers when a handler fails or its answer cannot be
// written; the error's text stays inside.
func internalErrorHandler(w http.ResponseWriter, _ *http.Request, _ error) {
	writeError(w, http.StatusInternalServerError, msgInternal)
}

func notFoundHandler(w http.ResponseWriter, r *http.Request) {
	writeError(w, http.StatusNotFound, "No operation at "+r.URL.EscapedPath())
}

// gate answers requests that reach no operation (404, 405), refuses callers
// (401, 403) and invalid requests (400), and passes the rest on with the
// caller in the context.
func (s *Server) gate(a *api, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		route, params, ok := a.route(w, r)
		if !ok {
			return
		}
		c, status, msg := s.authenticate(r, route.Path != "/key")
		if status != 0 {
			writeError(w, status, msg)
			return
		}
		if err := a.validate(r, route, params); err != nil {
			writeError(w, http.StatusBadRequest, describe(err))
			return
		}
		next.ServeHTTP(w, r.WithContext(withCaller(r.Context(), c)))
	})
}

// route finds the operation, answering 404 or 405 itself when there is none.
func (a *api) route(w http.ResponseWriter, r *http.Request) (*routers.Route, map[string]string, bool) {
	if p := r.URL.Path; path.Clean(p) != p { // "/keys/." and the like
		notFoundHandler(w, r)
		return nil, nil, false
	}
	route, params, err := a.router.FindRoute(r)
	switch {
	case err == nil:
		return route, params, true
	case errors.Is(err, routers.ErrMethodNotAllowed):
		w.Header().Set("Allow", strings.Join(a.allowed(r), ", "))
		writeError(w, http.StatusMethodNotAllowed, msgMethodNotAllowed)
	default:
		notFoundHandler(w, r)
	}
	return nil, nil, false
}

// validate checks the request against its operation in the spec. It reads
// the body (already in memory) and leaves it readable again.
func (a *api) validate(r *http.Request, route *routers.Route, params map[string]string) error {
	var body []byte
	if r.Body != nil && r.Body != http.NoBody { // most requests have none
		var err error
		if body, err = io.ReadAll(r.Body); err != nil {
			return err
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		defer func() { r.Body = io.NopCloser(bytes.NewReader(body)) }()
	}
	if err := openapi3filter.ValidateRequest(r.Context(), &openapi3filter.RequestValidationInput{
		Request:    r,
		PathParams: params,
		Route:      route,
		Options:    a.opts,
	}); err != nil {
		return err
	}
	// kin-openapi and gen decode only the first JSON value and ignore what
	// follows; the real API parses the whole body and refuses the rest.
	if route.Operation.RequestBody != nil && len(body) > 0 && !json.Valid(body) {
		return errors.New("invalid request body: not valid JSON")
	}
	return nil
}

// authenticate reads the bearer key. It returns the caller, or the status
// and message to refuse with.
func (s *Server) authenticate(r *http.Request, needManagement bool) (caller, int, string) {
	token, ok := bearerToken(r.Header.Get("Authorization"))
	if !ok {
		return caller{}, http.StatusUnauthorized, msgNoCredentials
	}
	if s.isManagementKey(token) {
		return caller{management: true}, 0, ""
	}
	hash := hashKey(token)
	switch s.keys.state(hash) {
	case keyUnknown:
		return caller{}, http.StatusUnauthorized, msgUnknownKey
	case keyDisabled:
		return caller{}, http.StatusUnauthorized, msgDisabledKey
	case keyExpired:
		return caller{}, http.StatusUnauthorized, msgExpiredKey
	}
	if needManagement {
		return caller{}, http.StatusForbidden, msgManagementOnly
	}
	return caller{hash: hash}, 0, ""
}

// authenticates reports whether r's bearer key is one the server accepts
// (the management key, or a key that is neither disabled nor expired),
// whatever the operation.
func (s *Server) authenticates(r *http.Request) bool {
	_, status, _ := s.authenticate(r, false)
	return status == 0
}

// bearerToken takes the key out of "Bearer <key>" (the scheme in any case).
func bearerToken(header string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// allowed lists the methods the spec has for r's path, for an Allow header.
func (a *api) allowed(r *http.Request) []string {
	var methods []string
	probe := r.WithContext(r.Context())
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		probe.Method = m
		if _, _, err := a.router.FindRoute(probe); err == nil {
			methods = append(methods, m)
		}
	}
	return methods
}
