package flows

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Place is a jurisdiction that runs its own registration.
type Place struct {
	Code string
	Name string
	// Parent is the code of the province of a 计划单列市 (深圳 → guangdong).
	Parent string
}

// Places resolves jurisdiction names typed by users.
type Places interface {
	// Resolve understands a code, name, short name or alias, with
	// surrounding words tolerated ("我在深圳").
	Resolve(s string) (Place, bool)
	// Suggest returns up to n places whose names look like s.
	Suggest(s string, n int) []Place
}

// The qualification levels (会计专业技术资格) [ParseLevel] returns.
const (
	LevelNone         = "none"
	LevelJunior       = "junior"       // 初级, 助理会计师
	LevelIntermediate = "intermediate" // 中级, 会计师
	LevelSenior       = "senior"       // 高级, 高级会计师
	LevelProfessor    = "professor"    // 正高级, 正高级会计师
)

// LevelNames are the display names of the levels.
var LevelNames = map[string]string{
	LevelNone:         "无职称",
	LevelJunior:       "初级",
	LevelIntermediate: "中级",
	LevelSenior:       "高级",
	LevelProfessor:    "正高级",
}

// clean folds full-width forms, drops spaces and trailing punctuation and
// lowercases ASCII, so that "  是的！" and "是的" parse alike.
func clean(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '！' && r <= '～':
			r = r - '！' + '!'
		case r == '　':
			r = ' '
		}
		if unicode.IsSpace(r) || !utf8.ValidRune(r) || r == utf8.RuneError {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return strings.TrimRight(strings.TrimLeft(b.String(), ",.!?;:~，。！？；：、…"), ",.!?;:~，。！？；：、…")
}

var (
	yesWords = []string{"是", "是的", "对", "对的", "有", "有的", "嗯", "嗯嗯", "恩", "好", "好的", "要", "需要", "在",
		"没错", "对啊", "是啊", "有啊", "当然", "确定", "可以", "行", "y", "yes", "yeah", "yep", "ok", "okay", "1", "true", "√"}
	noWords = []string{"否", "不", "不是", "没", "没有", "无", "不对", "不要", "不需要", "不在", "没了", "没呢", "还没",
		"还没有", "暂无", "并没有", "不用", "n", "no", "nope", "0", "false", "×"}
	// yesPrefix and noPrefix catch answers such as "是，我在单位做出纳" or
	// "没有，还在读书"; negatives are tried first so 不是 never reads as 是.
	noPrefix  = []string{"不是", "没有", "不在", "不对", "还没", "没", "否", "不"}
	yesPrefix = []string{"是的", "是", "对", "有", "嗯", "在"}
)

// ParseYesNo understands 是/对/有/嗯/yes and 否/不是/没有/无/no, alone or
// leading a longer answer. ok is false when s says neither.
func ParseYesNo(s string) (yes, ok bool) {
	c := clean(s)
	if c == "" {
		return false, false
	}
	for _, w := range noWords {
		if c == w {
			return false, true
		}
	}
	for _, w := range yesWords {
		if c == w {
			return true, true
		}
	}
	if utf8.RuneCountInString(c) > 40 {
		return false, false
	}
	for _, p := range noPrefix {
		if strings.HasPrefix(c, p) && !strings.HasPrefix(c, "不知道") && !strings.HasPrefix(c, "不清楚") &&
			!strings.HasPrefix(c, "不确定") && !strings.HasPrefix(c, "没听懂") {
			return false, true
		}
	}
	for _, p := range yesPrefix {
		if strings.HasPrefix(c, p) {
			rest := strings.TrimPrefix(c, p)
			// "是否" and "有没有" start questions, not answers.
			if strings.HasPrefix(rest, "否") || strings.HasPrefix(rest, "没有") || strings.HasPrefix(rest, "不") {
				return false, false
			}
			return true, true
		}
	}
	return false, false
}

var levelWords = []struct {
	word, level string
}{
	// Longest and most specific first.
	{"正高级会计师", LevelProfessor}, {"正高级", LevelProfessor}, {"正高", LevelProfessor},
	{"高级会计师", LevelSenior}, {"副高级", LevelSenior}, {"副高", LevelSenior}, {"高级", LevelSenior}, {"高会", LevelSenior},
	{"助理会计师", LevelJunior}, {"初级会计师", LevelJunior}, {"初级", LevelJunior}, {"初会", LevelJunior},
	{"中级会计师", LevelIntermediate}, {"中级", LevelIntermediate}, {"中会", LevelIntermediate},
	{"会计师", LevelIntermediate},
	{"没有职称", LevelNone}, {"无职称", LevelNone}, {"没职称", LevelNone}, {"没有资格", LevelNone},
	{"还没有", LevelNone}, {"没有", LevelNone}, {"没考", LevelNone}, {"都没有", LevelNone}, {"暂无", LevelNone},
	{"无", LevelNone}, {"没", LevelNone}, {"none", LevelNone},
}

// ParseLevel understands qualification levels: 初级/助理会计师, 中级/会计师,
// 高级/高级会计师, 正高级/正高级会计师, and 没有/无 for none. 注册会计师 (CPA)
// and the abolished 会计证 are not levels and do not parse.
func ParseLevel(s string) (level string, ok bool) {
	c := clean(s)
	if c == "" || utf8.RuneCountInString(c) > 30 {
		return "", false
	}
	if strings.Contains(c, "注册会计师") || strings.Contains(c, "cpa") || strings.Contains(c, "会计证") || strings.Contains(c, "从业资格") {
		return "", false
	}
	if _, ok := LevelNames[c]; ok {
		return c, true
	}
	for _, w := range levelWords {
		if strings.Contains(c, w.word) {
			if w.level == LevelNone && utf8.RuneCountInString(c) > utf8.RuneCountInString(w.word)+4 {
				continue // "没有" deep inside a sentence is no answer
			}
			return w.level, true
		}
	}
	return "", false
}

// Month is a year and month, as people give dates of qualifications or jobs.
type Month struct {
	Year  int
	Month time.Month
}

// String formats m as 2023年5月.
func (m Month) String() string {
	return strconv.Itoa(m.Year) + "年" + strconv.Itoa(int(m.Month)) + "月"
}

// Code formats m as 2023-05, the stored form.
func (m Month) Code() string {
	return strconv.Itoa(m.Year) + "-" + strconv.Itoa(int(m.Month)/10) + strconv.Itoa(int(m.Month)%10)
}

var (
	dateCN  = regexp.MustCompile(`^(\d{4}|\d{2})年(?:(\d{1,2})月(?:份)?(?:(\d{1,2})[日号])?)?$`)
	dateSep = regexp.MustCompile(`^(\d{4})[-./](\d{1,2})(?:[-./](\d{1,2}))?$`)
	dateNum = regexp.MustCompile(`^(\d{4})(\d{2})?$`)
)

// ParseDate understands 2023年5月, 2023年05月, 2023-05, 2023.5, 2023/05/10,
// 202305, 23年5月 and a bare year 2023年 or 2023 (month 0). Years outside
// 1950–2100 and months outside 1–12 do not parse.
func ParseDate(s string) (Month, bool) {
	c := clean(s)
	c = strings.TrimPrefix(strings.TrimPrefix(c, "大约"), "约")
	c = strings.TrimSuffix(strings.TrimSuffix(c, "左右"), "的时候")
	var y, mo, d string
	if m := dateCN.FindStringSubmatch(c); m != nil {
		y, mo, d = m[1], m[2], m[3]
	} else if m := dateSep.FindStringSubmatch(c); m != nil {
		y, mo, d = m[1], m[2], m[3]
	} else if m := dateNum.FindStringSubmatch(c); m != nil {
		y, mo = m[1], m[2]
	} else {
		return Month{}, false
	}
	year, _ := strconv.Atoi(y)
	if len(y) == 2 {
		year += 2000
		if year > time.Now().Year()+1 {
			year -= 100
		}
	}
	month := 0
	if mo != "" {
		month, _ = strconv.Atoi(mo)
		if month < 1 || month > 12 {
			return Month{}, false
		}
	}
	if d != "" {
		if day, _ := strconv.Atoi(d); day < 1 || day > 31 {
			return Month{}, false
		}
	}
	if year < 1950 || year > 2100 {
		return Month{}, false
	}
	return Month{year, time.Month(month)}, true
}

// ParsePlace resolves a jurisdiction typed by a user with p, after folding
// full-width forms and dropping filler such as 我在 or 目前在.
func ParsePlace(p Places, s string) (Place, bool) {
	c := clean(s)
	if c == "" || utf8.RuneCountInString(c) > 40 || p == nil {
		return Place{}, false
	}
	for _, f := range []string{"我现在在", "我目前在", "目前在", "现在在", "我在", "在"} {
		if strings.HasPrefix(c, f) && len(c) > len(f) {
			c = strings.TrimPrefix(c, f)
			break
		}
	}
	pl, ok := p.Resolve(c)
	if !ok || pl.Code == "" {
		return Place{}, false
	}
	return pl, true
}

var questionWords = []string{"怎么", "如何", "什么", "哪里", "哪儿", "哪个", "哪些", "哪家", "多少", "几个", "几年", "几月",
	"为什么", "能不能", "可不可以", "是不是", "有没有", "要不要", "需不需要", "吗", "呢", "么"}

// LooksLikeQuestion reports whether s reads as a question rather than an
// answer, so the engine can answer it and re-ask its step (a digression).
func LooksLikeQuestion(s string) bool {
	c := clean(s)
	if utf8.RuneCountInString(c) < 4 {
		return false
	}
	if strings.ContainsAny(s, "?？") {
		return true
	}
	for _, w := range questionWords {
		if strings.Contains(c, w) {
			return true
		}
	}
	return false
}
