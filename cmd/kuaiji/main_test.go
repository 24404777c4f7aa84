package main

import (
	"os"
	"strings"
	"testing"

	"github.com/kuaiji/kuaiji/knowledge/extract"
)

// TestMain lets this test binary serve as the PDF reader process that
// extract.File starts (it re-executes the running binary). Under -race
// every process sleeps a second at exit (the race runtime's default
// atexit_sleep_ms), which every PDF read would wait for: the readers this
// binary starts skip it.
func TestMain(m *testing.M) {
	extract.ServeChild()
	if !strings.Contains(os.Getenv("GORACE"), "atexit_sleep_ms") {
		os.Setenv("GORACE", strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
	}
	code := m.Run()
	removeSeed()
	os.Exit(code)
}
