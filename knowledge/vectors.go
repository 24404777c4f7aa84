package knowledge

import (
	"errors"
	"fmt"
	"math"
	"runtime"
)

// vectorIndex holds one normalised vector per chunk and answers nearest
// neighbour queries by exact (brute-force) cosine similarity.
//
// It replaces chromem-go's collection, which at 30,000 chunks cost most of
// an answer's time and most of a start: the collection keeps one file per
// chunk (30,000 files opened and decoded at every start), and each query
// scans every document once globally and once more per place in scope. Here
// the vectors sit in one dimension-major block, so a query walks each
// dimension's column once and skips the dimensions where the query is zero:
// a question's local (hashed) vector has a few dozen non-zero dimensions of
// 768, which makes a query over 30,000 chunks about a millisecond. A model's
// dense vectors are scanned in full, still in one pass for all places.
//
// Similarities are accumulated in float32 in ascending dimension order, as
// chromem's dotProduct does, so the scores (and so the answers) are the same.
type vectorIndex struct {
	dims, n int
	// cols[d*n+i] is dimension d of chunk i.
	cols []float32
}

// newVectorIndex lays out rows (one normalised vector per chunk) by
// dimension. All rows must have the same length.
func newVectorIndex(rows [][]float32) (*vectorIndex, error) {
	vi := &vectorIndex{n: len(rows)}
	if len(rows) == 0 {
		return vi, nil
	}
	vi.dims = len(rows[0])
	vi.cols = make([]float32, vi.dims*vi.n)
	for i, r := range rows {
		if len(r) != vi.dims {
			return nil, fmt.Errorf("vector of chunk %d has %d dimensions, want %d", i, len(r), vi.dims)
		}
		for d, x := range r {
			vi.cols[d*vi.n+i] = x
		}
	}
	return vi, nil
}

// row copies out chunk i's vector.
func (vi *vectorIndex) row(i int) []float32 {
	r := make([]float32, vi.dims)
	for d := range r {
		r[d] = vi.cols[d*vi.n+i]
	}
	runtime.KeepAlive(vi) // cols may be mapped memory, unmapped with vi
	return r
}

var errVectorDims = errors.New("query vector and index vectors differ in length")

// similarities returns the cosine similarity of q to every chunk; q is
// normalised first if it is not.
func (vi *vectorIndex) similarities(q []float32) ([]float32, error) {
	sims := make([]float32, vi.n)
	if vi.n == 0 {
		return sims, nil
	}
	if len(q) != vi.dims {
		return nil, fmt.Errorf("%w (%d and %d)", errVectorDims, len(q), vi.dims)
	}
	if !isNormalized(q) {
		q = normalizeVector(q)
	}
	for d, x := range q {
		if x == 0 {
			// Adding 0×v leaves every sum as it was.
			continue
		}
		col := vi.cols[d*vi.n : (d+1)*vi.n]
		for i, v := range col {
			sims[i] += x * v
		}
	}
	runtime.KeepAlive(vi)
	return sims, nil
}

// nearest returns the indices of the k highest sims among idx (all chunks
// when idx is nil), highest first, ties by lower index.
func nearest(sims []float32, idx []int32, k int) []int {
	top := newTopK(k, func(a, b int) bool {
		return sims[a] > sims[b] || sims[a] == sims[b] && a < b
	})
	if idx == nil {
		for i := range sims {
			top.add(i)
		}
	} else {
		for _, i := range idx {
			top.add(int(i))
		}
	}
	return top.idx
}

// isNormalized and normalizeVector are chromem-go's (vector.go), so vectors
// normalised here are bit for bit those it stored.
func isNormalized(v []float32) bool {
	var sqSum float64
	for _, val := range v {
		sqSum += float64(val) * float64(val)
	}
	return math.Abs(math.Sqrt(sqSum)-1) < 1e-6
}

func normalizeVector(v []float32) []float32 {
	var norm float32
	for _, val := range v {
		norm += val * val
	}
	norm = float32(math.Sqrt(float64(norm)))
	res := make([]float32, len(v))
	for i, val := range v {
		res[i] = val / norm
	}
	return res
}
