package main

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kuaiji/kuaiji/internal/tgfake"
)

// TestServeHelpDeskAnswerBecomesFAQ runs the loop through `kuaiji serve`
// on the fake Bot API and a real Redis, with a second replica in webhook
// mode: a user asks, is handed off, staff answers and closes, the draft is
// offered, edited and published; a second user in another chat asks the
// same thing in other words and gets the staff answer with its
// provenance, and so does a third on the other replica; retiring the
// entry stops it.
func TestServeHelpDeskAnswerBecomesFAQ(t *testing.T) {
	// A Redis database (entry and ticket numbers start at 1), a fake Bot
	// API and, for each replica, a data directory of its own.
	t.Parallel()
	// Replica B takes webhook requests; replica A then polls, which
	// deletes the webhook, so the test hands B its updates itself.
	h := newServeHarness(t, withRedisDB(9), withStaff(-100779), withEnv("HTTP_ADDR", "off"), withWebhook("/kuaiji/hook", "sekrit"))
	replicaB := h.serveReplica
	replicaA := h.start()
	api, staff := h.api, h.staff.ID

	asker := newUser("王会计")
	h.ask(asker, "您好，我手机13812345678，继续教育发票怎么开？", "来源")
	api.Text(asker, "/human")
	card := h.wait(staff, "工单 #1")
	// The card is linked to its ticket after it is posted, and the user is
	// told after that: a reply to a card not yet linked would be ignored.
	h.wait(asker.ID, "已为您转接人工服务")
	h.staffReply(card, "缴费后可以在所选学习平台的个人中心申请电子发票。")
	h.wait(asker.ID, "工作人员回复")
	h.staffReply(card, "/close")
	offer := h.wait(staff, "整理为常见问题？")

	h.press(offer, "整理为常见问题")
	draft := h.wait(staff, "常见问题 FAQ-1")
	if !strings.Contains(draft.Text, "问题：继续教育发票怎么开？") || strings.Contains(draft.Text, "13812345678") || strings.Contains(draft.Text, "您好") {
		t.Errorf("draft card not cut to the question, or not masked:\n%s", draft.Text)
	}
	edit := func(on tgfake.Message, label, prompt, text string) tgfake.Message {
		t.Helper()
		h.press(on, label)
		p := h.wait(staff, prompt)
		before := api.Count(staff)
		h.staffReply(p, text)
		return h.waitMatch(staff, before, "card after editing "+label, func(m tgfake.Message) bool { return strings.HasPrefix(m.Text, "已修改") })
	}
	draft = edit(draft, "改答复", "写出新的答复全文", "缴费后可在所选学习平台的个人中心申请电子发票，抬头可写单位名称；联系电话 13912345678。")
	draft = edit(draft, "加问法", "写出另一种问法", "继教交完钱发票在哪开")
	if !strings.Contains(draft.Text, "抬头可写单位名称") || !strings.Contains(draft.Text, "继教交完钱发票在哪开") || strings.Contains(draft.Text, "13912345678") {
		t.Errorf("edited card:\n%s", draft.Text)
	}
	h.press(draft, "发布")
	h.wait(staff, "已发布 FAQ-1")

	// Each replica takes up the entry on its next poll of the version
	// (every two seconds): ask until it answers, and say what it answered.
	// Only answers to the asks made from then on count: an older answer
	// (before publishing, or before retiring) says nothing about now.
	asked := map[int64]int{}
	isAnswer := func(m tgfake.Message, desk bool) bool {
		return strings.Contains(m.Text, "帮助台答复") == desk && strings.Contains(m.Text, "来源")
	}
	askUntil := func(ask func(), u tgfake.User, want bool) tgfake.Message {
		t.Helper()
		for range 40 {
			from := len(api.Messages(u.ID))
			ask()
			asked[u.ID]++
			var got tgfake.Message
			if api.Until(time.Second, func() bool {
				for _, m := range api.Messages(u.ID)[from:] {
					if isAnswer(m, want) {
						got = m
						return true
					}
				}
				return false
			}) {
				return got
			}
		}
		t.Fatalf("user %d never got an answer with the entry = %v", u.ID, want)
		return tgfake.Message{}
	}

	// Another user, in another chat, in other words.
	other := newUser("李会计")
	got := askUntil(func() { api.Text(other, "继续教育交了费，发票去哪里开？") }, other, true)
	if !strings.Contains(got.Text, "抬头可写单位名称") || !strings.Contains(got.Text, "来源：帮助台答复（") || !strings.Contains(got.Text, "经审核）") {
		t.Errorf("second user's answer:\n%s", got.Text)
	}

	// Replica B answers with the entry too.
	third := newUser("赵会计")
	askUntil(func() { replicaB.post(third, "继教交完钱发票在哪开？") }, third, true)

	if out, errOut, err := replicaA.run("faq", "retire", "1"); err != nil || !strings.Contains(out, "已停用 FAQ-1") {
		t.Fatalf("retire: %v\n%s%s", err, out, errOut)
	}
	askUntil(func() { api.Text(other, "继续教育交了费，发票去哪里开？") }, other, false)
	// Every answer given with the entry was counted, on either replica,
	// once: wait for the answer to every ask (an ask repeated while the
	// entry was on its way is answered too), then compare.
	answers := func(u tgfake.User) int {
		n := 0
		for _, m := range api.Messages(u.ID) {
			if strings.Contains(m.Text, "来源") {
				n++
			}
		}
		return n
	}
	if !api.Until(patience, func() bool { return answers(other) >= asked[other.ID] && answers(third) >= asked[third.ID] }) {
		t.Fatalf("answers %d and %d for %d and %d asks", answers(other), answers(third), asked[other.ID], asked[third.ID])
	}
	out, _, _ := replicaA.run("faq", "list", "--all")
	var hits int
	if m := regexp.MustCompile(`FAQ-1 · 已停用 · 全国 · 命中 (\d+)`).FindStringSubmatch(out); m != nil {
		hits, _ = strconv.Atoi(m[1])
	}
	given := 0
	for _, u := range []tgfake.User{other, third} {
		for _, m := range api.Messages(u.ID) {
			if strings.Contains(m.Text, "来源：帮助台答复") {
				given++
			}
		}
	}
	if hits != given || given < 2 {
		var b strings.Builder
		for _, u := range []tgfake.User{other, third} {
			for _, m := range api.Messages(u.ID) {
				b.WriteString(m.Text + "\n---\n")
			}
		}
		t.Errorf("faq list, want FAQ-1 retired with its %d hits from both replicas:\n%s\n%s", given, out, b.String())
	}
	if err := replicaA.stop(); err != nil {
		t.Errorf("replica A: %v", err)
	}
	if err := replicaB.stop(); err != nil {
		t.Errorf("replica B: %v", err)
	}
}
