package knowledge

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

type sentence struct {
	text  string
	hit   int // index into hits
	pos   int
	score float64
}

// splitSentences cuts a passage after 。！？； and line breaks, keeping the
// punctuation, and drops list markers.
func splitSentences(text string) []string {
	var out []string
	start := 0
	for i, r := range text {
		if strings.ContainsRune("。！？\n", r) {
			end := i + utf8.RuneLen(r)
			if s := cleanSentence(text[start:end]); s != "" {
				out = append(out, s)
			}
			start = end
		}
	}
	if s := cleanSentence(text[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

// listMarker matches "- ", "1. ", "2、", "（3）" at the start of a line, but
// not the year that starts "2017年11月5日起".
var listMarker = regexp.MustCompile(`^(?:[-*•·]\s*|\d{1,2}[.、)）]\s*|[（(]\d{1,2}[)）]\s*)`)

func cleanSentence(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimSpace(listMarker.ReplaceAllString(s, ""))
	if runeLen(s) < 4 {
		return ""
	}
	return s
}

// refersBack matches a sentence that leans on the one before it.
var refersBack = regexp.MustCompile(`上述|前述|以上(各项|几项|要求|规定|条件|材料|情形|情况)`)

// sentences picks the sentences of hits that best answer q: scored by the
// weighted query terms they contain and whether they hold what the intent
// asks for, at least minRel of the best score, deduplicated, at most
// maxN sentences and limit runes; fewer than maxSentences make an addition
// to another answer, which never defers. The best sentence leads, the others follow
// in passage order: the answer first, then at most two supporting points.
// With a known scope, sentences about other jurisdictions are skipped;
// without one, local rules appear only where no national rule was found,
// one at most, labelled with its place.
func (ix *Index) sentences(q string, tokens []string, in intent, hits []Hit, sc scope, limit int, minRel float64, maxN int) (string, []Hit) {
	if len(hits) == 0 {
		return "", nil
	}
	terms := expand(tokens, Normalize(q))
	order := sortedTerms(terms)
	ownNames := map[string]bool{}
	for _, j := range ix.corpus.Places.Mentions(q) {
		ownNames[j.Code] = true
	}
	// between: two places are named, or credits are carried from one
	// place to another ("在老家学完了，调到深圳还要重学吗"): the national
	// rule decides.
	between := len(sc.places) > 1 || creditsMove.MatchString(q)
	asksPast, asksOldCert := asksAboutPast.MatchString(q), oldCert.MatchString(q)
	exact := exactSlot(q, in)
	var all []sentence
	top := hits[0].Score
	for hi, h := range hits {
		if h.Score < top*0.45 {
			break
		}
		for pos, s := range splitSentences(h.Chunk.Text) {
			if strings.HasSuffix(s, "：") {
				// "…按以下步骤办理：" promises the list after it, which is
				// sentences of its own: alone it answers nothing.
				continue
			}
			if sc.primary() != "" && ix.aboutOtherPlace(s, sc) {
				continue
			}
			if refersBack.MatchString(s) {
				// "…并且不低于上述下限" points at a sentence it may be told
				// without: alone it says nothing.
				continue
			}
			score := 0.0
			ns := Normalize(s)
			for _, t := range order {
				if strings.Contains(ns, t) {
					score += terms[t] * ix.lex.idf(t)
				}
			}
			if score == 0 {
				continue
			}
			// Earlier passages are more relevant; a mild prior keeps ties in order.
			score *= 1 + 0.15/float64(hi+1)
			if deferral(s) {
				// "…以当地财政部门最新通知为准" repeats the topic's words without
				// answering; it should only win when nothing specific matches,
				// and never in an addition to an answer that has deferred —
				// unless it is the asker's own place saying, by name, that on
				// this point it follows the local notice ("广东信息采集的审核
				// 时限…以当地财政部门最新通知为准"): that is what the place
				// says, and the asker learns no rule of its own was missed.
				if maxN < maxSentences && !ix.namesOwnPlace(s, h, sc) {
					continue
				}
				score *= 0.6
			}
			if sc.primary() == "" && (h.Chunk.Jurisdiction != "" || len(ix.corpus.Places.Mentions(s)) > 0) {
				// A question naming no place is best answered by the national
				// rule; one place's practice is only an example.
				score *= 0.6
			}
			if between && h.Chunk.Jurisdiction == "" && len(ix.corpus.Places.Mentions(s)) == 0 {
				// Between two places ("在江西学的学分，调到浙江还认吗") the
				// national rule decides; each place's own rules are beside
				// the point.
				score *= 1.3
			}
			if in != intentOther && in != intentTrouble && in.fills(s) {
				// "继续教育截止到什么时候" wants the sentence with the date.
				score *= 1.25
			}
			if aboutTheText.MatchString(s) {
				// "本指引适用于…", "…可参看《…》": a sentence about the
				// document, not about what was asked.
				score *= 0.5
			}
			if !asksPast && in != intentHow && in != intentMaterials && pastPractice.MatchString(s) {
				// "以往的做法是…", "全国平台上线前…": how it used to be done
				// answers "现在去哪儿办" only when nothing says how it is done
				// now. The old steps and materials are still what is known
				// of the procedure.
				score *= 0.7
			}
			if !asksOldCert && oldCert.MatchString(s) {
				// The cancelled 会计证 is a subject of its own: "手里有中级证"
				// is about a title, and a sentence on what 会计证 means is
				// beside it.
				score *= 0.6
			}
			if d := ix.docs[h.Chunk.DocID]; d != nil && d.Status == StatusSuperseded {
				// The old way is the answer only when nothing current is.
				score *= 0.5
			}
			all = append(all, sentence{text: s, hit: hi, pos: pos, score: score})
		}
	}
	if len(all) == 0 {
		return "", nil
	}
	sort.SliceStable(all, func(a, b int) bool { return all[a].score > all[b].score })
	best := all[0].score
	var picked []sentence
	size := 0
	for _, s := range all {
		// A few more than maxN: the place rules below may drop some.
		if s.score < best*minRel || len(picked) == maxN+3 {
			break
		}
		n := runeLen(s.text)
		if size+n > limit && len(picked) > 0 {
			continue
		}
		if slices.ContainsFunc(picked, func(p sentence) bool { return similar(p.text, s.text) }) {
			continue
		}
		picked = append(picked, s)
		size += n
	}
	local := func(x sentence) bool {
		return sc.primary() == "" && (hits[x.hit].Chunk.Jurisdiction != "" || len(ix.corpus.Places.Mentions(x.text)) > 0)
	}
	national := false
	for _, p := range picked[:min(len(picked), maxN)] {
		national = national || !local(p) && in.fills(p.text)
	}
	// noRule is the national sentence saying that no national figure or
	// date exists ("一学时折几个学分": each province sets it). For a
	// how-many or when-question that is the answer, and one place's
	// figure only its example.
	noRule, nationalLead := "", ""
	if !national && sc.primary() == "" && noFigure[in] {
		for _, c := range all {
			if c.score >= best*0.25 && !local(c) && !deferral(c.text) && noUnifiedRule.MatchString(c.text) {
				if !slices.ContainsFunc(picked, func(p sentence) bool { return p.text == c.text }) {
					picked = append([]sentence{c}, picked[:min(len(picked), maxN-1)]...)
				}
				noRule = c.text
				break
			}
		}
	}
	if noRule != "" {
		kept := 0
		picked = slices.DeleteFunc(picked, func(p sentence) bool {
			if local(p) {
				kept++
				return kept > 1
			}
			return false
		})
	} else if national {
		picked = slices.DeleteFunc(picked, local)
	} else {
		// No national rule on the point: one place's rule (two sentences
		// at most), said to be that place's, is all an asker without a
		// place can be told.
		if sc.primary() == "" && in != intentOther {
			// The best sentences are local, but a national one, ranked
			// lower, may answer the point ("现在统一在全国平台办理" below
			// each province's old website) or say who does ("学习时间每年
			// 调整，以当地财政部门当年通知为准"): that is the answer to an
			// asker of no known place. Beside a national rule one place's
			// practice is noise; beside who sets it, its example.
			for _, c := range all {
				if c.score >= best*0.25 && !local(c) && in.fills(c.text) {
					rest := slices.DeleteFunc(picked, func(p sentence) bool { return p.text == c.text })
					picked = append([]sentence{c}, rest[:min(len(rest), maxN-1)]...)
					nationalLead = c.text
					break
				}
			}
		}
		if nationalLead != "" && !deferral(nationalLead) && !noUnifiedRule.MatchString(nationalLead) {
			picked = slices.DeleteFunc(picked, local)
		}
		place, kept := "", 0
		picked = slices.DeleteFunc(picked, func(p sentence) bool {
			if !local(p) {
				// A national deferral beside the point makes room for the
				// place's rule; the asker's own place deferring by name is
				// that rule.
				return deferral(p.text) && !in.fills(p.text) && !ix.namesOwnPlace(p.text, hits[p.hit], sc)
			}
			j := hits[p.hit].Chunk.Jurisdiction
			if m := ix.corpus.Places.Mentions(p.text); j == "" && len(m) > 0 {
				j = m[0].Code
			}
			if kept == 0 {
				place = j
			}
			if j != place || kept == 2 {
				return true
			}
			kept++
			return false
		})
	}
	sort.SliceStable(picked, func(a, b int) bool {
		if picked[a].hit != picked[b].hit {
			return picked[a].hit < picked[b].hit
		}
		return picked[a].pos < picked[b].pos
	})
	// The lead is the first sentence, in the order the passages give them,
	// that holds what the intent asks for and scores near the best: the
	// best passage's answer, not a side remark that shares a rare word
	// with the question.
	lead := -1
	if exact != nil && !(sc.primary() == "" && slices.ContainsFunc(picked, func(p sentence) bool { return p.score >= 0.7*best && noUnifiedRule.MatchString(p.text) })) {
		// "从几号开始学" wants the day, "多久之内" the period: a sentence
		// that has it beats one that only speaks of time ("及时", "次年") —
		// unless no national one exists, which is then the answer.
		for i, p := range picked {
			if p.score >= 0.55*best && exact.MatchString(p.text) {
				lead = i
				break
			}
		}
	}
	for i, p := range picked {
		if lead >= 0 {
			break
		}
		if p.score >= 0.7*best && in.fills(p.text) {
			lead = i
		}
	}
	if noRule != "" {
		lead = slices.IndexFunc(picked, func(p sentence) bool { return p.text == noRule })
	} else if nationalLead != "" {
		lead = slices.IndexFunc(picked, func(p sentence) bool { return p.text == nationalLead })
	}
	if between {
		// Between two places the national rule, where one was found, leads.
		for i, p := range picked {
			if p.score >= 0.7*best && in.fills(p.text) && hits[p.hit].Chunk.Jurisdiction == "" && len(ix.corpus.Places.Mentions(p.text)) == 0 {
				lead = i
				break
			}
		}
	}
	if lead < 0 {
		// Nothing holds what is asked: the best-scored sentence leads.
		for i, p := range picked {
			if lead < 0 || p.score > picked[lead].score {
				lead = i
			}
		}
	}
	if lead > 0 {
		p := picked[lead]
		copy(picked[1:lead+1], picked[:lead])
		picked[0] = p
	}
	if own := ix.contentTokens(q); ix.ownWeight(own, picked[0].text) > 0 {
		// A supporting point says something about what was asked: a
		// sentence that shares only the terms added to the search is
		// another question's answer ("…检查单位任用会计人员的情况" after
		// "继续教育截止到什么时候").
		picked = append(picked[:1], slices.DeleteFunc(picked[1:], func(p sentence) bool {
			return ix.ownWeight(own, p.text) == 0
		})...)
	}
	for i := 1; i < len(picked); {
		if addsLittle(picked[:i], picked[i].text) {
			picked = slices.Delete(picked, i, i+1)
			continue
		}
		i++
	}
	if len(picked) > maxN {
		// The best-scored supporting points, told in passage order.
		rest := slices.Clone(picked[1:])
		sort.SliceStable(rest, func(a, b int) bool { return rest[a].score > rest[b].score })
		rest = rest[:maxN-1]
		sort.SliceStable(rest, func(a, b int) bool {
			if rest[a].hit != rest[b].hit {
				return rest[a].hit < rest[b].hit
			}
			return rest[a].pos < rest[b].pos
		})
		picked = append(picked[:1], rest...)
	}
	if len(picked) > 1 && sc.primary() != "" && ix.namesOwnPlace(picked[0].text, hits[picked[0].hit], sc) {
		// The asker's own rule leads: a supporting point that also lists
		// other places' practice ("天津…，吉林、辽宁、新疆等地也…") only
		// blurs it.
		picked = append(picked[:1], slices.DeleteFunc(picked[1:], func(p sentence) bool {
			return slices.ContainsFunc(ix.corpus.Places.Mentions(p.text), func(j Jurisdiction) bool { return !sc.has(j.Code) })
		})...)
	}
	var b strings.Builder
	var used []Hit
	seenHit := map[int]bool{}
	for i, s := range picked {
		h := hits[s.hit]
		line := s.text
		if sc.primary() != "" {
			line = ix.ownClauses(line, func(c string) bool { return ix.aboutOtherPlace(c, sc) })
		}
		if j := h.Chunk.Jurisdiction; j != "" && sc.primary() == "" {
			if place, ok := ix.corpus.Places.ByCode(j); ok && !strings.Contains(line, place.Short) {
				line = "（" + place.Name + "）" + line
			}
		}
		if local(s) && !deferral(line) && (i == len(picked)-1 || !local(picked[i+1])) {
			line += localCaveat
		}
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		b.WriteString(line)
		if !seenHit[s.hit] {
			seenHit[s.hit] = true
			used = append(used, h)
		}
	}
	return b.String(), used
}

// pastPractice matches a sentence on how something used to be done, and
// asksAboutPast a question about it.
var (
	pastPractice  = regexp.MustCompile(`以往|原有的?[^，。]{0,4}(规定|做法|流程)|以前的做法|原来的做法|过去的做法|之前的做法|上线前|上线之前`)
	asksAboutPast = regexp.MustCompile(`以前|以往|原来|当初|过去|之前|当时|上线前|历史|旧`)
)

// oldCert names the cancelled 会计从业资格证书.
var oldCert = regexp.MustCompile(`会计证|从业资格|从业证|上岗证`)

// Narrower slots of a when-question: the day, the year, the period.
var (
	asksDay    = regexp.MustCompile(`几号|哪天|哪一天|哪日|几月几`)
	dayRe      = regexp.MustCompile(`[0-9]{1,2}月[0-9]{1,2}日`)
	asksYear   = regexp.MustCompile(`哪年|哪一年|几几年`)
	yearRe     = regexp.MustCompile(`[0-9]{4}年|次年|当年|第二年`)
	asksPeriod = regexp.MustCompile(`多久|多长时间|几个月|几天|几个工作日|期限|时限`)
	periodRe   = regexp.MustCompile(`[0-9一二两三四五六七八九十]+个?(月|工作日|天|日|年)(内|以内|之内)`)
)

// exactSlot is what a when-question asks for exactly, or nil.
func exactSlot(q string, in intent) *regexp.Regexp {
	if in != intentWhen && in != intentHowMany {
		return nil
	}
	switch {
	case asksDay.MatchString(q):
		return dayRe
	case asksYear.MatchString(q):
		return yearRe
	case asksPeriod.MatchString(q):
		return periodRe
	}
	return nil
}

// aboutTheText matches a sentence that speaks of its document or points to
// another one.
var aboutTheText = regexp.MustCompile(`可参看|参见《|详见《|本文|本指引|本页|本节|》回答了`)

// maxSentences is the most an extractive answer says: the answer and two
// supporting points.
const maxSentences = 3

// localCaveat follows one place's rule given to an asker of unknown place.
const localCaveat = "（各地规定不同，以当地通知为准。）"

// deferral reports whether a sentence sends the asker elsewhere or says a
// point is unverified rather than stating a rule.
func deferral(s string) bool {
	return containsAny(s, []string{"最新通知", "通知为准", "未核实", "建议查看", "致电"})
}

// namesOwnPlace reports whether s, from passage h, is a rule of the asker's
// own place that names it.
func (ix *Index) namesOwnPlace(s string, h Hit, sc scope) bool {
	if sc.primary() == "" || h.Chunk.Jurisdiction != sc.primary() {
		return false
	}
	for _, j := range ix.corpus.Places.Mentions(s) {
		if j.Code == sc.primary() {
			return true
		}
	}
	return false
}

// aboutOtherPlace reports whether a sentence states another jurisdiction's
// rule: it names places, none of them in scope.
func (ix *Index) aboutOtherPlace(s string, sc scope) bool {
	m := ix.corpus.Places.Mentions(s)
	if len(m) == 0 {
		return false
	}
	for _, j := range m {
		if sc.has(j.Code) {
			return false
		}
	}
	return true
}

// similar reports near-duplicate sentences by character-bigram overlap.
func similar(a, b string) bool {
	ba, bb := termSet(Bigrams(a)), termSet(Bigrams(b))
	if len(ba) == 0 || len(bb) == 0 {
		return a == b
	}
	inter := 0
	for x := range ba {
		if bb[x] {
			inter++
		}
	}
	return float64(inter)/float64(min(len(ba), len(bb))) > 0.6
}

// coverage is the confidence of an extractive answer: the share of the
// question's weighted vocabulary (synonyms count for less) found in the
// answer or its sections. Words the corpus never uses weigh fully, so a
// question about something absent scores low.
func (ix *Index) coverage(tokens []string, answer string, used []Hit) float64 {
	ctx := Normalize(answer)
	for _, h := range used {
		ctx += " " + Normalize(h.Chunk.Section+" "+ix.docs[h.Chunk.DocID].Title)
	}
	var have, all float64
	seen := map[string]bool{}
	maxIDF := ix.lex.idf("\x00never")
	for _, t := range tokens {
		if seen[t] {
			continue
		}
		seen[t] = true
		w := ix.lex.idf(t)
		if len(ix.lex.postings[t]) == 0 {
			// Unknown to the corpus: filler such as 直接 or the very subject
			// of an out-of-corpus question; it lowers confidence either way.
			w = 0.5 * maxIDF
			if runeLen(t) == 1 {
				w = 0.15 * maxIDF
			}
		}
		all += w
		if strings.Contains(ctx, t) {
			have += w
			continue
		}
		for _, s := range synonymIndex[t] {
			if strings.Contains(ctx, s) {
				have += 0.7 * w
				break
			}
		}
	}
	if all == 0 {
		return 0
	}
	return clamp01(have / all)
}

// ownWeight is how much of the question's own content words (see
// [Index.contentTokens]) a sentence holds, each weighed by its rarity in
// the corpus; a synonym counts for less.
func (ix *Index) ownWeight(own []string, s string) float64 {
	ns := Normalize(s)
	w := 0.0
	seen := map[string]bool{}
	for _, t := range own {
		if seen[t] {
			continue
		}
		seen[t] = true
		if strings.Contains(ns, t) {
			w += ix.lex.idf(t)
			continue
		}
		for _, syn := range synonymIndex[t] {
			if strings.Contains(ns, syn) {
				w += 0.7 * ix.lex.idf(t)
				break
			}
		}
	}
	return w
}

// addsLittle reports whether most of what s says was said by the sentences
// already picked together: "信息变更现在统一在全国平台办理" after "学历、职
// 称、工作单位等信息发生变化后，应及时在全国会计人员统一服务管理平台申请变
// 更" tells the asker nothing new, though it is like neither alone.
func addsLittle(picked []sentence, s string) bool {
	if len(picked) == 0 {
		return false
	}
	said := map[string]bool{}
	for _, p := range picked {
		for _, b := range Bigrams(p.text) {
			said[b] = true
		}
	}
	bs := termSet(Bigrams(s))
	if len(bs) == 0 {
		return false
	}
	old := 0
	for b := range bs {
		if said[b] {
			old++
		}
	}
	if float64(old)/float64(len(bs)) <= 0.6 {
		return false
	}
	// A figure or a date is news however familiar its words.
	var text strings.Builder
	for _, p := range picked {
		text.WriteString(p.text)
	}
	for _, n := range digits.FindAllString(s, -1) {
		if !strings.Contains(text.String(), n) {
			return false
		}
	}
	return true
}

var digits = regexp.MustCompile(`[0-9]+`)
