package bot

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kuaiji/kuaiji"
	"github.com/kuaiji/kuaiji/flows"
)

// What a text asks for is decided here, from the flows' own YAML: a menu
// label typed as text, a request (requests:) or a sentence that settles a
// flow on its own starts that flow; an answer about a flow's subject
// (suggest.when) ends with the offer of it. Policy questions stay the
// default.

// settleMin is how many questions a sentence must answer before it is
// taken as a description of the user's case rather than a question.
const settleMin = 3

// requestedFlow returns the id of the flow text asks for, or "".
func (r *Router) requestedFlow(text string) string {
	c := fold(text)
	if c == "" || strings.HasPrefix(c, "/") {
		return ""
	}
	all := r.eng.All()
	for _, f := range all {
		if c == fold(f.Title) {
			return f.ID
		}
	}
	if f := bestMatch(all, c, func(f *flows.Flow) []string { return f.Requests }); f != nil {
		return f.ID
	}
	// A question is answered as one, however much of a case it tells.
	if flows.LooksLikeQuestion(text) || strings.ContainsAny(text, "哪?？") {
		return ""
	}
	for _, f := range all {
		if r.eng.Settles(f.ID, text, settleMin) {
			return f.ID
		}
	}
	return ""
}

// offerFor returns the flow an answer to question q should offer, or nil.
func (r *Router) offerFor(q string) *flows.Flow {
	f := bestMatch(r.eng.All(), fold(q), func(f *flows.Flow) []string {
		if f.Suggest == nil {
			return nil
		}
		return f.Suggest.When
	})
	if f == nil || f.Suggest == nil || f.Suggest.Text == "" {
		return nil
	}
	return f
}

// withOffers adds the button of each offer a reply's text ends with.
func (r *Router) withOffers(rs []kuaiji.Reply) []kuaiji.Reply {
	for i := range rs {
		for _, f := range r.eng.All() {
			s := f.Suggest
			if s == nil || s.Text == "" || !strings.Contains(rs[i].Text, s.Text) {
				continue
			}
			label := s.Label
			if label == "" {
				label = f.Title
			}
			rs[i].Buttons = append(rs[i].Buttons, []kuaiji.Button{{Label: label, Data: flows.StartData(f.ID)}})
		}
	}
	return rs
}

// bestMatch scores each flow by the total length of its patterns found in
// c and returns the best, the first in menu order on a tie.
func bestMatch(all []*flows.Flow, c string, patterns func(*flows.Flow) []string) *flows.Flow {
	var best *flows.Flow
	bestScore := 0
	for _, f := range all {
		score := 0
		for _, p := range patterns(f) {
			if n, ok := matchPattern(p, c); ok {
				score += n
			}
		}
		if score > bestScore {
			best, bestScore = f, score
		}
	}
	return best
}

// matchPattern reports whether every "+"-joined word of p occurs in c, and
// their total length in runes.
func matchPattern(p, c string) (int, bool) {
	n := 0
	for _, w := range strings.Split(p, "+") {
		w = fold(w)
		if w == "" || !strings.Contains(c, w) {
			return 0, false
		}
		n += utf8.RuneCountInString(w)
	}
	return n, n > 0
}

// fold drops spaces and trailing punctuation and lowercases, so that typed
// text and YAML words compare alike.
func fold(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsSpace(r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return strings.TrimRight(b.String(), "。！？!?.，,~")
}
