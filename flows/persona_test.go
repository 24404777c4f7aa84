package flows_test

import (
	"strings"
	"testing"
)

// persona is a scripted conversation and what its last replies must say.
type persona struct {
	name    string
	script  []string
	want    []string
	notWant []string
}

func runPersonas(t *testing.T, personas []persona) {
	t.Helper()
	for _, p := range personas {
		t.Run(p.name, func(t *testing.T) {
			r := newRig(t)
			var got string
			for _, line := range p.script {
				got = joined(r.send(t, 7, line))
			}
			for _, w := range p.want {
				if !strings.Contains(got, w) {
					t.Errorf("last replies lack %q:\n%s", w, got)
				}
			}
			for _, w := range p.notWant {
				if strings.Contains(got, w) {
					t.Errorf("last replies contain %q:\n%s", w, got)
				}
			}
		})
	}
}

func TestCheckFlow(t *testing.T) {
	runPersonas(t, []persona{
		{name: "qualified, working, date given",
			script: []string{"/check", "中级", "是的，我在单位做出纳", "不是", "2023年5月", "广东"},
			want:   []string{"结论：需要采集", "持有中级", "从2024年开始", "工作单位所在地", "{cpe-rules}", "[查看材料清单]"}},
		{name: "qualified, working, date skipped",
			script:  []string{"/check", "助理会计师", "对", "没有", "跳过", "北京"},
			want:    []string{"结论：需要采集", "持有初级", "从取得资格的次年开始参加继续教育；"},
			notWant: []string{"应从年开始"}},
		{name: "no qualification, working",
			script: []string{"/check", "无", "是", "否", "2019年"},
			want:   []string{"结论：需要采集", "没有会计专业技术资格，但在单位从事会计工作", "从开始从事会计工作的次年开始", "应从2020年开始", "{kjry-glbf}"}},
		{name: "qualified worker in Hainan who began working first",
			script:  []string{"/check", "初级", "是", "否", "2023年5月", "海南", "2020年"},
			want:    []string{"孰早", "应从2021年开始", "{jur-hainan}"},
			notWant: []string{"应从2024年开始"}},
		{name: "qualified dispatch worker",
			script: []string{"/check", "高级会计师", "是", "是"},
			want:   []string{"结论：需要采集", "采集地点建议先向当地确认", "没有查到权威口径的只是采集地点", "持有高级", "[人工服务]"}},
		{name: "dispatch without qualification must still register",
			script:  []string{"/check", "没有职称", "1", "是的"},
			want:    []string{"结论：需要采集", "从事会计工作的人员属于继续教育对象", "[人工服务]"},
			notWant: []string{"是否需要采集"}},
		{name: "qualified student in Tianjin",
			script: []string{"/province 天津", "/check", "初级", "否", "是"},
			want:   []string{"结论：需要采集", "学籍（学校）所在地", "天津：中专以上会计类全日制学生", "{jur-tianjin}"}},
		{name: "student preparing for the exam",
			script: []string{"/check", "无", "否", "是", "是"},
			want:   []string{"需要在报名前完成采集", "{national-platform}"}},
		{name: "student without plans",
			script: []string{"/check", "无", "否", "是", "不"},
			want:   []string{"结论：无需采集", "{jur-beijing}"}},
		{name: "qualified retiree",
			script:  []string{"/check", "正高级", "否", "不是", "是"},
			want:    []string{"国家层面没有查到针对退休人员的专门规定", "第二条", "只适用于国管局管理的单位", "以当地财政部门最新通知为准"},
			notWant: []string{"可自愿登记"}},
		{name: "retiree without qualification",
			script: []string{"/check", "没有", "no", "no", "yes"},
			want:   []string{"结论：无需采集"}},
		{name: "qualified, not working",
			script: []string{"/check", "会计师", "没有", "不是", "没有"},
			want:   []string{"结论：需要采集", "户籍地或居住地", "北京市财政局"}},
		{name: "exam candidate in Dalian",
			script: []string{"/province 大连", "/check", "无", "否", "否", "否", "嗯"},
			want:   []string{"需要在报名前完成采集", "大连：准备报考的人员", "{jur-dalian}"}},
		{name: "neither qualification nor work nor exam",
			script: []string{"/check", "无", "否", "否", "否", "否"},
			want:   []string{"结论：无需采集", "今后如果开始从事会计工作"}},
		{name: "profile answers are not asked again",
			script: []string{"/check", "中级", "是", "否", "跳过", "广东", "/check"},
			want:   []string{"已按您资料中的会计专业技术资格（职称）：中级、是否从事会计工作：是", "劳务派遣"}},
	})
}

func TestMaterialsFlow(t *testing.T) {
	runPersonas(t, []persona{
		{name: "Tianjin, unemployed non-local",
			script:  []string{"/materials", "天津", "首次采集", "无", "否", "否"},
			want:    []string{"在天津市办理首次采集", "295×413", "拼成一张图片", "天津：暂时没有工作", "{jur-tianjin}", "[导出为文本文件]"},
			notWant: []string{"职称）证书", "从事会计工作的证明"}},
		{name: "Xiamen, employed with qualification",
			script: []string{"/materials", "厦门", "1", "中级", "是"},
			want:   []string{"厦门：身份证正反两面", "会计专业技术资格（职称）证书", "从事会计工作的证明", "{jur-xiamen}"}},
		{name: "Shenzhen is its own jurisdiction",
			script:  []string{"/materials", "我在深圳", "首次采集", "初级", "是"},
			want:    []string{"在深圳市办理", "{jur-shenzhen}"},
			notWant: []string{"{jur-guangdong}"}},
		{name: "transfer into Inner Mongolia",
			script:  []string{"/materials", "内蒙", "调入", "初级", "是"},
			want:    []string{"新工作地或居住地的证明", "内蒙古只接收在区内有工作单位、户籍或居住地的会计人员调入", "全国平台上是否仍然适用"},
			notWant: []string{"《工作地变更证明》"}},
		{name: "Ningxia unit registers first",
			script: []string{"/materials", "宁夏", "首次采集", "无", "是"},
			want:   []string{"宁夏：宁夏原会计人员信息管理系统的做法是先由单位注册认证", "全国平台上线后是否沿用"}},
		{name: "Qinghai images",
			script: []string{"/materials", "青海", "信息变更", "中级", "是"},
			want:   []string{"青海：材料都以图片形式上传", "与变化内容对应的证明"}},
		{name: "student in Guangdong",
			script: []string{"/materials", "广东", "首次采集", "无", "否", "是"},
			want:   []string{"学生证或学籍证明"}},
		{name: "argument answers the first question",
			script: []string{"/materials 广东"},
			want:   []string{"您要办理哪一项业务", "[首次采集]"}},
		{name: "Shanghai transfer-in timing",
			script: []string{"/materials", "上海", "跨地区调入", "高级", "是"},
			want:   []string{"上海2021年开通网上跨省调转时的做法", "提交后10个工作日", "全国平台上的审核时间，以当地财政部门最新通知为准"}},
	})
}

func TestTransferFlow(t *testing.T) {
	runPersonas(t, []persona{
		{name: "same jurisdiction",
			script: []string{"/transfer", "广东", "广东省"},
			want:   []string{"不需要办理调转", "信息变更", "[信息变更指引]"}},
		{name: "Shenzhen to Guangdong is a transfer",
			script: []string{"/transfer", "深圳", "粤"},
			want:   []string{"从深圳市调往广东省", "分开管理", "是否按属地调转办理，以当地财政部门最新通知为准", "属地调转", "调出地（深圳市）", "调入地（广东省）", "{jur-shenzhen}", "{jur-guangdong}", "{transfer-2021}"}},
		{name: "out of Inner Mongolia into Shanghai",
			script:  []string{"/transfer", "内蒙古", "上海"},
			want:    []string{"从内蒙古调出：全国平台上线前，内蒙古要求打印《工作地变更证明》", "调入上海：按上海2021年开通网上跨省调转时的做法", "不能结转"},
			notWant: []string{"分开管理"}},
		{name: "into Inner Mongolia",
			script: []string{"/transfer", "北京", "内蒙古自治区"},
			want:   []string{"调入内蒙古：全国平台上线前，内蒙古只接收在区内有工作单位、户籍或居住地的会计人员调入", "在全国平台上是否仍然适用"}},
		{name: "unknown place is asked again with the hint",
			script: []string{"/transfer", "火星"},
			want:   []string{"抱歉，没能理解", "省、自治区、直辖市或计划单列市", "调出地"}},
	})
}

func TestWalkthroughFlow(t *testing.T) {
	runPersonas(t, []persona{
		{name: "first step",
			script: []string{"/walkthrough"},
			want:   []string{"共8步", "第1步（共8步）：注册或登录", "[上一步][下一步][退出]"}},
		{name: "forward and back",
			script: []string{"/walkthrough", "下一步", "下一步", "下一步", "上一步"},
			want:   []string{"第3步（共8步）", "回到上一步"}},
		{name: "back on the first step",
			script: []string{"/walkthrough", "上一步"},
			want:   []string{"已经是第一步了", "第1步"}},
		{name: "to the end",
			script: []string{"/walkthrough", "2", "2", "2", "2", "2", "2", "2", "完成"},
			want:   []string{"采集流程指引已结束", "[查看材料清单]"}},
		{name: "upload step names the photo rule",
			script: []string{"/walkthrough", "下一步", "下一步", "下一步", "下一步"},
			want:   []string{"第5步", "295×413", "戴眼镜"}},
		{name: "pages carry their sources",
			script: []string{"/walkthrough"},
			want:   []string{"{national-platform}"}},
		{name: "verification claims only what the sources say",
			script:  []string{"/walkthrough", "下一步"},
			want:    []string{"第2步", "此项尚未核实", "{national-platform}"},
			notWant: []string{"完全一致"}},
		{name: "review times are dated local rules",
			script: []string{"/walkthrough", "2", "2", "2", "2", "2", "2"},
			want:   []string{"第7步", "全国平台上线前", "5个工作日", "以属地财政部门最新通知为准", "{collection-guide}"}},
		{name: "exit",
			script: []string{"/walkthrough", "退出"},
			want:   []string{"已退出「采集流程分步指引」"}},
	})
}

func TestChangeFlow(t *testing.T) {
	runPersonas(t, []persona{
		{name: "employer within the jurisdiction",
			script: []string{"/change", "广东", "工作单位", "是"},
			want:   []string{"在广东省更新“工作单位”信息", "新单位的工作证明", "国家层面没有查到", "{jur-guangdong}"}},
		{name: "employer elsewhere needs a transfer",
			script: []string{"/change", "广东", "换工作", "不在"},
			want:   []string{"需要办理跨地区调转", "[调转指引]"}},
		{name: "degree in Qingdao",
			script: []string{"/change", "青岛", "学历"},
			want:   []string{"拼成一张图片", "青岛：会定期清理", "连续3年", "1个月内"}},
		{name: "qualification in Qinghai",
			script: []string{"/change", "青海", "职称（资格）"},
			want:   []string{"新的会计专业技术资格（职称）证书", "青海：还没拿到证书"}},
		{name: "leaving accounting work in Xinjiang",
			script: []string{"/change", "新疆", "不再从事会计工作"},
			want:   []string{"仍属于继续教育对象", "自愿参加", "新疆：每三年清理一次"}},
		{name: "name or ID",
			script: []string{"/change", "宁夏", "1"},
			want:   []string{"没有查到统一说明", "宁夏：每三年清理一次"}},
	})
}
