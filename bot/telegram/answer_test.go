package telegram_test

import (
	"strings"
	"testing"

	"github.com/kuaiji/kuaiji/internal/tgfake"
)

func TestCitedAnswerWithTyping(t *testing.T) {
	h := newHarness(t)
	u := h.user(2001, "小张")
	u.send("继续教育每年要多少学分？")
	m := u.wait("90学分")
	if !strings.Contains(m.Text, "来源：\n[1] 会计专业技术人员继续教育规定 · 第十二条") {
		t.Errorf("no numbered source:\n%s", m.Text)
	}
	calls := h.api.Calls("")
	var action, send int = -1, -1
	for i, c := range calls {
		if c.Method == "sendChatAction" && c.Params["action"] == "typing" && action < 0 {
			action = i
		}
		if c.Method == "sendMessage" && send < 0 {
			send = i
		}
	}
	if action < 0 || action > send {
		t.Errorf("typing action missing or after the answer (action %d, send %d)", action, send)
	}
	if calls[send].Params["parse_mode"] != "HTML" {
		t.Errorf("parse_mode = %q", calls[send].Params["parse_mode"])
	}
}

func TestLowConfidenceOffersHuman(t *testing.T) {
	h := newHarness(t)
	u := h.user(2002, "小赵")
	u.send("这个我也不确定怎么办")
	m := u.wait("把握不大")
	b, ok := m.Button("转人工")
	if !ok || b.CallbackData != "v1|human|low" {
		t.Fatalf("no 转人工 button: %+v", m.Buttons())
	}
	// No staff chat configured: the user learns whom to contact.
	u.press("转人工")
	u.wait("属地财政部门")
}

func TestLongAnswerSplitAtParagraphs(t *testing.T) {
	h := newHarness(t)
	u := h.user(2003, "小孙")
	u.send("请给我长文")
	u.wait("来源：")
	ms := h.api.Messages(u.chat.ID)
	if len(ms) < 2 {
		t.Fatalf("long answer not split: %d messages", len(ms))
	}
	for i, m := range ms {
		if tgfake.Length(m.Text) > tgfake.MaxMessageLength {
			t.Errorf("part %d too long: %d", i, tgfake.Length(m.Text))
		}
		if !strings.HasPrefix(m.Text, "第") {
			t.Errorf("part %d does not start at a paragraph: %.20q", i, m.Text)
		}
	}
	if n := strings.Count(strings.Join(texts(ms), ""), "第"); n < 12 {
		t.Errorf("paragraphs lost: %d", n)
	}
}

func texts(ms []tgfake.Message) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Text
	}
	return out
}

func TestHostileTextEscaped(t *testing.T) {
	h := newHarness(t)
	u := h.user(2004, "<b>黑客</b>")
	hostile := `回显 <script>alert(1)</script> & <b>未闭合 <i> &amp; </u> "引号"`
	u.send(hostile)
	m := u.wait("您问的是")
	for _, want := range []string{"<script>alert(1)</script>", "& <b>未闭合 <i> &amp; </u>", `"引号"`, "<b>标题</b> & 附件 · 第<1>条"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("visible text lacks %q:\n%s", want, m.Text)
		}
	}
	if strings.Contains(m.HTML, "<script>") {
		t.Errorf("raw tag sent: %s", m.HTML)
	}
}

func TestImageNotDownloaded(t *testing.T) {
	h := newHarness(t)
	u := h.user(2005, "小周")
	h.api.Send(tgfake.Message{From: &u.u, Chat: u.chat, Photo: []tgfake.PhotoSize{{FileID: "p1", FileUniqueID: "u1", Width: 90, Height: 90}}})
	u.wait("不能识别或核对图片")
	for _, c := range h.api.Calls("") {
		if c.Method == "getFile" {
			t.Error("the bot asked for the image file")
		}
	}
}

func TestGroupAnswersOnlyCommandsAndMentions(t *testing.T) {
	h := newHarness(t)
	group := tgfake.Chat{ID: -100500, Type: "supergroup", Title: "会计交流群"}
	h.api.SetChat(group)
	u := h.user(2006, "群友")
	u.chat = group
	u.send("大家好，今天天气不错")
	u.send("/help@other_bot")
	u.send("@kuaiji_test_bot 继续教育要多少学分")
	m := u.wait("90学分")
	if ms := h.api.Messages(group.ID); len(ms) != 1 || ms[0].MessageID != m.MessageID {
		t.Errorf("bot answered unaddressed messages:\n%s", transcript(ms))
	}
	u.send("/help@kuaiji_test_bot")
	u.wait("/check")
}
