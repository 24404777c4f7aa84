package extract

import (
	"os"
	"testing"
)

// TestMain lets this test binary serve as the PDF reader process that
// extract.File starts (it re-executes the running binary).
func TestMain(m *testing.M) {
	ServeChild()
	os.Exit(m.Run())
}
