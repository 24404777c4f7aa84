package knowledge

import (
	"math"
	"sort"
)

// bm25 is an Okapi BM25 index: for every term, the chunks holding it. A
// query touches only the postings of its own terms.
type bm25 struct {
	k1, b    float64
	postings map[string][]posting
	lengths  []float64
	avgLen   float64
}

// posting is one chunk holding a term, tf times. Compact, since 30,000
// chunks hold some 15 million of them.
type posting struct {
	doc uint32
	tf  uint32
}

// termCount is a term of one chunk with its frequency there.
type termCount struct {
	term string
	tf   uint32
}

// countTerms turns a chunk's tokens into its distinct terms and their
// frequencies, and returns the token count (the chunk's BM25 length).
func countTerms(toks []string) ([]termCount, int) {
	counts := map[string]uint32{}
	for _, t := range toks {
		counts[t]++
	}
	out := make([]termCount, 0, len(counts))
	for t, n := range counts {
		out = append(out, termCount{t, n})
	}
	sort.Slice(out, func(a, b int) bool { return out[a].term < out[b].term })
	return out, len(toks)
}

// newBM25 indexes chunks given as their term counts and lengths (token
// counts), in chunk order.
func newBM25(docs [][]termCount, lengths []int) *bm25 {
	ix := &bm25{k1: 1.2, b: 0.6, postings: map[string][]posting{}, lengths: make([]float64, len(docs))}
	df := map[string]int{}
	total := 0
	for _, terms := range docs {
		for _, t := range terms {
			df[t.term]++
		}
		total += len(terms)
	}
	// One arena for all postings: fewer, larger allocations.
	arena := make([]posting, 0, total)
	for t, n := range df {
		start := len(arena)
		arena = arena[:start+n]
		ix.postings[t] = arena[start : start : start+n]
	}
	var sum float64
	for i, terms := range docs {
		for _, t := range terms {
			ix.postings[t.term] = append(ix.postings[t.term], posting{uint32(i), t.tf})
		}
		ix.lengths[i] = float64(lengths[i])
		sum += float64(lengths[i])
	}
	if len(docs) > 0 {
		ix.avgLen = sum / float64(len(docs))
	}
	return ix
}

// forward inverts the index back into each chunk's term counts, so a
// changed corpus can reuse the terms of unchanged chunks without
// segmenting them again.
func (ix *bm25) forward() [][]termCount {
	docs := make([][]termCount, len(ix.lengths))
	for t, ps := range ix.postings {
		for _, p := range ps {
			docs[p.doc] = append(docs[p.doc], termCount{t, p.tf})
		}
	}
	return docs
}

// idf is the BM25 inverse document frequency of term.
func (ix *bm25) idf(term string) float64 {
	n := float64(len(ix.postings[term]))
	N := float64(len(ix.lengths))
	return math.Log(1 + (N-n+0.5)/(n+0.5))
}

// score adds the weighted BM25 contribution of every query term to scores.
func (ix *bm25) score(terms map[string]float64, scores []float64) {
	for _, t := range sortedTerms(terms) {
		w := terms[t]
		ps := ix.postings[t]
		if len(ps) == 0 {
			continue
		}
		idf := ix.idf(t)
		for _, p := range ps {
			tf := float64(p.tf)
			norm := ix.k1 * (1 - ix.b + ix.b*ix.lengths[p.doc]/ix.avgLen)
			scores[p.doc] += w * idf * tf * (ix.k1 + 1) / (tf + norm)
		}
	}
}

// topScores returns the indices of the k highest positive scores for which
// keep is true, highest first and ties by lower index: what a stable sort of
// all of them would put first, without sorting tens of thousands of chunks.
func topScores(scores []float64, keep func(int) bool, k int) []int {
	top := newTopK(k, func(a, b int) bool {
		return scores[a] > scores[b] || scores[a] == scores[b] && a < b
	})
	for i, s := range scores {
		if s > 0 && top.wants(i) && keep(i) {
			top.add(i)
		}
	}
	return top.idx
}

// topK keeps the k best of the indices offered, best first.
type topK struct {
	k      int
	better func(a, b int) bool
	idx    []int
}

func newTopK(k int, better func(a, b int) bool) *topK {
	return &topK{k: max(k, 0), better: better, idx: make([]int, 0, max(k, 0))}
}

// wants reports whether i would enter the list.
func (t *topK) wants(i int) bool {
	return len(t.idx) < t.k || t.k > 0 && t.better(i, t.idx[t.k-1])
}

// add inserts i in order; insertion into a short sorted list beats a heap
// for the 40 candidates a search keeps.
func (t *topK) add(i int) {
	if !t.wants(i) {
		return
	}
	j := len(t.idx)
	if j < t.k {
		t.idx = append(t.idx, i)
	} else {
		j = t.k - 1
	}
	for j > 0 && t.better(i, t.idx[j-1]) {
		t.idx[j] = t.idx[j-1]
		j--
	}
	t.idx[j] = i
}

// sortedTerms are the keys of terms in order: summing the weights of a
// map in its random order rounds differently from one run to the next,
// and a tie between two passages or sentences would then go either way.
func sortedTerms(terms map[string]float64) []string {
	keys := make([]string, 0, len(terms))
	for t := range terms {
		keys = append(keys, t)
	}
	sort.Strings(keys)
	return keys
}
