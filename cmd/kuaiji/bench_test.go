package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// BenchmarkColdStart runs the built binary to its first answer, with the
// index already persisted in KUAIJI_DATA_DIR: process start, dictionary
// load, index load and one answer.
func BenchmarkColdStart(b *testing.B) {
	dir := b.TempDir()
	bin := filepath.Join(dir, "kuaiji")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	env := append(os.Environ(), "KUAIJI_DATA_DIR="+filepath.Join(dir, "index"))
	run := func() {
		cmd := exec.Command(bin, "ask", "继续教育每年要多少学分")
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("ask: %v\n%s", err, out)
		}
	}
	run() // persist the index
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		run()
	}
}
