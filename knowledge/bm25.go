package knowledge

import "math"

// bm25 is an Okapi BM25 index over the token lists of chunks.
type bm25 struct {
	k1, b    float64
	postings map[string][]posting
	lengths  []float64
	avgLen   float64
}

type posting struct {
	doc int
	tf  float64
}

func newBM25(docs [][]string) *bm25 {
	ix := &bm25{k1: 1.2, b: 0.6, postings: map[string][]posting{}, lengths: make([]float64, len(docs))}
	var total float64
	for i, toks := range docs {
		counts := map[string]int{}
		for _, t := range toks {
			counts[t]++
		}
		for t, n := range counts {
			ix.postings[t] = append(ix.postings[t], posting{i, float64(n)})
		}
		ix.lengths[i] = float64(len(toks))
		total += float64(len(toks))
	}
	if len(docs) > 0 {
		ix.avgLen = total / float64(len(docs))
	}
	return ix
}

// idf is the BM25 inverse document frequency of term.
func (ix *bm25) idf(term string) float64 {
	n := float64(len(ix.postings[term]))
	N := float64(len(ix.lengths))
	return math.Log(1 + (N-n+0.5)/(n+0.5))
}

// score adds the weighted BM25 contribution of every query term to scores.
func (ix *bm25) score(terms map[string]float64, scores []float64) {
	for t, w := range terms {
		ps := ix.postings[t]
		if len(ps) == 0 {
			continue
		}
		idf := ix.idf(t)
		for _, p := range ps {
			norm := ix.k1 * (1 - ix.b + ix.b*ix.lengths[p.doc]/ix.avgLen)
			scores[p.doc] += w * idf * p.tf * (ix.k1 + 1) / (p.tf + norm)
		}
	}
}
