GO ?= go

.PHONY: test vet unit fuzz bench eval build

test: vet
	./scripts/with-redis.sh $(GO) test -race -count=1 ./...
	$(MAKE) fuzz

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || (gofmt -l . && echo "gofmt needed" && exit 1)
	$(GO) vet ./...

# Short fuzz runs of the free-text parsers; the seed corpora live in testdata/fuzz.
fuzz:
	@for pkg in $$($(GO) list ./... ); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz'); do \
	    $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime 10s $$pkg || exit 1; \
	  done; \
	done

bench:
	./scripts/with-redis.sh $(GO) test -run '^$$' -bench . -benchmem ./...

eval:
	$(GO) run ./cmd/kuaiji eval ../shared/eval/dev.jsonl

build:
	$(GO) build -o bin/kuaiji ./cmd/kuaiji
