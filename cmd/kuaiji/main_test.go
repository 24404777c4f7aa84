package main

import (
	"os"
	"testing"

	"github.com/kuaiji/kuaiji/knowledge/extract"
)

// TestMain lets this test binary serve as the PDF reader process that
// extract.File starts (it re-executes the running binary).
func TestMain(m *testing.M) {
	extract.ServeChild()
	os.Exit(m.Run())
}
