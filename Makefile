GO ?= go

.PHONY: test vet fuzz fuzz-pdf bench eval build

test: vet
	./scripts/with-chromium.sh ./scripts/with-redis.sh $(GO) test -race -count=1 -timeout 40m ./...
	$(MAKE) fuzz FUZZTIME=10000x

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || (gofmt -l . && echo "gofmt needed" && exit 1)
	$(GO) vet ./...

# Fuzz runs of every Fuzz target; the seed corpora (every input that ever
# failed is kept in testdata/fuzz) also replay in plain `go test`. `make test`
# gives each target 10000 executions: a count, not a duration, because with
# a duration Go 1.26's fuzz coordinator can report a spurious "context
# deadline exceeded" at the deadline on a busy machine (go.dev/issue/75804).
# Run longer (FUZZTIME=5m) before a release.
FUZZTIME ?= 30s
fuzz:
	@for pkg in $$($(GO) list ./... ); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz' | grep -vx 'FuzzPDF'); do \
	    $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

fuzz-pdf:
	$(GO) test -run '^$$' -fuzz '^FuzzPDF$$' -fuzztime 5m ./knowledge/extract

bench:
	./scripts/with-redis.sh $(GO) test -run '^$$' -bench . -benchmem ./...

eval:
	@for f in cmd/kuaiji/testdata/dev.jsonl knowledge/testdata/*.jsonl; do echo "== $$f"; $(GO) run ./cmd/kuaiji eval $$f | head -8; done

build:
	$(GO) build -o bin/kuaiji ./cmd/kuaiji
