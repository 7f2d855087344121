# Everyday targets. `make test` is the README's test command; CI (.ci/run)
# runs it together with check-generate and lint.
GO ?= go
PKGS := ./...

.PHONY: all generate check-generate test lint vet fmt-check tidy-check bench fuzz live-compile

all: generate test lint

## generate: regenerate gen/ from api/openapi.yaml (oapi-codegen, pinned in go.mod)
generate:
	$(GO) generate .

## check-generate: fail if gen/ or go.mod/go.sum are stale
check-generate:
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	cp -R api gen generate.go oapi-codegen.yaml go.mod go.sum "$$tmp"/ && \
	(cd "$$tmp" && $(GO) generate .) && \
	if ! diff -ru gen "$$tmp/gen"; then \
		echo "gen/ is stale: run 'make generate' and commit the result" >&2; exit 1; \
	fi
	@$(MAKE) --no-print-directory tidy-check
	@echo "check-generate: gen/ and go.mod are up to date"

## tidy-check: fail if go.mod or go.sum would change under go mod tidy
tidy-check:
	$(GO) mod tidy -diff

## test: vet, then every test with the race detector (fuzz seeds included)
test: vet
	$(GO) test -race -count=1 $(PKGS)

vet:
	$(GO) vet $(PKGS)
	$(GO) vet -tags live $(PKGS)

## fuzz: explore each fuzz target for FUZZTIME (seeds alone run in `make test`)
FUZZTIME ?= 20s
FUZZ_TARGETS := FuzzParseRetryAfter FuzzDecodeAPIError FuzzDecodeKey
fuzz:
	@for t in $(FUZZ_TARGETS); do \
		echo "fuzz $$t for $(FUZZTIME)"; \
		$(GO) test ./facade -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) || exit 1; \
	done

## lint: gofmt, vet and staticcheck (pinned in go.mod)
lint: fmt-check vet
	$(GO) tool staticcheck $(PKGS)

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' | grep -v '^gen/')); \
	if [ -n "$$out" ]; then echo "gofmt needed:" >&2; echo "$$out" >&2; exit 1; fi
