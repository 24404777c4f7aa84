package telegram_test

import (
	"sync"
	"testing"
	"time"

	"github.com/kuaiji/kuaiji/bot/telegram"
	"github.com/kuaiji/kuaiji/internal/tgfake"
)

// recorder collects what the hooks are told.
type recorder struct {
	mu     sync.Mutex
	counts map[string]int
	waits  []time.Duration
}

func (r *recorder) add(k string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.counts[k]++
}

func (r *recorder) get(k string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.counts[k]
}

func (r *recorder) hooks() telegram.Hooks {
	return telegram.Hooks{
		Update:   func(kind string) { r.add("update:" + kind) },
		APIError: func(method, code string) { r.add("error:" + method + ":" + code) },
		Handoff:  func(event string) { r.add("handoff:" + event) },
		FirstStaffReply: func(d time.Duration) {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.waits = append(r.waits, d)
		},
	}
}

// TestHooksSeeUpdatesErrorsAndHandoffs drives a chat, a failing send and
// a whole hand-off, and checks what the hooks were told.
func TestHooksSeeUpdatesErrorsAndHandoffs(t *testing.T) {
	rec := &recorder{counts: map[string]int{}}
	api := tgfake.New(token)
	api.SetChat(staffChat)
	h := newHarnessOn(t, api, telegram.WithStaff(staffChatID, map[int64]bool{agent.ID: true}), telegram.WithHooks(rec.hooks()))
	staff := &person{h: h, u: agent, chat: staffChat}
	u := h.user(4101, "钱会计")

	api.Fail("sendMessage", 429, 0)
	run(t, u, []step{{"继续教育要多少学分", "90学分"}, {"/human", "工单 #1"}})
	card := staff.card("#1")
	staff.replyTo(card, "您好，请问您在哪个城市？")
	u.wait("工作人员回复")
	staff.replyTo(card, "还在吗？")
	u.wait("还在吗")
	staff.replyTo(card, "/close")
	u.wait("人工服务已结束")

	want := map[string]int{
		"update:message": 1, "update:command": 1, "update:staff": 3,
		"error:sendMessage:429": 1,
		"handoff:opened":        1, "handoff:claimed": 1, "handoff:closed": 1,
	}
	if !api.Until(5*time.Second, func() bool { return rec.get("handoff:closed") == 1 }) {
		t.Fatal("close not seen")
	}
	for k, n := range want {
		if got := rec.get(k); got != n {
			t.Errorf("%s = %d, want %d (all: %v)", k, got, n, rec.counts)
		}
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.waits) != 1 || rec.waits[0] < 0 || rec.waits[0] > time.Minute {
		t.Errorf("first staff reply waits = %v, want one", rec.waits)
	}
}
