package tests

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/orkeys/orkeys/facade"
)

// This file is the loopback server the benchmarks and perf tests share. Every
// response is encoded once, up front, and written with pre-built header
// values, so that the server's own cost per request is small and the same
// for every client being compared.

const (
	benchAPIKey   = "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"
	benchBasePath = "/api/v1"
	// benchTotalKeys is how many keys the server holds: 100 full pages.
	benchTotalKeys = 10_000
	benchPageSize  = 100
)

// benchUserAgent is the facade's default User-Agent, so that every client
// sends the same bytes.
var benchUserAgent = fmt.Sprintf("orkeys-go/%s (%s; %s/%s)", facade.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)

// benchKey is one key as the API sends it, every field filled as in
// OpenRouter's examples. It is also the baseline's hand-written decode
// target: plain fields, pointers where the API may send null, and times
// as time.Time, as the facade decodes them (the same work on both sides).
type benchKey struct {
	Hash               string     `json:"hash"`
	Name               string     `json:"name"`
	Label              string     `json:"label"`
	Disabled           bool       `json:"disabled"`
	Limit              *float64   `json:"limit"`
	LimitRemaining     *float64   `json:"limit_remaining"`
	LimitReset         *string    `json:"limit_reset"`
	IncludeByokInLimit bool       `json:"include_byok_in_limit"`
	Usage              float64    `json:"usage"`
	UsageDaily         float64    `json:"usage_daily"`
	UsageWeekly        float64    `json:"usage_weekly"`
	UsageMonthly       float64    `json:"usage_monthly"`
	ByokUsage          float64    `json:"byok_usage"`
	ByokUsageDaily     float64    `json:"byok_usage_daily"`
	ByokUsageWeekly    float64    `json:"byok_usage_weekly"`
	ByokUsageMonthly   float64    `json:"byok_usage_monthly"`
	CreatedAt          time.Time  `json:"created_at"`
	UpdatedAt          *time.Time `json:"updated_at"`
	ExpiresAt          *time.Time `json:"expires_at"`
	CreatorUserID      *string    `json:"creator_user_id"`
	WorkspaceID        string     `json:"workspace_id"`
	ExternalUser       *string    `json:"external_user"`
}

type benchGetBody struct {
	Data benchKey `json:"data"`
}

type benchListBody struct {
	Data []benchKey `json:"data"`
}

// benchHash is the hash of key number i: 64 hex digits, like the real ones.
func benchHash(i int) string {
	sum := sha256.Sum256([]byte("bench-key-" + strconv.Itoa(i)))
	return hex.EncodeToString(sum[:])
}

func makeBenchKey(i int) benchKey {
	ptr := func(f float64) *float64 { return &f }
	str := func(s string) *string { return &s }
	expires := time.Date(2027, 12, 31, 23, 59, 59, 0, time.UTC)
	updated := time.Date(2025, 8, 24, 15, 45, 0, 0, time.UTC)
	return benchKey{
		Hash:               benchHash(i),
		Name:               fmt.Sprintf("My Production Key %05d", i),
		Label:              "sk-or-v1-0e6...1c96",
		Limit:              ptr(100),
		LimitRemaining:     ptr(74.5),
		LimitReset:         str("monthly"),
		IncludeByokInLimit: false,
		Usage:              25.5,
		UsageDaily:         25.5,
		UsageWeekly:        25.5,
		UsageMonthly:       25.5,
		ByokUsage:          17.38,
		ByokUsageDaily:     17.38,
		ByokUsageWeekly:    17.38,
		ByokUsageMonthly:   17.38,
		CreatedAt:          time.Date(2025, 8, 24, 10, 30, 0, 0, time.UTC),
		UpdatedAt:          &updated,
		ExpiresAt:          &expires,
		CreatorUserID:      str("user_2dHFtVWx2n56w6HkM0000000000"),
		WorkspaceID:        "0df9e665-d932-5740-b2c7-b52af166bc11",
		ExternalUser:       str("customer-42"),
	}
}

// cannedResponse is a status and a body, encoded once.
type cannedResponse struct {
	status int
	body   []byte
	length []string // Content-Length, pre-formatted
}

func canned(status int, v any) cannedResponse {
	body, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return cannedResponse{status: status, body: body, length: []string{strconv.Itoa(len(body))}}
}

var jsonContentType = []string{"application/json"}

// benchServer serves GET /keys (pages by offset), GET /keys/{hash} and
// canned 404 and 429 errors from pre-encoded bytes.
type benchServer struct {
	*httptest.Server
	BaseURL string // server URL with the API's /api/v1 prefix

	getHash  string // the one hash GET /keys/{hash} answers with 200
	getPath  string // "/keys/" + getHash, built once
	get      cannedResponse
	pages    []cannedResponse // pages[i] holds keys i*100 … i*100+99
	empty    cannedResponse   // past the last key
	notFound cannedResponse
	limited  cannedResponse

	newConns atomic.Int64 // TCP connections accepted
}

// Paths that answer with an error body, for the connection tests.
const (
	benchNotFoundHash = "0000000000000000000000000000000000000000000000000000000000000404"
	benchLimitedHash  = "0000000000000000000000000000000000000000000000000000000000000429"
)

func newBenchServer() *benchServer {
	s := &benchServer{getHash: benchHash(0)}
	s.getPath = "/keys/" + s.getHash
	s.get = canned(http.StatusOK, benchGetBody{Data: makeBenchKey(0)})
	for p := 0; p < benchTotalKeys/benchPageSize; p++ {
		page := benchListBody{Data: make([]benchKey, benchPageSize)}
		for i := range page.Data {
			page.Data[i] = makeBenchKey(p*benchPageSize + i)
		}
		s.pages = append(s.pages, canned(http.StatusOK, page))
	}
	s.empty = canned(http.StatusOK, benchListBody{Data: []benchKey{}})
	s.notFound = canned(http.StatusNotFound, map[string]any{
		"error": map[string]any{"code": 404, "message": "Key not found"},
	})
	s.limited = canned(http.StatusTooManyRequests, map[string]any{
		"error": map[string]any{"code": 429, "message": "Rate limit exceeded: slow down"},
	})

	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.newConns.Add(1)
		}
	}
	s.Start()
	s.BaseURL = s.URL + benchBasePath
	return s
}

func (s *benchServer) serve(w http.ResponseWriter, r *http.Request) {
	res, ok := s.route(r)
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h["Content-Type"] = jsonContentType
	h["Content-Length"] = res.length
	w.WriteHeader(res.status)
	_, _ = w.Write(res.body)
}

func (s *benchServer) route(r *http.Request) (cannedResponse, bool) {
	if r.Method != http.MethodGet || r.Header.Get("Authorization") != "Bearer "+benchAPIKey {
		return cannedResponse{}, false
	}
	path, ok := strings.CutPrefix(r.URL.Path, benchBasePath)
	if !ok {
		return cannedResponse{}, false
	}
	switch {
	case path == "/keys":
		offset := 0
		// include_disabled is a plain bool in gen's parameters, sent even
		// when false; the baseline leaves it out.
		q := strings.TrimPrefix(strings.TrimPrefix(r.URL.RawQuery, "include_disabled=false"), "&")
		if v, ok := strings.CutPrefix(q, "offset="); ok {
			n, err := strconv.Atoi(v)
			if err != nil || n%benchPageSize != 0 {
				return cannedResponse{}, false
			}
			offset = n
		} else if q != "" {
			return cannedResponse{}, false
		}
		if p := offset / benchPageSize; p < len(s.pages) {
			return s.pages[p], true
		}
		return s.empty, true
	case path == s.getPath:
		return s.get, true
	case path == "/keys/"+benchNotFoundHash:
		return s.notFound, true
	case path == "/keys/"+benchLimitedHash:
		return s.limited, true
	}
	return cannedResponse{}, false
}
