package knowledge

import (
	"bytes"
	"context"
	"io/fs"
	"sync"
	"testing"

	"github.com/kuaiji/kuaiji/policies"
)

var (
	builtinOnce sync.Once
	builtinIx   *Index
	builtinErr  error
)

// builtin returns an in-memory index of the embedded corpus, built once.
// Tests only read it, so the tests that build indexes of their own (in
// their own directories, from their own corpus) run in parallel.
func builtin(t testing.TB) *Index {
	t.Helper()
	builtinOnce.Do(func() {
		var c *Corpus
		c, builtinErr = LoadCorpus(policies.FS)
		if builtinErr == nil {
			builtinIx, _, builtinErr = Open(context.Background(), c, Options{})
		}
	})
	if builtinErr != nil {
		t.Fatal(builtinErr)
	}
	return builtinIx
}

// openCorpus opens an index of the corpus in fsys with opt.
func openCorpus(t testing.TB, fsys fs.FS, opt Options) *Index {
	t.Helper()
	c, err := LoadCorpus(fsys)
	if err != nil {
		t.Fatal(err)
	}
	ix, _, err := Open(context.Background(), c, opt)
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

func ask(t testing.TB, q Question) Answer {
	t.Helper()
	a, err := builtin(t).Answer(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func sourceIDs(a Answer) []string {
	var ids []string
	for _, s := range a.Sources {
		ids = append(ids, s.ID)
	}
	return ids
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }
