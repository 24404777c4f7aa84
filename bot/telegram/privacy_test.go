package telegram_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji/privacy/privacytest"
)

func dumpRedis(t *testing.T, rdb redis.UniversalClient, prefix string) string {
	t.Helper()
	d, err := privacytest.DumpRedis(context.Background(), rdb, prefix+"*")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestCutsMaskFirst puts a 身份证号 at every offset around each cut of
// user text (the 300 characters a turn keeps, the 160 a ticket card
// shows) and checks that no part of it reaches Redis or the staff chat in
// clear: text is masked before it is cut.
func TestCutsMaskFirst(t *testing.T) {
	h, staff := withStaff(t, false)
	g := privacytest.New(11)
	var ids []privacytest.ID
	var offsets []int
	for off := 140; off <= 162; off++ {
		offsets = append(offsets, off)
	}
	for off := 280; off <= 302; off++ {
		offsets = append(offsets, off)
	}
	for i, off := range offsets {
		id := g.IDCard18()
		if i%2 == 1 {
			id = g.IDCard18X()
		}
		ids = append(ids, id)
		u := h.user(int64(7000+i), "用户")
		u.send(strings.Repeat("问", off) + id.Value + "，继续教育要多少学分")
		u.wait("90学分")
		u.send("/human")
		u.wait("已为您转接人工服务")
		staff.card(fmt.Sprintf("#%d", i+1))
		u.send(strings.Repeat("说", off) + id.Value + "，请回电")
		staff.wait("请回电")
	}
	var staffSaw strings.Builder
	for _, m := range h.api.Messages(staffChatID) {
		staffSaw.WriteString(m.Text + "\n")
	}
	for where, text := range map[string]string{"redis": dumpRedis(t, h.rdb, h.prefix), "staff chat": staffSaw.String()} {
		if leaks := privacytest.Leaks(text, ids); len(leaks) > 0 {
			t.Errorf("%s holds identifiers in clear: %v", where, leaks)
		}
	}
}

// TestForgetDeletesTurnsAndTickets: /forget left the turn log for a week,
// and the next /human showed the forgotten conversation to staff. After
// /forget nothing of the user's text or ids is left in Redis but the
// dedupe marks and the flows' empty session (which name the chat in their
// keys only), and the tickets keep only their own record.
func TestForgetDeletesTurnsAndTickets(t *testing.T) {
	h, staff := withStaff(t, false)
	g := privacytest.New(3)
	phone, id := g.Mobile(), g.IDCard18()
	u := h.user(8800123, "王小明")
	u.send("我的手机 " + phone.Value + " 继续教育要多少学分")
	u.wait("90学分")
	u.send("/human")
	u.wait("已为您转接人工服务")
	card := staff.card("#1")
	u.send("身份证 " + id.Value + " 麻烦核对")
	staff.wait("麻烦核对")
	staff.replyTo(card, "好的，马上核对")
	u.wait("马上核对")
	u.send("/forget")
	u.wait("已清除您的资料")

	// The chat's queue and lease go once the /forget turn is done; until
	// then the queue still holds that update.
	var dump string
	h.api.Until(5*time.Second, func() bool {
		dump = dumpRedis(t, h.rdb, h.prefix)
		return !strings.Contains(dump, ":lock:{c8800123}") && !strings.Contains(dump, ":q:{c8800123}")
	})
	if leaks := privacytest.Leaks(dump, []privacytest.ID{phone, id}); len(leaks) > 0 {
		t.Errorf("Redis holds identifiers after /forget: %v", leaks)
	}
	for _, line := range strings.Split(dump, "\n") {
		key, val, _ := strings.Cut(line, " = ")
		for _, clear := range []string{"8800123", "王小明", "继续教育要多少学分", "麻烦核对", "马上核对"} {
			// Digits are left to privacytest.Leaks above: a short prefix
			// such as 138 also occurs in timestamps.
			if strings.Contains(val, clear) && !strings.HasSuffix(key, ":pending") {
				t.Errorf("after /forget %s holds %q: %s", key, clear, val)
			}
		}
		if strings.Contains(key, "8800123") && !strings.Contains(key, ":seen:") && !strings.Contains(key, ":fence:") && !strings.Contains(key, "flows:") {
			t.Errorf("after /forget key %s names the chat: %s", key, val)
		}
	}
	if m, _ := staffMessage(h, card.MessageID); strings.Contains(m.Text, "继续教育要多少学分") || strings.Contains(m.Text, "王小明") {
		t.Errorf("the card still shows the forgotten user:\n%s", m.Text)
	}

	// A new hand-off shows staff nothing of before.
	u.send("/human")
	u.wait("已为您转接人工服务")
	next := staff.card("#2")
	if strings.Contains(next.Text, "继续教育要多少学分") || strings.Contains(next.Text, "麻烦核对") {
		t.Errorf("the new card shows the forgotten conversation:\n%s", next.Text)
	}
}
