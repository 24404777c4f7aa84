package knowledge

import (
	"math"
	"sort"
)

// faqMatcher finds the FAQ entry a question is a paraphrase of. It always
// uses the local features, whatever embedder the chunks use, so its scores
// and threshold mean the same thing in every configuration.
type faqMatcher struct {
	seg     *Segmenter
	entries []FAQ
	texts   []faqText
	// idf is computed over the entries themselves: 出纳 occurs in few, so it
	// decides a match; 信息采集 occurs in many, so it does not.
	idf     map[string]float64
	unknown float64
	// places are the names of places: they say where, never what is
	// asked, so none of them is a question's key word.
	places map[string]bool
}

type faqText struct {
	entry int
	vec   []float32
	terms map[string]bool
}

type faqHit struct {
	entry int
	score float64
	// keyMissed is set when the question's weightiest word is not in the
	// matched phrasing: "平台什么时候上线" is not "平台怎么注册", however much
	// else they share.
	keyMissed bool
}

func newFAQMatcher(seg *Segmenter, entries []FAQ, places *Jurisdictions) *faqMatcher {
	m := &faqMatcher{seg: seg, entries: entries, idf: map[string]float64{}, places: map[string]bool{}}
	if places != nil {
		for _, j := range places.All() {
			for _, n := range j.names() {
				m.places[Normalize(n)] = true
			}
		}
	}
	df := map[string]int{}
	for i, f := range entries {
		seen := map[string]bool{}
		for _, t := range append([]string{f.Question}, f.Variants...) {
			toks := seg.Tokens(t)
			m.texts = append(m.texts, faqText{entry: i, vec: seg.vector(t), terms: termSet(toks)})
			for _, tok := range toks {
				if !seen[tok] {
					seen[tok] = true
					df[tok]++
				}
			}
		}
	}
	n := float64(len(entries))
	for t, d := range df {
		m.idf[t] = math.Log(1 + (n-float64(d)+0.5)/(float64(d)+0.5))
	}
	m.unknown = math.Log(1 + (n+0.5)/0.5)
	return m
}

func termSet(toks []string) map[string]bool {
	s := make(map[string]bool, len(toks))
	for _, t := range toks {
		s[t] = true
	}
	return s
}

// match scores every entry by its closest phrasing: the cosine of the local
// vectors blended with how much of the question's weighted vocabulary the
// phrasing covers (synonyms count), best first.
func (m *faqMatcher) match(qvec []float32, qtoks []string) []faqHit {
	hits := make([]faqHit, len(m.entries))
	for i := range hits {
		hits[i].entry = i
	}
	for _, t := range m.texts {
		cov, missed := m.coverage(qtoks, t.terms)
		s := 0.4*cosine(qvec, t.vec) + 0.6*cov
		if h := &hits[t.entry]; s > h.score {
			h.score, h.keyMissed = s, missed
		}
	}
	sort.SliceStable(hits, func(a, b int) bool { return hits[a].score > hits[b].score })
	return hits
}

func (m *faqMatcher) coverage(qtoks []string, terms map[string]bool) (cov float64, keyMissed bool) {
	var have, all, key float64
	keyHit := true
	seen := map[string]bool{}
	for _, t := range qtoks {
		if seen[t] {
			continue
		}
		seen[t] = true
		w, ok := m.idf[t]
		if !ok {
			// A word no entry uses may be filler or may be the point of a
			// different question: it counts, but less than a known rare word.
			w = 0.5 * m.unknown
			if runeLen(t) == 1 {
				w = 0.15 * m.unknown
			}
		}
		all += w
		hit := terms[t]
		if hit {
			have += w
		} else {
			for _, s := range synonymIndex[t] {
				if terms[s] {
					have += 0.7 * w
					hit = true
					break
				}
			}
		}
		if runeLen(t) > 1 && w > key && !m.places[t] {
			key, keyHit = w, hit
		}
	}
	if all == 0 {
		return 0, false
	}
	return have / all, !keyHit
}

func cosine(a, b []float32) float64 {
	var dot float64
	for i := range a {
		dot += float64(a[i]) * float64(b[i])
	}
	return dot
}
