package knowledge

import (
	_ "embed"
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/go-ego/gse"
)

//go:generate sh -c "go run ./internal/gendict -gse $(go list -m -f '{{.Dir}}' github.com/go-ego/gse) -corpus ../policies -out dict.txt"

// baseDict is gse's simplified-Chinese dictionary cut down to common words
// and the corpus vocabulary: the full one takes seconds to load, which would
// break a one-second cold start.
//
//go:embed dict.txt
var baseDict string

// domainWords must stay whole whatever the general dictionary says, so
// 信息采集 is one token and not 信息 + 采集 only.
var domainWords = []string{
	"会计人员", "会计工作", "信息采集", "会计信息采集", "继续教育", "会计继续教育", "继教",
	"专业技术资格", "会计专业技术资格", "职称", "公需科目", "公需课", "公需", "专业科目", "专业课",
	"学分", "学时", "调转", "属地调转", "跨省调转", "调入", "调出", "计划单列市",
	"会计证", "会计从业资格", "从业资格证", "从业证", "会计从业证", "会计从业资格证书", "会计法",
	"全国会计人员统一服务管理平台", "统一服务管理平台", "全国平台", "信息变更",
	"限期改正", "信用信息档案", "信用档案", "证件照", "学历证书", "学位证书", "学历",
	"劳务派遣", "初级", "中级", "高级", "正高级", "助理会计师", "会计师", "高级会计师",
	"正高级会计师", "财政部门", "财政局", "财政厅", "网校", "出纳", "稽核", "会计监督",
	"会计档案", "总会计师", "会计机构负责人", "工作地变更证明", "居住证", "户籍地", "居住地",
	"学籍", "实名认证", "承诺书", "工作日", "结转", "补学", "孰早", "会计之家", "会计之星",
	"i厦门", "人社", "注协", "学习期", "网址", "像素", "身份证", "护照", "在校生", "退休",
	"中央国家机关", "国管局", "专业会议", "研究课题", "第一作者", "第二作者", "论文",
	"统一社会信用代码", "社保", "管账", "记账", "罚款", "初会", "中会", "高会", "劳动合同", "工作证明", "生僻字", "忘记密码", "找回密码",
	"侧脸", "自拍", "自拍照", "生活照", "蓝底", "红底", "白底", "美颜", "戴眼镜",
	"假账", "做假账", "判刑", "判过刑", "刑事处罚", "追究刑事责任", "应聘", "入职", "离职", "辞职", "待业",
}

var domainSet = toSet(domainWords)

// stopWords carry no meaning for retrieval in this domain's questions.
var stopWords = toSet(strings.Fields(`
的 了 吗 呢 啊 吧 呀 哦 嘛 么 哪 那 这 是 我 你 他 她 它 们 我们 你们 在 有 和 与 及 或 也 都 就 还 又 被 把 给 让
对 从 向 到 为 以 于 等 个 之 其 该 此 各 每 一 不 没 要 会 能 可 可以 需要 要不要 需不需要 什么 怎么 怎么样 如何 哪些 哪个
多少 几 吗 请问 一下 一般 现在 然后 但是 如果 因为 所以 已经 还是 就是 这个 那个 怎样 啥 咋 呗 嗯 想 问 问下
知道 告诉 谢谢 您好 你好 是否 什么样 应该 能不能 可不可以 得 地 着 过 里 中 上 下 后 前 时 时候 自己 本人
不要 还算 算不算 是不是 有没有 行不行 好不好 用不用 得不得 还要 还用 还得 就得 需不需 会不会 能否 具体 大概 一共 总共
就要 也要 都要 才要 还需 就能 也能 才能 得要 就是说
有点 有点慌 好慌 慌 着急 急死了 担心 害怕 挺急的 在线等 急
`))

func toSet(words []string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// Segmenter cuts Chinese text into retrieval tokens. It is safe for
// concurrent use once built.
type Segmenter struct {
	seg gse.Segmenter
}

var (
	defaultSeg     *Segmenter
	defaultSegOnce sync.Once
)

// DefaultSegmenter returns the process-wide segmenter, loading its
// dictionary on first use only.
func DefaultSegmenter() *Segmenter {
	defaultSegOnce.Do(func() { defaultSeg = newSegmenter() })
	return defaultSeg
}

func newSegmenter() *Segmenter {
	s := &Segmenter{}
	s.seg.SkipLog = true
	// The first entry of a word wins in gse, so our words go first. Domain
	// words get a frequency far above any everyday word so 做出纳 is cut
	// 做 + 出纳, not 做出 + 纳; multi-character stop words must be dictionary
	// words to be cut out whole.
	var b strings.Builder
	for _, w := range domainWords {
		b.WriteString(w + " 200000 n\n")
	}
	for w := range stopWords {
		if runeLen(w) > 1 {
			b.WriteString(w + " 50000 x\n")
		}
	}
	// LoadDictStr cannot fail on a string; malformed lines are skipped.
	_ = s.seg.LoadDictStr(b.String() + baseDict)
	s.seg.CalcToken()
	return s
}

// Normalize folds full-width forms, lowercases Latin letters and fixes the
// look-alike characters that Chinese input methods often produce by mistake.
func Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\u3000':
			r = ' '
		case r >= '\uFF01' && r <= '\uFF5E' && !isCJKPunct(r):
			r -= 0xFEE0
		}
		if fixed, ok := lookAlikes[r]; ok {
			r = fixed
		}
		b.WriteRune(unicode.ToLower(r))
	}
	out := typoWords.Replace(b.String())
	if strings.Contains(out, "分") {
		out = creditsAsPoints(out)
	}
	return out
}

// creditsAsPoints writes an amount of credits said as points as credits:
// "多学了三十分" is 三十学分, "刷十分钟" stays ten minutes.
func creditsAsPoints(s string) string {
	var b strings.Builder
	last := 0
	for _, m := range studiedPoints.FindAllStringSubmatchIndex(s, -1) {
		if strings.HasPrefix(s[m[1]:], "钟") {
			continue
		}
		b.WriteString(s[last:m[0]])
		b.WriteString(s[m[2]:m[3]] + s[m[4]:m[5]] + "学分")
		last = m[1]
	}
	if last == 0 {
		return s
	}
	return b.String() + s[last:]
}

// studiedPoints is an amount of credits said as points ("多学了三十分",
// "学够了90分"): the segmenter would read 十分 as "very".
var studiedPoints = regexp.MustCompile(`([学修刷挣攒](?:了|够|满|完){0,2})([0-9一二三四五六七八九十百几两]+)个?分`)

// isCJKPunct keeps the full-width punctuation Chinese text is written with,
// so sentence splitting still sees it.
func isCJKPunct(r rune) bool {
	switch r {
	case '，', '；', '：', '？', '！', '（', '）':
		return true
	}
	return false
}

// lookAlikes maps characters that are near-certain typos in this domain.
var lookAlikes = map[rune]rune{
	'釆': '采', '肓': '育', '綵': '采',
}

// typoWords are pinyin-input slips seen in this domain's questions, fixed
// before segmentation; the national platform's long name is folded to its
// short one, so its fourteen characters do not outweigh what is asked
// about it.
var typoWords = strings.NewReplacer(
	"全国会计人员统一服务管理平台", "全国平台", "会计人员统一服务管理平台", "全国平台", "统一服务管理平台", "全国平台",
	"学份", "学分", "专叶", "专业", "毕叶", "毕业", "审合", "审核", "调专", "调转",
	"密吗", "密码", "继续教肓", "继续教育", "信息釆集", "信息采集", "职成", "职称", "初极", "初级",
	"中极", "中级", "公须", "公需", "采计", "采集",
	"鸡血教育", "继续教育", "继续叫育", "继续教育", "继叫", "继教", "信息菜集", "信息采集", "采急", "采集",
	"职程", "职称", "掉转", "调转", "戴眼睛", "戴眼镜", "审和", "审核", "学时份", "学分", "照骗", "照片", "变跟", "变更",
	// Initials and English some type for the two procedures.
	"jxjy", "继续教育", "cpe", "继续教育", "xxcj", "信息采集",
	// Degrees typed in English are degrees: 在职读MPAcc is 学历教育.
	"mpacc", "会计专业硕士", "mba", "工商管理硕士",
)

// Tokens returns the search tokens of text: dictionary words in search mode
// (a compound also yields its parts) without stop words or punctuation.
func (s *Segmenter) Tokens(text string) []string {
	text = Normalize(text)
	var out []string
	add := func(w string) {
		if w = strings.TrimSpace(w); w != "" && !stopWords[w] && meaningful(w) {
			out = append(out, w)
		}
	}
	for _, w := range s.seg.Cut(text, false) {
		// Search mode: a compound also yields its dictionary 2- and 3-grams,
		// so 信息采集 matches 采集. Long names of things (the national
		// platform's full name) stay whole: their parts (全国, 国会, 人员…)
		// would make every question naming the platform look alike.
		r := []rune(w)
		if !(domainSet[w] && len(r) > 6) {
			for _, n := range []int{2, 3} {
				for i := 0; i+n < len(r)+1 && n < len(r); i++ {
					if g := string(r[i : i+n]); s.known(g) {
						add(g)
					}
				}
			}
		}
		add(w)
	}
	return out
}

// known reports whether w is a dictionary word.
func (s *Segmenter) known(w string) bool {
	f, _, ok := s.seg.Find(w)
	return ok && f > 0
}

// functionPOS are the dictionary's parts of speech that never say what a
// question is about: conjunctions (不是, 还是), particles, modal particles,
// interjections and onomatopoeia. The dictionary tags others too loosely
// to go by (本级 is a pronoun, 同步 an adverb, 通过 a preposition).
var functionPOS = toSet(strings.Fields("c u y e o"))

// timePOS are the tags of time words, numerals and positions in time
// (上半年, 今年, 半年, 之前): they place a question in time ("上半年在湖北
// 学的") but are not what it asks about.
var timePOS = toSet(strings.Fields("t m f"))

// role says how little w tells of what a question is about: function
// words only say how it is asked — a conjunction, particle or the like
// ([functionPOS]), or a negated modal (不会, 不能, 没有), a lack asked
// about being matched apart (see [negation]); incidental words are those
// and the words of everyday language so common that a question on this
// domain uses them in passing (需要, 国家). Domain words are neither. One
// dictionary lookup: it runs for every word of every question.
func (s *Segmenter) role(w string) (function, incidental bool) {
	if domainSet[w] {
		return false, false
	}
	if w == "原来" || w == "本来" {
		// Adverbs of time, which the dictionary tags with all adverbs.
		return false, true
	}
	if w == "打算" || w == "计划" || w == "想要" {
		// An intention ("今年打算报考初级") says when the asker acts, not
		// what the question is about; 打算 is rare in the FAQ's phrasings
		// and would otherwise be the key.
		return false, true
	}
	if r, _ := utf8.DecodeRuneInString(w); runeLen(w) == 2 && (r == '不' || r == '没') {
		return true, true
	}
	f, pos, ok := s.seg.Find(w)
	if !ok {
		return false, false
	}
	function = functionPOS[pos]
	return function, function || timePOS[pos] || f > 50000 || f > 20000 && pos == "v"
}

// meaningful rejects pure punctuation and symbols.
func meaningful(w string) bool {
	for _, r := range w {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// Bigrams returns the overlapping pairs of Han characters in text; they let
// retrieval match words the dictionary does not know and survive typos.
func Bigrams(text string) []string {
	text = Normalize(text)
	var out []string
	var prev rune
	for _, r := range text {
		if unicode.Is(unicode.Han, r) {
			if prev != 0 {
				out = append(out, string([]rune{prev, r}))
			}
			prev = r
		} else {
			prev = 0
		}
	}
	return out
}

// runeLen is utf8.RuneCountInString under a shorter name.
func runeLen(s string) int { return utf8.RuneCountInString(s) }
