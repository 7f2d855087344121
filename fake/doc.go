// Package fake is an in-memory OpenRouter management API for tests and
// offline use: every operation of api/openapi.yaml (keys, credits and
// activity, guardrails, workspaces with members and budgets, organization
// members) served over HTTP on a loopback port, with state, the real API's
// rules, and hooks to script failures.
//
// Start one per test, like httptest.NewServer:
//
//	srv := fake.NewServer()
//	defer srv.Close()
//
//	// Point any client at srv.URL (it ends in /api/v1) with srv.ManagementKey.
//	req, _ := http.NewRequest("POST", srv.URL+"/keys", strings.NewReader(`{"name":"ci"}`))
//	req.Header.Set("Authorization", "Bearer "+srv.ManagementKey)
//	req.Header.Set("Content-Type", "application/json")
//	resp, err := http.DefaultClient.Do(req) // 201 and the new key, once
//
//	// Script trouble: the next GET /keys answers 429 with Retry-After.
//	srv.Inject(fake.Fault{Method: "GET", Path: "/keys", Status: 429,
//		Header: http.Header{"Retry-After": {"2"}}})
//
//	// See what arrived, with the bearer key masked.
//	for _, r := range srv.Requests() { fmt.Println(r.Method, r.Path) }
//
// # Behaviour
//
// Every request is checked against api/openapi.yaml (through the copy
// embedded in package gen) and refused with 400 and the documented error
// envelope, {"error":{"code":400,"message":"…"}}, naming what was wrong.
// The handlers are the strict server oapi-codegen generates from the same
// spec, so a change to the spec changes the client and the fake together.
//
// Authentication: a missing or unknown bearer key gets 401; so does a key
// that is disabled or expired. Only the management key may call /keys; a
// regular key (one created through the API) gets 403 "Only management keys
// can perform this operation" there, while GET /key answers for any valid key.
// The management key is drawn as OpenRouter issues them now, "sk-or-mgmt-"
// and 64 hex characters; WithManagementKey accepts that form and the older
// "sk-or-v1-" one.
//
// Keys: POST /keys returns the plaintext ("sk-or-v1-" and 64 hex
// characters) once; its hash is the hex SHA-256 of the plaintext and its
// label the shortened form "sk-or-v1-abc...1234". Keys land in
// DefaultWorkspaceID unless a workspace_id is given. GET /keys lists
// newest first, 100 a page, with offset, include_disabled and workspace_id.
// PATCH leaves absent fields alone, clears limit and limit_reset given as
// null, and sets updated_at. An unknown hash gets 404 "Resource not found".
//
// The management plane: the default workspace (DefaultWorkspaceID, slug
// "default") always exists, holds every organization member and cannot be
// deleted (403). Slugs are unique (400). A workspace with enabled keys
// cannot be deleted (400); deleting one removes its budgets and guardrails.
// Budgets must strictly fall, lifetime > monthly > weekly > daily (400). A
// key holds at most one guardrail: assigning another moves it; deleting the
// guardrail or the key drops the assignment. A limit_usd needs a
// reset_interval (400). Unknown ids, slugs, key hashes and members are 404.
// Lists page with offset and limit (50 by default, 100 at most) and report
// total_count. The organization starts with one admin,
// DefaultCreatorUserID; AddMember adds others, as the API cannot.
//
// Seeding: AddMember, AddWorkspace, AddGuardrail and SetBudget seed the
// plane without HTTP; LoadSeed reads a whole state (members, workspaces with
// members and budgets, keys with usage and activity, guardrails with
// assignments, credits) from JSON or YAML (see Seed). ParseFault turns a
// line such as "POST /keys 503 x2" into faults for Inject.
//
// Test hooks: AddKey seeds keys without HTTP, SetUsage simulates spend,
// Requests lists what arrived, Inject scripts faults (a status with headers
// and body, a delay, a hang, a dropped connection) and Connections counts
// accepted TCP connections. WithLatency holds every request for a fixed
// time, to measure clients at a real API's round trip.
//
// Requests keeps a body only when the request's bearer key authenticates;
// the body of any other request is not even read. The record keeps the
// newest authenticated requests within DefaultRequestBytesLimit
// (WithRequestBytesLimit), counting everything a Request holds with its
// per-entry overhead, the newest of the others within a separate 1 MiB,
// and, if given, WithRequestLimit's count of both together.
package fake
