package knowledge

import (
	"regexp"
	"strings"
)

// confidence is how sure an extractive answer is, from features that signal
// doubt rather than from the question's wording. Over the question sets,
// the coverage of all the question's words (the measure used before) hedged
// two correct answers in five while missing most wrong ones: a question is
// full of words no passage uses (上班, 老家, 一口气) that say nothing about
// whether the passage answers it. What is left:
//   - how much of the question's content known to the corpus (its words
//     without greetings, numbers, Latin, places and the intent's own words)
//     the answer and its sections cover, and, weighing less, how much of
//     all its content: a question whose subject no passage names is not
//     answered;
//   - whether any passage holds what the intent asks for (a number for a
//     how-many question, a date for a when-question): without one the
//     answer is unsure whatever the words say;
//   - whether the answer rests on a national rule: one place's practice
//     for a question naming no place is less sure.
func (ix *Index) confidence(content []string, in intent, text string, used []Hit, sc scope) float64 {
	var known []string
	for _, t := range content {
		if ix.knows(t) {
			known = append(known, t)
		}
	}
	if len(known) == 0 {
		// Nothing the corpus knows ("怎么办？", or only words of another
		// subject): no passage can be said to answer it.
		return 0.3
	}
	// Words the corpus never uses still count a little: "系统一直转圈" is a
	// question no passage answers, whatever else it shares with them.
	conf := 0.5 + 0.5*ix.keyCoverage(known, text, used) + 0.2*ix.coverage(content, text, used)
	lead := text
	if s := splitSentences(text); len(s) > 0 {
		lead = s[0]
	}
	if !in.fills(lead) && !(noFigure[in] && noUnifiedRule.MatchString(lead)) {
		// [Index.sentences] leads with a sentence that holds what the
		// intent asks for whenever one was found: none was.
		conf = min(conf, lowConfidence-0.05)
	}
	if sc.primary() == "" && len(used) > 0 {
		national := false
		for _, h := range used {
			if h.Chunk.Jurisdiction == "" {
				national = true
				break
			}
		}
		if !national {
			conf -= 0.1
		}
	}
	return clamp01(conf)
}

// noUnifiedRule matches a sentence saying that no national figure or date
// exists ("审核时间各地不同，没有查到全国统一的时限"). For a how-many or
// when-question that is the honest answer, not a miss: an answer leading
// with it is not unsure for want of a number.
var noUnifiedRule = regexp.MustCompile(`没有(查到|找到)?(全国|国家层面)?的?统一的?(规定|时限|标准|要求|时间|期限|口径|收费)|(各地|各省)(规定|做法|要求)?(不同|不一)`)

// noFigure are the intents a figure or a date answers.
var noFigure = map[intent]bool{intentHowMany: true, intentWhen: true}

// keyCoverage is [Index.coverage] where a compound counts as covered when
// the shorter tokens it is made of are: the segmenter yields 会计继续教育
// beside 会计 and 继续教育, and an answer that says 会计人员的继续教育
// covers it.
func (ix *Index) keyCoverage(tokens []string, answer string, used []Hit) float64 {
	ctx := Normalize(answer)
	for _, h := range used {
		ctx += " " + Normalize(h.Chunk.Section+" "+ix.docs[h.Chunk.DocID].Title)
	}
	covered := func(t string) bool {
		if strings.Contains(ctx, t) {
			return true
		}
		for _, s := range synonymIndex[t] {
			if strings.Contains(ctx, s) {
				return true
			}
		}
		return false
	}
	var have, all float64
	seen := map[string]bool{}
	for _, t := range tokens {
		if seen[t] {
			continue
		}
		seen[t] = true
		w := ix.lex.idf(t)
		all += w
		if covered(t) {
			have += w
			continue
		}
		parts := 0
		whole := true
		for _, p := range tokens {
			if p != t && runeLen(p) < runeLen(t) && strings.Contains(t, p) {
				parts++
				whole = whole && covered(p)
			}
		}
		if parts >= 2 && whole {
			have += w
		}
	}
	if all == 0 {
		return 0
	}
	return have / all
}

// knowsSomeOf reports whether a message says anything the corpus could be
// about: it names a place, has a word the corpus or the synonym table
// knows, or has no content words at all ("那如果是呢").
func (ix *Index) knowsSomeOf(msg string) bool {
	if len(ix.corpus.Places.Mentions(msg)) > 0 {
		return true
	}
	content := ix.contentTokens(msg)
	for _, t := range content {
		if len(ix.lex.postings[t]) > 0 || synonymIndex[t] != nil {
			return true
		}
	}
	for _, g := range synonymGroups {
		for _, w := range g {
			if runeLen(w) > 1 && strings.Contains(msg, w) {
				return true
			}
		}
	}
	return len(content) == 0
}

// knows reports whether the corpus uses t or one of its synonyms (区里 for
// 区级, 顶 for 抵扣).
func (ix *Index) knows(t string) bool {
	if len(ix.lex.postings[t]) > 0 {
		return true
	}
	for _, s := range synonymIndex[t] {
		if len(ix.lex.postings[s]) > 0 {
			return true
		}
	}
	return false
}
