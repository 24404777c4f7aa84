package main

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
)

var (
	seedOnce sync.Once
	seedDir  string
	seedErr  error
)

// dataDir returns a new KUAIJI_DATA_DIR that already holds the persisted
// index of the built-in corpus, as the data directory of a service that
// has started once does. The index is built once per test binary and
// copied, so that a command opening it reuses the stored terms and vectors
// instead of segmenting and embedding the whole corpus again. A test of a
// first start on an empty directory uses t.TempDir instead.
func dataDir(t testing.TB) string {
	t.Helper()
	seedOnce.Do(func() {
		if seedDir, seedErr = os.MkdirTemp("", "kuaiji-index-"); seedErr != nil {
			return
		}
		cfg, err := loadConfig(func(k string) string {
			if k == "KUAIJI_DATA_DIR" {
				return seedDir
			}
			return ""
		})
		if err != nil {
			seedErr = err
			return
		}
		if _, err := openIndex(context.Background(), cfg, cliLogger(cfg)); err != nil {
			seedErr = fmt.Errorf("build the shared index: %w", err)
		}
	})
	if seedErr != nil {
		t.Fatal(seedErr)
	}
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(seedDir)); err != nil {
		t.Fatalf("copy the shared index: %v", err)
	}
	return dir
}

// removeSeed deletes the directory dataDir copies from.
func removeSeed() {
	if seedDir != "" {
		os.RemoveAll(seedDir)
	}
}
