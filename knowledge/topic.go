package knowledge

import (
	"regexp"
	"strings"
)

// strongTerms only occur in questions about accountant registration and
// continuing education.
var strongTerms = []string{
	"继续教育", "继教", "学分", "学时", "采集", "职称", "专业技术资格", "初级", "中级", "高级会计",
	"正高", "助理会计师", "会计师", "调转", "调入", "调出", "出纳", "财政局", "财政厅", "财政部",
	"网校", "公需", "专业课", "专业科目", "信息变更", "会计证", "从业资格", "证件照", "注协",
	"统一服务管理", "ausm", "补学", "结转", "劳务派遣", "稽核", "会计人员", "会计工作", "会计档案",
	"会计监督", "总会计师", "会计之家", "会计之星", "会计网", "i厦门", "管理办法", "继续教育规定",
	"会计法", "会计信息", "会计管理", "高端会计", "做会计", "当会计", "会计岗", "行政区划",
	"调去", "调进", "调到外", "初会", "中会",
}

// weakTerms appear in such questions but also in many others.
var weakTerms = []string{
	"会计", "财会", "财务", "平台", "网站", "网址", "系统", "审核", "考试", "报名", "证书", "学历",
	"学位", "照片", "像素", "密码", "登录", "登陆", "账号", "户籍", "学籍", "居住证", "退休", "在校",
	"单位", "岗位", "上传", "材料", "身份证", "资格", "入职", "离职", "换工作", "跳槽", "学习", "培训", "网课",
	"变更", "更新", "修改", "账户", "注销", "清理", "年度", "补办", "证明", "没学完", "学完",
	"劳动合同", "扫描", "市本级", "区本级", "省直", "市直", "区里", "通行证", "护照",
	"注册", "姓名", "名字", "实名", "信息", "换公司", "换单位", "换了家", "换了个单位", "新单位", "新公司",
}

// offTopic marks subjects kuaiji does not cover even when accounting words
// appear: investment, tax computation, bookkeeping practice, small talk.
var offTopic = []string{
	"股票", "炒股", "基金", "理财", "彩票", "比特币", "币圈", "期货", "房价", "天气", "电影", "笑话",
	"菜谱", "游戏", "星座", "旅游", "减肥", "税率", "个税", "增值税", "报税", "汇算", "分录",
	"记账凭证", "做账", "发票", "工资条", "社保基数", "贷款", "保险", "彩礼", "恋爱",
	"双色球", "大乐透", "灵活就业", "外卖", "医保", "公积金", "python", "代码", "excel", "翻译",
	"注会", "注册会计师考试", "cpa考试", "税务师", "审计报告", "用友", "金蝶", "反结账", "凭证", "财务软件",
	"火锅", "高考", "落户", "房租", "公务员考试", "省考", "国考",
}

// nearDomain lists subjects next to kuaiji's that people bring to it: the
// CPA exam, tax, bookkeeping, exam preparation, company registration. Their
// words often come with strong terms (中级考试怎么备考, 做账的分录), so they are
// read first; a question that also names one of the procedures kuaiji
// handles (考过注会一科能抵学分吗, 报考前要先采集吗) stays in scope.
var nearDomain = []struct {
	subject string
	words   []string
	// careers are declined even beside the words of a certificate
	// ("初级会计证考下来工资多少"): only a procedure keeps them in scope.
	careers bool
	// always are declined even beside a procedure: the answers to a
	// course's test are not a rule kuaiji can cite.
	always bool
	// re catches what a word list cannot ("初级几月份报名").
	re *regexp.Regexp
	// notWith are words that keep the question in scope even when it is
	// always declined otherwise: a nurse's credits are another
	// profession's, a nurse turned accountant asks about her own.
	notWith []string
}{
	{subject: "其他职业（医护、教师、律师等）的继续教育", re: otherProfessionCPE, always: true, notWith: []string{"会计", "财务", "出纳", "财会"}},
	// The CPA's own continuing education is the institute's; converting
	// its hours into an accountant's credits is kuaiji's.
	{subject: "注册会计师（注会、CPA）等其他资格的继续教育", re: regexp.MustCompile(`(注会|注册会计师|cpa|注协|执业会员|非执业会员)[^。？?]{0,8}(继续教育|继教|后续教育)[^。？?]{0,12}(多少|几个|几|要求|怎么|哪里|在哪)`), always: true, notWith: []string{"折算", "抵", "算会计", "会计继续教育", "会计人员"}},
	{subject: "继续教育课程的练习题、考试答案等学习内容", words: []string{"练习题", "出几道", "出道题", "出题", "考题", "题目答案", "考试答案", "答案是什么", "答案是啥", "代学", "代刷", "代考", "刷课软件", "挂机", "秒刷"}, always: true},
	{"注册会计师（注会、CPA）等其他资格考试", []string{"注会", "注册会计师", "cpa", "acca", "cma", "税务师", "审计师", "经济师", "统计师", "精算师"}, false, false, nil, nil},
	{"考试备考和考试安排", []string{"备考", "复习", "刷题", "真题", "题库", "押题", "教材", "考点", "通过率", "及格线", "及格分", "合格线", "分数线", "查分", "准考证", "考场", "报名费", "报考条件", "报名条件", "报名时间", "考试时间", "几号考", "考几科", "哪几科", "考哪些科", "怎么考过", "好考吗", "难不难", "网课推荐", "哪个老师", "技巧", "难背", "怎么背", "背不下来", "记不住", "经济法", "零基础", "自学能过", "多久能考", "能考下来"}, false, false, regexp.MustCompile(`(初级|中级|高级|职称|资格)(会计)?(考试)?.{0,4}(几月|什么时候|啥时候|哪天)(份)?(报名|考试|考|出成绩|出分)|(初级|中级|高级|职称|资格)(会计)?(考试|职称)?.{0,6}(报名|考试|开考)(是|在|从)?(几号|几月|哪天|什么时候|啥时候|时间|日期)|(考试|考)成绩.{0,6}(出来|公布|查询|多久)|考(初级|中级|高级).{0,6}(什么|啥|哪些)(学历|条件|要求)|(报考|报名)(初级|中级|高级).{0,8}(学历|条件|年限)|(考|考试)(多少|几)分.{0,3}(及格|合格)`), nil},
	{"纳税申报、税务登记等税务问题", []string{"报税", "纳税", "税务登记", "税控", "开票", "税率", "个税", "汇算", "增值税", "所得税", "退税", "电子税务局", "税务局", "印花税", "税负", "抵扣进项", "进项", "销项", "发票"}, false, false, nil, nil},
	{"记账、做账等会计实务", []string{"分录", "记账凭证", "做账怎么", "怎么做账", "怎么记账", "账务处理", "结账", "反结账", "折旧", "计提", "摊销", "报表怎么", "怎么编报表", "科目余额", "借贷", "对账", "凭证怎么", "用友", "金蝶", "财务软件", "记账软件", "会计软件", "做账软件", "报账软件", "excel", "vlookup", "每天要做", "日常工作", "工作内容", "岗位职责", "工作流程"}, false, false, nil, nil},
	{"公司注册、工商登记等事项", []string{"注册公司", "注册个", "注册资本", "营业执照", "工商", "公司注销", "注销公司", "个体户", "代理记账"}, false, false, companySetup, []string{"账号", "账户", "平台"}},
	{"社保、公积金、落户等事项", []string{"社保断", "断缴", "断了社保", "社保缴费", "社保基数", "公积金", "落户", "买房", "房贷", "医保"}, false, false, nil, nil},
	{"求职、薪酬等职业发展问题", []string{"工资一般", "工资多少", "薪资", "薪水", "月薪", "年薪", "一个月能拿", "能拿多少钱", "月收入", "收入多少", "待遇", "好找工作", "找工作", "就业前景", "跳槽建议"}, true, false, regexp.MustCompile(`(多少|几千|几万|一般|大概|平均|能拿)[^，。？?]{0,4}(工资|收入)|工资(一般|大概|多少|高不高|怎么样|水平)|(推荐|介绍)(个|一个|一份|份|些|点)?(好)?(工作|岗位|职位|单位)|(岗位|职位)(在)?招聘|招聘(信息|网站|平台|渠道)|(哪里|哪儿|哪些单位|哪家)(在)?(招|招聘)|内推`), nil},
	{"其他考试和证书（考研、教师资格、驾照等）", []string{"考研", "研究生考试", "教师资格", "普通话", "四六级", "英语四级", "英语六级", "计算机等级", "驾照", "驾驶证", "驾考", "建造师", "造价师", "消防证", "护士证", "医师资格", "法考", "司法考试", "电工证", "会计学硕士"}, false, false, nil, nil},
	{"证件办理等个人事务", []string{"身份证丢", "补办身份证", "身份证补办", "身份证过期", "换身份证", "办护照", "护照办理", "签证", "户口迁", "迁户口", "孩子上学", "小孩上学", "幼儿园", "结婚证", "出生证"}, false, false, nil, nil},
	{"写作和其他事务", []string{"年终总结", "工作总结", "述职", "简历", "面试", "写一篇", "写篇", "帮我写", "写个", "写一份", "翻译"}, false, false, nil, nil},
}

// inScopeAnchors are the procedures kuaiji answers about; a near-domain
// word next to one of them is part of a question kuaiji can answer.
var inScopeAnchors = []string{
	"继续教育", "继教", "学分", "学时", "采集", "调转", "调入", "调出", "信息变更", "折算", "抵", "全国平台",
	"统一服务管理平台", "ausm", "会计人员信息", "会计信息", "会计证", "从业资格", "会计人员", "会计岗位", "会计档案",
}

// nearDomainSubject names the neighbouring subject a question is about, or
// "" when it is not about one.
func nearDomainSubject(q string) string {
	anchored, procedure := containsAny(q, inScopeAnchors), containsAny(q, procedures)
	for _, d := range nearDomain {
		if !d.always && (procedure || anchored && !d.careers) || containsAny(q, d.notWith) {
			continue
		}
		if containsAny(q, d.words) || d.re != nil && d.re.MatchString(q) {
			return d.subject
		}
	}
	return ""
}

// companySetup asks how to set up or close a business ("想注册一个小公司",
// "开一家工作室要什么手续"): the verb and the business with at most a
// measure word and an adjective between them, so that "在公司注册账号",
// "换了新公司" and "离开公司以后" stay the asker's own; a unit's account on
// the platform ("宁夏单位怎么注册企业账号") is kept in scope by its notWith.
var companySetup = regexp.MustCompile(`(^|[^离打展公分])(注册|开|开办|成立|设立|注销|关掉)(一|1)?(个|家|间)?(小|新的|新|自己的)?(公司|企业|个体户|工作室|门店|店铺|网店)`)

// otherProfessionCPE asks about the continuing education of another
// profession, which has its own rules and authorities.
var otherProfessionCPE = regexp.MustCompile(`(护士|护理|医生|医师|医护|药师|教师|老师资格|律师|工程师|建造师|执业医)[^。？?]{0,16}(继续教育|继教|学分|学时)|(继续教育|继教|学分|学时)[^。？?]{0,8}(护士|医生|医师|药师|教师|律师)`)

// procedures are the things kuaiji helps to do.
var procedures = []string{"继续教育", "继教", "学分", "学时", "采集", "调转", "调入", "调出", "信息变更"}

var greeting = regexp.MustCompile(`^(你好|您好|嗨|hi|hello|hey|在吗|在不在|有人吗|你是谁|您是谁|你是哪位|您是哪位|你是机器人吗|你叫什么|你能做什么|你会什么|能干嘛|help|帮助)[啊呀呢吗!！。.？?~～ ]*$`)

// thanks matches acknowledgements, a bare yes or no and thanks, alone or
// strung together ("好的谢谢", "嗯嗯收到", "否"): the end of a topic, not a
// question, and never the start of a follow-up.
var thanks = regexp.MustCompile(`^((谢谢你|谢谢您|谢谢|多谢|感谢|辛苦了|好的|好滴|好嘞|好|嗯嗯|嗯|哦哦|哦|ok|okay|收到|明白了|明白|知道了|了解了|了解|懂了|行|没问题|再见|拜拜|是的|是|对的|对|否|不是|不对|不用了|算了|没有了|没了|谢啦|谢了|thx|thanks|thank you|ty|3q)[啊呀呢吧啦了!！。.,，~～ ]*)+$`)

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// topicClass is what a question looks like before any search.
type topicClass int

const (
	onTopic   topicClass = iota
	greetings            // hello, who are you
	offTopicQ            // a subject kuaiji does not cover
	// unknownTopic has no word of the domain and none of another subject:
	// "几年不更新会被清掉" in a chat with kuaiji is most likely about the
	// registration, so it is searched, and declined only when nothing in
	// the corpus answers it confidently.
	unknownTopic
)

// classify sorts a normalised question by its words.
func classify(q string) topicClass {
	switch {
	case greeting.MatchString(q):
		return greetings
	case containsAny(q, strongTerms):
		return onTopic
	case containsAny(q, offTopic):
		return offTopicQ
	case containsAny(q, weakTerms):
		return onTopic
	}
	return unknownTopic
}
