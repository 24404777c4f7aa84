package knowledge

import (
	"context"
	"fmt"
	"sort"
)

// Hit is a retrieved chunk with its fused score.
type Hit struct {
	Chunk  *Chunk
	Score  float64 // fused, higher is better
	Lex    float64 // BM25
	Cosine float64
}

const (
	rrfK = 20
	// foreignPenalty demotes another place's guideline when the asker's place
	// is unknown: it may still be the best passage, and is then labelled.
	foreignPenalty     = 0.7
	localBoost         = 1.35
	supersededDemotion = 0.8
	candidates         = 40
)

// vectorSearch returns the cosine similarity of the nearest chunks overall
// and, for each place in scope, of the nearest of that place, so the
// asker's own guideline competes even when national documents fill the
// global top-n.
func (ix *Index) vectorSearch(ctx context.Context, text string, sc scope) (map[int]float64, error) {
	qvec, err := ix.embed(ctx, text)
	if err != nil {
		return nil, fmt.Errorf("embed question: %w", err)
	}
	sims, err := ix.vecs.similarities(qvec)
	if err != nil {
		return nil, fmt.Errorf("vector search: %w", err)
	}
	n := min(candidates, len(sims))
	cos := map[int]float64{}
	for _, i := range nearest(sims, nil, n) {
		cos[i] = float64(sims[i])
	}
	for _, p := range sc.places {
		for _, i := range nearest(sims, ix.byPlace[p], n) {
			cos[i] = float64(sims[i])
		}
	}
	return cos, nil
}

// search ranks chunks for the question by reciprocal rank fusion of BM25 and
// vector similarity. Passages of a jurisdiction outside a known scope are
// never returned, so another province's specifics cannot be given as if
// they applied.
func (ix *Index) search(ctx context.Context, query string, tokens []string, sc scope, k int) ([]Hit, error) {
	if len(ix.chunks) == 0 {
		return nil, nil
	}
	terms := expand(tokens, query)
	for _, b := range Bigrams(query) {
		if _, ok := terms[bigramPrefix+b]; !ok {
			terms[bigramPrefix+b] = 0.3
		}
	}
	lex := make([]float64, len(ix.chunks))
	ix.lex.score(terms, lex)

	cos, err := ix.vectorSearch(ctx, expandText(query, tokens), sc)
	if err != nil {
		if ctx.Err() != nil {
			return nil, err
		}
		// A remote embedder that fails must not cost the user the answer:
		// BM25 alone still ranks well.
		ix.log.Warn("vector search failed, answering from the lexical index", "err", err)
		cos = nil
	}

	allowed := func(ch *Chunk) bool {
		return ch.Jurisdiction == "" || len(sc.places) == 0 || sc.has(ch.Jurisdiction)
	}
	fused := map[int]float64{}
	lexRank := topScores(lex, func(i int) bool { return allowed(&ix.chunks[i]) }, candidates)
	for r, i := range lexRank {
		fused[i] += 1 / float64(rrfK+r+1)
	}
	vecRank := make([]int, 0, len(cos))
	for i := range cos {
		if allowed(&ix.chunks[i]) {
			vecRank = append(vecRank, i)
		}
	}
	sort.SliceStable(vecRank, func(a, b int) bool {
		if cos[vecRank[a]] != cos[vecRank[b]] {
			return cos[vecRank[a]] > cos[vecRank[b]]
		}
		return vecRank[a] < vecRank[b]
	})
	for r, i := range vecRank {
		fused[i] += ix.vectorWeight / float64(rrfK+r+1)
	}

	hits := make([]Hit, 0, len(fused))
	for i, s := range fused {
		ch := &ix.chunks[i]
		switch {
		case ch.Jurisdiction != "" && sc.has(ch.Jurisdiction):
			s *= localBoost
		case ch.Jurisdiction != "":
			s *= foreignPenalty
		}
		if d := ix.docs[ch.DocID]; d != nil && d.Status == StatusSuperseded {
			s *= supersededDemotion
		}
		hits = append(hits, Hit{Chunk: ch, Score: s, Lex: lex[i], Cosine: cos[i]})
	}
	sort.SliceStable(hits, func(a, b int) bool {
		if hits[a].Score != hits[b].Score {
			return hits[a].Score > hits[b].Score
		}
		return hits[a].Chunk.ID < hits[b].Chunk.ID
	})
	return hits[:min(k, len(hits))], nil
}
