package deskfaq

import (
	"strings"
	"unicode/utf8"

	"github.com/kuaiji/kuaiji/privacy"
)

// MaxQuestion is the most runes a drafted question keeps.
const MaxQuestion = 200

// asking are the marks of a sentence that asks something.
var asking = []string{"？", "?", "吗", "么", "怎么", "怎样", "如何", "什么", "哪", "多少", "几", "能否", "是否", "可否", "可以不", "能不能", "要不要", "有没有", "是不是", "呢"}

// greetings open a message without asking anything.
var greetings = []string{"你好", "您好", "在吗", "在不在", "哈喽", "hello", "hi", "谢谢", "麻烦了", "打扰了", "不好意思"}

// Asks reports whether text asks something.
func Asks(text string) bool {
	for _, a := range asking {
		if strings.Contains(text, a) {
			return true
		}
	}
	return false
}

// QuestionOf is the question a user asked in texts (their messages, oldest
// first): masked, then cut to the sentences that ask, without greetings,
// commands, buttons or what they said about themselves. The last message
// that asks wins, since it is the one the answer followed; "" when none
// of texts says anything.
func QuestionOf(texts []string) string {
	var pick string
	for _, t := range texts {
		t = strings.TrimSpace(privacy.Mask(t))
		if t == "" || strings.HasPrefix(t, "/") || strings.HasPrefix(t, "[") {
			continue
		}
		if Asks(t) || pick == "" || !Asks(pick) && utf8.RuneCountInString(t) > utf8.RuneCountInString(pick) {
			pick = t
		}
	}
	return cutQuestion(pick)
}

// cutQuestion keeps the sentences of s that ask (all of them when none
// does), greetings dropped, at most [MaxQuestion] runes.
func cutQuestion(s string) string {
	var keep []string
	all := sentences(s)
	for _, x := range all {
		if x = withoutAside(x); Asks(x) && !isGreeting(x) {
			keep = append(keep, x)
		}
	}
	if len(keep) == 0 {
		for _, x := range all {
			if x = withoutAside(x); x != "" && !isGreeting(x) {
				keep = append(keep, x)
			}
		}
	}
	q := strings.Join(keep, "")
	if r := []rune(q); len(r) > MaxQuestion {
		q = string(r[:MaxQuestion])
	}
	return q
}

func isGreeting(s string) bool {
	t := strings.ToLower(strings.Trim(s, "，,。.！!？? ～~"))
	for _, g := range greetings {
		if t == g || strings.TrimPrefix(t, g) == "" {
			return true
		}
	}
	return false
}

// withoutAside drops the clauses of a sentence that ask nothing of the
// answer: a greeting ("您好，") or what the user said about themselves
// with an identifier in it ("我手机138****5678，"), which is masked but
// still says nothing any other asker shares.
func withoutAside(s string) string {
	var b strings.Builder
	for _, c := range clauses(s) {
		if isGreeting(c) || strings.Contains(c, "**") {
			continue
		}
		b.WriteString(c)
	}
	return strings.TrimSpace(b.String())
}

// clauses splits a sentence after each comma, keeping the commas.
func clauses(s string) []string {
	var out []string
	start := 0
	for i, r := range s {
		if r == '，' || r == ',' {
			out = append(out, s[start:i+utf8.RuneLen(r)])
			start = i + utf8.RuneLen(r)
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// sentences splits s after each sentence end, keeping the punctuation, so
// that "您好。学分能结转吗？" yields its two parts.
func sentences(s string) []string {
	var out []string
	var b strings.Builder
	flush := func() {
		if t := strings.TrimSpace(b.String()); t != "" {
			out = append(out, t)
		}
		b.Reset()
	}
	for _, r := range s {
		b.WriteRune(r)
		switch r {
		case '。', '！', '？', '!', '?', '；', ';', '\n':
			flush()
		}
	}
	flush()
	return out
}
