package knowledge

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// DeskFAQ is a published help-desk answer: it answers the questions it
// matches as a built-in FAQ entry does, with its provenance.
type DeskFAQ struct {
	// FAQ holds the question, paraphrases (Variants), answer and
	// jurisdiction code; its ID ("desk-12") is the source answers cite.
	FAQ
	// Reviewed is when it was published, shown with every answer;
	// from Expires on it answers no more.
	Reviewed, Expires time.Time
	// Docs are the ids of the documents it rests on, cited after it.
	Docs []string
	// Defers is the title of the built-in document that also answers the
	// question and applies where the two differ ("" when none does).
	Defers string
}

// deskSet is the help-desk entries matched together with the built-in
// ones: the words' weights are worked out over both, so a help-desk entry
// wins only a question that it fits better than every built-in entry.
type deskSet struct {
	m    *faqMatcher
	base int // entries from base on are desk[i-base]
	desk []DeskFAQ
	// byTerm lists the entries whose phrasings hold a word; textsOf the
	// phrasings of each entry. They let a question be scored against only
	// the entries that have its key word (see [deskSet.match]).
	byTerm  map[string][]int32
	textsOf [][]int32
}

// SetDeskFAQ replaces the help-desk entries the index answers with, at
// once for every question asked from then on; nil removes them. Entries
// whose jurisdiction the place table does not know are skipped.
func (ix *Index) SetDeskFAQ(list []DeskFAQ) {
	var keep []DeskFAQ
	for _, d := range list {
		if d.Jurisdiction != "" {
			if _, ok := ix.corpus.Places.ByCode(d.Jurisdiction); !ok {
				ix.log.Warn("help-desk entry for an unknown place skipped", "entry", d.ID, "jurisdiction", d.Jurisdiction)
				continue
			}
		}
		keep = append(keep, d)
	}
	if len(keep) == 0 {
		ix.desk.Store(nil)
		return
	}
	extra := make([]FAQ, len(keep))
	for i, d := range keep {
		extra[i] = d.FAQ
	}
	m := ix.faq.with(extra)
	d := &deskSet{m: m, base: len(ix.faq.entries), desk: keep, byTerm: map[string][]int32{}, textsOf: make([][]int32, len(m.entries))}
	for i, v := range m.vocab {
		for tok := range v {
			d.byTerm[tok] = append(d.byTerm[tok], int32(i))
		}
	}
	for k, t := range m.texts {
		d.textsOf[t.entry] = append(d.textsOf[t.entry], int32(k))
	}
	ix.desk.Store(d)
}

// match scores the entries that hold the question's key word (or a
// synonym of it) as [faqMatcher.match] scores all of them, best first.
// The others are left out: an entry without the key word never answers,
// and it is no rival to one that has it (as in confidentBelowKeyMissed);
// with a thousand help-desk entries, scoring only these keeps an answer
// within its budget. A question without a key word scores every entry.
func (d *deskSet) match(qvec []float32, toks []string) []faqHit {
	q := d.m.weigh(toks, nil)
	if q.key < 0 {
		return d.m.match(qvec, toks)
	}
	var cands []int32
	seen := map[int32]bool{}
	for _, w := range append([]string{q.words[q.key].text}, q.words[q.key].syn...) {
		for _, e := range d.byTerm[w] {
			if !seen[e] {
				seen[e] = true
				cands = append(cands, e)
			}
		}
	}
	hits := make([]faqHit, 0, len(cands))
	for _, e := range cands {
		h := faqHit{entry: int(e)}
		_, h.keyMissed = q.coverage(d.m.vocab[e])
		for _, k := range d.textsOf[e] {
			h.score = max(h.score, q.score(&d.m.texts[k], qvec))
		}
		hits = append(hits, h)
	}
	sort.SliceStable(hits, func(a, b int) bool { return hits[a].score > hits[b].score })
	return hits
}

// DeskFAQCount is how many help-desk entries the index answers with.
func (ix *Index) DeskFAQCount() int {
	if d := ix.desk.Load(); d != nil {
		return len(d.desk)
	}
	return 0
}

// with is m with extra entries after its own: their phrasings are
// segmented, m's are reused, and the weights are worked out anew.
func (m *faqMatcher) with(extra []FAQ) *faqMatcher {
	out := &faqMatcher{seg: m.seg, places: m.places,
		entries: slices.Concat(m.entries, extra),
		texts:   slices.Clip(m.texts),
		vocab:   slices.Clip(m.vocab), intents: slices.Clip(m.intents), negated: slices.Clip(m.negated)}
	for i, f := range extra {
		out.addEntry(len(m.entries)+i, f, nil)
	}
	out.weighTerms()
	return out
}

// builtInOnly marks a context whose questions are answered without the
// help-desk entries: what the built-in corpus alone says.
type builtInOnly struct{}

// deskAnswer answers from the help-desk entry the question is asked in
// other words of, when one is the clear match among built-in and help-desk
// entries alike, with its provenance. The answer is final (no passages): a
// generator does not rewrite words staff reviewed.
func (ix *Index) deskAnswer(ctx context.Context, qvec []float32, toks []string, q string, sc scope) (Answer, bool) {
	d := ix.desk.Load()
	if d == nil || ctx.Value(builtInOnly{}) != nil {
		return Answer{}, false
	}
	now := time.Now()
	hits := slices.DeleteFunc(d.match(qvec, toks), func(h faqHit) bool {
		return h.entry >= d.base && !now.Before(d.desk[h.entry-d.base].Expires)
	})
	hits = compatibleIn(d.m, hits, q, sc)
	if !faqConfidentMatch(hits) || hits[0].entry < d.base {
		return Answer{}, false
	}
	e, score := d.desk[hits[0].entry-d.base], hits[0].score
	date := e.Reviewed.In(chinaTime).Format("2006-01-02")
	text := e.Answer
	if e.Defers != "" {
		text += fmt.Sprintf("\n提示：《%s》对这个问题也有规定，两者不一致时以《%s》为准。", e.Defers, e.Defers)
	}
	text += "\n" + DeskProvenance(e.Reviewed)
	src := Source{ID: e.ID, Title: "帮助台答复（" + date + "，经审核）", Score: round3(score), Status: StatusInForce}
	if j, ok := ix.corpus.Places.ByCode(e.Jurisdiction); ok {
		src.Province = j.Name
	}
	ans := Answer{Text: text, Sources: []Source{src}, Confidence: clamp01(0.6 + (score-faqProbable)*1.2), FAQ: true}
	for _, id := range e.Docs {
		if _, ok := ix.docs[id]; ok {
			ans.Sources = appendSource(ans.Sources, ix.source(id, "", score))
		}
	}
	return ans, true
}

// chinaTime is the zone provenance dates are written in.
var chinaTime = time.FixedZone("CST", 8*3600)

// DeskProvenance is the line every answer from a help-desk entry ends
// with: 「来源：帮助台答复（2026-12-02，经审核）」.
func DeskProvenance(reviewed time.Time) string {
	return "来源：帮助台答复（" + reviewed.In(chinaTime).Format("2006-01-02") + "，经审核）"
}

// BuiltIn is the built-in FAQ entry that answers a question.
type BuiltIn struct {
	// Question is the entry's question; Applies the title of the
	// document it rests on; Says the answer's first sentences.
	Question, Applies, Says string
}

// BuiltInAnswer reports whether a built-in FAQ entry answers question for
// jurisdiction (a code, "" national), as the question would be answered
// without any help-desk entry, and which. Only entries count: the FAQ
// restates the rules of its documents question by question, whereas an
// answer composed from passages can be confident about a neighbouring
// point and would raise a warning for every new question.
func (ix *Index) BuiltInAnswer(ctx context.Context, question, jurisdiction string) (BuiltIn, bool, error) {
	r, err := ix.Retrieve(context.WithValue(ctx, builtInOnly{}, true), Question{Text: question, Jurisdiction: jurisdiction})
	if err != nil {
		return BuiltIn{}, false, err
	}
	a := r.Answer
	if !a.FAQ || a.Declined || a.Handoff || len(a.Sources) == 0 {
		return BuiltIn{}, false, nil
	}
	b := BuiltIn{Applies: cmp.Or(a.Sources[0].Title, a.Sources[0].ID)}
	// The answer begins with the entry's answer; that says which entry.
	for _, f := range ix.corpus.FAQ {
		if strings.Contains(a.Text, f.Answer) {
			b.Question = f.Question
			break
		}
	}
	says := strings.TrimPrefix(a.Text, a.Note)
	if r := []rune(says); len(r) > 160 {
		says = string(r[:160]) + "…"
	}
	b.Says = says
	return b, true, nil
}
