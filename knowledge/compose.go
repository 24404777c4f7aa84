package knowledge

import (
	"regexp"
	"slices"
	"strings"
)

// leadSentence is the first sentence of an answer.
func leadSentence(text string) string {
	if ss := splitSentences(text); len(ss) > 0 {
		return ss[0]
	}
	return text
}

// faqAnswer answers from a FAQ entry and, when the asker's jurisdiction is
// known and the entry is national, adds what that jurisdiction's guideline
// says on the point.
func (ix *Index) faqAnswer(h faqHit, q string, tokens []string, hits []Hit, sc scope) (Answer, []Hit) {
	f := ix.corpus.FAQ[h.entry]
	text := f.Answer
	if h.keyMissed || h.score < faqConfident || detectIntent(q) != intentWhether {
		// The entry's yes or no answers its own question; asked in other
		// words the question may ask the reverse ("还需要自己登记吗" of the
		// entry "学分会传到全国平台吗", whose answer opens 「会：」), or ask
		// no yes or no at all ("照片啥格式" of the entry on png, 「不能：」).
		text = withoutVerdict(text)
	}
	if f.Jurisdiction == "" {
		text = ix.withoutOtherPlaces(text, sc)
	}
	ans := Answer{
		Text:       text,
		Confidence: clamp01(0.6 + (h.score-faqProbable)*1.2),
		FAQ:        true,
	}
	ans.Sources = append(ans.Sources, ix.source(f.Source, f.Section, h.score))
	var used []Hit
	if f.Jurisdiction == "" && sc.primary() != "" && len(sc.places) == 1 {
		// One place's rules, only for an asker of one place: between two
		// ("户口在河南，现在在杭州上班") neither is the asker's alone.
		var local []Hit
		for _, x := range hits {
			if x.Chunk.Jurisdiction == sc.primary() {
				local = append(local, x)
			}
		}
		var extra string
		// Only where relevant: one or two sentences that say something
		// the entry does not.
		if extra, used = ix.sentences(q, tokens, detectIntent(q), local, sc, 260, 0.5, 2); extra != "" && !ix.restates(f.Answer, extra) {
			name := sc.primary()
			if j, ok := ix.corpus.Places.ByCode(name); ok {
				name = j.Short
			}
			ans.Text += "\n" + name + "的具体规定：" + extra
			for _, x := range used {
				ans.Sources = appendSource(ans.Sources, ix.chunkSource(x))
			}
		}
	}
	return ans, used
}

// withFAQPassages lets the answers of the closest FAQ entries compete with
// the retrieved passages sentence by sentence: a question that is near, but
// not clearly one, FAQ entry often needs a sentence from one of them.
func (ix *Index) withFAQPassages(hits []Hit, faqHits []faqHit, sc scope) []Hit {
	top := 1.0
	if len(hits) > 0 {
		top = hits[0].Score
	}
	var out []Hit
	for i, h := range faqHits {
		if i == 2 || h.score < faqSuggest+0.05 {
			break
		}
		f := ix.corpus.FAQ[h.entry]
		if f.Jurisdiction != "" && len(sc.places) == 0 {
			// Near, but not clearly, a local entry: its place's rule must not
			// be quoted to someone who did not name that place.
			continue
		}
		out = append(out, Hit{Score: top, Chunk: &Chunk{
			ID: "faq:" + f.ID, DocID: f.Source, Jurisdiction: f.Jurisdiction, Section: f.Section, Text: withoutVerdict(f.Answer),
		}})
	}
	return append(out, hits...)
}

// verdict is an entry's opening yes or no to its own question ("要：…",
// "不能按学历教育的90学分标准折算：…"): as a passage for another question it
// would answer that one, and wrongly. An opening that states a rule ("须先
// 完成信息采集：", "要在次年3月前办完：") is kept: it is true whatever the
// question.
var verdict = regexp.MustCompile(`^((一般|多数地区|通常)?(要|不要|不用|需要|不需要|能|不能|可以|不可以|是|不是|会|不会|算|不算|归|不归|认|不认|一样|不一样|不完全一样|不一定|有影响|没有影响|等于|不等于)|(不能|不可以|不用|不需要|不归|不算)[^：，。；]{1,18}|看[^：，。；]{1,8})：`)

// withoutVerdict is an entry's answer without its verdict.
func withoutVerdict(answer string) string {
	if loc := verdict.FindStringIndex(answer); loc != nil && loc[1] < len(answer) {
		return answer[loc[1]:]
	}
	return answer
}

// extractive answers with the best sentences of the best passages.
func (ix *Index) extractive(q string, tokens []string, hits []Hit, sc scope) (Answer, []Hit) {
	n := maxSentences
	if asks(q) > 1 {
		// Two questions in one ("啥时候截止？以前没学的能补不") get a
		// point more.
		n++
	}
	text, used := ix.sentences(q, tokens, detectIntent(q), hits, sc, maxAnswerRunes, 0.35, n)
	if text == "" {
		return Answer{Confidence: 0}, nil
	}
	ans := Answer{Text: text}
	for _, h := range used {
		ans.Sources = appendSource(ans.Sources, ix.chunkSource(h))
	}
	ans.Confidence = ix.confidence(ix.contentTokens(q), detectIntent(q), text, used, sc)
	return ans, used
}

// restates reports whether every sentence of extra is near one of text's
// and names no place text does not: "广东…以当地财政部门最新通知为准" after
// "其他地区以当地财政部门最新通知为准" tells a 广东 asker what the place says.
func (ix *Index) restates(text, extra string) bool {
	named := map[string]bool{}
	for _, j := range ix.corpus.Places.Mentions(text) {
		named[j.Code] = true
	}
	for _, e := range splitSentences(extra) {
		if slices.ContainsFunc(ix.corpus.Places.Mentions(e), func(j Jurisdiction) bool { return !named[j.Code] }) {
			return false
		}
		if !slices.ContainsFunc(splitSentences(text), func(t string) bool { return similar(t, e) }) {
			return false
		}
	}
	return true
}

func clamp01(x float64) float64 { return max(0, min(1, x)) }

// withoutOtherPlaces is a national entry's answer without its sentences
// on places other than the asker's ("辽宁规定…；湖南规定…" after the
// national rule on where to collect), when the answer opens with a
// national rule: beside it, another place's practice is noise. An answer
// that opens with places' practice, with no national rule or with one
// that depends on the case, is kept whole.
func (ix *Index) withoutOtherPlaces(text string, sc scope) string {
	ss := splitSentences(text)
	other := func(s string) bool {
		m := ix.corpus.Places.Mentions(s)
		return len(m) > 0 && !slices.ContainsFunc(m, func(j Jurisdiction) bool { return sc.has(j.Code) })
	}
	if sc.primary() != "" {
		// A sentence listing places' practice ("山西…；青海…；上海…") is
		// told to an asker of one of them with that place's part only.
		for i, s := range ss {
			ss[i] = ix.ownClauses(s, other)
		}
		text = strings.Join(ss, "")
	}
	if len(ss) < 2 || other(ss[0]) {
		return text
	}
	if sc.primary() == "" && (len(ix.corpus.Places.Mentions(ss[0])) > 0 || deferral(ss[0]) ||
		noUnifiedRule.MatchString(ss[0]) || strings.HasPrefix(ss[0], "看")) {
		// Places' practice is the answer, or completes a national rule
		// that depends on it ("看职称和岗位：…"): to an asker of no place
		// it is told as examples. An asker of a place is told only that
		// place's.
		return text
	}
	kept := slices.DeleteFunc(slices.Clone(ss), other)
	if len(kept) == len(ss) {
		return text
	}
	return strings.Join(kept, "")
}

// ownClauses is a list of places' practice, "山西…；青海…；上海…", with
// only the clauses that other does not reject, the frame before a "："
// kept ("全国平台上线前的地方规定有：" says the practice is past). s is
// returned whole unless it is such a list: every clause, separated by
// "；", names a place. A clause that names none may continue the place
// before it ("山西规定…；审核不通过的…"), and commas inside a clause
// never separate rules from the place that states them.
func (ix *Index) ownClauses(s string, other func(string) bool) string {
	frame, list := "", s
	if i := strings.Index(s, "："); i >= 0 && len(ix.corpus.Places.Mentions(s[:i])) == 0 {
		frame, list = s[:i+len("：")], s[i+len("："):]
	}
	end := ""
	if strings.HasSuffix(list, "。") {
		list, end = strings.TrimSuffix(list, "。"), "。"
	}
	cs := strings.Split(list, "；")
	if len(cs) < 2 || slices.ContainsFunc(cs, func(c string) bool { return len(ix.corpus.Places.Mentions(c)) == 0 }) {
		return s
	}
	kept := slices.DeleteFunc(slices.Clone(cs), other)
	if len(kept) == len(cs) || len(kept) == 0 {
		return s
	}
	return frame + strings.Join(kept, "；") + end
}
