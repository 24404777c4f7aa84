package llm_test

import (
	"context"
	"testing"
	"time"

	"github.com/kuaiji/kuaiji/internal/openaifake"
	"github.com/kuaiji/kuaiji/knowledge"
	"github.com/kuaiji/kuaiji/knowledge/llm"
	"github.com/kuaiji/kuaiji/policies"
)

func TestEmbedBatchOrderAndRetry(t *testing.T) {
	f := openaifake.New(t.Cleanup)
	f.Fail(openaifake.PathEmbeddings, openaifake.Failure{Status: 429}, openaifake.Failure{Status: 500})
	e := llm.NewEmbedder(llm.NewClient(llm.Config{BaseURL: f.URL()}), "fake-embed",
		llm.WithBatchSize(3), llm.WithRetry(3, time.Millisecond))
	texts := []string{"甲", "乙", "丙", "丁", "戊", "己", "庚", ""}
	vs, err := e.EmbedBatch(context.Background(), texts)
	if err != nil {
		t.Fatal(err)
	}
	want := openaifake.HashEmbed(32)
	for i, v := range vs {
		in := texts[i]
		if in == "" {
			in = " "
		}
		if w := want("fake-embed", in); len(v) != len(w) || v[0] != w[0] || v[5] != w[5] {
			t.Errorf("vector %d out of order", i)
		}
	}
	if n := f.Calls(openaifake.PathEmbeddings); n != 5 {
		t.Errorf("%d calls, want 3 batches and 2 retries", n)
	}
	f.Fail(openaifake.PathEmbeddings, openaifake.Failure{Status: 400})
	if _, err := e.Embed(context.Background(), "x"); err == nil || llm.StatusCode(err) != 400 {
		t.Errorf("bad request: %v", err)
	}
}

// TestEmbeddingsPersist opens the index three times on one directory:
// the first embeds every chunk, a restart embeds none, and another model
// embeds them all again, once.
func TestEmbeddingsPersist(t *testing.T) {
	if testing.Short() {
		t.Skip("opens the full index three times")
	}
	f := openaifake.New(t.Cleanup)
	c := llm.NewClient(llm.Config{BaseURL: f.URL()})
	dir := t.TempDir()
	open := func(model string) (*knowledge.Index, knowledge.IndexStats) {
		t.Helper()
		corpus, err := knowledge.LoadCorpus(policies.FS)
		if err != nil {
			t.Fatal(err)
		}
		e := llm.NewEmbedder(c, model)
		ix, st, err := knowledge.Open(context.Background(), corpus, knowledge.Options{
			Dir: dir, Embedder: e.Embed, EmbedderName: model, BatchEmbed: e.EmbedBatch,
		})
		if err != nil {
			t.Fatal(err)
		}
		return ix, st
	}
	_, st := open("fake-embed")
	n := f.EmbeddedTexts()
	if st.Embedded == 0 || n != st.Chunks || f.Calls(openaifake.PathEmbeddings) > (n+9)/10 {
		t.Fatalf("first open: %+v, %d texts in %d calls", st, n, f.Calls(openaifake.PathEmbeddings))
	}

	ix, st := open("fake-embed")
	if st.Embedded != 0 || st.ReusedVectors != st.Chunks || f.EmbeddedTexts() != n {
		t.Errorf("restart re-embedded: %+v, %d texts", st, f.EmbeddedTexts()-n)
	}
	// Questions are embedded by the endpoint too.
	r, err := ix.Retrieve(context.Background(), knowledge.Question{Text: "继续教育每年要多少学分"})
	if err != nil || len(r.Passages) == 0 || f.EmbeddedTexts() != n+1 {
		t.Errorf("query: %d passages, %v, %d texts", len(r.Passages), err, f.EmbeddedTexts()-n)
	}

	_, st = open("fake-embed-2")
	if st.Embedded != st.Chunks || f.EmbeddedTexts() != 2*n+1 {
		t.Errorf("model change: %+v, %d texts", st, f.EmbeddedTexts())
	}
	if _, st = open("fake-embed-2"); st.Embedded != 0 {
		t.Errorf("second restart re-embedded: %+v", st)
	}
}

func TestEmbedHungEndpointTimesOut(t *testing.T) {
	f := openaifake.New(t.Cleanup)
	f.Delay(openaifake.PathEmbeddings, 5*time.Second)
	e := llm.NewEmbedder(llm.NewClient(llm.Config{BaseURL: f.URL()}), "fake-embed",
		llm.WithTimeout(50*time.Millisecond), llm.WithRetry(2, time.Millisecond))
	// Without the per-attempt timeout the first attempt would succeed
	// after the 5 s delay.
	if _, err := e.EmbedBatch(context.Background(), []string{"甲"}); err == nil {
		t.Fatal("no error from a hung endpoint")
	}
	if n := f.Calls(openaifake.PathEmbeddings); n != 2 {
		t.Errorf("%d attempts, want 2", n)
	}
}
