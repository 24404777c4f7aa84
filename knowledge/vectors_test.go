package knowledge

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

// TestVectorIndexFindsTheNearest checks the column scan and the top-k
// selection against a plain float64 dot product and a full sort, for dense
// queries (a model's) and sparse ones (the local embedder's).
func TestVectorIndexFindsTheNearest(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const dims, n, k = 64, 500, 40
	rows := make([][]float32, n)
	for i := range rows {
		rows[i] = make([]float32, dims)
		for d := range rows[i] {
			rows[i][d] = float32(rng.NormFloat64())
		}
		rows[i] = normalizeVector(rows[i])
	}
	vi, err := newVectorIndex(rows)
	if err != nil {
		t.Fatal(err)
	}
	places := []int32{3, 7, 11, 400, 499}
	for trial := range 20 {
		q := make([]float32, dims)
		for d := range q {
			if trial%2 == 0 || rng.IntN(8) == 0 {
				q[d] = float32(rng.NormFloat64())
			}
		}
		q[trial] = 1 // never all zero
		sims, err := vi.similarities(q)
		if err != nil {
			t.Fatal(err)
		}
		var norm float64
		for _, x := range q {
			norm += float64(x) * float64(x)
		}
		want := make([]float64, n)
		for i, r := range rows {
			for d := range r {
				want[i] += float64(q[d]) * float64(r[d]) / math.Sqrt(norm)
			}
			if math.Abs(want[i]-float64(sims[i])) > 1e-5 {
				t.Fatalf("chunk %d: similarity %v, want %v", i, sims[i], want[i])
			}
		}
		order := make([]int, n)
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(a, b int) bool { return want[order[a]] > want[order[b]] })
		if got := nearest(sims, nil, k); !slices.Equal(got, order[:k]) {
			t.Errorf("trial %d: nearest %v, want %v", trial, got, order[:k])
		}
		var local []int
		for _, i := range order {
			if slices.Contains(places, int32(i)) {
				local = append(local, i)
			}
		}
		if got := nearest(sims, places, k); !slices.Equal(got, local) {
			t.Errorf("trial %d: nearest of a place %v, want %v", trial, got, local)
		}
	}
	if _, err := vi.similarities(make([]float32, dims+1)); err == nil {
		t.Error("a query of another length was accepted")
	}
}

func TestTopScoresIsAStableSortsHead(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 50 {
		scores := make([]float64, 300)
		for i := range scores {
			// Few distinct values, so ties are common, and some zeros.
			scores[i] = float64(rng.IntN(12)) / 4
		}
		keep := func(i int) bool { return i%7 != trial%7 }
		var want []int
		for i, s := range scores {
			if s > 0 && keep(i) {
				want = append(want, i)
			}
		}
		sort.SliceStable(want, func(a, b int) bool { return scores[want[a]] > scores[want[b]] })
		k := trial % 45
		if got := topScores(scores, keep, k); !slices.Equal(got, want[:min(k, len(want))]) {
			t.Fatalf("k=%d: %v, want %v", k, got, want[:min(k, len(want))])
		}
	}
}
