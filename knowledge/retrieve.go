package knowledge

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// Answer thresholds, on the scales of [faqMatcher.match] and of
// answer coverage.
const (
	faqConfident = 0.6
	// faqProbable accepts a lower score when the best entry clearly beats
	// the runner-up by faqMargin.
	faqProbable = 0.48
	faqMargin   = 0.07
	// faqClear accepts a lower score still when the best entry leaves
	// every other far behind (faqClearMargin): with hundreds of entries a
	// question in other words ("…当僵尸号清掉") shares few words with any
	// one phrasing, but it is plainly that entry's question when no other
	// comes near and its key word is the entry's.
	faqClear       = 0.42
	faqClearMargin = 0.15
	// keyMissedMargin is the lead over the runner-up an entry without the
	// question's key word needs to answer.
	keyMissedMargin = 0.15
	// faqSuggest is the least score at which an entry is offered as a
	// related question.
	faqSuggest = 0.3
	// lowConfidence is the confidence under which an answer says it is unsure
	// and offers a human.
	lowConfidence    = 0.5
	maxAnswerRunes   = 600
	maxQuestionRunes = 2000
)

// Capabilities is the one-line list of what kuaiji can do, shown when a
// question is out of scope.
const Capabilities = "我可以解答会计人员信息采集、继续教育（学分、学习渠道）、跨地区调转、信息变更等问题，也可以带您逐步判断是否需要采集、整理材料清单。"

const (
	greetingText = "您好！我是会计人员信息采集与继续教育的问答助手。" + Capabilities + "请直接输入您的问题，例如：“继续教育每年要多少学分？”"
	declineText  = "抱歉，这个问题不在我能解答的范围内。" + Capabilities
	// nearDomainText names the neighbouring subject so the user knows why
	// and where else to ask.
	nearDomainText = "抱歉，%s不在我能解答的范围内，建议咨询相应的主管部门或专业机构。" + Capabilities
	thanksText     = "不客气！还有其他关于信息采集、继续教育、调转或信息变更的问题，随时问我。"
	ackText        = "好的。还有其他关于信息采集、继续教育、调转或信息变更的问题，请直接输入；办理事项可以发送 /help 查看。"
	emptyText      = "请输入您想咨询的问题，例如：“会计信息采集需要准备哪些材料？”"
	bureauAdvice   = "建议以当地财政部门（会计管理机构）的最新通知为准，也可以直接咨询当地财政局，或转人工客服。"
	truncatedNote  = "（您的问题较长，我只读取了前2000个字。）"
)

// Answer answers q extractively from the corpus: a confident FAQ match
// directly, otherwise the best sentences of the best passages, always with
// numbered sources. It returns an error only when retrieval itself fails.
func (ix *Index) Answer(ctx context.Context, q Question) (Answer, error) {
	r, err := ix.Retrieve(ctx, q)
	return r.Answer, err
}

// Passage is a retrieved text with the source it would be cited as.
type Passage struct {
	Source Source
	Text   string
}

// Retrieval is everything a generator needs to answer q: the standalone
// question, the passages to ground on (the matched FAQ answer first, if
// any), and the extractive answer to fall back on. Passages is empty when
// the question was declined, was only a greeting or only a place: then
// Answer is final.
type Retrieval struct {
	Question string
	Passages []Passage
	Answer   Answer
}

// Retrieve runs retrieval and builds the extractive answer.
func (ix *Index) Retrieve(ctx context.Context, q Question) (Retrieval, error) {
	return ix.retrieve(ctx, q, false)
}

// retrieve is [Index.Retrieve]; with ownSubject, a follow-up takes only the
// place and procedure of the previous question (see [Index.understand]).
func (ix *Index) retrieve(ctx context.Context, q Question, ownSubject bool) (Retrieval, error) {
	q = q.simplified()
	text := strings.TrimSpace(q.Text)
	if text == "" {
		return Retrieval{Answer: Answer{Text: emptyText, Declined: true}}, nil
	}
	note := ""
	if runes := []rune(text); len(runes) > maxQuestionRunes {
		text, note = string(runes[:maxQuestionRunes]), truncatedNote
	}
	norm := Normalize(text)
	if thanks.MatchString(strings.TrimSpace(norm)) {
		reply := ackText
		if strings.ContainsAny(norm, "谢感辛") || containsAny(norm, []string{"thx", "thank", "3q"}) {
			reply = thanksText
		}
		return Retrieval{Question: norm, Answer: Answer{Text: reply, Declined: true, Confidence: 1, Standalone: norm}}, nil
	}
	d := ix.lastDialogue(q.History)
	standalone, sc := ix.understand(norm, q, d, ownSubject)
	r := Retrieval{Question: standalone}
	class := classify(standalone)
	decline := func() (Retrieval, error) {
		r.Passages = nil
		r.Answer = Answer{Text: note + declineText, Declined: true, Confidence: 1, Standalone: standalone, Note: note}
		return r, nil
	}
	if subject := nearDomainSubject(standalone); subject != "" && class != greetings {
		// Never answered, and never given to a model: the passages of the
		// corpus would read as an answer about the neighbouring subject.
		r.Answer = Answer{Text: note + fmt.Sprintf(nearDomainText, subject), Declined: true, Confidence: 1, Standalone: standalone, Note: note}
		return r, nil
	}
	switch {
	case class == greetings:
		r.Answer = Answer{Text: greetingText, Declined: true, Confidence: 1, Standalone: standalone}
		return r, nil
	case class != onTopic && len(sc.places) > 0 && ix.onlyPlace(standalone):
		// Only a place, such as "那深圳呢？" with nothing before it: ask what
		// about it rather than decline.
		r.Answer = ix.clarifyPlace(sc.primary(), standalone)
		return r, nil
	case class == offTopicQ:
		return decline()
	}

	tokens := ix.seg.Tokens(standalone)
	// A place known from the profile, or named by a city or an
	// abbreviation, is searched by the name its documents and FAQ entries
	// use: "继续教育去哪学" from a user in 杭州 is "浙江 继续教育去哪学". A
	// generator still reads the question as asked, with the place given
	// apart.
	searched, searchTokens := ix.placed(standalone, sc), tokens
	if searched != standalone {
		searchTokens = ix.seg.Tokens(searched)
	}
	extra := subjectTerms(standalone)
	if len(sc.places) == 0 {
		extra = strings.TrimSpace(extra + " " + placelessTerms(detectIntent(standalone), standalone))
	}
	var added map[string]bool // the words extra adds to the asker's
	if extra != "" {
		own := searchTokens
		searched += " " + extra
		searchTokens = ix.seg.Tokens(searched)
		tokens = append(tokens[:len(tokens):len(tokens)], ix.seg.Tokens(extra)...)
		added = addedTo(own, searchTokens)
	}
	qvec := ix.seg.vector(expandText(searched, searchTokens))
	var asked map[string]bool
	if s := askedSentence(standalone); s != "" {
		asked = termSet(ix.seg.Tokens(s))
	}
	faqHits := ix.compatibleFAQ(ix.faq.matchAsked(qvec, withoutNoise(searchTokens), added, asked), standalone, sc)
	// related: the first entry answers how the places named relate;
	// relatedSure: as surely as a clear match.
	related, relatedSure := false, false
	if alt, sure := ix.relationFAQ(standalone, faqHits); alt != nil && class == onTopic {
		faqHits, related, relatedSure = alt, true, sure
	} else if alt := ix.clauseFAQ(standalone, sc, faqHits); alt != nil {
		faqHits = alt
	}
	if ans, ok := ix.deskAnswer(ctx, qvec, withoutNoise(searchTokens), standalone, sc); ok {
		ans.Standalone, ans.Jurisdiction = standalone, sc.primary()
		ans.Text, ans.Note = note+ans.Text, note
		r.Answer = ans
		return r, nil
	}
	hits, err := ix.search(ctx, searched, searchTokens, sc, 6)
	if err != nil {
		return r, err
	}

	var ans Answer
	var used []Hit
	useFAQ := related || faqConfidentMatch(faqHits)
	if i := confidentBelowKeyMissed(faqHits); !useFAQ && i > 0 {
		// Less sure than a clear first: it answers only where the passages
		// cannot. It then goes first: it is the entry answered from, the
		// others its runners-up.
		if ans, used = ix.extractive(standalone, tokens, ix.withFAQPassages(hits, faqHits, sc), sc); ans.Confidence < lowConfidence {
			faqHits = slices.Concat(faqHits[i:i+1], faqHits[:i], faqHits[i+1:])
			useFAQ = true
		}
	}
	if in := detectIntent(standalone); useFAQ && !in.fillsPlainly(ix.corpus.FAQ[faqHits[0].entry].Answer) {
		// A matched entry without what the question asks for ("…学分确认
		// 到什么时候截止" matching the entry on students' credits, which has
		// no date) yields to passages that have it — only to passages that
		// do: an entry that names the platform and defers the year's
		// details beats a passage that only defers.
		if alt, altUsed := ix.extractive(standalone, tokens, ix.withFAQPassages(hits, faqHits[1:], sc), sc); alt.Confidence >= lowConfidence && in.fillsPlainly(leadSentence(alt.Text)) {
			useFAQ, ans, used = false, alt, altUsed
		}
	}
	switch {
	case useFAQ:
		f := ix.corpus.FAQ[faqHits[0].entry]
		r.Passages = append(r.Passages, Passage{ix.source(f.Source, f.Section, faqHits[0].score), f.Answer})
		ans, used = ix.faqAnswer(faqHits[0], standalone, tokens, hits, sc)
		if relatedSure {
			// Its score is low for the story around the question, not for
			// doubt: the entry leads every other by a clear margin.
			ans.Confidence = max(ans.Confidence, lowConfidence)
		}
		if second, src, ok := ix.secondQuestion(standalone, sc, faqHits[0].entry, ans.Text); ok {
			ans.Text += "\n" + second
			ans.Sources = appendSource(ans.Sources, src)
		}
	case ans.Text == "":
		ans, used = ix.extractive(standalone, tokens, ix.withFAQPassages(hits, faqHits, sc), sc)
		if len(faqHits) > 0 && ans.Confidence >= lowConfidence {
			if second, src, ok := ix.clauseOfFirstEntry(standalone, sc, faqHits[0], ans.Text); ok {
				ans.Text += "\n" + second
				ans.Sources = appendSource(ans.Sources, src)
			}
		}
	}
	r.Passages = append(r.Passages, ix.orderPassages(used, hits, sc)...)
	// Coverage alone is too easily reached by a few stray characters
	// ("双色球" and "双随机"); a question without a word of the domain is
	// answered only when it is a known question asked in other words.
	if class == unknownTopic && !useFAQ && !ix.ownPlaceAnswers(standalone, ans, used, sc) {
		return decline()
	}
	// A message without a word of the domain, read as a follow-up ("我只是
	// 参与的呢"), is answered only when the answer is sure and the message
	// has a word of its own the corpus knows: "你吃饭了吗" after a question
	// about credits is not about credits, however well credits are answered.
	if class == onTopic && classify(norm) == unknownTopic && standalone != norm &&
		(ans.Confidence < lowConfidence || !ix.knowsSomeOf(norm)) {
		return decline()
	}
	ans.Standalone = standalone
	ans.Jurisdiction = sc.primary()
	if lead := startYearLead(standalone, sc); lead != "" && ans.Confidence >= lowConfidence && containsAny(ans.Text, []string{"次年", "开始参加继续教育"}) {
		// The rule applied to the asker's own years leads, the rule
		// itself follows.
		ans.Text = lead + "\n" + ans.Text
	}
	if lead := conferenceDaysLead(standalone, ans.Text); lead != "" && ans.Confidence >= lowConfidence {
		ans.Text = lead + "\n" + ans.Text
	}
	ix.noteSuperseded(&ans)
	if ans.Confidence < lowConfidence {
		ans.Handoff = true
		body := ans.Text
		ans.Text = "抱歉，这个问题我没有十足把握。"
		if body != "" {
			ans.Text += "以下内容可能相关，仅供参考：\n" + body + "\n"
		} else {
			ans.Sources = nil
		}
		ans.Text += bureauAdvice
		for _, h := range faqHits {
			if len(ans.Suggestions) == 3 || h.score < faqSuggest {
				break
			}
			ans.Suggestions = append(ans.Suggestions, ix.corpus.FAQ[h.entry].Question)
		}
	}
	ans.Text, ans.Note = note+ans.Text, note
	r.Answer = ans
	if standalone != norm && !ownSubject && d.repeats(ans.Text) {
		return ix.unrepeat(ctx, q, d, r)
	}
	return r, nil
}

func faqConfidentMatch(h []faqHit) bool {
	switch {
	case len(h) == 0 || h[0].elsewhere || h[0].unknownKey && h[0].keyMissed:
		return false
	case h[0].keyMissed:
		// Without the question's key word an entry answers only when no
		// other comes near: "苏州的，还没做采集，能先去网校把继教学了吗" is
		// plainly the entry on collecting before studying, though 网校 is in
		// none of its phrasings.
		return h[0].score >= faqProbable && (len(h) == 1 || h[0].score-h[1].score >= keyMissedMargin)
	case h[0].score >= faqConfident:
		return true
	case len(h) == 1:
		return h[0].score >= faqProbable
	}
	margin := h[0].score - h[1].score
	return h[0].score >= faqProbable && margin >= faqMargin || h[0].score >= faqClear && margin >= faqClearMargin
}

// confidentBelowKeyMissed is the index of the first entry that has the
// question's key word when only entries without it rank above, and it
// scores confidently on its own: an entry that lacks the key word never
// answers, so standing first it must not keep the one that does from
// answering ("信息采集审核要多久" from 广东 below the entry on 广东's old
// platform). A margin over them is not asked for: they are no rivals.
// Otherwise -1.
func confidentBelowKeyMissed(h []faqHit) int {
	for i, x := range h {
		if !x.keyMissed {
			if i > 0 && x.score >= faqConfident {
				return i
			}
			return -1
		}
	}
	return -1
}

// onlyPlace reports whether q is nothing but place names and fillers.
func (ix *Index) onlyPlace(q string) bool {
	return runeLen(strings.Trim(ix.corpus.Places.strip(q), fillers)) == 0
}

// clarifyPlace asks which aspect of a place the user means.
func (ix *Index) clarifyPlace(code, standalone string) Answer {
	name := code
	if j, ok := ix.corpus.Places.ByCode(code); ok {
		name = j.Short
	}
	return Answer{
		Text:         fmt.Sprintf("请问您想了解%s的哪方面呢？例如继续教育的学分要求、学习入口，信息采集或调转怎么办理。", name),
		Confidence:   lowConfidence,
		Jurisdiction: code,
		Standalone:   standalone,
		Suggestions: []string{
			name + "的会计继续教育每年要多少学分？",
			name + "的会计继续教育在哪里学？",
			name + "的会计信息采集在哪里办理？",
		},
	}
}

// compatibleFAQ drops entries about another jurisdiction than the asker's.
// Each is first fitted to what q asks for ([faqMatcher.fit]).
func (ix *Index) compatibleFAQ(hits []faqHit, q string, sc scope) []faqHit {
	return compatibleIn(ix.faq, hits, q, sc)
}

// compatibleIn is [Index.compatibleFAQ] over hits of m's entries.
func compatibleIn(m *faqMatcher, hits []faqHit, q string, sc scope) []faqHit {
	out := hits[:0:0]
	in, neg := detectIntent(q), negation.MatchString(q)
	for _, h := range hits {
		m.fit(&h, in, neg)
		j := m.entries[h.entry].Jurisdiction
		switch {
		case j == "":
		case len(sc.places) == 0:
			// A question naming no place is never answered with one place's
			// entry, which would read as if it applied; the entry may still
			// be offered as a related question.
			h.score *= 0.85
			h.keyMissed, h.elsewhere = true, true
		case !sc.has(j):
			continue
		default:
			// The asker's own place: its entries are phrased with the place
			// name the question may leave out ("公需课在哪学" from 深圳).
			h.score += 0.08
		}
		out = append(out, h)
	}
	// Re-sort after the demotion above. Without a place, every national
	// entry ranks above every local one: a local entry never answers such a
	// question, so standing first it would only keep the national entry
	// that does from being used.
	national := func(h faqHit) bool { return m.entries[h.entry].Jurisdiction == "" }
	sort.SliceStable(out, func(a, b int) bool {
		if len(sc.places) == 0 && national(out[a]) != national(out[b]) {
			return national(out[a])
		}
		return out[a].score > out[b].score
	})
	if len(out) > 1 && national(out[0]) == national(out[1]) &&
		(out[0].score-out[1].score < faqTie && (out[0].keyMissed && !out[1].keyMissed || out[0].keyMissed == out[1].keyMissed && out[1].extra < out[0].extra) ||
			out[0].score-out[1].score < keyTie && out[0].keyMissed && !out[1].keyMissed && out[1].score >= faqConfident) {
		// A near tie goes to the entry with the question's key word, then
		// to the one that asks for less the question does not say: "今年
		// 刚过了初级，继续教育今年就得学吗" is the entry on the year to
		// start, not the one comparing the levels' credits.
		out[0], out[1] = out[1], out[0]
	}
	if len(sc.places) > 0 && len(out) > 1 && national(out[0]) && noUnifiedRule.MatchString(leadSentence(m.entries[out[0].entry].Answer)) {
		// "There is no national rule" is no answer to an asker whose own
		// place has one: 山西's five working days lead for an asker in 太原.
		for i, h := range out[1:] {
			if !national(h) && !h.keyMissed && h.score >= ownRuleShare*out[0].score {
				out = slices.Concat(out[i+1:i+2], out[:i+1], out[i+2:])
				break
			}
		}
	}
	return out
}

// ownRuleShare is the share of the national entry's score the asker's own
// place's entry needs to answer instead.
const ownRuleShare = 0.8

// faqTie is the difference in score under which two entries are tied.
const faqTie = 0.02

// keyTie is the wider difference under which an entry with the question's
// key word, itself scoring confidently, still ties with one without it
// ("没有单位，想把会计信息调入内蒙古，有啥条件": the entry on who may move in,
// not the one on the move's steps).
const keyTie = 0.05

// ownPlaceAnswers reports whether a question without a word of the domain
// is still answered by the asker's own place's guideline: "反诈那门课是必
// 修吗" from 重庆 is about 重庆's course, which the guideline names. Every
// content word of the question must stand in the answer, whose passages
// are all the asker's place's, and the answer must be sure: a word shared
// by chance ("双色球" and "双随机") never covers a whole question.
func (ix *Index) ownPlaceAnswers(q string, ans Answer, used []Hit, sc scope) bool {
	if sc.primary() == "" || len(used) == 0 || ans.Confidence < 0.8 {
		return false
	}
	for _, h := range used {
		if h.Chunk.Jurisdiction != sc.primary() {
			return false
		}
	}
	content := ix.contentTokens(q)
	return len(content) > 0 && ix.keyCoverage(content, ans.Text, nil) >= 0.999
}

// clauseFAQ is the FAQ ranking of the clause that asks, when the whole
// question matches no entry confidently and the clause matches confidently
// the entry the whole question ranks first; otherwise nil. A story around
// the question ("我下个月就退休了，…") dilutes every entry's coverage of it,
// and the clause alone is the entry's question asked.
func (ix *Index) clauseFAQ(q string, sc scope, whole []faqHit) []faqHit {
	clause := askedClause(q)
	if clause == "" || faqConfidentMatch(whole) {
		return nil
	}
	hits := ix.rankFAQ(ix.placed(clause, sc), nil, clause, sc)
	if !faqConfidentMatch(hits) {
		return nil
	}
	if len(whole) == 0 || whole[0].entry != hits[0].entry || whole[0].keyMissed || whole[0].elsewhere ||
		len(whole) > 1 && whole[0].score-whole[1].score < faqMargin/2 {
		// The clause alone may be another question ("还能找会计工作吗"
		// after "判过刑"): it only confirms the entry the whole question
		// ranks first, and clearly first.
		return nil
	}
	return hits
}

// clauseOfFirstEntry is the first sentence of the entry the whole question
// ranks first, when passages answered it and one of its asking clauses,
// alone, matches that entry surely: "…会有什么后果？会不会吊销职称？" is
// answered with the consequences, and the entry on 吊销 adds its one
// sentence, which the passages' sentences on consequences crowd out.
func (ix *Index) clauseOfFirstEntry(q string, sc scope, first faqHit, text string) (string, Source, bool) {
	if asks(q) < 2 || first.keyMissed || first.elsewhere {
		return "", Source{}, false
	}
	for _, c := range slices.DeleteFunc(clauseBreak.Split(q, -1), func(c string) bool { return runeLen(c) < 4 }) {
		hits := ix.rankFAQ(ix.placed(c, sc), nil, c, sc)
		if len(hits) == 0 || hits[0].entry != first.entry || hits[0].keyMissed || hits[0].score < faqConfident {
			continue
		}
		lead := ix.entryLead(first.entry, sc)
		if slices.ContainsFunc(splitSentences(text), func(t string) bool { return similar(t, lead) }) || ix.aboutOtherPlace(lead, sc) {
			return "", Source{}, false
		}
		f := ix.corpus.FAQ[first.entry]
		return lead, ix.source(f.Source, f.Section, first.score), true
	}
	return "", Source{}, false
}

// entryLead is the first sentence of entry's answer, a national entry's
// without other places' practice.
func (ix *Index) entryLead(entry int, sc scope) string {
	f := ix.corpus.FAQ[entry]
	if f.Jurisdiction == "" {
		return leadSentence(ix.withoutOtherPlaces(f.Answer, sc))
	}
	return leadSentence(f.Answer)
}

// secondQuestion answers the second of two questions asked in one message
// ("甘肃2025年度的继续教育啥时候截止？以前没学的能补不"): the first
// sentence of the entry another asking clause matches alone, and clearly,
// when that is not the entry already answered and says something the
// answer does not.
func (ix *Index) secondQuestion(q string, sc scope, answered int, text string) (string, Source, bool) {
	if asks(q) < 2 {
		return "", Source{}, false
	}
	cs := slices.DeleteFunc(clauseBreak.Split(q, -1), func(c string) bool {
		return runeLen(c) < 4 || detectIntent(c) == intentOther && !strings.ContainsAny(c, "吗呢") && !strings.HasSuffix(c, "不")
	})
	for _, c := range cs {
		hits := ix.rankFAQ(ix.placed(c, sc), nil, c, sc)
		if !faqConfidentMatch(hits) || hits[0].keyMissed || hits[0].entry == answered || hits[0].score < faqConfident {
			continue
		}
		f := ix.corpus.FAQ[hits[0].entry]
		first := ix.entryLead(hits[0].entry, sc)
		if !detectIntent(c).fills(first) || slices.ContainsFunc(splitSentences(text), func(t string) bool { return similar(t, first) }) || ix.aboutOtherPlace(first, sc) {
			continue
		}
		return first, ix.source(f.Source, f.Section, hits[0].score), true
	}
	return "", Source{}, false
}

// relationFAQ is the national entry a question naming two places or more
// asks about, when the whole question matches none clearly: "在江苏修的学
// 分，到上海工作了还认吗" or "户口在安徽，人在杭州上班，采集地选哪" ask
// how the places relate — a move, credits carried, the place to collect
// in — which national rules decide. The place names, and each place's
// entries, only dilute such a question; the words of its subject (see
// [subjectTerms]) are searched, but the key word stays one the asker
// wrote.
func (ix *Index) relationFAQ(q string, whole []faqHit) (hits []faqHit, sure bool) {
	if faqConfidentMatch(whole) || !twoPlaces(q, ix.corpus.Places.Mentions(q)) || comparison.MatchString(q) {
		// Nor is a comparison of two places' rules ("北京和上海的学分要求
		// 一样吗") a question on how they relate.
		return nil, false
	}
	if c := askedClause(q); c != "" && containsAny(c, strongTerms) && len(ix.corpus.Places.Mentions(c)) == 1 && !moveWord.MatchString(c) {
		// "…调到上海工作了，上海的继续教育每年截止到什么时候" asks about
		// one place's own rules; "…湖南那边还认吗" and "会计信息要怎么转
		// 到江苏" about the move.
		return nil, false
	}
	bare := strings.TrimSpace(ix.corpus.Places.strip(q))
	searched := strings.TrimSpace(bare + " " + subjectTerms(q))
	if moving.MatchString(q) {
		// A move between two places is a transfer, not an information
		// change, whatever the words for it ("跳槽来上海").
		searched += " 属地调转 跨省调转"
	}
	hits = ix.rankFAQ(searched, ix.seg.Tokens(bare), bare, scope{})
	if faqConfidentMatch(hits) {
		return hits, true
	}
	// Such questions are long, and told as a story: the first entry's
	// score stays low though it answers. It is taken when it has the key
	// word and is clearly first — then it is as sure as a clear match — or
	// when the runners-up near it with the key word are of its own subject
	// (two entries on transfers), and then it is told as it scores.
	if len(hits) == 0 || hits[0].keyMissed || hits[0].elsewhere || hits[0].score < faqSuggest {
		return nil, false
	}
	topic, sure := ix.corpus.FAQ[hits[0].entry].Topic, true
	for _, h := range hits[1:] {
		if h.score <= hits[0].score-relationMargin || h.keyMissed {
			continue
		}
		if ix.corpus.FAQ[h.entry].Topic != topic {
			return nil, false
		}
		sure = false
	}
	return hits, sure
}

// moveWord is a word of moving a record or oneself.
var moveWord = regexp.MustCompile(`转|调|迁|搬`)

// comparison compares two things.
var comparison = regexp.MustCompile(`一样|区别|不同|相同|差别|差异|对比|比较|哪个(好|多|高|严)`)

// rankFAQ is the FAQ's entries ranked for searched and fitted to q, the
// question as asked, and to sc. The words of searched not among own, the
// asker's, are its subject's ([faqMatcher.matchAdded]); with own nil all
// are the asker's.
func (ix *Index) rankFAQ(searched string, own []string, q string, sc scope) []faqHit {
	toks := ix.seg.Tokens(searched)
	var added map[string]bool
	if own != nil {
		added = addedTo(own, toks)
	}
	return ix.compatibleFAQ(ix.faq.matchAdded(ix.seg.vector(expandText(searched, toks)), withoutNoise(toks), added), q, sc)
}

// addedTo is the set of the words of all that are not in own.
func addedTo(own, all []string) map[string]bool {
	mine := toSet(own)
	added := map[string]bool{}
	for _, t := range all {
		if !mine[t] {
			added[t] = true
		}
	}
	return added
}

// moving says the asker moved from one place to another.
var moving = regexp.MustCompile(`跳槽|换工作|换单位|调到|调去|调来|调回|搬到|转到|转过|来了?[^，,。？?]{0,4}(上班|工作)|到[^，,。？?]{0,4}(上班|工作)`)

// twoPlaces says that q names two places apart: not a place and the
// province it is in, named as such ("深圳照广东省的文件来吗" is about one
// place's own rules), though a city of that province is another place
// ("单位在沈阳，户口在大连").
func twoPlaces(q string, js []Jurisdiction) bool {
	named := func(j Jurisdiction) bool {
		return slices.ContainsFunc(slices.Concat([]string{j.Name, j.Short}, j.Aliases), func(n string) bool {
			return n != "" && strings.Contains(q, Normalize(n))
		})
	}
	for i, a := range js {
		for _, b := range js[i+1:] {
			switch {
			case a.Code == b.Code:
			case a.Parent == b.Code && named(b), b.Parent == a.Code && named(a):
			default:
				return true
			}
		}
	}
	return false
}

// relationMargin is how far the first entry of [Index.relationFAQ] must
// lead an entry of another subject: less than [faqMargin], as the entries
// such a question matches are few and national.
const relationMargin = 0.05

// placed is q as it is searched: with one place known, that place's short
// name and none of its other names (杭州, 甬), which only dilute.
func (ix *Index) placed(q string, sc scope) string {
	if j, ok := ix.corpus.Places.ByCode(sc.primary()); ok && len(sc.places) == 1 {
		return j.Short + " " + strings.TrimSpace(ix.corpus.Places.strip(q))
	}
	return q
}
