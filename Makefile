GO ?= go

.PHONY: test vet fuzz fuzz-pdf bench eval build

test: vet
	./scripts/with-redis.sh $(GO) test -race -count=1 ./...
	$(MAKE) fuzz FUZZTIME=5s

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || (gofmt -l . && echo "gofmt needed" && exit 1)
	$(GO) vet ./...

# Fuzz runs of every Fuzz target; the seed corpora (every input that ever
# failed is kept in testdata/fuzz) also replay in plain `go test`. `make test`
# runs each target for 5 s; run longer (FUZZTIME=5m) before a release.
# FuzzPDF is left to `make fuzz-pdf`: a malformed object stream can keep the
# PDF library busy until the extractor's 2-minute guard, longer than a short run.
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
	$(GO) run ./cmd/kuaiji eval ../shared/eval/dev.jsonl

build:
	$(GO) build -o bin/kuaiji ./cmd/kuaiji
