package knowledge

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// intent is what kind of answer a question asks for. The first sentence of
// an answer must be of that kind: a how-many question wants the number, a
// where-question the place or platform, a whether-question yes or no.
type intent int

const (
	intentOther intent = iota
	intentHowMany
	intentWhen
	intentWhere
	intentWhether
	intentHow
	intentMaterials
	intentConsequence
	intentWho
	// intentTrouble is a report that something does not work (系统一直转圈,
	// 登不上): the answer is a fix or whom to contact, not the procedure.
	intentTrouble
	// intentWhat asks what something is or holds (公需科目学些啥).
	intentWhat
)

var intentNames = [...]string{"other", "how_many", "when", "where", "whether", "how", "materials", "consequence", "who", "trouble", "what"}

func (i intent) String() string { return intentNames[i] }

// intentCues are tried in order: the first that matches decides. The more
// specific asks come first, so "没学会怎样" is a consequence and not a
// whether-question, and "多久内要采集" a when-question and not how many.
var intentCues = []struct {
	intent intent
	re     *regexp.Regexp
}{
	{intentTrouble, regexp.MustCompile(`转圈|卡住|卡在|卡死|打不开|闪退|报错|白屏|加载不|登不上|登录不上|登陆不上|进不去|没反应|传不上|上传失败|提交失败|一直提示|收不到验证码|验证码收不到`)},
	{intentConsequence, regexp.MustCompile(`后果|会怎样|会怎么样|会怎么办|有什么影响|影响[评考报]|会不会被|会被|处罚|罚款|罚钱|追责|(不学|没学|没学完|没学够|没做|不做)(的话|会(怎样|怎么样|怎么办|被|影响|有)|会$)`)},
	{intentMaterials, regexp.MustCompile(`材料|资料|准备(什么|哪些|啥)|带(什么|哪些|啥)|提供(什么|哪些|啥)|上传(什么|哪些|啥)|要交(什么|哪些|啥)|证明用`)},
	{intentWhen, regexp.MustCompile(`什么时候|啥时候|何时|哪天|哪一天|几月|几号|截止|截至|最晚|最迟|哪年|哪一年|多久之?内|多长时间内|几个月内|几天内|学习期|开始时间|结束时间|从何时|期限`)},
	// "网址是多少" asks where, not how many.
	{intentWhere, regexp.MustCompile(`(网址|网站|链接)(是|在)?(多少|哪|什么|啥)?`)},
	{intentHowMany, regexp.MustCompile(`多少|几分|几个|几天|(^|[^好])几年|几学时|几学分|多久|多长时间|多长|几科|比例|占比|几成|折几|算几|多大|尺寸|像素|几块|收费|费用|价格`)},
	// "去哪儿操作" asks where, though 操作 ends it: the where-cue ends as
	// late, and ties go to it.
	{intentWhere, regexp.MustCompile(`(去|在|到|从)哪(儿|里)?(操作|办理?|弄|搞|申请|注册|登录|登陆|提交|上传|修改|改|查询|查)|哪里|哪儿|在哪|去哪|哪个网站|哪个平台|哪个系统|什么网站|什么平台|啥网站|啥平台|网址|入口|链接|哪个地方|哪个地区|选哪|哪个区划|什么区划|登录哪|登陆哪|叫什么|叫啥|什么名`)},
	{intentWho, regexp.MustCompile(`谁|哪些人|什么人|哪类人|哪些岗位|算不算会计|属不属于|是不是会计人员|归谁|哪个部门`)},
	{intentWhat, regexp.MustCompile(`什么意思|是什么|是啥|学些(啥|什么)|学(啥|什么)|包括(哪些|什么|啥)|有哪些内容|哪些内容|啥内容|什么内容|指什么|指的是`)},
	// "学分结构是怎么样的" asks what, not how to: it is no how-question.
	{intentOther, regexp.MustCompile(`是(怎么样|怎样|咋样)的?[?？。!！]?$|是什么样|是啥样|(按|是|选|填)(什么|啥)`)},
	{intentHow, regexp.MustCompile(`怎么|如何|咋|流程|步骤|怎样|办理|操作|方法|手续|几步|哪些步`)},
	{intentWhether, regexp.MustCompile(`是否|能不能|可不可以|可以不|要不要|需不需要|需要不|用不用|用不着|会不会|算不算|认不认|有没有|是不是|还用|还要|还得|还需|必须|行不行|成不成|能否|可否|有效不|合格不|不用|不要|\bok\b`)},
}

// weakWhether is a bare question particle: "在哪里学吗" asks where.
var weakWhether = regexp.MustCompile(`吗|么[?？!！。]|么$|不[?？]?$`)

// detectIntent reads what kind of answer the question asks for. A Chinese
// question puts what it asks late ("有中级证书，转行好几年了，还要不要
// 做"), so of the cues that match, the one that ends last decides; ties go
// to the earlier, more specific cue. A bare 吗 decides only alone.
func detectIntent(q string) intent {
	best, end := intentOther, -1
	if intentCues[0].re.MatchString(q) {
		// A report that something does not work is one, however it ends
		// ("系统一直转圈怎么办").
		return intentTrouble
	}
	for _, c := range intentCues {
		locs := c.re.FindAllStringIndex(q, -1)
		if len(locs) == 0 {
			continue
		}
		if e := locs[len(locs)-1][1]; e > end {
			best, end = c.intent, e
		}
	}
	if end < 0 && weakWhether.MatchString(q) {
		return intentWhether
	}
	return best
}

// Slot fillers: what a sentence must hold to answer an intent.
var (
	numberRe  = regexp.MustCompile(`[0-9０-９]|[一二两三四五六七八九十百]+(个|分|学分|学时|天|年|月|科|元|类|项|工作日)|三分之二|一半|不限`)
	dateRe    = regexp.MustCompile(`[0-9]{4}年[0-9]{1,2}月|[0-9]{1,2}月[0-9]{1,2}日|[0-9]{4}-[0-9]{2}|[0-9]{4}年(起|开始|以后|之后|之前|前)|[0-9一二三四五六七八九十]{1,2}个?(月|工作日|天|日)(内|以内|之内|后)|次年|每年|当地.{0,8}通知|之日|时限|期限|及时|截止|截至|学习期`)
	placeRe   = regexp.MustCompile(`平台|网站|网|系统|\.cn|\.com|所在地|户籍地|居住地|工作地|学籍|本级|区划|财政|渠道|网校|人社|机构`)
	yesNoRe   = regexp.MustCompile(`不|无需|无须|需要|应当|应|须|可以|可|能|是|属于|有效|视同|才|只|仍|必须|都|会|自动|由|列入|范围|包括`)
	stepRe    = regexp.MustCompile(`先|再|然后|→|步骤|流程|提交|注册|登录|申请|上传|办理|填写|通过|审核|联系|咨询`)
	thingRe   = regexp.MustCompile(`证|照|材料|证明|图片|复印|扫描|正反|合同|学历|学位`)
	resultRe  = regexp.MustCompile(`须|必须|先|责令|限期改正|信用|档案|影响|依据|不得|处罚|清理|注销|清除|删除|无法|不能|不予|罚|作废|失效`)
	troubleRe = regexp.MustCompile(`客服|找回|浏览器|电脑|Windows|格式|jpg|不小于|不低于|改绑|申诉`)
	whatRe    = regexp.MustCompile(`包括|是指|指的是|即|也就是|主要有|等[。；]`)
	whoRe     = regexp.MustCompile(`人员|岗位|单位|部门|财政局|财政厅|机构|人社|属于`)
)

// slots are what a sentence must hold to answer each intent.
var slots = map[intent]*regexp.Regexp{
	intentHowMany: numberRe, intentWhen: dateRe, intentWhere: placeRe, intentWhether: yesNoRe,
	intentMaterials: thingRe, intentConsequence: resultRe, intentWho: whoRe, intentTrouble: troubleRe,
	intentWhat: whatRe,
}

// fills reports whether a sentence holds what the intent asks for. It is
// deliberately loose: it only tells an answering sentence from one about
// something else, not a right answer from a wrong one.
func (i intent) fills(s string) bool {
	if i == intentHow {
		// "学分咋算" is answered by the rule with its number.
		return stepRe.MatchString(s) || numberRe.MatchString(s)
	}
	if re, ok := slots[i]; ok {
		return re.MatchString(s)
	}
	return true
}

// fillsPlainly is [intent.fills] for a text without its deferrals: "以当地
// 通知为准" answers a when-question only when nothing says the date.
func (i intent) fillsPlainly(text string) bool {
	for _, s := range splitSentences(text) {
		// Clause by clause: "平台是“浙江会计之家”…；当年的入口以最新通知为准"
		// names the platform before it defers.
		for _, c := range strings.Split(s, "；") {
			if !deferral(c) && i.fills(c) {
				return true
			}
		}
	}
	return false
}

// noiseWords say nothing about what is asked: greetings, politeness,
// hesitation, the words that carry the intent (which [detectIntent] has
// read) and chat fillers. They must not count against an answer's
// coverage of the question: "老师好，请问" before a clear question is not
// doubt.
var noiseWords = toSet(strings.Fields(`
电话 老师 老师好 您好 你好 请问 麻烦 麻烦问 打扰 打扰一下 亲 在吗 谢谢 感谢 哈哈 哈哈哈 呵呵 嘿嘿 求助 求问 急 急急 在线等
到底 究竟 大概 大致 一般 通常 这边 那边 这里 那里 咱们 我们 他们 本人 自己 朋友 同事 领导 老板 公司 我司 单位里
啥时候 什么时候 何时 哪天 几月 几号 哪里 哪儿 在哪 去哪 哪个 哪些 多少 几个 多久 多长 怎么办 怎么弄 咋弄 咋办 咋整 怎么搞
能不能 可不可以 要不要 需不需要 用不用 会不会 算不算 是不是 有没有 行不行 还用 还要 还得 还需 必须 可以 能否 应该
一下 之前 以后 现在 今年 去年 明年 前年 刚 刚刚 刚才 已经 一直 马上 突然 其实 真的 好像 听说 据说 说是 网上 有人
第一次 一次 情况 问题 东西 事情 事儿 这种 那种 这样 那样 知道 了解 清楚 明白 确定 不懂 不太懂 不清楚 第一次 完全 弄 搞 办 做
您 非常 详细 详细点 具体点 说说 说一下 讲讲 讲一下 告诉 告诉我 帮忙 帮帮 帮我 介绍 介绍一下 懂 第一 谢啦 多谢 万分
`))

// phoneOrNumber matches phone numbers, ID-like digit runs and bare numbers.
var phoneOrNumber = regexp.MustCompile(`^[0-9０-９.\-+]+$`)

// contentTokens are the tokens of a question that say what it is about:
// without place names (which [scope] handles), noise words, numbers, phone
// numbers, Latin words (stray letters, "ok", a name typed in pinyin) and
// single characters, which say little alone.
func (ix *Index) contentTokens(q string) []string {
	var out []string
	for _, t := range ix.seg.Tokens(ix.corpus.Places.strip(Normalize(q))) {
		// "几条", "几家", "多少钱": what is asked, which the intent has read.
		asks := strings.HasPrefix(t, "几") || strings.HasPrefix(t, "多少")
		if asks || noiseWords[t] || phoneOrNumber.MatchString(t) || !hasHan(t) || runeLen(t) < 2 {
			continue
		}
		out = append(out, t)
	}
	return out
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// subjectCues recognise subjects people describe rather than name, and the
// words of the rule that answers them: "只过了经济法一科，继教还要学吗" is
// about the exam conversion, though it names neither 折算 nor 90学分. The
// terms are added to what is searched, never shown.
var subjectCues = []struct {
	re    *regexp.Regexp
	terms string
	// with must match too, and unless must not: courses passed while
	// studying for a degree are not exam subjects.
	with, unless *regexp.Regexp
}{
	// Courses passed in a degree programme convert to credits.
	{regexp.MustCompile(`(过|通过|考过|考下|考完|过了|合格)了?.{0,8}(一门|两门|三门|几门|门课|课程|科目|一科|两科)`), "学历（学位）教育 一门课程 考试或考核 折算 90学分", degreeStudy, nil},
	// Passing an exam subject converts to credits.
	{regexp.MustCompile(`(过|通过|考过|考下|考完|过了)了?.{0,8}(一科|两科|三科|一门|两门|三门|单科|几科|科目)|(一科|两科|单科|一门|两门).{0,4}(过|通过|合格)`), "通过 考试 每通过一科 折算 学分", nil, degreeStudy},
	// What happens when continuing education is not done.
	{regexp.MustCompile(`(继续教育|继教|学分).{0,12}(后果|会怎样|会怎么样|处罚|罚|影响|吊销)|(没学|不学|没修|没做|没完成|学不够|没学够|不够).{0,8}(后果|会怎样|会怎么样|会被|处罚|罚|影响|吊销)`), "限期改正 信用信息档案 后果 评审 依据", nil, nil},
	// A changed name, degree, title or employer is an information change —
	// unless continuing education is asked about ("跳槽来重庆了，重庆的网
	// 课多少钱一年").
	{regexp.MustCompile(`(改|换|更).{0,5}(名|姓)|(名字|姓名|姓).{0,3}(改|变|换)|学历.{0,6}(提升|升|变|更新)|(拿到|取得|考下|考了|评上|评下来|晋升|升了).{0,6}(学位|学历|毕业证|中级|高级|正高|会计师)|(职称|学历|学位|单位|信息).{0,4}(怎么改|要改|改一下|修改|更改|咋改)|换了?(一?[家个份])?新?(单位|工作|公司)|跳槽|另一?[家个](单位|公司)|(新|另一?[家个])(单位|公司).{0,6}(改|变|更新|信息)|职称.{0,4}(升|变|更新)|还显示`), "信息变更 及时更新 全国会计人员统一服务管理平台", nil, cpeWords},
	// Whether credits still count after a move: they are valid nationwide
	// for the year. Read before the information change above, which a job
	// change also is.
	{creditsMove, "学分 全国范围内有效 当年度有效 调转", nil, nil},
	// Without work for now: collected where one lives, and still a
	// continuing-education subject with a title.
	{regexp.MustCompile(`(辞职|离职|失业|待业|在家|没上班|没工作|没有工作|不上班).{0,16}(采集|属地|继续教育|继教|学分|选哪)`), "暂时没有工作 户籍地 居住地", nil, nil},
	// An employer standing in the way of continuing education: 老板 and
	// 公司 are words of the story elsewhere, the subject here.
	{regexp.MustCompile(`(老板|公司|单位|领导|企业)[^。？?]{0,12}(不让|不给|不允许|不批|不报销|不支持)[^。？?]{0,12}(学|继续教育|继教|培训|时间)`), "用人单位 保障 参加继续教育 权利 单位不让", nil, nil},
	// A cashier asking about her duties: 出纳 is one of the accounting
	// posts, whatever else the story says.
	{regexp.MustCompile(`出纳.{0,30}(要|需要|用|得|算|属于).{0,12}(吗|不|么|没)`), "出纳 属于 会计人员", nil, nil},
	// Files kept outside the accounting department.
	{regexp.MustCompile(`(档案室|行政部|办公室|综合部|人事部|不在财务|不在会计).{0,16}(档案|凭证)|(档案|凭证).{0,16}(档案室|行政部|办公室|综合部|人事部|不在财务|不在会计)`), "会计机构内 会计档案管理 会计人员", nil, nil},
}

// degreeStudy names studying for a degree, not the degree one has
// ("大专学历，中级过了一科" passed an exam subject).
var degreeStudy = regexp.MustCompile(`在读|在职读|正在读|读研|读在职|在职研究生|自考|函授|成人高考|成考|学历教育|学位教育|专业硕士|读.{0,4}(研究生|硕士|博士|本科|专科|大专)`)

// creditsMove asks whether credits still count after a move or a job
// change: the national rule (valid nationwide for the year) decides, not
// either place's own rules.
var creditsMove = regexp.MustCompile(`(学分|继续教育|继教|学时).{0,12}(还认|认不认|承认|有效|作数|算数|还算|算不算|通用|带过去|转过去|清零|作废)|(跳槽|换工作|换单位|调走|调过去|调到|调去|换城市|换省).{0,12}(学分|继续教育|继教)|(跳槽|换工作|换单位|调走|调到|调去|换城市|换省|去了?[^，,。]{0,6}(工作|上班)).{0,16}(再学|重新学|重学|重修|再修|补学)|(学分|学够|修的|学的|修够|继教|继续教育|\d+分)[^？?]{0,30}(调|到|去|换|跳槽)[^？?]{0,20}(认吗|还认|认不认|承认|有效吗|还有效|作数|算数|还算|算不算|算吗|通用)`)

// subjectTerms are the search terms the subjects of q add.
func subjectTerms(q string) string {
	var out []string
	for _, c := range subjectCues {
		if c.re.MatchString(q) && (c.with == nil || c.with.MatchString(q)) && (c.unless == nil || !c.unless.MatchString(q)) {
			out = append(out, c.terms)
		}
	}
	return strings.Join(out, " ")
}

// withoutNoise drops greetings, fillers, numbers and Latin words from
// tokens: "老师您好，请问" or a phone number before a known question must
// not make it look like another.
func withoutNoise(tokens []string) []string {
	out := make([]string, 0, len(tokens))
	for _, t := range tokens {
		if noiseWords[t] || phoneOrNumber.MatchString(t) || !hasHan(t) {
			continue
		}
		out = append(out, t)
	}
	return out
}

// deadlineWords ask for a period or a deadline, startWords for the year one
// starts, which has a national rule (次年).
var (
	deadlineWords = regexp.MustCompile(`截止|截至|最晚|最迟|几月|学习期|到什么时候|到啥时候|到哪天|学到|开放`)
	startWords    = regexp.MustCompile(`开始(要|做|参加)|从哪年|哪一年开始|起算`)
)

// cpeWords name continuing education.
var cpeWords = regexp.MustCompile(`继续教育|继教|学分|学时|网课|学习`)

// placelessTerms are what a question from an asker of no known place also
// needs searched: "继续教育截止到什么时候" has no national date, and the
// national sentence saying who sets it must compete with one city's date.
func placelessTerms(in intent, q string) string {
	if in == intentWhen && cpeWords.MatchString(q) && deadlineWords.MatchString(q) && !startWords.MatchString(q) {
		return "学习时间 每年都会调整 当地财政部门 当年通知"
	}
	return ""
}

// clauseBreak separates the clauses of a message.
var clauseBreak = regexp.MustCompile(`[？?。！!，,；;\s]+`)

// asks counts the clauses of q that ask something.
func asks(q string) int {
	n := 0
	for _, c := range clauseBreak.Split(q, -1) {
		if detectIntent(c) != intentOther {
			n++
		}
	}
	return n
}

// askedClause is the clause of a question of several that asks ("我下个月
// 就退休了，退休以后还得每年学继续教育吗" asks the last), or "" when there
// is one clause or none asks.
func askedClause(q string) string {
	cs := slices.DeleteFunc(clauseBreak.Split(strings.TrimSpace(q), -1), func(c string) bool { return c == "" })
	if len(cs) < 2 {
		return ""
	}
	for i := len(cs) - 1; i >= 0; i-- {
		if detectIntent(cs[i]) != intentOther || strings.ContainsAny(cs[i], "吗呢") {
			return cs[i]
		}
	}
	return ""
}

// sentenceEnd ends a sentence; a comma only ends a clause.
var sentenceEnd = regexp.MustCompile(`[。！？!?；;]+`)

// askingTurn turns from the story to the question as a full stop does:
// "听说原来省里的入口不能用了，那现在采集在哪个网站办".
// 那边, 那个 and their kind point at a place or thing and are no turn.
var askingTurn = regexp.MustCompile(`[，,](\s*(?:那么|请问|想问一下|想问下|想问|我想问|我想知道|那[^边个些里时样儿]))`)

// askedSentence is the last sentence of q when a story told in sentences
// of its own comes before it ("证件照上传后被退回了，说不合格。全国平台对照片
// 到底有什么要求？"), or "". Within one sentence the story's words often
// are what is asked about ("我有中级职称，转行做销售了，还要继续教育吗"), so
// only a full stop sets the story apart.
func askedSentence(q string) string {
	ss := slices.DeleteFunc(sentenceEnd.Split(askingTurn.ReplaceAllString(strings.TrimSpace(q), "。$1"), -1), func(s string) bool { return strings.TrimSpace(s) == "" })
	if len(ss) < 2 {
		return ""
	}
	last := ss[len(ss)-1]
	asks := detectIntent(last) != intentOther || strings.ContainsAny(last, "吗呢") || strings.ContainsAny(lastRune(strings.TrimSpace(q)), "？?")
	if !asks {
		return ""
	}
	return last
}

// lastRune is the last character of s, or "".
func lastRune(s string) string {
	r, _ := utf8.DecodeLastRuneInString(s)
	if r == utf8.RuneError {
		return ""
	}
	return string(r)
}
