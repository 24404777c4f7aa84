package flows_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kuaiji/kuaiji/flows"
)

// sentenceRig runs scripts where ">flow text" is a text the router read as
// asking for flow, at a fixed date (relative dates).
func sentenceScript(t *testing.T, lines ...string) string {
	t.Helper()
	now := time.Date(2026, 3, 15, 9, 0, 0, 0, time.UTC)
	r := newRig(t, flows.WithClock(func() time.Time { return now }))
	var got string
	for _, line := range lines {
		if rest, ok := strings.CutPrefix(line, ">"); ok {
			id, text, _ := strings.Cut(rest, " ")
			out, err := r.eng.Handle(context.Background(), flows.Input{Chat: 9, User: 9, Start: id, Text: text}, r.qa)
			if err != nil {
				t.Fatal(err)
			}
			got = joined(out)
			continue
		}
		got = joined(r.send(t, 9, line))
	}
	return got
}

// TestWholeSentences: people answer several questions in one message; the
// flow takes all of them, says what it understood and asks only the rest.
func TestWholeSentences(t *testing.T) {
	tests := []struct {
		name    string
		script  []string
		want    []string
		notWant []string
	}{
		{"level, work and dispatch in one answer",
			[]string{"/check", "中级职称，在职，不是派遣"},
			[]string{"已记下：中级、在职做会计、非派遣", "什么时候取得这个资格"},
			[]string{"是否在单位从事会计工作？", "劳务派遣的方式"}},
		{"a relative date finishes the check",
			[]string{"/check", "中级职称，在职，不是派遣", "去年", "广东"},
			[]string{"结论：需要采集", "应从2026年开始"}, nil},
		{"年底 of a year",
			[]string{"/check", "初级，在职，不是派遣", "2023年底拿的证", "广东"},
			[]string{"结论：需要采集", "应从2024年开始"}, nil},
		{"last month",
			[]string{"/check", "初级，在职，不是派遣", "上个月刚拿到", "广东"},
			[]string{"应从2027年开始"}, nil},
		{"the year before last",
			[]string{"/check", "初级，在职，不是派遣", "前年", "广东"},
			[]string{"应从2025年开始"}, nil},
		{"years ago",
			[]string{"/check", "初级，在职，不是派遣", "三年前", "广东"},
			[]string{"应从2024年开始"}, nil},
		{"student without a title, no exam",
			[]string{"/check", "我没有职称，也没做会计，就是个在读大学生，暂时不打算考试"},
			[]string{"结论：无需采集", "已记下：无职称、不从事会计工作、在校生、不报考"}, nil},
		{"retired senior",
			[]string{"/check", "我有高级职称，已经退休了，不是学生，现在没工作"},
			[]string{"国家层面没有查到针对退休人员的专门规定", "国管局管理的单位"}, []string{"在校学生吗"}},
		{"origin and destination in one message",
			[]string{"/transfer", "从北京调到上海"},
			[]string{"从北京市调往上海市", "已记下：北京市、上海市", "调入上海：按上海2021年开通网上跨省调转时的做法"},
			[]string{"调往哪个地区"}},
		{"the destination step takes the place after 到",
			[]string{"/transfer", "深圳", "我是从深圳调到内蒙古"},
			[]string{"从深圳市调往内蒙古自治区"}, nil},
		{"what changed, by meaning",
			[]string{"/change", "青岛", "换了单位"},
			[]string{"新单位是否还在青岛市"}, nil},
		{"改名 is a change of name",
			[]string{"/change", "广东", "结婚改名了"},
			[]string{"更新“姓名或证件”信息"}, nil},
		{"a request reads what it already says",
			[]string{">change 帮我把职称更新上去，我在深圳"},
			[]string{"更新“职称（资格）”信息", "已记下"}, []string{"哪项信息发生了变化"}},
		{"a request starts the flow and asks its first question",
			[]string{">transfer 我要跨省调转"},
			[]string{"跨地区调转（属地调转）的步骤", "调出地"}, nil},
		{"a request for the flow one is in re-asks instead of restarting",
			[]string{"/transfer", ">transfer 帮我办调转"},
			[]string{"我们正在办理「跨地区调转」", "调出地"}, []string{"我来帮您梳理"}},
		{"a menu label that is a choice of the current step answers it",
			[]string{"/materials", "广东", ">change 信息变更"},
			[]string{"职称"}, []string{"已结束「材料清单」"}},
		{"a correction of an earlier answer replays the flow",
			[]string{"/check", "无职称", "否", "中级职称，在职，不是派遣"},
			[]string{"重新梳理", "已记下：中级、在职做会计、非派遣", "什么时候取得"}, nil},
		{"/back after a sentence undoes the last reading",
			[]string{"/check", "中级职称，在职，不是派遣", "/back"},
			[]string{"回到上一步", "劳务派遣"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := sentenceScript(t, tt.script...)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("lacks %q:\n%s", w, got)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(got, w) {
					t.Errorf("contains %q:\n%s", w, got)
				}
			}
		})
	}
}

// TestProfileReuseIsVisibleAndConsented: carried answers come with a 修改
// button that asks again; answers of a cancelled flow are offered, not used.
func TestProfileReuseIsVisibleAndConsented(t *testing.T) {
	got := sentenceScript(t, "/check", "中级", "是", "否", "跳过", "广东", "/materials", "广东", "首次采集")
	if !strings.Contains(got, "已按您资料中的会计专业技术资格（职称）：中级") || !strings.Contains(got, "[修改职称]") {
		t.Fatalf("carried answers not shown with a change button:\n%s", got)
	}
	got = sentenceScript(t, "/check", "中级", "是", "否", "跳过", "广东", "/materials", "广东", "首次采集", "#v1|materials|level|redo")
	if !strings.Contains(got, "请重新回答") || !strings.Contains(got, "是什么级别") {
		t.Errorf("修改 did not ask again:\n%s", got)
	}
	got = sentenceScript(t, "/check", "高级", "/cancel", "/materials", "广东", "首次采集")
	if strings.Contains(got, "已按您资料中的会计专业技术资格") || !strings.Contains(got, "[沿用：高级]") || !strings.Contains(got, "是什么级别") {
		t.Errorf("answer from a cancelled flow reused without asking:\n%s", got)
	}
	got = sentenceScript(t, "/check", "高级", "/cancel", "/materials", "广东", "首次采集", "#v1|materials|level|=senior")
	if !strings.Contains(got, "是否在单位从事会计工作") {
		t.Errorf("沿用 did not take the old answer:\n%s", got)
	}
	// Once a flow with that answer finishes, it is carried silently again.
	got = sentenceScript(t, "/check", "高级", "/cancel", "/check", "#v1|check|level|=senior", "是", "否", "跳过", "广东", "/materials", "广东", "首次采集")
	if !strings.Contains(got, "已按您资料中的会计专业技术资格（职称）：高级") {
		t.Errorf("confirmed answer not carried:\n%s", got)
	}
}
