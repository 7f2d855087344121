# Everyday targets. `make test` is the README's test command; CI (.ci/run)
# runs it together with check-generate and lint.
GO ?= go
PKGS := ./...

.PHONY: all generate check-generate test lint vet fmt-check tidy-check bench fuzz live-compile

all: generate test lint

## generate: regenerate gen/ (models and client) and fake/internal/fakeapi/
## (the fake's server stubs and embedded spec) from api/openapi.yaml with
## oapi-codegen, pinned in go.mod
generate:
	$(GO) generate .

# What the generators write, and what they read besides api/.
GENERATED := gen fake/internal/fakeapi

## check-generate: fail if generated code or go.mod/go.sum are stale
check-generate:
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	mkdir -p "$$tmp/fake/internal" && \
	cp -R api gen generate.go oapi-codegen.yaml go.mod go.sum "$$tmp"/ && \
	cp -R fake/internal/fakeapi "$$tmp/fake/internal/" && \
	rm -f "$$tmp"/gen/*.gen.go "$$tmp"/fake/internal/fakeapi/*.gen.go && \
	(cd "$$tmp" && $(GO) generate .) && \
	for d in $(GENERATED); do \
		if ! diff -ru "$$d" "$$tmp/$$d"; then \
			echo "$$d is stale: run 'make generate' and commit the result" >&2; exit 1; \
		fi; \
	done
	@$(MAKE) --no-print-directory tidy-check
	@echo "check-generate: $(GENERATED) and go.mod are up to date"

## tidy-check: fail if go.mod or go.sum would change under go mod tidy
tidy-check:
	$(GO) mod tidy -diff

## test: vet, then every test with the race detector (fuzz seeds included),
## then, without it, the tests that count allocations or bound heap or time
test: vet
	$(GO) test -race -count=1 $(PKGS)
	$(GO) test -count=1 -run '^($(NORACE_TESTS))$$' $(NORACE_PKGS)

# Allocation counts, heap figures and wall-clock bounds only hold without the
# race detector (under -race, sync.Pool drops items at random and goroutines
# run several times slower), and one chance failure blocks a landing. These
# tests check only behaviour under -race (or are left out of it by a !race
# build tag) and get their second run here. Keep the list in step with
# tests/BENCHMARKS.md.
NORACE_TESTS := TestSuccessPathLayerAllocs|TestAllHoldsAboutOnePage|TestHugeErrorBodyKeepsMemoryBounded|TestCancelDuringBackoff|TestWithTimeoutBoundsRetries|TestScrubCleanTextDoesNotAllocate|TestUnauthenticatedHeaderFloodKeepsHeapBounded|TestAuthenticatedHeaderFloodKeepsHeapBounded
NORACE_PKGS := ./facade ./secret ./tests ./fake

vet:
	$(GO) vet $(PKGS)
	$(GO) vet -tags live $(PKGS)

## fuzz: explore each fuzz target for FUZZTIME (seeds alone run in `make test`)
FUZZTIME ?= 20s
# package:target pairs
FUZZ_TARGETS := secret:FuzzScrubURL secret:FuzzScrubURLMixed facade:FuzzScrubTransportLocation facade:FuzzParseRetryAfter facade:FuzzDecodeAPIError facade:FuzzDecodeAPIErrorEcho \
	facade:FuzzDecodeKey secret:FuzzScrub secret:FuzzKeyRoundTrip provision:FuzzParse \
	facade:FuzzDecodeCreated fake:FuzzParseFault fake:FuzzParseSeed
fuzz:
	@for pt in $(FUZZ_TARGETS); do \
		p=$${pt%%:*}; t=$${pt#*:}; \
		echo "fuzz $$p $$t for $(FUZZTIME)"; \
		$(GO) test ./$$p -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) || exit 1; \
	done

## lint: gofmt, vet and staticcheck (pinned in go.mod)
lint: fmt-check vet
	$(GO) tool staticcheck $(PKGS)

## bench: issue 5's and 14's benchmarks, interleaved rounds, as ratios to the
## baseline (tests/BENCHMARKS.md). BENCH_COUNT rounds of BENCH_TIME per benchmark; the
## raw results go to bench/bench.txt, benchstat's view to bench/benchstat.txt.
BENCH_COUNT ?= 6
BENCH_TIME ?= 1s
bench:
	@mkdir -p bench
	$(GO) test -c -o bench/tests.test ./tests
	@rm -f bench/bench.txt
	@# One round runs every benchmark once; rounds alternate so that a noisy
	@# moment on the machine hits every implementation alike, and each round
	@# rotates the order of the implementations (ORKEYS_BENCH_ROUND).
	@for i in $$(seq $(BENCH_COUNT)); do \
		echo "bench: round $$i of $(BENCH_COUNT)" >&2; \
		(cd tests && ORKEYS_BENCH_ROUND=$$((i-1)) ../bench/tests.test -test.run '^$$' -test.bench . -test.benchmem \
			-test.benchtime $(BENCH_TIME) -test.count 1) >> bench/bench.txt || exit 1; \
	done
	@$(GO) tool benchstat -col /impl -filter '-.name:ServerShare' bench/bench.txt > bench/benchstat.txt
	@$(GO) run ./tools/benchtable bench/bench.txt

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' | grep -v '\.gen\.go$$')); \
	if [ -n "$$out" ]; then echo "gofmt needed:" >&2; echo "$$out" >&2; exit 1; fi
