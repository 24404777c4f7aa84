package telegram_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kuaiji/kuaiji/bot"
	"github.com/kuaiji/kuaiji/feedback"
	"github.com/kuaiji/kuaiji/internal/redistest"
	"github.com/kuaiji/kuaiji/internal/tgfake"
)

func labels(m tgfake.Message) string {
	var out []string
	for _, b := range m.Buttons() {
		out = append(out, b.Text)
	}
	return strings.Join(out, " ")
}

// current is message id as the chat shows it now.
func current(h *harness, chat int64, id int) tgfake.Message {
	for _, m := range h.api.Messages(chat) {
		if m.MessageID == id {
			return m
		}
	}
	h.t.Fatalf("message %d gone", id)
	return tgfake.Message{}
}

func toast(h *harness, cb string) string {
	h.t.Helper()
	var got string
	if !h.api.Until(5*time.Second, func() bool { s, ok := h.api.Answered(cb); got = s; return ok }) {
		h.t.Fatalf("press %s never answered", cb)
	}
	return got
}

func ratings(t *testing.T, fb *feedback.Store) []feedback.Rating {
	t.Helper()
	rs, err := fb.Since(context.Background(), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func TestRateAnswerDownWithReason(t *testing.T) {
	h := newHarnessFrom(t, &harness{api: tgfake.New(token), ratings: true})
	p := h.user(7001, "甲")
	p.send("/check")
	if step := p.wait("什么级别"); strings.Contains(labels(step), "👍") {
		t.Errorf("a flow step offers a rating: %s", labels(step))
	}
	p.send("/cancel")
	p.send("继续教育每年多少学分？")
	ans := p.wait("90学分")
	if got := labels(ans); got != "👍 有帮助 👎 没帮助" {
		t.Fatalf("buttons under the answer: %q", got)
	}
	down, _ := ans.Button("👎 没帮助")
	cb := p.press("👎 没帮助")
	prompt := p.wait("方便告诉我们原因")
	if got := toast(h, cb); got != bot.RateThanksText {
		t.Errorf("toast %q", got)
	}
	if prompt.ReplyToMessage == nil || prompt.ReplyToMessage.MessageID != ans.MessageID {
		t.Errorf("the prompt does not reply to the answer")
	}
	if got := labels(prompt); got != "答非所问 信息过时 不完整 看不懂 其他" {
		t.Errorf("reasons: %q", got)
	}
	edited := current(h, ans.Chat.ID, ans.MessageID)
	if got := labels(edited); got != "👎 谢谢您的反馈" || edited.Text != ans.Text {
		t.Errorf("answer after 👎: %q / %q", edited.Text, got)
	}

	// A second tap on the keyboard as it was (a double tap) counts nothing
	// and asks nothing.
	_, cb2 := h.api.Press(p.u, ans, down.CallbackData)
	if got := toast(h, cb2); got != bot.RatedBeforeText {
		t.Errorf("second tap: toast %q", got)
	}

	cb3 := p.press("不完整")
	if got := toast(h, cb3); got != bot.ReasonThanksText {
		t.Errorf("reason toast %q", got)
	}
	if !h.api.Until(5*time.Second, func() bool {
		m := current(h, prompt.Chat.ID, prompt.MessageID)
		return strings.HasSuffix(m.Text, "✅ 不完整") && len(m.Buttons()) == 0
	}) {
		t.Errorf("prompt not marked: %q", current(h, prompt.Chat.ID, prompt.MessageID).Text)
	}
	if n := count(h.api.Messages(p.chat.ID), "方便告诉我们原因"); n != 1 {
		t.Errorf("asked for a reason %d times", n)
	}
	rs := ratings(t, h.feedback())
	if len(rs) != 1 || rs[0].Up || rs[0].Reason != "incomplete" || rs[0].Question != "继续教育每年多少学分？" ||
		len(rs[0].Sources) != 1 || rs[0].Sources[0] != "cpe-rules" {
		t.Errorf("stored %+v", rs)
	}
}

func TestReplyToThePromptIsTheReason(t *testing.T) {
	h := newHarnessFrom(t, &harness{api: tgfake.New(token), ratings: true})
	p := h.user(7002, "乙")
	p.send("继续教育每年多少学分？")
	ans := p.wait("90学分")
	p.press("👎 没帮助")
	prompt := p.wait("方便告诉我们原因")
	h.api.Send(tgfake.Message{From: &p.u, Chat: p.chat, Text: "没说清楚深圳，邮箱 zhang.san@example.com 身份证 110101199003078515",
		ReplyToMessage: &prompt})
	p.wait(bot.ReasonThanksText)
	if m := current(h, prompt.Chat.ID, prompt.MessageID); !strings.HasSuffix(m.Text, "✅ 其他") || len(m.Buttons()) != 0 {
		t.Errorf("prompt after the reason: %q %q", m.Text, labels(m))
	}
	rs := ratings(t, h.feedback())
	if len(rs) != 1 || rs[0].Reason != "other" || !strings.Contains(rs[0].Text, "没说清楚深圳") ||
		strings.Contains(rs[0].Text, "zhang.san@example.com") || strings.Contains(rs[0].Text, "110101199003078515") {
		t.Errorf("stored %+v", rs)
	}
	// Any other text is a question again.
	p.send("继续教育学分怎么算？")
	if m := p.wait("90学分"); m.MessageID == ans.MessageID || labels(m) != "👍 有帮助 👎 没帮助" {
		t.Errorf("the next question: %q", labels(m))
	}
}

// TestReplicasCountADoubleTapOnce: the two presses of a double tap reach
// two webhook replicas at once; one rating is stored and one prompt sent.
func TestReplicasCountADoubleTapOnce(t *testing.T) {
	r := newReplicasWith(t, 2, true)
	u := tgfake.User{ID: 9501, FirstName: "戊"}
	r.post(0, r.text(u, "继续教育每年多少学分？"))
	r.waitFor(u.ID, "90学分", 1)
	var ans tgfake.Message
	for _, m := range r.api.Messages(u.ID) {
		if strings.Contains(m.Text, "90学分") {
			ans = m
		}
	}
	down, ok := ans.Button("👎 没帮助")
	if !ok {
		t.Fatalf("no 👎 under %q", ans.Text)
	}
	var wg sync.WaitGroup
	for i := range 2 {
		r.next++
		up := tgfake.Update{UpdateID: r.next, CallbackQuery: &tgfake.CallbackQuery{ID: "tap" + string(rune('a'+i)), From: u,
			Message: &ans, ChatInstance: "1", Data: down.CallbackData}}
		wg.Go(func() { r.post(i, up) })
	}
	wg.Wait()
	r.waitFor(u.ID, "方便告诉我们原因", 1)
	if !r.api.Until(5*time.Second, func() bool {
		_, a := r.api.Answered("tapa")
		_, b := r.api.Answered("tapb")
		return a && b
	}) {
		t.Fatal("presses not answered")
	}
	if n := count(r.api.Messages(u.ID), "方便告诉我们原因"); n != 1 {
		t.Errorf("a double tap asked for a reason %d times", n)
	}
	rs, err := feedback.New(redistest.Real(t), feedback.WithPrefix(r.prefix)).Since(context.Background(), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 1 {
		t.Errorf("a double tap stored %d ratings", len(rs))
	}
}
