GO ?= go

.PHONY: test vet fuzz fuzz-pdf bench eval build

# Race tests, with a throwaway redis-server and headless Chromium so that
# no test skips. The fuzz seed corpora (every input that ever failed is kept
# in testdata/fuzz) replay here as plain tests; fuzzing itself is `make fuzz`.
# GORACE: a -race process sleeps a second at exit by default, and the tests
# start many (a PDF is read in a child process).
test: vet
	GORACE=atexit_sleep_ms=0 ./scripts/with-chromium.sh ./scripts/with-redis.sh $(GO) test -race -count=1 -timeout 40m ./...

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || (gofmt -l . && echo "gofmt needed" && exit 1)
	$(GO) vet ./...

# Fuzz runs of every Fuzz target, FUZZTIME each: a count, not a duration,
# because with a duration Go 1.26's fuzz coordinator can report a spurious
# "context deadline exceeded" at the deadline on a busy machine
# (go.dev/issue/75804). CI runs FUZZTIME=1000x after `make test`; run longer
# (FUZZTIME=200000x) before a release.
FUZZTIME ?= 10000x
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
