package knowledge

import (
	"context"
	"strings"
	"testing"
)

// TestNearDomainQuestionsAreDeclined holds questions about subjects next to
// kuaiji's, written from general knowledge of what accountants ask a help
// desk: they must be declined with what kuaiji can do, and never handed to
// a generator (no passages).
func TestNearDomainQuestionsAreDeclined(t *testing.T) {
	ix := builtin(t)
	for _, q := range []string{
		// The CPA exam and other qualifications.
		"注册会计师考试几月份报名",
		"CPA专业阶段成绩能保留几年",
		"ACCA和CMA哪个含金量高",
		"税务师考试科目有哪些",
		// Exam preparation and exam arrangements.
		"初级会计实务怎么复习效率高",
		"中级财管有没有好用的题库推荐",
		"初级会计考试的合格线是多少分",
		"高级会计师考试难不难",
		"中级会计准考证什么时候打印",
		"初级会计考试一般几月份报名",
		"中级考试成绩多久能出来",
		"考中级要什么学历条件",
		"明年中级职称考试报名是哪天",
		// A course's exercises and test answers, even beside the procedure.
		"帮我出几道继续教育的练习题",
		"继续教育课后考试的答案是什么",
		// Tax filing and registration.
		"小规模纳税人季度申报增值税怎么填",
		"公司刚成立要去税务局办税务登记吗",
		"电子税务局怎么开红字发票",
		"个税年度汇算什么时候开始",
		"企业所得税季度预缴怎么算",
		// Bookkeeping practice.
		"收到货款的会计分录怎么做",
		"月底结账前要检查哪些科目",
		"金蝶软件怎么反结账",
		"无形资产摊销计入什么科目",
		"出纳每天的日常工作有哪些",
		// Company registration.
		"注册公司需要多少注册资本",
		"个体户营业执照怎么办理",
		"想注册一个小公司，要准备什么材料，大概花多少钱",
		"开一家工作室要办什么手续",
		"公司不做了，注销公司要多久",
		// Careers, writing.
		"初级会计师工资一般多少",
		"拿到会计证以后工资一般多少",
		"有没有出纳岗位招聘，给我推荐一个",
		"换工作中间断缴了两个月社保，有什么影响",
		"中级考试考多少分算及格",
		"初级会计考试多少分及格，每年几月考",
		"刚考了初级，能帮我推荐个工作吗",
		"帮我写一份财务工作总结",
		// Other exams and certificates, personal papers: they share words
		// with the domain (报名, 注册, 身份证, 材料) and nothing else.
		"考研报名什么时候截止",
		"教师资格证怎么注册",
		"普通话考试在哪报名",
		"驾驶证到期了怎么换",
		"身份证丢了在哪补办",
		"孩子上学要准备什么材料",
		// Everyday prices: a fee is asked of the FAQ, and the FAQ's entry on
		// continuing education's fee is not theirs.
		"楼下停车费多少钱",
		"食堂饭费多少钱",
	} {
		r, err := ix.Retrieve(context.Background(), Question{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		if !r.Answer.Declined || len(r.Passages) != 0 || len(r.Answer.Sources) != 0 {
			t.Errorf("%q: answered (%d passages): %s", q, len(r.Passages), r.Answer.Text)
			continue
		}
		if !strings.Contains(r.Answer.Text, "信息采集") || !strings.Contains(r.Answer.Text, "继续教育") {
			t.Errorf("%q: decline does not say what kuaiji can do: %s", q, r.Answer.Text)
		}
	}
	// From an asker with a place, whose guideline answers every question
	// on the domain: exam tips and pay are still not its questions.
	for _, q := range []Question{
		{Text: "初级经济法基础有什么记忆技巧", Jurisdiction: "江苏"},
		{Text: "会计月薪一般多少", Jurisdiction: "四川"},
		{Text: "零基础自学中级能过吗", Jurisdiction: "浙江"},
		{Text: "在深圳做会计一个月能拿多少钱", Jurisdiction: "广东"},
		{Text: "成都做总账会计一般多少工资", Jurisdiction: "四川"},
		// Another profession's continuing education has its own rules.
		{Text: "我老婆是护士，她们的继续教育学分一年要多少"},
		{Text: "中小学教师继续教育学时怎么查", Jurisdiction: "山东"},
		{Text: "律师每年的继续教育要多少学时"},
		{Text: "注册会计师的继续教育每年要多少学时？我是注协非执业会员", Jurisdiction: "北京"},
		{Text: "推荐一款好用的记账软件，小公司用"},
	} {
		r, err := ix.Retrieve(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if !r.Answer.Declined || len(r.Passages) != 0 {
			t.Errorf("%+v: answered: %s", q, r.Answer.Text)
		}
	}
}

// TestNearDomainWordsInScopeQuestions: the same words next to a procedure
// kuaiji handles are a question it answers.
func TestNearDomainWordsInScopeQuestions(t *testing.T) {
	answersWith(t, []struct{ q, want string }{
		{"报名中级考试前要先做信息采集吗", "信息采集"},
		{"通过了一科中级考试，继续教育学分怎么算", "90学分"},
		{"我在公司做账，算会计人员吗，要采集吗", "会计"},
		{"北京注协会员的学时能折算会计继续教育学分吗", "1学分"},
		// A former nurse now keeping the books asks about her own duty.
		{"我以前是护士，现在转行做会计了，继续教育一年要多少学分", "90学分"},
	})
}

// TestNeighbouringWordsOfOwnMatters: words of a neighbouring subject inside
// a question on the asker's own records (离开公司, a unit's account, a
// course's test) are no neighbouring subject.
func TestNeighbouringWordsOfOwnMatters(t *testing.T) {
	for _, q := range []string{
		"离开公司以后照片要重新传吗",
		"我离开公司了，要去平台办变更吗",
		"宁夏单位怎么注册企业账号",
		"工作证明可以用缴社保的记录吗",
		"网课考试不及格怎么办",
	} {
		if s := nearDomainSubject(q); s != "" {
			t.Errorf("%q read as %s", q, s)
		}
	}
	if a := ask(t, Question{Text: "需要不需要做信息采集"}); strings.HasPrefix(a.Text, "多数地区不能") || !strings.Contains(a.Text, "从事会计工作") {
		t.Errorf("需要不需要 read as a lack: %s", a.Text)
	}
}

// TestBothQuestionsOfOneMessage: a message asking what happens and whether
// a title is lost gets both answers, though passages answer the first.
func TestBothQuestionsOfOneMessage(t *testing.T) {
	a := ask(t, Question{Text: "今年的继续教育学分没有学够，会有什么后果？会不会吊销职称？"})
	if !strings.Contains(a.Text, "限期改正") || !strings.Contains(a.Text, "吊销职称") {
		t.Errorf("want the consequence and the word on titles, got: %s", a.Text)
	}
}

// answersWith asks each question and wants its phrase in the answer.
func answersWith(t *testing.T, cases []struct{ q, want string }) {
	t.Helper()
	for _, tt := range cases {
		a := ask(t, Question{Text: tt.q})
		if a.Declined || !strings.Contains(a.Text, tt.want) {
			t.Errorf("%q: want %q in the answer, got declined=%v: %s", tt.q, tt.want, a.Declined, a.Text)
		}
	}
}

// TestDescribedSubjectsFindTheirRule: subjects people describe rather than
// name reach the rule that answers them (phrasings written for this test).
func TestDescribedSubjectsFindTheirRule(t *testing.T) {
	answersWith(t, []struct{ q, want string }{
		{"今年中级只过了财管一科，继续教育还得另外学吗", "90学分"},
		{"同时给两个单位做会计，学分是不是要修180分", "本人"},
		{"刚入职当会计，没有职称，今年就要学继教吗", "次年"},
		{"继教一直拖着没学，会有什么后果", "限期改正"},
		{"继续教育没学够会被怎么处理", "信用信息档案"},
		{"我离婚后改回原来的姓了，会计信息要去哪里改", "统一服务管理平台"},
		{"专升本拿到本科学历了，会计信息要不要更新", "统一服务管理平台"},
		{"我在综合办公室保管公司的会计档案，算不算会计人员", "会计机构内"},
		{"领导不准我们请假去参加继续教育培训", "保障"},
		// Worry said aloud ("有点着急") is not what is asked.
		{"继教拖着没学会怎么样？职称会被吊销吗 有点着急", "吊销职称"},
	})
}

// TestOwnPlaceRuleWithoutDomainWords: a question in the words of the
// asker's own place's rule is answered even without a word of the domain
// ("反诈" is a course 重庆's guideline makes compulsory), while small talk
// from the same asker is still declined.
func TestOwnPlaceRuleWithoutDomainWords(t *testing.T) {
	if a := ask(t, Question{Text: "反诈那门课是必修吗", Jurisdiction: "重庆"}); a.Declined || !strings.Contains(a.Text, "必修") {
		t.Errorf("own place's rule declined: %s", a.Text)
	}
	for _, q := range []string{"今天天气怎么样", "推荐个好吃的餐厅", "股票明天会涨吗"} {
		if a := ask(t, Question{Text: q, Jurisdiction: "重庆"}); !a.Declined {
			t.Errorf("%q answered: %s", q, a.Text)
		}
	}
}

// TestStoryBeforeTheQuestionLeadsNowhere: a story told in sentences of its
// own before the question ("…被退回了。…有什么要求？") does not pick the
// entry answered, and a question on who must do something is not answered
// with who need not. The first sentence is what the asker reads.
func TestStoryBeforeTheQuestionLeadsNowhere(t *testing.T) {
	for _, tt := range []struct{ q, want, not string }{
		{"照片上传以后被退回来了，提示不合格。全国平台的证件照要求是什么？", "295", "底色"},
		{"哪些人要做会计人员信息采集", "从事会计工作", "不需要"},
	} {
		a := ask(t, Question{Text: tt.q})
		lead := leadSentence(a.Text)
		if a.Declined || !strings.Contains(lead, tt.want) || strings.Contains(lead, tt.not) {
			t.Errorf("%q: want %q and not %q in the first sentence, got: %s", tt.q, tt.want, tt.not, a.Text)
		}
	}
}

// TestAskedSentence: the question is told apart from the story before it
// by a full stop or by a turn such as "，那…" or "，请问…", never by a comma
// alone.
func TestAskedSentence(t *testing.T) {
	for q, want := range map[string]string{
		"证件照上传后被退回了，说不合格。全国平台对照片有什么要求？": "全国平台对照片有什么要求",
		"听说原来省里的入口不能用了，那现在采集在哪个网站办？":    "那现在采集在哪个网站办",
		"我在洛阳工作，那边的继续教育在哪学":             "",
		"换了单位，我想问一下信息要怎么改":              "我想问一下信息要怎么改",
		"我在洛阳工作，请问继续教育在哪学":              "请问继续教育在哪学",
		"我有中级职称，转行做销售了，还要继续教育吗":         "",
	} {
		if got := askedSentence(q); got != want {
			t.Errorf("askedSentence(%q) = %q, want %q", q, got, want)
		}
	}
}
