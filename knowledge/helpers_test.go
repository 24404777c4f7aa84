package knowledge

import (
	"bytes"
	"context"
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
