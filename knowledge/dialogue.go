package knowledge

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// dialogue is what the conversation was about before the message at hand:
// the last question the user asked, with what it asked for and where, and
// the last reply as the history keeps it. A follow-up inherits from it
// what it omits and replaces what it names; a message complete on its own
// ignores it, apart from the place (see [Index.understand]).
type dialogue struct {
	// question is the last user question, simplified and normalised.
	question string
	intent   intent
	places   []Jurisdiction
	// answer is the reply to question; chat adapters keep only its start.
	answer string
}

// lastDialogue reads the dialogue state from the history: the last
// question, past the thanks and greetings that followed it.
func (ix *Index) lastDialogue(h []Turn) dialogue {
	for i := len(h) - 1; i >= 0; i-- {
		if !h[i].User || strings.TrimSpace(h[i].Text) == "" {
			continue
		}
		q := Normalize(h[i].Text) // simplified by retrieve
		if t := strings.TrimSpace(q); thanks.MatchString(t) || classify(t) == greetings {
			continue
		}
		d := dialogue{question: q, intent: detectIntent(q), places: ix.corpus.Places.Mentions(q)}
		for _, t := range h[i+1:] {
			if !t.User {
				d.answer = t.Text
				break
			}
		}
		return d
	}
	return dialogue{}
}

// facets are the kinds of thing a question names, each with its values (a
// value is a list of words for it): a follow-up naming a value of a kind
// replaces the previous question's other values of that kind and keeps the
// rest, so "发论文呢" after a question on conference credits asks about
// papers, not conferences.
var facets = [][][]string{
	procedureFacet,
	// Forms of continuing education that earn credits.
	{{"专业会议", "会议", "研讨会"}, {"论文", "期刊", "发表", "文章"}, {"书籍", "出书", "出版", "著作", "编著"},
		{"课题"}, {"学历教育", "读研", "考研", "自考", "函授", "成人高考"}},
	levelFacet,
	whoFacet,
	// Documents to upload.
	{{"证件照", "照片", "相片"}, {"学历证书", "毕业证", "学位证"}, {"身份证"}, {"护照"}, {"户口簿", "户口本"}, {"居住证"}},
}

var (
	// procedureFacet holds the procedures kuaiji answers about.
	procedureFacet = [][]string{
		{"继续教育", "继教", "学分", "学时", "网校", "公需", "专业课", "专业科目", "补学", "结转"},
		{"采集"}, {"调转", "调入", "调出", "调去", "调进"}, {"信息变更", "变更"},
	}
	levelFacet = [][]string{{"初级", "助理会计师", "初会"}, {"中级", "中会"}, {"高级会计", "高会"}, {"正高"},
		{"没职称", "没有职称", "无职称", "没证"}}
	// whoFacet is what the asker says of themselves.
	whoFacet = [][]string{{"出纳"}, {"在校", "学生", "在读"}, {"退休"},
		{"不做会计", "不从事会计", "转行", "不干会计", "不当会计"},
		{"没工作", "没有工作", "待业", "无业", "暂未就业"}, {"劳务派遣", "派遣"}}
)

// procedureNames name a procedure as a whole, not a part of one (学分, 网校).
var procedureNames = []string{"继续教育", "继教", "采集", "调转", "调入", "调出", "变更"}

// replacesProcedure reports whether the follow-up norm names a procedure
// that prev does not.
func replacesProcedure(prev, norm string) bool {
	before := valuesNamed(procedureFacet, prev)
	for _, v := range valuesNamed(procedureFacet, norm) {
		if !slices.Contains(before, v) {
			return true
		}
	}
	return false
}

// valuesNamed are the indexes of the values of kind that text names.
func valuesNamed(kind [][]string, text string) []int {
	var out []int
	for i, v := range kind {
		if containsAny(text, v) {
			out = append(out, i)
		}
	}
	return out
}

// replaced reports whether the previous question's word w gives way to a
// value of the same kind that the follow-up names.
func replaced(w, followUp string) bool {
	for _, kind := range facets {
		mine := valuesNamed(kind, w)
		if len(mine) == 0 {
			continue
		}
		theirs := valuesNamed(kind, followUp)
		if len(theirs) > 0 && !slices.ContainsFunc(mine, func(i int) bool { return slices.Contains(theirs, i) }) {
			return true
		}
	}
	return false
}

// ownMerits reports whether a message is judged alone whatever came
// before: small talk, and a subject kuaiji does not cover. "个税汇算怎么退税"
// after a question on credits is about tax, not credits.
func ownMerits(norm string) bool {
	switch classify(norm) {
	case greetings, offTopicQ:
		return true
	}
	return thanks.MatchString(norm) || nearDomainSubject(norm) != ""
}

// complete reports whether a message asks a whole question of its own: it
// names a procedure and what it wants to know of it, and does not open
// like a continuation. Such a question starts afresh; only a place may
// still hold (see [recentPlace]).
func complete(norm string) bool {
	return !opensLikeFollowUp(norm) && detectIntent(norm) != intentOther && len(valuesNamed(procedureFacet, norm)) > 0
}

// understand resolves a follow-up against the dialogue state d and works
// out which jurisdictions the question is about. With ownSubject, a
// follow-up keeps only the place and the procedure of the previous
// question: what is left to try when its answer repeated the previous one.
func (ix *Index) understand(norm string, q Question, d dialogue, ownSubject bool) (string, scope) {
	places := ix.corpus.Places
	standalone := norm
	own := places.Mentions(norm)
	prev := d.question
	// In a conversation about the domain, a message without a word of it
	// ("我只是参与的，不是主持人呢") continues the previous question too.
	// A whole question after a question starts afresh; after a statement
	// ("我是宁波这边的会计") it is asked in what the statement said.
	fresh := complete(norm) && d.intent != intentOther
	if prev != "" && !ownMerits(norm) && !fresh &&
		(isFollowUp(norm) || classify(norm) == unknownTopic && classify(prev) == onTopic) {
		rest := places.strip(norm)
		if len(own) > 0 {
			// A new place replaces the place of the previous question.
			prev = places.strip(prev)
		}
		switch {
		case strings.Trim(rest, fillers) == "":
			// "那深圳呢？": the previous question, asked about the new place.
			standalone = strings.TrimSpace(strings.Trim(norm, fillers) + " " + prev)
		case ownSubject:
			standalone = strings.TrimSpace(norm + " " + strings.Join(ix.carried(prev, norm, len(own) == 0, procedureFacet), " "))
		default:
			standalone = strings.TrimSpace(norm + " " + ix.followContext(prev, norm, len(own) == 0))
		}
		if len(own) == 0 {
			own = d.places
		}
	}
	var sc scope
	for _, j := range own {
		sc.places = append(sc.places, j.Code)
	}
	if len(sc.places) == 0 && q.Jurisdiction != "" {
		if j, ok := places.Resolve(q.Jurisdiction); ok {
			sc.places = []string{j.Code}
		}
	}
	if len(sc.places) == 0 {
		// Without a place of its own or a profile, the place the user
		// named a turn or two ago ("我人在太原", then "继续教育去哪个网站学")
		// still holds.
		if j, ok := recentPlace(q.History, places, norm); ok {
			sc.places = []string{j.Code}
		}
	}
	return standalone, sc
}

// recentPlace is the place named in the latest of the user's last three
// messages that names one; none when that message names several. A place
// the user said they are in ("我在太原") holds; a place a question was
// about holds while the topic does: "广东继续教育要多少学分" does not make
// a later question on collection one about 广东.
func recentPlace(h []Turn, places *Jurisdictions, norm string) (Jurisdiction, bool) {
	seen := 0
	for i := len(h) - 1; i >= 0 && seen < 3; i-- {
		if !h[i].User {
			continue
		}
		seen++
		msg := Normalize(h[i].Text) // simplified by retrieve
		switch m := places.Mentions(msg); len(m) {
		case 0:
			continue
		case 1:
			if !selfPlace.MatchString(msg) && switchesProcedure(msg, norm) {
				return Jurisdiction{}, false
			}
			return m[0], true
		default:
			return Jurisdiction{}, false
		}
	}
	return Jurisdiction{}, false
}

// selfPlace marks a message that says where the user is or works.
var selfPlace = regexp.MustCompile(`我(人)?(在|是|们这|这边|这里|现在在|目前在)|人在|本人在|(调|去|到|回)[^，,。]{0,6}(工作|上班)|在[^，,。]{1,8}(工作|上班|读书|上学)`)

// switchesProcedure reports whether both messages name procedures and
// none in common.
func switchesProcedure(a, b string) bool {
	va, vb := valuesNamed(procedureFacet, a), valuesNamed(procedureFacet, b)
	return len(va) > 0 && len(vb) > 0 && !slices.ContainsFunc(va, func(i int) bool { return slices.Contains(vb, i) })
}

// carried is what a follow-up takes from the previous question prev: its
// place when withPlace, and the words of prev for the kinds given that the
// follow-up does not replace.
func (ix *Index) carried(prev, norm string, withPlace bool, kinds ...[][]string) []string {
	var parts []string
	if withPlace {
		for _, j := range ix.corpus.Places.Mentions(prev) {
			parts = append(parts, j.Short)
		}
	}
	for _, kind := range kinds {
		for _, v := range kind {
			for _, w := range v {
				if strings.Contains(prev, w) && !strings.Contains(norm, w) && !replaced(w, norm) {
					parts = append(parts, w)
					break
				}
			}
		}
	}
	return parts
}

// whereWords ask where; they are a question's ask, not its subject.
var whereWords = map[string]bool{"网站": true, "网址": true, "链接": true, "入口": true}

// followContext is what a follow-up with a subject of its own ("那学分呢")
// takes from the previous question: its place, unless the follow-up names
// one, and its words of the domain, not what it asked about them, so "去哪学"
// does not outweigh "学分"; words of a kind the follow-up names anew
// ("在哪采集" after a question on continuing education) give way. Without
// such words, the whole question.
func (ix *Index) followContext(prev, norm string, withPlace bool) string {
	if containsAny(norm, procedureNames) || replacesProcedure(prev, norm) {
		// The follow-up names its own procedure: the place carries over,
		// and what the asker said of themselves (有中级, 不做会计了).
		parts := ix.carried(prev, norm, withPlace, levelFacet, whoFacet)
		if len(parts) > 0 || len(ix.corpus.Places.Mentions(norm)) > 0 {
			return strings.Join(parts, " ")
		}
	}
	parts := ix.carried(prev, norm, withPlace)
	terms := 0
	asksAnew := detectIntent(norm) != intentOther && detectIntent(norm) != intentWhere
	add := func(w string) {
		if asksAnew && whereWords[w] {
			// "网站" was what the previous question asked for, not its
			// subject: "一年要学多少分" after "在哪个网站学" asks a number.
			return
		}
		if strings.Contains(prev, w) && !strings.Contains(norm, w) && !replaced(w, norm) &&
			!slices.ContainsFunc(parts, func(p string) bool { return strings.Contains(p, w) }) {
			parts = append(parts, w)
			terms++
		}
	}
	for _, list := range [][]string{strongTerms, weakTerms} {
		for _, w := range list {
			add(w)
		}
	}
	// The subject may be a word only the synonym table knows (专业会议, 论文).
	for _, w := range ix.seg.Tokens(prev) {
		if synonymIndex[w] != nil && runeLen(w) > 1 {
			add(w)
		}
	}
	if terms == 0 {
		return withoutReplaced(prev, norm)
	}
	return strings.Join(parts, " ")
}

// withoutReplaced is prev without its words that the follow-up norm
// replaces: "证件照有什么要求" followed by "那身份证呢" asks "身份证有什么要求".
func withoutReplaced(prev, norm string) string {
	for _, kind := range facets {
		for _, v := range kind {
			for _, w := range v {
				if strings.Contains(prev, w) && replaced(w, norm) {
					prev = strings.ReplaceAll(prev, w, " ")
				}
			}
		}
	}
	return strings.Join(strings.Fields(prev), " ")
}

// fillers are what remains of "那深圳呢？" once the place is removed.
const fillers = " 那么呢的吗啊呀?？。!！,，怎么样如何情况是在话又还有要去里边这边那边地方好嗯哦"

var followUpStarts = []string{"那", "那么", "还有", "另外", "如果", "要是", "那如果", "那要是", "然后", "那我", "同样", "也是"}

// opensLikeFollowUp reports whether a message opens like a continuation.
func opensLikeFollowUp(q string) bool {
	for _, p := range followUpStarts {
		if strings.HasPrefix(q, p) {
			return true
		}
	}
	return false
}

// isFollowUp guesses whether a message only makes sense with the previous
// question: it is short, or it opens like a continuation.
func isFollowUp(q string) bool {
	return opensLikeFollowUp(q) || runeLen(strings.Trim(q, fillers)) <= 8
}

// repeatMinRunes is how much of two answers must agree, word for word,
// for the second to be taken as a repeat of the first.
const repeatMinRunes = 24

// repeats reports whether answer says again what the dialogue's last reply
// said. Chat histories keep only the start of a reply, so the starts are
// compared, past the opening an unsure answer shares with every other.
func (d dialogue) repeats(answer string) bool {
	prev := strings.TrimSuffix(strings.TrimSpace(d.answer), "…")
	a, b := []rune(strings.TrimPrefix(answer, unsureOpening)), []rune(strings.TrimPrefix(prev, unsureOpening))
	n := min(len(a), len(b))
	return n >= repeatMinRunes && string(a[:n]) == string(b[:n])
}

// unsureOpening opens every answer kuaiji is not sure of.
const unsureOpening = "抱歉，这个问题我没有十足把握。以下内容可能相关，仅供参考：\n"

// sameAsBeforeText answers a follow-up whose answer would only repeat the
// previous one.
const sameAsBeforeText = "就您补充问的这一点，我没有查到与上一条回答不同的规定。" + bureauAdvice

// newPart is what answer adds to the previous reply, when the history
// holds that reply whole: its sentences the reply does not already have.
// It is "" when the reply was cut, or nothing is new but deferrals.
func (d dialogue) newPart(answer string) string {
	if strings.HasSuffix(d.answer, "…") || utf8.RuneCountInString(d.answer) == 0 {
		return ""
	}
	prev := splitSentences(d.answer)
	var out []string
	news := false
	for _, s := range splitSentences(answer) {
		if slices.ContainsFunc(prev, func(p string) bool { return similar(p, s) }) {
			continue
		}
		out = append(out, s)
		news = news || !deferral(s)
	}
	if !news {
		return ""
	}
	return strings.Join(out, "")
}

// pointBack is what of a repeated answer answers the follow-up msg,
// resolved as standalone: up to two sentences, in the answer's order, that
// hold what it asks for and most of its own words, else most of the
// words it was resolved with. own reports whether they have words of msg
// itself; "" when no sentence holds what is asked.
func (ix *Index) pointBack(msg, standalone, answer string) (text string, own bool) {
	in := detectIntent(standalone)
	mine, inherited := ix.contentTokens(msg), ix.contentTokens(standalone)
	type cand struct {
		i, own, all int
	}
	ss := splitSentences(answer)
	var cs []cand
	for i, s := range ss {
		if !in.fillsPlainly(s) {
			// Clause by clause: "平台是…（网址）；当年的入口以最新通知为准"
			// points back to the platform, though it ends by deferring.
			continue
		}
		c := cand{i: i}
		for _, t := range mine {
			if mentions(s, t) {
				c.own++
			}
		}
		for _, t := range inherited {
			if mentions(s, t) {
				c.all++
			}
		}
		cs = append(cs, c)
	}
	if len(cs) == 0 {
		return "", false
	}
	slices.SortStableFunc(cs, func(a, b cand) int {
		if a.own != b.own {
			return b.own - a.own
		}
		return b.all - a.all
	})
	// A second sentence only when it has as many of the follow-up's words
	// and makes another point.
	picked := cs[:1]
	for _, c := range cs[1:] {
		if len(picked) == 2 || c.own == 0 || c.own < cs[0].own {
			break
		}
		if !similar(ss[c.i], ss[picked[0].i]) {
			picked = append(picked, c)
		}
	}
	slices.SortFunc(picked, func(a, b cand) int { return a.i - b.i })
	var b strings.Builder
	for _, c := range picked {
		b.WriteString(ss[c.i])
	}
	return b.String(), cs[0].own > 0 || len(mine) == 0
}

// mentions reports whether sentence s has the word t or a word the synonym
// table puts with it.
func mentions(s, t string) bool {
	if strings.Contains(s, t) {
		return true
	}
	return slices.ContainsFunc(synonymIndex[t], func(w string) bool { return runeLen(w) > 1 && strings.Contains(s, w) })
}
