package flows

import (
	"strings"

	"github.com/kuaiji/kuaiji"
	"github.com/kuaiji/kuaiji/internal/textcut"
)

// Commands and replies that do not depend on the current step.

func (t *turn) back() {
	s := t.sess()
	f := t.flow()
	if f == nil {
		t.say(kuaiji.Reply{Text: "当前没有进行中的流程。"})
		t.menuReply("您可以选择要办理的事项：")
		return
	}
	if len(s.Trail) == 0 {
		t.pending = append(t.pending, "已经是第一步了。")
		t.ask(t.step(), "")
		return
	}
	prev := s.Trail[len(s.Trail)-1]
	s.Trail = s.Trail[:len(s.Trail)-1]
	st := f.Steps[prev]
	if st.Save != "" {
		delete(s.Answers, st.Save)
	}
	s.Step, s.Misses = prev, 0
	t.ask(st, "好的，回到上一步。\n\n")
}

func (t *turn) cancel() {
	f := t.flow()
	if f == nil {
		t.menuReply("当前没有进行中的流程。您可以选择要办理的事项，或者直接提问：")
		return
	}
	t.clearFlow()
	t.say(kuaiji.Reply{Text: "已退出「" + f.Title + "」。如需继续，可以随时重新开始，也可以直接提问。",
		Buttons: [][]kuaiji.Button{{{Label: "返回菜单", Data: MenuData}}}})
}

func (t *turn) clearFlow() {
	s := t.sess()
	s.Flow, s.FlowVersion, s.Step, s.Answers, s.Trail, s.Misses = "", 0, "", nil, nil, 0
}

func (t *turn) resumePrompt() {
	f, st := t.flow(), t.step()
	text := "欢迎回来！要继续上次的「" + f.Title + "」吗？"
	if st != nil && st.Ask != "" {
		text += "\n上次停在：" + textcut.FirstLine(t.render(f, st.Ask, t.sess().Answers))
	}
	t.sess().Updated = t.now.Unix() // the next answer continues without asking again
	t.say(kuaiji.Reply{Text: text, Buttons: [][]kuaiji.Button{{
		{Label: "继续", Data: ResumeData("go")},
		{Label: "重新开始", Data: ResumeData("restart")},
		{Label: "结束", Data: ResumeData("end")},
	}}})
}

func (t *turn) welcome() {
	t.menuReply("您好！我是会计人员信息采集与继续教育助手。您可以直接提问，例如“广东继续教育需要多少学分？”，" +
		"也可以选择下面的引导服务，我会一步一步帮您办理：")
}

func (t *turn) menuReply(text string) {
	var rows [][]kuaiji.Button
	for _, f := range t.e.menu {
		rows = append(rows, []kuaiji.Button{{Label: f.Title, Data: StartData(f.ID)}})
	}
	if text == "" {
		text = "请选择："
	}
	t.say(kuaiji.Reply{Text: text, Buttons: rows})
}

func (t *turn) help() {
	var b strings.Builder
	b.WriteString("您可以直接输入问题，我会根据政策文件回答；也可以使用下面的命令：\n")
	for _, f := range t.e.commandFlows() {
		b.WriteString("/" + f.Command + "  " + f.Title)
		if f.Description != "" && f.Menu > 0 {
			b.WriteString("：" + f.Description)
		}
		b.WriteString("\n")
	}
	b.WriteString("/profile  查看我记住的资料\n/forget  清除我的资料和会话记录\n/back  返回上一步\n/cancel  退出当前流程\n" +
		"/export  导出最近一次的材料清单\n/human  人工服务\n/help  显示本帮助")
	t.say(kuaiji.Reply{Text: b.String()})
}

func (t *turn) profile() {
	p := t.snap.Profile
	if len(p) == 0 {
		t.say(kuaiji.Reply{Text: "目前没有记住您的任何资料。在引导流程中回答地区、职称等问题后，我会记住这些信息，下次就不用重复回答了。"})
		return
	}
	var lines []string
	for _, k := range []string{"jurisdiction", "level", "working"} {
		if v := p[k]; v != "" {
			lines = append(lines, ProfileLabels[k]+"："+t.display(nil, k, v))
		}
	}
	t.say(kuaiji.Reply{Text: "我记住的您的资料：\n" + strings.Join(lines, "\n") + "\n\n如需清除，请发送 /forget；修改地区可发送 /province。"})
}

func (t *turn) forget() {
	t.snap.Profile = Profile{}
	t.snap.ProfileChanged = true
	t.snap.Session = Session{}
	t.forgot = true
	t.say(kuaiji.Reply{Text: "已清除您的资料和会话记录。"})
}
