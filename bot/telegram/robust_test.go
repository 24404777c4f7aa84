package telegram_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kuaiji/kuaiji/bot/telegram"
	"github.com/kuaiji/kuaiji/internal/tgfake"
)

func count(ms []tgfake.Message, sub string) int {
	n := 0
	for _, m := range ms {
		if strings.Contains(m.Text, sub) {
			n++
		}
	}
	return n
}

func TestDuplicateUpdateHandledOnce(t *testing.T) {
	h := newHarness(t)
	u := h.user(7001, "甲")
	h.api.InjectTwice(tgfake.Update{Message: &tgfake.Message{MessageID: 1, From: &u.u, Chat: u.chat, Date: 1, Text: "回显 一号"}})
	u.send("回显 二号")
	u.wait("二号")
	if n := count(h.api.Messages(u.chat.ID), "一号"); n != 1 {
		t.Errorf("duplicate update answered %d times", n)
	}
}

func TestUpdatesOfOneChatInOrder(t *testing.T) {
	h := newHarness(t)
	u := h.user(7002, "乙")
	for _, n := range []string{"1", "2", "3", "4", "5", "6"} {
		u.send("回显 第" + n + "条")
	}
	u.wait("第6条")
	var got []string
	for _, m := range h.api.Messages(u.chat.ID) {
		if i := strings.Index(m.Text, "回显 第"); i >= 0 {
			got = append(got, m.Text[i+len("回显 第"):i+len("回显 第")+1])
		}
	}
	if strings.Join(got, "") != "123456" {
		t.Errorf("replies out of order: %v", got)
	}
}

func TestRetryAfter429AndServerErrors(t *testing.T) {
	h := newHarness(t)
	u := h.user(7003, "丙")
	h.api.Fail("sendMessage", 429, 1)
	start := time.Now()
	u.send("继续教育每年要多少学分")
	u.wait("90学分")
	if d := time.Since(start); d < time.Second {
		t.Errorf("retry_after not honoured: answered after %v", d)
	}
	h.api.Fail("sendMessage", 502, 0)
	h.api.Fail("sendMessage", 500, 0)
	u.send("回显 服务器错误之后")
	u.wait("服务器错误之后")
	if !strings.Contains(h.logs.String(), "retrying") {
		t.Error("retries not logged")
	}
	if strings.Contains(h.logs.String(), token) {
		t.Error("token in logs")
	}
}

func TestPanicContainedToOneUpdate(t *testing.T) {
	h := newHarness(t)
	u := h.user(7004, "丁")
	u.send("这个问题会恐慌")
	u.wait("系统出了点问题") // the router answers the panicking turn
	u.send("回显 之后照常")
	u.wait("之后照常")
	if !strings.Contains(h.logs.String(), "panic while handling") {
		t.Error("panic not logged")
	}
}

func TestPerChatLimiterPaces(t *testing.T) {
	lim := telegram.Limits{Global: 100, GlobalBurst: 10, PerChat: 4, PerChatBurst: 1, Attempts: 2, Backoff: 10 * time.Millisecond}
	h := newHarness(t, telegram.WithLimits(lim))
	u := h.user(7005, "戊")
	u.send("请给我长文")
	u.wait("来源：")
	var at []time.Time
	for _, c := range h.api.Calls("sendMessage") {
		at = append(at, c.At)
	}
	if len(at) < 2 {
		t.Fatalf("expected a split answer, got %d messages", len(at))
	}
	for i := 1; i < len(at); i++ {
		if gap := at[i].Sub(at[i-1]); gap < 200*time.Millisecond {
			t.Errorf("messages %d and %d only %v apart", i-1, i, gap)
		}
	}
}

func TestShutdownFinishesUpdatesInFlight(t *testing.T) {
	h := newHarness(t)
	u := h.user(7006, "己")
	h.api.Fail("sendMessage", 429, 1) // the answer waits a second
	u.send("继续教育每年要多少学分")
	if !h.api.Until(3*time.Second, func() bool { return len(h.api.Calls("sendMessage")) > 0 }) {
		t.Fatal("no answer attempted")
	}
	h.stop()
	if count(h.api.Messages(u.chat.ID), "90学分") != 1 {
		t.Error("update in flight not finished before exit")
	}
}

// These run on KUAIJI_TEST_REDIS_URL when set (make test), else on a
// miniredis: either way the second bot shares nothing with the first but
// Redis.

func TestRestartMidFlow(t *testing.T) {
	h := newHarness(t)
	u := h.user(6001, "周会计")
	run(t, u, []step{{"/check", "什么级别"}, {"[中级]", "从事会计工作"}})
	h.restart()
	// A button of the old instance's message still works.
	u.press("是")
	u.wait("劳务派遣")
	u.send("不是")
	u.wait("什么时候取得")
}

func TestRestartMidTicket(t *testing.T) {
	h, staff := withStaff(t, false)
	u := h.user(6002, "吴会计")
	run(t, u, []step{{"/materials", "哪个地区"}, {"/human", "工单 #1"}})
	card := staff.card("#1")
	h.restart()

	staff.replyTo(card, "重启后的回复")
	u.wait("重启后的回复")
	u.send("重启后用户的消息")
	staff.wait("重启后用户的消息")
	staff.replyTo(card, "/close")
	u.wait("人工服务已结束")
	u.press("继续办理")
	u.wait("哪个地区")
	u.send("/human")
	u.wait("工单 #2")
}
