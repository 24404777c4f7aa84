package events

import (
	"cmp"
	"slices"
	"strings"
	"time"
	"unicode"
)

// Gap is a group of similar questions that were answered with low
// confidence or handed off: a sign that a document is missing.
type Gap struct {
	// Question is the group's most frequent (standalone) question.
	Question string
	// Examples are up to three other wordings.
	Examples []string
	Count    int
	Handoffs int
	// MeanConfidence is the mean confidence of the answers given.
	MeanConfidence float64
	// Jurisdictions counts the places asked about ("" = none named).
	Jurisdictions map[string]int
	// Sources counts the documents the weak answers leaned on.
	Sources map[string]int
	Last    time.Time
	// LastID is the id of the group's latest event, from which a
	// help-desk draft can be made (kuaiji faq draft --from-event).
	LastID string
}

// IsGap reports whether an answer counts as a gap: handed off, or below
// minConfidence; declined questions (out of scope, greetings) never do.
func IsGap(e Event, minConfidence float64) bool {
	return !e.Declined && (e.Handoff || e.Confidence < minConfidence)
}

// Gaps groups the gap events (see [IsGap]) by similarity: the Jaccard
// index of their character bigrams (Chinese has no spaces; bigrams are
// what the retrieval matches on too) at least threshold, against the
// group's first question. Groups are returned largest first.
func Gaps(evs []Event, minConfidence, threshold float64) []Gap {
	type group struct {
		gap     Gap
		grams   map[string]bool
		texts   map[string]int
		confSum float64
	}
	// Most frequent wordings first, so a group is led by its usual form.
	freq := map[string]int{}
	for _, e := range evs {
		if IsGap(e, minConfidence) {
			freq[text(e)]++
		}
	}
	order := slices.Clone(evs)
	slices.SortStableFunc(order, func(a, b Event) int { return cmp.Compare(freq[text(b)], freq[text(a)]) })
	var groups []*group
	for _, e := range order {
		if !IsGap(e, minConfidence) {
			continue
		}
		t := text(e)
		g := bigrams(t)
		var into *group
		for _, gr := range groups {
			if jaccard(g, gr.grams) >= threshold {
				into = gr
				break
			}
		}
		if into == nil {
			into = &group{gap: Gap{Question: t, Jurisdictions: map[string]int{}, Sources: map[string]int{}}, grams: g, texts: map[string]int{}}
			groups = append(groups, into)
		}
		gp := &into.gap
		gp.Count++
		if e.Handoff {
			gp.Handoffs++
		}
		into.confSum += e.Confidence
		gp.Jurisdictions[e.Jurisdiction]++
		for _, s := range e.Sources {
			gp.Sources[s]++
		}
		if e.Time.After(gp.Last) || gp.LastID == "" {
			gp.Last, gp.LastID = e.Time, e.ID
		}
		if t != gp.Question {
			into.texts[t]++
		}
	}
	out := make([]Gap, 0, len(groups))
	for _, gr := range groups {
		gr.gap.MeanConfidence = gr.confSum / float64(gr.gap.Count)
		var others []string
		for t := range gr.texts {
			others = append(others, t)
		}
		slices.SortFunc(others, func(a, b string) int {
			return cmp.Or(cmp.Compare(gr.texts[b], gr.texts[a]), strings.Compare(a, b))
		})
		gr.gap.Examples = others[:min(3, len(others))]
		out = append(out, gr.gap)
	}
	slices.SortStableFunc(out, func(a, b Gap) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(b.Handoffs, a.Handoffs))
	})
	return out
}

// text is what was searched: the standalone question when a follow-up was
// resolved.
func text(e Event) string {
	if e.Standalone != "" {
		return e.Standalone
	}
	return e.Question
}

// bigrams are the character bigrams of s's letters and digits (a lone
// character counts as itself); punctuation and spaces split runs.
func bigrams(s string) map[string]bool {
	out := map[string]bool{}
	var run []rune
	flush := func() {
		switch {
		case len(run) == 1:
			out[string(run)] = true
		case len(run) > 1:
			for i := 0; i+1 < len(run); i++ {
				out[string(run[i:i+2])] = true
			}
		}
		run = run[:0]
	}
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			run = append(run, r)
			continue
		}
		flush()
	}
	flush()
	return out
}

func jaccard(a, b map[string]bool) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	inter := 0
	for k := range a {
		if b[k] {
			inter++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

// Similarity is the Jaccard index of two texts' character bigrams (0–1),
// the measure [Gaps] groups questions by; other reports group with it too.
func Similarity(a, b string) float64 { return jaccard(bigrams(a), bigrams(b)) }
