package knowledge

import "sort"

// orderPassages is the order in which a generator is given the retrieved
// passages: first those the extractive answer rests on, in its order (the
// answer's lead sentence comes from the first), since they were chosen for
// the question's intent and place; then the rest of the hits, the national
// rules and the asker's own place's before another place's, and superseded
// documents last. Generators read the first sources most closely, so what
// the answer needs must stand among the first three.
func (ix *Index) orderPassages(used, hits []Hit, sc scope) []Passage {
	out := make([]Passage, 0, len(hits)+len(used))
	seen := map[string]bool{}
	add := func(h Hit) {
		if seen[h.Chunk.ID] {
			return
		}
		seen[h.Chunk.ID] = true
		out = append(out, Passage{ix.chunkSource(h), h.Chunk.Text})
	}
	for _, h := range used {
		add(h)
	}
	rest := append([]Hit(nil), hits...)
	rank := func(h Hit) int {
		r := 0
		if j := h.Chunk.Jurisdiction; j != "" && !sc.has(j) {
			r++
		}
		if d := ix.docs[h.Chunk.DocID]; d != nil && d.Status == StatusSuperseded {
			r += 2
		}
		return r
	}
	sort.SliceStable(rest, func(a, b int) bool { return rank(rest[a]) < rank(rest[b]) })
	for _, h := range rest {
		add(h)
	}
	return out
}
