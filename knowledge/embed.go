package knowledge

import (
	"context"
	"hash/fnv"
	"math"
	"unicode/utf8"

	"github.com/philippgille/chromem-go"
)

// LocalEmbedderName identifies vectors made by [LocalEmbedder]; a persisted
// index made with another embedder is re-embedded.
const LocalEmbedderName = "local-hash-v1"

const localDims = 768

// LocalEmbedder returns a deterministic, offline [chromem.EmbeddingFunc]:
// hashed word and character-bigram features, weighted by how rare a word is
// in the segmentation dictionary, then L2-normalised. It needs no network
// and gives the same vector for the same text on every machine.
func LocalEmbedder(seg *Segmenter) chromem.EmbeddingFunc {
	return func(_ context.Context, text string) ([]float32, error) {
		return seg.vector(text), nil
	}
}

func (s *Segmenter) vector(text string) []float32 {
	v := make([]float32, localDims)
	add := func(feature string, w float64) {
		h := fnv.New64a()
		h.Write([]byte(feature))
		x := h.Sum64()
		sign := float32(1)
		if x>>63 == 1 {
			sign = -1
		}
		v[x%localDims] += sign * float32(w)
	}
	// A constant feature keeps the vector of an empty or all-stop-word text
	// non-zero, which chromem could not normalise.
	add("_", 0.01)
	counts := map[string]int{}
	for _, t := range s.Tokens(text) {
		counts[t]++
	}
	for t, n := range counts {
		add("w:"+t, (1+math.Log(float64(n)))*s.idf(t))
	}
	bc := map[string]int{}
	for _, b := range Bigrams(text) {
		bc[b]++
	}
	for b, n := range bc {
		add("b:"+b, 0.5*(1+math.Log(float64(n))))
	}
	var norm float64
	for _, x := range v {
		norm += float64(x) * float64(x)
	}
	if norm == 0 {
		return v
	}
	inv := float32(1 / math.Sqrt(norm))
	for i := range v {
		v[i] *= inv
	}
	return v
}

// idf approximates a word's inverse document frequency from its frequency
// in the dictionary: everyday words weigh little, domain terms a lot.
func (s *Segmenter) idf(word string) float64 {
	if domainSet[word] {
		// Their dictionary frequency is artificial (see newSegmenter).
		return 1.1
	}
	freq, _, ok := s.seg.Find(word)
	if !ok || freq <= 0 {
		if utf8.RuneCountInString(word) == 1 {
			return 0.5
		}
		return 1.2
	}
	w := math.Log(1e5/(freq+1)) / math.Log(1e5)
	return math.Max(0.15, math.Min(1.2, w+0.3))
}
