package knowledge

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestZZDebug(t *testing.T) {
	qs := os.Getenv("KJQ")
	if qs == "" {
		t.Skip()
	}
	ix := builtin(t)
	for _, q := range strings.Split(qs, "|") {
		n := Normalize(q)
		toks := ix.seg.Tokens(n)
		fmt.Println("Q:", q, "tokens:", toks)
		qv := ix.seg.vector(expandText(n, toks))
		for _, h := range ix.faq.match(qv, toks)[:3] {
			fmt.Printf("  faq %.3f %s\n", h.score, ix.corpus.FAQ[h.entry].Question)
		}
		hits, _ := ix.search(context.Background(), n, toks, scope{}, 8)
		for _, h := range hits {
			fmt.Printf("  hit %.4f lex=%.2f cos=%.3f %s %s\n", h.Score, h.Lex, h.Cosine, h.Chunk.ID, h.Chunk.Section)
		}
	}
}
