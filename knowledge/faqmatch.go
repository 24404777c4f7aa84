package knowledge

import (
	"crypto/sha256"
	"encoding/binary"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// faqMatcher finds the FAQ entry a question is a paraphrase of. It always
// uses the local features, whatever embedder the chunks use, so its scores
// and threshold mean the same thing in every configuration.
type faqMatcher struct {
	seg     *Segmenter
	entries []FAQ
	texts   []faqText
	// vocab is each entry's words over all its phrasings: a question may
	// take 几年不更新 from one phrasing and 僵尸 from another, and it is
	// still that entry's question.
	vocab []map[string]bool
	// idf is computed over the entries themselves: 出纳 occurs in few, so it
	// decides a match; 信息采集 occurs in many, so it does not.
	idf     map[string]float64
	unknown float64
	// holders are, for each word, the phrasings (indexes into texts) that
	// hold it: a question's coverage of every phrasing is summed from its
	// words' holders rather than looked up phrasing by phrasing.
	holders map[string][]int32
	// places are the names of places: they say where, never what is
	// asked, so none of them is a question's key word.
	places map[string]bool
	// intents are the kinds of answer each entry's phrasings ask for, and
	// negated whether its own question is about a lack (没做采集, 不是会计
	// 专业): see [faqMatcher.fit].
	intents []*entryIntents
	negated []bool
}

// entryIntents are the kinds of answer an entry's phrasings ask for,
// detected when [faqMatcher.fit] first asks: detecting them for every
// phrasing took about as long as segmenting them, at every start, and most
// entries are never fitted to a question.
type entryIntents struct {
	once  sync.Once
	texts []string
	// count is how many of the entry's phrasings ask for each intent.
	count map[intent]int
	// main is what the entry's own question asks for; its variants may
	// ask for a side of it ("采集退回原因在哪看" of the entry on what to do
	// after a rejection).
	main intent
}

// has reports whether one of the entry's phrasings asks for in.
func (e *entryIntents) has(in intent) bool {
	e.detect()
	return e.count[in] > 0
}

// asks reports whether the entry's own question asks for in, or more
// than one of its phrasings do: a question of two asks ("在哪里采集？还要
// 继续教育吗？") is read as one of them.
func (e *entryIntents) asks(in intent) bool {
	e.detect()
	return e.main == in || e.count[in] > 1
}

func (e *entryIntents) detect() {
	e.once.Do(func() {
		e.count = map[intent]int{}
		for i, t := range e.texts {
			in := detectIntent(Normalize(t))
			e.count[in]++
			if i == 0 {
				e.main = in
			}
		}
		e.texts = nil
	})
}

type faqText struct {
	entry int
	// The phrasing's vector is kept sparse, its non-zero features in
	// ascending order: with hundreds of entries a dense 768-wide dot per
	// phrasing was most of the time an answer took, and skipping zeros
	// leaves the sum unchanged.
	idx   []int32
	val   []float32
	terms map[string]bool
	// subjects are the procedures the phrasing names ([subjectsOf]).
	subjects uint8
}

// procedureWords name the procedures a question can be about, one bit
// each: collection, continuing education, transfer, change, photo,
// password.
var procedureWords = map[string]uint8{
	"信息采集": 1, "采集": 1,
	"继续教育": 2, "继教": 2, "学分": 2, "学时": 2, "网课": 2, "公需": 2, "公需课": 2, "专业课": 2, "公需科目": 2, "专业科目": 2,
	"调转": 4, "调入": 4, "调出": 4, "属地调转": 4,
	"信息变更": 8, "变更": 8,
	"照片": 16, "证件照": 16,
	"密码": 32,
}

// otherProcedure is what is left of a phrasing's score when it names
// another procedure than the question.
const otherProcedure = 0.85

// subjectsOf is the set of procedures tokens name, as bits of
// [procedureWords].
func subjectsOf(tokens []string) uint8 {
	var b uint8
	for _, t := range tokens {
		b |= procedureWords[t]
	}
	return b
}

func sparse(v []float32) (idx []int32, val []float32) {
	for i, x := range v {
		if x != 0 {
			idx = append(idx, int32(i))
			val = append(val, x)
		}
	}
	return idx, val
}

// dot is the cosine of the phrasing with a normalised query vector.
func (t *faqText) dot(q []float32) float64 {
	var d float64
	for j, i := range t.idx {
		d += float64(q[i]) * float64(t.val[j])
	}
	return d
}

type faqHit struct {
	entry int
	score float64
	// keyMissed is set when the question's weightiest word is in none of
	// the entry's phrasings: "平台什么时候上线" is not "平台怎么注册", however much
	// else they share.
	keyMissed bool
	// elsewhere is set for another place's entry to a question of no
	// place, which never answers (see [compatibleIn]).
	elsewhere bool
	// unknownKey is set when the question's key word is one no entry
	// uses: then no entry is the question's, however it scores.
	unknownKey bool
	// extra is the share of the best phrasing's own words the question
	// lacks ([faqQuery.extra]): it breaks near ties.
	extra float64
}

// lastFAQ is the matcher the last [Open] built, kept for the next one of
// the same phrasings: segmenting and classifying every phrasing is most of
// what opening an index costs, and a reload after an ingest, or another
// index in the same process, would otherwise repeat it for the same FAQ. A
// matcher is never changed once built ([faqMatcher.with] copies), so
// indexes can share one. Only one is kept: a changed FAQ replaces it.
var lastFAQ struct {
	sync.Mutex
	seg *Segmenter
	key [sha256.Size]byte
	m   *faqMatcher
}

// sharedFAQMatcher returns the matcher of entries: the one the process
// last built when it has the same segmenter, phrasings and places, else
// one built now with the phrasings' features from load (see
// [newFAQMatcher]), which is called only then.
func sharedFAQMatcher(seg *Segmenter, entries []FAQ, places *Jurisdictions, load func() *faqFeatures) *faqMatcher {
	key := faqKey(entries, placeNames(places))
	lastFAQ.Lock()
	defer lastFAQ.Unlock()
	if c := lastFAQ.m; c != nil && lastFAQ.seg == seg && lastFAQ.key == key {
		// The same phrasings and places; the answers and sources may differ.
		m := *c
		m.entries = entries
		return &m
	}
	m := newFAQMatcher(seg, entries, places, load())
	lastFAQ.seg, lastFAQ.key, lastFAQ.m = seg, key, m
	return m
}

// newFAQMatcher builds the matcher of entries, taking the phrasings'
// features from known where it has them (nil: computing all of them).
func newFAQMatcher(seg *Segmenter, entries []FAQ, places *Jurisdictions, known *faqFeatures) *faqMatcher {
	names := placeNames(places)
	m := &faqMatcher{seg: seg, entries: entries, idf: map[string]float64{}, places: map[string]bool{}}
	for _, n := range names {
		m.places[Normalize(n)] = true
	}
	for i, f := range entries {
		m.addEntry(i, f, known)
	}
	m.weighTerms()
	return m
}

func placeNames(places *Jurisdictions) []string {
	if places == nil {
		return nil
	}
	var names []string
	for _, j := range places.All() {
		names = append(names, j.names()...)
	}
	return names
}

// faqKey identifies what a matcher is built from: every phrasing of every
// entry, in order, and the place names.
func faqKey(entries []FAQ, places []string) [sha256.Size]byte {
	h := sha256.New()
	put := func(s string) {
		var n [8]byte
		binary.LittleEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	for _, f := range entries {
		put(strconv.Itoa(len(f.Variants)))
		put(f.Question)
		for _, v := range f.Variants {
			put(v)
		}
	}
	put("places")
	for _, n := range places {
		put(n)
	}
	var key [sha256.Size]byte
	h.Sum(key[:0])
	return key
}

// addEntry adds the phrasings of entry i and its vocabulary, their
// features from known where it has them.
func (m *faqMatcher) addEntry(i int, f FAQ, known *faqFeatures) {
	seen := map[string]bool{}
	texts := append([]string{f.Question}, f.Variants...)
	for _, t := range texts {
		p := known.of(m.seg, t)
		m.texts = append(m.texts, faqText{entry: i, idx: p.Idx, val: p.Val, terms: termSet(p.Tokens), subjects: subjectsOf(p.Tokens)})
		for _, tok := range p.Tokens {
			seen[tok] = true
		}
	}
	m.vocab = append(m.vocab, seen)
	m.intents = append(m.intents, &entryIntents{texts: texts})
	m.negated = append(m.negated, negation.MatchString(f.Question))
}

// weighTerms computes the words' idf over the entries' vocabularies.
func (m *faqMatcher) weighTerms() {
	df := map[string]int{}
	for _, v := range m.vocab {
		for tok := range v {
			df[tok]++
		}
	}
	n := float64(len(m.vocab))
	m.idf = make(map[string]float64, len(df))
	for t, d := range df {
		m.idf[t] = math.Log(1 + (n-float64(d)+0.5)/(float64(d)+0.5))
	}
	m.unknown = math.Log(1 + (n+0.5)/0.5)
	m.holders = make(map[string][]int32, len(df))
	for k := range m.texts {
		for tok := range m.texts[k].terms {
			m.holders[tok] = append(m.holders[tok], int32(k))
		}
	}
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
// phrasing covers (synonyms count), best first. The key word is looked for
// in all the entry's phrasings: they are one question.
func (m *faqMatcher) match(qvec []float32, qtoks []string) []faqHit {
	return m.matchAdded(qvec, qtoks, nil)
}

// addedWeight is the share of its weight a word has that the question does
// not say but the subject it describes adds ([subjectTerms]): it draws the
// entries of that subject without making the question's own words count
// less.
const addedWeight = 0.35

// matchAdded is [faqMatcher.match] where the words in added are the
// subject's, not the asker's: they weigh less and are never the key.
func (m *faqMatcher) matchAdded(qvec []float32, qtoks []string, added map[string]bool) []faqHit {
	return m.matchAsked(qvec, qtoks, added, nil)
}

// matchAsked is [faqMatcher.matchAdded] where the key word is one of asked,
// the words of the sentence that asks (see [askedSentence]), when one of them
// can be: the story before a question ("证件照上传后被退回了，…照片有什么要
// 求") holds words rarer than the ones it asks about. nil: any word.
func (m *faqMatcher) matchAsked(qvec []float32, qtoks []string, added, asked map[string]bool) []faqHit {
	q := m.weighAsked(qtoks, added, asked)
	hits := make([]faqHit, len(m.entries))
	for i := range hits {
		hits[i].entry = i
		_, hits[i].keyMissed = q.coverage(m.vocab[i])
		hits[i].unknownKey = q.key >= 0 && !q.keyKnown
	}
	have := q.covered()
	best := make([]int, len(m.entries)) // each entry's best phrasing
	for k := range m.texts {
		t := &m.texts[k]
		if h, s := &hits[t.entry], q.scoreWith(t, qvec, have[k]); s > h.score {
			h.score, best[t.entry] = s, k
		}
	}
	for i := range hits {
		// Once per entry, for its best phrasing only: it breaks near ties.
		if hits[i].score > 0 {
			hits[i].extra = q.extra(&m.texts[best[i]])
		}
	}
	sort.SliceStable(hits, func(a, b int) bool { return hits[a].score > hits[b].score })
	return hits
}

// covered is, for every phrasing of the matcher, the weight of the
// question's words it holds (a synonym counts 0.7): the numerator of
// [faqQuery.coverage], summed over each word's holders.
func (q *faqQuery) covered() []float64 {
	have := make([]float64, len(q.m.texts))
	if q.all == 0 {
		return have
	}
	seen := make([]int32, len(q.m.texts)) // the word, plus one, that last counted for a phrasing
	for i, w := range q.words {
		for _, k := range q.m.holders[w.text] {
			have[k] += w.w
			seen[k] = int32(i) + 1
		}
		for _, s := range w.syn {
			for _, k := range q.m.holders[s] {
				if seen[k] != int32(i)+1 {
					have[k] += 0.7 * w.w
					seen[k] = int32(i) + 1
				}
			}
		}
	}
	for k := range have {
		have[k] /= q.all
	}
	return have
}

// score is a phrasing's score for the question: the cosine of the local
// vectors blended with the weighted coverage.
func (q *faqQuery) score(t *faqText, qvec []float32) float64 {
	cov, _ := q.coverage(t.terms)
	return q.scoreWith(t, qvec, cov)
}

// scoreWith is [faqQuery.score] with the phrasing's coverage worked out.
func (q *faqQuery) scoreWith(t *faqText, qvec []float32, cov float64) float64 {
	s := 0.4*t.dot(qvec) + 0.6*cov
	if q.subjects != 0 && t.subjects != 0 && q.subjects&t.subjects == 0 {
		// A phrasing about another procedure than the one the question
		// names: "刚入职当出纳，也要做信息采集吗" is not "刚入职当出纳，今
		// 年的继续教育要做吗", however much else they share.
		s *= otherProcedure
	}
	return s
}

// extra is the weighted share of the phrasing's words, places and noise
// aside, that are neither in the question nor synonyms of its words.
func (q *faqQuery) extra(t *faqText) float64 {
	var miss, all float64
	for w := range t.terms {
		if q.m.places[w] || noiseWords[w] {
			continue
		}
		all += q.m.idf[w]
		if !q.has[w] {
			miss += q.m.idf[w]
		}
	}
	if all == 0 {
		return 0
	}
	return miss / all
}

// negation marks a question about a missing procedure or an exception: "没采集能报继续
// 教育吗" is the entry on what missing collection means, not the one on
// collecting before the exam; "读会计专业的研究生" is not the entry on a
// degree that is not in accounting.
var negation = regexp.MustCompile(`(没|未|不)(有|做|完成|参加|通过|办)?(过)?(信息)?(采集|继续教育|继教|学|审核)|(^|[^需用必要])不(需要|用|必)(做|办|参加|进行)?(会计人员|会计)?(信息)?(采集|继续教育|继教)|不是会计|非会计`)

// slotIntents are the intents whose answer is a kind of fact (a place, a
// number, a date, a list, what a thing is, what to do about a fault): an
// entry none of whose phrasings asks for that kind answers another
// question on the subject ("系统一直转圈怎么办" is not whether the old
// system still works). A consequence is not one: "会影响报名吗" is a
// whether-question too.
var slotIntents = map[intent]bool{intentWhere: true, intentHowMany: true, intentWhen: true, intentMaterials: true, intentWho: true, intentWhat: true, intentTrouble: true}

// fit lowers the score of entries that answer another kind of question
// than the question's intent in ("采集去哪个网站" is not "需要采集吗") or that
// differ from it in negation (neg: [negation] matches the question). The
// FAQ vectors and word coverage see the shared subject words; what the
// question asks for is in the words they weigh least.
func (m *faqMatcher) fit(h *faqHit, in intent, neg bool) {
	switch {
	case !slotIntents[in]:
	case !m.intents[h.entry].has(in):
		h.score *= 0.9
	case !m.intents[h.entry].asks(in):
		// Only a variant asks for it: the entry is on another point of
		// the same subject ("采集在哪弄" and the entry on a rejection,
		// one of whose variants asks where its reason is shown).
		h.score *= 0.95
	}
	if neg != m.negated[h.entry] {
		h.score *= 0.93
	}
}

// faqQuery is a question's distinct words with their weights, worked out
// once per question rather than once per phrasing.
type faqQuery struct {
	m *faqMatcher
	// has holds the question's words and their synonyms.
	has   map[string]bool
	words []faqWord
	all   float64
	// key is the index of the weightiest word that is longer than one
	// character and is neither a place nor incidental ([Segmenter.role]:
	// "…是不是就不能做会计" is about 会计证, not about 不是), or -1.
	key int
	// keyKnown says that some entry uses the key word.
	keyKnown bool
	// subjects are the procedures the question names ([subjectsOf]).
	subjects uint8
}

type faqWord struct {
	text string
	w    float64
	syn  []string
	// parts are the other words of the question that make up this one
	// (会计 信息 采集 of 会计信息采集, which the segmenter also yields), when
	// they cover it whole.
	parts []int
}

// weigh works out the weights of a question's words once; the words in
// added are the subject's, not the asker's (see [faqMatcher.matchAdded]).
func (m *faqMatcher) weigh(qtoks []string, added map[string]bool) faqQuery {
	return m.weighAsked(qtoks, added, nil)
}

// weighAsked is [faqMatcher.weigh] with the key taken from asked where it
// can be (see [faqMatcher.matchAsked]).
func (m *faqMatcher) weighAsked(qtoks []string, added, asked map[string]bool) faqQuery {
	q := faqQuery{m: m, key: -1, subjects: subjectsOf(qtoks)}
	var candidates []int // the words that may be the key
	seen := map[string]bool{}
	for _, t := range qtoks {
		if seen[t] {
			continue
		}
		seen[t] = true
		w, known := m.idf[t]
		if !known {
			// A word no entry uses may be filler or may be the point of a
			// different question: it counts, but less than a known rare word.
			w = 0.5 * m.unknown
			if runeLen(t) == 1 {
				w = 0.15 * m.unknown
			}
		}
		var function, incidental bool
		if m.seg != nil {
			function, incidental = m.seg.role(t)
		}
		if function {
			// "会不会有问题" says how it is asked; the words it shares with
			// an entry, or lacks, say little about which entry it is.
			w *= 0.5
		}
		isAdded := added[t]
		if isAdded {
			w *= addedWeight
		}
		q.all += w
		if runeLen(t) > 1 && !m.places[t] && !incidental && !isAdded {
			candidates = append(candidates, len(q.words))
		}
		q.words = append(q.words, faqWord{text: t, w: w, syn: synonymIndex[t]})
	}
	for i := range q.words {
		if straddles(q.words, i) {
			// 级会 of 高级会计师: a dictionary word the search mode finds
			// across two parts of a longer word of the question says
			// nothing the whole word does not; an entry that holds it
			// holds it only as part of the same longer word.
			q.all -= q.words[i].w * 0.9
			q.words[i].w *= 0.1
		}
	}
	if asked != nil {
		inClause := slices.DeleteFunc(slices.Clone(candidates), func(i int) bool {
			return !asked[q.words[i].text] || insideWord(q.words, i)
		})
		if len(inClause) > 0 {
			candidates = inClause
		}
	}
	var key float64
	for _, i := range candidates {
		w := q.words[i]
		if insideWord(q.words, i) {
			// 计工 of 会计工作: a fragment the segmenter yields from inside a
			// longer word of the question is no word of it.
			continue
		}
		// A word the FAQ knows is the key before any it does not: "…文章说
		// 在校生…" is about 在校生. Only a question without one ("小区停车费
		// 多少钱") is keyed by a word no entry has, and so matches none. Of
		// known words of equal weight the later is the key: a question
		// names what it asks about last ("…管理系统的初始密码是多少").
		_, known := m.idf[w.text]
		switch {
		case known && (!q.keyKnown || w.w >= key):
			key, q.key, q.keyKnown = w.w, i, true
		case !known && !q.keyKnown && w.w > key:
			key, q.key = w.w, i
		}
	}
	q.has = make(map[string]bool, 2*len(q.words))
	for i := range q.words {
		q.words[i].parts = partsOf(q.words, i)
		q.has[q.words[i].text] = true
		for _, s := range q.words[i].syn {
			q.has[s] = true
		}
	}
	return q
}

// straddles reports whether words[i] lies inside a longer word of the
// question across the boundary of its parts: 级会 in 高级会计师, whose
// parts are 高级 and 会计师. 信息 in 会计信息采集 lies between 会计 and 采集,
// and is a word of it.
func straddles(words []faqWord, i int) bool {
	w := words[i].text
	for j, o := range words {
		if j == i || len(o.text) <= len(w) {
			continue
		}
		k := strings.Index(o.text, w)
		if k <= 0 || k+len(w) >= len(o.text) {
			continue
		}
		end := k + len(w)
		startOK, endOK := false, false
		for l, p := range words {
			if l == i || l == j || len(p.text) >= len(o.text) {
				continue
			}
			for at := 0; ; {
				n := strings.Index(o.text[at:], p.text)
				if n < 0 {
					break
				}
				n += at
				startOK = startOK || n+len(p.text) == k
				endOK = endOK || n == end
				at = n + 1
			}
		}
		if !startOK || !endOK {
			return true
		}
	}
	return false
}

// partsOf are the indexes of the shorter words that spell words[i] out
// whole, or nil.
func partsOf(words []faqWord, i int) []int {
	whole := words[i].text
	if runeLen(whole) < 3 {
		return nil
	}
	var parts []int
	covered := make([]bool, len(whole))
	for j, w := range words {
		if j == i || len(w.text) >= len(whole) {
			continue
		}
		if k := strings.Index(whole, w.text); k >= 0 {
			parts = append(parts, j)
			for b := k; b < k+len(w.text); b++ {
				covered[b] = true
			}
		}
	}
	if !slices.Contains(covered, false) {
		return parts
	}
	return nil
}

// coverage is the weighted share of the question's words a phrasing holds
// (a synonym counts 0.7), and whether it lacks the question's key word.
func (q *faqQuery) coverage(terms map[string]bool) (cov float64, keyMissed bool) {
	if q.all == 0 {
		return 0, false
	}
	var have float64
	keyHit := true
	for i, w := range q.words {
		hit := terms[w.text]
		if hit {
			have += w.w
		} else {
			for _, s := range w.syn {
				if terms[s] {
					have += 0.7 * w.w
					hit = true
					break
				}
			}
		}
		if !hit && i == q.key && w.parts != nil && !slices.ContainsFunc(w.parts, func(j int) bool { return !q.words[j].in(terms) }) {
			// Said in its parts: "会计人员信息采集" holds 会计信息采集's
			// words, though not the compound.
			hit = true
		}
		if i == q.key {
			keyHit = hit
		}
	}
	return have / q.all, !keyHit
}

// in reports whether terms hold the word or one of its synonyms.
func (w faqWord) in(terms map[string]bool) bool {
	return terms[w.text] || slices.ContainsFunc(w.syn, func(s string) bool { return terms[s] })
}

func cosine(a, b []float32) float64 {
	var dot float64
	for i := range a {
		dot += float64(a[i]) * float64(b[i])
	}
	return dot
}

// insideWord reports whether words[i] stands strictly inside another of
// the words, neither at its start nor at its end.
func insideWord(words []faqWord, i int) bool {
	w := words[i].text
	for j, o := range words {
		if j == i || len(o.text) <= len(w) {
			continue
		}
		if k := strings.Index(o.text, w); k > 0 && k+len(w) < len(o.text) {
			return true
		}
	}
	return false
}
