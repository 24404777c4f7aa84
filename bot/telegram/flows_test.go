package telegram_test

import (
	"encoding/json"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/kuaiji/kuaiji/flows"
	"github.com/kuaiji/kuaiji/internal/tgfake"
	"github.com/kuaiji/kuaiji/policies"
)

// step is one user action and a text the bot's reply must contain.
// A label in brackets ("[是]") presses that button; anything else is typed.
type step struct{ do, want string }

func run(t *testing.T, u *person, steps []step) {
	t.Helper()
	for _, s := range steps {
		if label, ok := strings.CutPrefix(s.do, "["); ok {
			u.press(strings.TrimSuffix(label, "]"))
		} else {
			u.send(s.do)
		}
		u.wait(s.want)
	}
}

func TestEveryFlowByButtonsAndByText(t *testing.T) {
	cases := map[string][]step{
		"check/buttons": {{"/check", "什么级别"}, {"[中级]", "从事会计工作"}, {"[是]", "劳务派遣"},
			{"[否]", "什么时候取得"}, {"[跳过]", "哪个地区"}, {"广东", "来源："}},
		"check/text": {{"/check", "什么级别"}, {"中级", "从事会计工作"}, {"是的", "劳务派遣"},
			{"不是", "什么时候取得"}, {"2023年5月", "哪个地区"}, {"海南", "哪一年开始"}, {"2020年", "孰早"}},
		"materials/buttons": {{"/materials", "哪个地区"}, {"天津", "哪一项业务"}, {"[首次采集]", "什么级别"},
			{"[无职称]", "从事会计工作"}, {"[否]", "在校学生"}, {"[否]", "请准备以下材料"}},
		"materials/text": {{"/materials", "哪个地区"}, {"天津", "哪一项业务"}, {"首次采集", "什么级别"},
			{"没有职称", "从事会计工作"}, {"没有", "在校学生"}, {"不是", "请准备以下材料"}},
		"transfer/text": {{"/transfer", "调出地"}, {"深圳", "调入地"}, {"内蒙古", "属地调转"}},
		"transfer/buttons": {{"/start", "您好"}, {"[跨省调转]", "调出地"}, {"广东", "调入地"},
			{"深圳", "属地调转"}, {"[调入材料清单]", "哪个地区"}},
		"walkthrough/buttons": {{"/walkthrough", "下一步"}, {"[下一步]", "下一步"}, {"[上一步]", "回到上一步"},
			{"[下一步]", "下一步"}, {"[下一步]", "下一步"}, {"[下一步]", "下一步"}, {"[下一步]", "下一步"},
			{"[下一步]", "下一步"}, {"[下一步]", "下一步"}, {"[下一步]", "最后一步"}, {"[完成]", "指引已结束"}},
		"walkthrough/text": {{"/walkthrough", "下一步"}, {"下一步", "下一步"}, {"退出", "已退出"}},
		"change/buttons": {{"/change", "哪个地区"}, {"广东", "哪项信息"}, {"[工作单位]", "还在广东"},
			{"[否]", "属地调转"}},
		"change/text":   {{"/change", "哪个地区"}, {"内蒙古", "哪项信息"}, {"学历", "学历"}},
		"province/text": {{"/province 深圳", "深圳"}, {"/profile", "所在地区：深圳市"}},
	}
	var n int64 = 3000
	for name, steps := range cases {
		n++
		id := n
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			run(t, h.user(id, "用户"), steps)
		})
	}
}

func TestStaleButtonShowsCurrentStep(t *testing.T) {
	h := newHarness(t)
	u := h.user(3101, "老用户")
	run(t, u, []step{{"/check", "什么级别"}, {"[中级]", "从事会计工作"}})
	// A button from the first question, answered already.
	ms := h.api.Messages(u.chat.ID)
	old := ms[0]
	if len(old.Buttons()) != 0 {
		t.Fatalf("answered question keeps its keyboard: %v", old.Buttons())
	}
	_, cb := h.api.Press(u.u, old, "v1|check|level|1")
	u.wait("我们继续当前的问题")
	if toast, ok := h.api.Answered(cb); !ok || !strings.Contains(toast, "菜单已过期") {
		t.Errorf("stale press answered %q, %v", toast, ok)
	}
	// Data from an older version of the bot.
	_, cb = h.api.Press(u.u, old, "v0|whatever")
	u.wait("旧版本")
	if _, ok := h.api.Answered(cb); !ok {
		t.Error("old-version press not answered")
	}
}

func TestChecklistExportArrivesAsDocument(t *testing.T) {
	h := newHarness(t)
	u := h.user(3102, "导出")
	run(t, u, []step{{"/materials", "哪个地区"}, {"天津", "哪一项业务"}, {"[首次采集]", "什么级别"},
		{"[无职称]", "从事会计工作"}, {"[否]", "在校学生"}, {"[否]", "请准备以下材料"}})
	u.press("导出为文本文件")
	m := u.wait(".txt")
	if !strings.Contains(string(m.File), "请准备以下材料") || !strings.Contains(m.Caption, "已为您导出") {
		t.Errorf("document %q caption %q:\n%s", m.Document.FileName, m.Caption, m.File)
	}
	if len(h.api.Calls("sendDocument")) != 1 {
		t.Error("export not sent with sendDocument")
	}
}

func TestStartMenuAndCommands(t *testing.T) {
	h := newHarness(t)
	u := h.user(1001, "小王")
	u.send("/start")
	m := u.wait("您好")
	var labels []string
	for _, b := range m.Buttons() {
		labels = append(labels, b.Text)
		if b.CallbackData == "" || len(b.CallbackData) > 64 {
			t.Errorf("button %q has data %q", b.Text, b.CallbackData)
		}
	}
	if got, want := strings.Join(labels, ","), "政策问答,是否需要采集,材料清单,跨省调转,采集流程,信息变更,转人工"; got != want {
		t.Errorf("menu = %s, want %s", got, want)
	}
	calls := h.api.Calls("setMyCommands")
	if len(calls) == 0 {
		t.Fatal("setMyCommands not called")
	}
	var cmds []struct{ Command, Description string }
	json.Unmarshal([]byte(calls[0].Params["commands"]), &cmds)
	var names []string
	for _, c := range cmds {
		names = append(names, c.Command)
	}
	if got := strings.Join(names, " "); got != "start help check materials transfer walkthrough change province profile human cancel" {
		t.Errorf("commands = %s", got)
	}

	cb := u.press("材料清单")
	u.wait("哪个地区")
	if _, ok := h.api.Answered(cb); !ok {
		t.Error("callback query not answered")
	}
	// The pressed menu is edited in place: the choice shown, keyboard gone.
	first := h.api.Messages(u.chat.ID)[0]
	if !strings.Contains(first.Text, "✅ 材料清单") || len(first.Buttons()) != 0 {
		t.Errorf("menu not marked as chosen: %q %v", first.Text, first.Buttons())
	}

	// In a flow, /start offers to resume; after /cancel it shows the menu.
	u.send("/start")
	u.wait("要继续上次的「材料清单」吗")
	u.send("/cancel")
	u.wait("已退出")
	u.send("/start")
	u.wait("您好")
	u.press("政策问答")
	u.wait("请直接输入您的问题")
}

// A flow is data: one added as YAML alone is on the /start menu, among
// the commands announced with setMyCommands, and opened by its deep link.
func TestFlowAddedAsYAMLAloneIsOnEverySurface(t *testing.T) {
	fsys := fstest.MapFS{"flows/reminder.yaml": {Data: []byte(`id: reminder
title: 继续教育学分提醒设置
label: 学分提醒
command: reminder
menu: 9
version: 1
description: 设置每年提醒您完成继续教育学分的时间
start: when
steps:
  when:
    ask: 您希望每年什么时候收到提醒？
    choices: [{label: 年初, next: done}, {label: 年中, next: done}]
  done: {say: 好的，已记下您的选择。, plain: true, end: true}
`)}}
	entries, err := fs.ReadDir(policies.FS, "flows")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := fs.ReadFile(policies.FS, "flows/"+e.Name())
		if err != nil {
			t.Fatal(err)
		}
		fsys["flows/"+e.Name()] = &fstest.MapFile{Data: b}
	}
	docs, err := flows.ScanDocs(policies.FS, "docs")
	if err != nil {
		t.Fatal(err)
	}
	list, err := flows.Load(fsys, "flows", docs)
	if err != nil {
		t.Fatal(err)
	}
	h := newHarnessOf(t, tgfake.New(token), list)
	u := h.user(1003, "小赵")
	u.send("/start")
	m := u.wait("您好")
	var labels []string
	for _, b := range m.Buttons() {
		labels = append(labels, b.Text)
	}
	if got := strings.Join(labels, ","); !strings.Contains(got, "学分提醒") || !strings.HasPrefix(got, "政策问答,是否需要采集") || !strings.HasSuffix(got, ",转人工") {
		t.Errorf("menu = %s, want the new flow between the others and 转人工", got)
	}
	calls := h.api.Calls("setMyCommands")
	if len(calls) == 0 {
		t.Fatal("setMyCommands not called")
	}
	var cmds []struct{ Command, Description string }
	json.Unmarshal([]byte(calls[0].Params["commands"]), &cmds)
	found := false
	for _, c := range cmds {
		found = found || c.Command == "reminder" && c.Description == "设置每年提醒您完成继续教育学分的时间"
	}
	if !found {
		t.Errorf("commands = %+v, want /reminder with its description", cmds)
	}
	u.send("/start reminder")
	u.wait("您希望每年什么时候收到提醒")
	u.press("学分提醒")
	u.wait("您希望每年什么时候收到提醒")
}

func TestDeepLinkOpensFlow(t *testing.T) {
	h := newHarness(t)
	u := h.user(1002, "小李")
	u.send("/start transfer")
	u.wait("调出地")
}
