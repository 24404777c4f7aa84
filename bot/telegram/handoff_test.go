package telegram_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kuaiji/kuaiji/bot/telegram"
	"github.com/kuaiji/kuaiji/internal/tgfake"
)

const staffChatID = -100900

var (
	staffChat = tgfake.Chat{ID: staffChatID, Type: "supergroup", Title: "帮助台"}
	agent     = tgfake.User{ID: 501, FirstName: "客服小陈"}
	outsider  = tgfake.User{ID: 999, FirstName: "路人"}
)

func withStaff(t *testing.T, forum bool) (*harness, *person) {
	t.Helper()
	c := staffChat
	c.IsForum = forum
	api := tgfake.New(token)
	api.SetChat(c)
	h := newHarnessOn(t, api, telegram.WithStaff(staffChatID, map[int64]bool{agent.ID: true}))
	staff := &person{h: h, u: agent, chat: c}
	return h, staff
}

// card waits for the newest ticket card in the staff chat.
func (p *person) card(ref string) tgfake.Message {
	p.h.t.Helper()
	return p.wait("工单 " + ref + " ·")
}

func (p *person) replyTo(m tgfake.Message, text string) {
	p.h.api.Send(tgfake.Message{From: &p.u, Chat: p.chat, Text: text, ReplyToMessage: &m})
}

func TestHandoffRelayBothWaysAndResume(t *testing.T) {
	h, staff := withStaff(t, false)
	u := h.user(4001, "王会计")
	run(t, u, []step{{"继续教育要多少学分", "90学分"}, {"/check", "什么级别"}, {"[中级]", "从事会计工作"}, {"/human", "工单 #1"}})

	card := staff.card("#1")
	for _, want := range []string{"待认领", "用户：王会计（ID 4001）", "用户发送了 /human", "是否需要信息采集",
		"当前问题：您目前是否在单位从事会计工作", "级别？", "：中级", "会计专业技术人员继续教育规定", "用户：继续教育要多少学分"} {
		if !strings.Contains(card.Text, want) {
			t.Errorf("card lacks %q:\n%s", want, card.Text)
		}
	}
	if _, ok := card.Button("认领"); !ok {
		t.Errorf("card has no 认领 button: %v", card.Buttons())
	}

	// The user's messages go to staff (masked), not to the bot.
	u.send("我的手机号是13812345678，麻烦回电")
	relayed := staff.wait("麻烦回电")
	if strings.Contains(relayed.Text, "13812345678") || !strings.Contains(relayed.Text, "138****5678") {
		t.Errorf("phone not masked: %s", relayed.Text)
	}
	if relayed.ReplyToMessage == nil || relayed.ReplyToMessage.MessageID != card.MessageID {
		t.Error("relayed message is not a reply to the card")
	}

	// Staff replies to the card, then to the relayed message.
	staff.replyTo(card, "您好，我是客服小陈，请问您在哪个城市？")
	u.wait("工作人员回复：\n您好，我是客服小陈")
	staff.replyTo(relayed, "稍后给您回电。")
	u.wait("稍后给您回电")
	if !h.api.Until(2*time.Second, func() bool {
		m, _ := staffMessage(h, card.MessageID)
		return strings.Contains(m.Text, "处理中") && strings.Contains(m.Text, "认领：客服小陈")
	}) {
		m, _ := staffMessage(h, card.MessageID)
		t.Errorf("card not claimed by the replying agent:\n%s", m.Text)
	}

	staff.send("/tickets")
	staff.wait("#1 处理中 · 王会计")

	staff.replyTo(card, "/close")
	closed := u.wait("人工服务已结束（工单 #1）")
	if _, ok := closed.Button("继续办理"); !ok {
		t.Fatalf("no resume button: %v", closed.Buttons())
	}
	staff.wait("已关闭，已通知用户")
	u.press("继续办理")
	u.wait("从事会计工作")

	// Back with the bot: questions are answered again.
	u.send("继续教育要多少学分")
	u.wait("90学分")
	staff.replyTo(card, "还有问题吗？")
	staff.wait("已关闭，这条消息没有转给用户")
}

func staffMessage(h *harness, id int) (tgfake.Message, bool) {
	for _, m := range h.api.Messages(staffChatID) {
		if m.MessageID == id {
			return m, true
		}
	}
	return tgfake.Message{}, false
}

func TestStaffAuthorisation(t *testing.T) {
	h, staff := withStaff(t, false)
	u := h.user(4002, "李会计")
	u.send("/human")
	u.wait("工单 #1")
	card := staff.card("#1")

	intruder := &person{h: h, u: outsider, chat: staffChat}
	intruder.replyTo(card, "我来冒充客服")
	_, cb := h.api.Press(outsider, card, "tk|close|1")
	intruder.send("/tickets")
	if !h.api.Until(3*time.Second, func() bool { _, ok := h.api.Answered(cb); return ok }) {
		t.Fatal("press by outsider not answered")
	}
	if toast, _ := h.api.Answered(cb); !strings.Contains(toast, "仅限授权") {
		t.Errorf("toast = %q", toast)
	}
	// An authorised reply after the intruder's proves the queue moved on.
	staff.replyTo(card, "正式回复")
	u.wait("正式回复")
	for _, m := range h.api.Messages(u.chat.ID) {
		if strings.Contains(m.Text, "冒充") {
			t.Error("outsider's message relayed to the user")
		}
	}
	if len(h.api.Messages(staffChatID)) != 1 {
		t.Errorf("bot answered the outsider in the staff chat:\n%s", transcript(h.api.Messages(staffChatID)))
	}
	if !strings.Contains(h.logs.String(), "unauthorised") {
		t.Error("outsider not logged")
	}
}

func TestLowConfidenceButtonClaimAndClose(t *testing.T) {
	h, staff := withStaff(t, false)
	u := h.user(4003, "赵会计")
	u.send("这个我不确定")
	u.wait("把握不大")
	u.press("转人工")
	u.wait("工单 #1")
	card := staff.card("#1")
	if !strings.Contains(card.Text, "回答把握不大") {
		t.Errorf("reason missing:\n%s", card.Text)
	}
	h.api.Press(agent, card, "tk|claim|1")
	u.wait("工作人员已接手")
	u.send("/human")
	u.wait("正在处理中")
	h.api.Press(agent, card, "tk|close|1")
	m := u.wait("人工服务已结束")
	if len(m.Buttons()) != 0 {
		t.Errorf("no flow was interrupted, yet buttons: %v", m.Buttons())
	}
	if c, _ := staffMessage(h, card.MessageID); !strings.Contains(c.Text, "已关闭") || len(c.Buttons()) != 0 {
		t.Errorf("card not closed:\n%s %v", c.Text, c.Buttons())
	}
}

func TestForumTopicPerTicket(t *testing.T) {
	h, staff := withStaff(t, true)
	u := h.user(4004, "钱<会计> & </b>")
	u.send("/human")
	u.wait("工单 #1")
	card := staff.card("#1")
	if !strings.Contains(card.Text, "用户：钱<会计> & </b>（ID 4004）") {
		t.Errorf("hostile name not shown as text:\n%s", card.Text)
	}
	if card.MessageThreadID == 0 || len(h.api.Calls("createForumTopic")) != 1 {
		t.Fatalf("card not in its own topic (thread %d)", card.MessageThreadID)
	}
	// A plain message in the topic (no explicit reply) reaches the user.
	h.api.Send(tgfake.Message{From: &agent, Chat: staff.chat, Text: "话题里的回复", MessageThreadID: card.MessageThreadID, IsTopicMessage: true})
	u.wait("话题里的回复")
	u.send("收到，谢谢")
	if m := staff.wait("收到，谢谢"); m.MessageThreadID != card.MessageThreadID {
		t.Errorf("user message relayed outside the topic: thread %d", m.MessageThreadID)
	}
	u.send("/cancel")
	u.wait("人工服务已结束")
	staff.wait("用户已结束工单 #1")
}

func TestNoStaffChatTellsUserWhomToContact(t *testing.T) {
	h := newHarness(t)
	u := h.user(4005, "孙会计")
	u.send("/start")
	u.wait("您好")
	u.press("转人工")
	u.wait("属地财政部门")
}

// TestWhoami: in the staff chat /whoami tells anyone their user id, whether
// they are staff and the chat's id; elsewhere it is no staff command.
func TestWhoami(t *testing.T) {
	h, staff := withStaff(t, false)
	staff.send("/whoami@" + h.api.Me().Username)
	if m := staff.wait("用户编号是 501"); !strings.Contains(m.Text, "已是客服") || !strings.Contains(m.Text, "-100900") {
		t.Errorf("staff whoami: %s", m.Text)
	}
	other := &person{h: h, u: outsider, chat: staff.chat, seen: staff.seen}
	other.send("/whoami")
	if m := other.wait("用户编号是 999"); !strings.Contains(m.Text, "还不是客服") {
		t.Errorf("outsider whoami: %s", m.Text)
	}
	u := h.user(4010, "赵会计")
	u.send("/whoami")
	if m := u.wait(""); strings.Contains(m.Text, "用户编号") {
		t.Errorf("whoami answered outside the staff chat: %s", m.Text)
	}
}
