package knowledge

import "strings"

// synonymGroups lists words accountants use interchangeably. A query
// containing any member also searches for the others, at a lower weight.
// The first member is the formal term.
var synonymGroups = [][]string{
	{"会计从业资格证书", "会计证", "从业资格证", "会计从业资格", "上岗证"},
	{"会计专业技术资格", "职称", "专业技术资格", "资格证书", "职称证"},
	{"继续教育", "继教", "继续教肓", "学习", "网课", "刷课", "培训"},
	{"学分", "学时", "分"},
	{"调转", "转移", "迁移", "转出", "转入", "调出", "调入", "属地调转", "跨省", "跨地区", "换省", "搬到"},
	{"初级", "助理会计师", "初级会计", "初级职称", "初级证"},
	{"中级", "会计师", "中级会计", "中级职称"},
	{"高级", "高级会计师", "高会"},
	{"正高级", "正高级会计师", "正高"},
	{"公需科目", "公需课", "公需"},
	{"专业科目", "专业课"},
	{"信息采集", "采集", "登记", "注册", "备案", "建档", "入库"},
	{"全国会计人员统一服务管理平台", "全国平台", "统一平台", "统一服务管理平台", "国家平台", "ausm"},
	{"区别", "一回事", "一样", "同一种", "不等于", "不同", "差别", "一个东西"},
	{"上线", "开通", "启用", "开始用", "运行", "切换"},
	{"平台", "网站", "网址", "系统", "入口", "官网", "网", "链接", "哪里", "哪儿", "进去", "在哪", "去哪", "哪个网站", "哪个平台", "会计网", "名字", "叫啥", "叫什么"},
	{"取得", "拿到", "考过", "考了", "考下", "考出", "获得", "通过"},
	{"开始", "起始", "起始年度", "哪年", "哪一年", "什么时候"},
	{"省级财政部门", "财政厅", "财政局", "财政部门"},
	{"时限", "多久", "多长时间", "几天", "工作日", "期限", "时间限制", "多长期限", "几个月内", "多少天"},
	{"截止", "最晚", "截至", "截止时间", "截止日期", "deadline"},
	{"证件照", "照片", "相片", "头像", "一寸照"},
	{"密码", "登录", "登陆", "账号", "账户", "找回"},
	{"信息变更", "变更", "更新", "修改", "更改", "需要改", "要改", "改一下", "怎么改", "去改", "改成"},
	{"学历", "学位", "毕业证", "学历证书", "学位证书", "大专", "本科", "硕士", "专升本"},
	{"从事会计工作", "做会计", "会计岗位", "做账", "财务工作", "管账", "记账", "做财务", "财务岗", "干会计"},
	{"不得结转", "结转", "留到", "顺延", "累计", "存到", "用到明年"},
	{"补学", "补修", "补", "以前年度"},
	{"限期改正", "后果", "处罚", "吊销", "没学完", "没做完", "不学", "没学够", "学不够", "会怎样", "会怎么样", "没完成", "罚款", "罚钱", "拖着", "没学"},
	{"书籍", "书", "著作", "出书", "出版", "合著", "编著"},
	{"合作", "合著", "一起", "共同", "联合"},
	{"刑事责任", "判刑", "判过刑", "被判", "坐牢", "犯罪", "违法", "假账", "做假账", "造假", "禁入", "不得聘用"},
	{"不从事会计工作", "不做会计", "转行", "不干会计", "改行", "不当会计", "转做", "转岗", "调岗", "不在会计岗"},
	{"属地", "哪个地方", "选哪里", "在哪采集", "选哪", "哪个地区", "老家", "工作地"},
	{"全国有效", "全国通用", "还认", "认不认", "承认", "有效", "认可", "通用", "作数", "算数", "作废", "失效", "清零", "白学"},
	{"出纳", "管钱"},
	{"在校生", "学生", "在读", "读书", "上学", "大学生", "大一", "大二", "大三", "大四", "研一", "研二", "没毕业"},
	{"退休", "退休人员"},
	{"暂未就业", "没上班", "没工作", "没有工作", "待业", "失业", "无业", "不上班", "辞职在家", "暂时没有工作"},
	{"论文", "期刊", "发表", "文章"},
	{"学历教育", "考研", "读研", "研究生", "在职研究生", "mba", "mpacc", "自考", "成人高考", "函授", "读学历", "专升本学习"},
	{"专业会议", "会议", "研讨会"},
	{"信用信息档案", "信用档案", "诚信档案"},
	{"审核", "审批", "结果"},
	{"户籍地", "户口", "户籍"},
	{"居住地", "居住证", "常住地"},
	{"学籍", "学校所在地", "学校"},
	{"军队", "部队", "军队单位", "军人", "武警"},
	{"用人单位", "单位组织", "内训", "公司培训", "单位培训", "企业内训", "公司组织"},
	{"港澳居民来往内地通行证", "香港", "澳门", "港澳", "回乡证"},
	{"台湾居民来往大陆通行证", "台湾", "台胞", "台胞证"},
	{"外国护照", "外国人", "外籍", "老外"},
	{"行政区划", "市本级", "区本级", "省本级", "省直", "市直", "市级", "区级", "区里", "市里"},
	{"自行选择", "自选", "都能选", "选哪个", "随便选"},
	{"折算", "折几分", "折多少", "能折", "抵扣", "抵免", "算几分", "算多少分", "算多少学分"},
	{"收费", "收费标准", "多少钱", "费用", "价格", "收钱", "要钱", "花钱", "免费", "几块钱"},
	{"施行", "执行", "实施", "生效", "起施行", "开始执行", "开始实施"},
	{"基本要求", "哪些要求", "什么要求", "应当具备", "具备什么条件"},
	{"保障", "单位责任", "有没有责任", "不给时间", "报销", "权利", "义务"},
}

// synonymIndex maps every member to its group.
var synonymIndex = func() map[string][]string {
	m := map[string][]string{}
	for _, g := range synonymGroups {
		for _, w := range g {
			m[w] = g
		}
	}
	return m
}()

// expand returns the weighted query terms: the tokens of the question at
// weight 1 and the members of every synonym group the question touches at a
// lower weight. A group is touched by a token or by a member appearing
// verbatim in the question, so phrases the dictionary does not hold as one
// word (没学够, 还认吗) still count.
func expand(tokens []string, query string) map[string]float64 {
	terms := make(map[string]float64, len(tokens)*2)
	for _, t := range tokens {
		terms[t] = 1
	}
	add := func(g []string) {
		for _, s := range g {
			if _, ok := terms[s]; !ok {
				terms[s] = 0.45
			}
		}
	}
	for _, t := range tokens {
		add(synonymIndex[t])
	}
	for _, g := range synonymGroups {
		for _, w := range g {
			if runeLen(w) > 1 && strings.Contains(query, w) {
				add(g)
				break
			}
		}
	}
	return terms
}

// expandText appends the formal terms for the colloquial words in q, so
// that the vector of the question lands near the vector of the documents.
func expandText(q string, tokens []string) string {
	var extra []string
	seen := map[string]bool{}
	for _, t := range tokens {
		g, ok := synonymIndex[t]
		if !ok || g[0] == t || seen[g[0]] || strings.Contains(q, g[0]) {
			continue
		}
		seen[g[0]] = true
		extra = append(extra, g[0])
	}
	if len(extra) == 0 {
		return q
	}
	return q + " " + strings.Join(extra, " ")
}
