package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji/internal/redistest"
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
	// A Redis database, a fake Bot API and a data directory of its own.
	t.Parallel()
	base := os.Getenv(redistest.EnvURL)
	if base == "" {
		t.Skip(redistest.EnvURL + " not set")
	}
	opt, err := redis.ParseURL(base)
	if err != nil {
		t.Fatal(err)
	}
	opt.DB = 9 // a database of its own: entry and ticket numbers start at 1
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	if err := rdb.FlushDB(context.Background()).Err(); err != nil {
		t.Fatal(err)
	}
	redisURL := fmt.Sprintf("redis://%s/9", opt.Addr)
	if opt.Password != "" {
		redisURL = fmt.Sprintf("redis://%s:%s@%s/9", opt.Username, opt.Password, opt.Addr)
	}

	token := fmt.Sprintf("%d:desk-test", rand.Int64N(1e9))
	api := tgfake.New(token)
	defer api.Close()
	staff := tgfake.Chat{ID: -100779, Type: "supergroup", Title: "帮助台"}
	api.SetChat(staff)
	agent := tgfake.User{ID: 501, FirstName: "客服小陈"}
	env := func(extra ...string) map[string]string {
		e := map[string]string{
			"TELEGRAM_BOT_TOKEN": token, "TELEGRAM_API_URL": api.URL(),
			"KUAIJI_STAFF_CHAT_ID": "-100779", "KUAIJI_STAFF_USER_IDS": "501",
			"REDIS_URL": redisURL, "KUAIJI_DATA_DIR": dataDir(t), "HTTP_ADDR": "off",
		}
		for i := 0; i+1 < len(extra); i += 2 {
			e[extra[i]] = extra[i+1]
		}
		return e
	}
	// Replica B takes webhook requests; replica A then polls, which
	// deletes the webhook, so the test hands B its updates itself.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hookAddr := ln.Addr().String()
	ln.Close()
	stopB := onceStop(serveEnv(t, env("WEBHOOK_URL", "https://bot.example.cn/kuaiji/hook", "WEBHOOK_SECRET", "sekrit", "WEBHOOK_LISTEN", hookAddr)))
	defer stopB()
	if !api.Until(20*time.Second, func() bool { return len(api.Calls("setWebhook")) == 1 }) {
		t.Fatal("replica B did not start")
	}
	envA := env()
	stopA := onceStop(serveEnv(t, envA))
	defer stopA()

	wait := func(chat int64, want string) tgfake.Message {
		t.Helper()
		var got tgfake.Message
		if !api.Until(20*time.Second, func() bool {
			for _, m := range api.Messages(chat) {
				if strings.Contains(m.Text, want) {
					got = m
					return true
				}
			}
			return false
		}) {
			var b strings.Builder
			for _, m := range api.Messages(chat) {
				b.WriteString(m.Text + "\n---\n")
			}
			t.Fatalf("no %q in chat %d:\n%s", want, chat, b.String())
		}
		return got
	}
	button := func(m tgfake.Message, label string) string {
		t.Helper()
		for _, b := range m.Buttons() {
			if b.Text == label {
				return b.CallbackData
			}
		}
		t.Fatalf("no button %q on %q", label, m.Text)
		return ""
	}

	asker := tgfake.User{ID: rand.Int64N(1e9) + 1, FirstName: "王会计"}
	api.Text(asker, "您好，我手机13812345678，继续教育发票怎么开？")
	wait(asker.ID, "来源")
	api.Text(asker, "/human")
	card := wait(staff.ID, "工单 #1")
	// The card is linked to its ticket after it is posted, and the user is
	// told after that: a reply to a card not yet linked would be ignored.
	wait(asker.ID, "已为您转接人工服务")
	api.Send(tgfake.Message{From: &agent, Chat: staff, Text: "缴费后可以在所选学习平台的个人中心申请电子发票。", ReplyToMessage: &card})
	wait(asker.ID, "工作人员回复")
	api.Send(tgfake.Message{From: &agent, Chat: staff, Text: "/close", ReplyToMessage: &card})
	offer := wait(staff.ID, "整理为常见问题？")

	api.Press(agent, offer, button(offer, "整理为常见问题"))
	draft := wait(staff.ID, "常见问题 FAQ-1")
	if !strings.Contains(draft.Text, "问题：继续教育发票怎么开？") || strings.Contains(draft.Text, "13812345678") || strings.Contains(draft.Text, "您好") {
		t.Errorf("draft card not cut to the question, or not masked:\n%s", draft.Text)
	}
	edit := func(on tgfake.Message, label, prompt, text string) tgfake.Message {
		t.Helper()
		api.Press(agent, on, button(on, label))
		p := wait(staff.ID, prompt)
		before := len(api.Messages(staff.ID))
		api.Send(tgfake.Message{From: &agent, Chat: staff, Text: text, ReplyToMessage: &p})
		var card tgfake.Message
		if !api.Until(20*time.Second, func() bool {
			for _, m := range api.Messages(staff.ID)[before:] {
				if strings.HasPrefix(m.Text, "已修改") {
					card = m
					return true
				}
			}
			return false
		}) {
			t.Fatalf("no card after editing %s", label)
		}
		return card
	}
	draft = edit(draft, "改答复", "写出新的答复全文", "缴费后可在所选学习平台的个人中心申请电子发票，抬头可写单位名称；联系电话 13912345678。")
	draft = edit(draft, "加问法", "写出另一种问法", "继教交完钱发票在哪开")
	if !strings.Contains(draft.Text, "抬头可写单位名称") || !strings.Contains(draft.Text, "继教交完钱发票在哪开") || strings.Contains(draft.Text, "13912345678") {
		t.Errorf("edited card:\n%s", draft.Text)
	}
	api.Press(agent, draft, button(draft, "发布"))
	wait(staff.ID, "已发布 FAQ-1")

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
	other := tgfake.User{ID: rand.Int64N(1e9) + 1, FirstName: "李会计"}
	got := askUntil(func() { api.Text(other, "继续教育交了费，发票去哪里开？") }, other, true)
	if !strings.Contains(got.Text, "抬头可写单位名称") || !strings.Contains(got.Text, "来源：帮助台答复（") || !strings.Contains(got.Text, "经审核）") {
		t.Errorf("second user's answer:\n%s", got.Text)
	}

	// Replica B answers with the entry too.
	third := tgfake.User{ID: rand.Int64N(1e9) + 1, FirstName: "赵会计"}
	update := int64(900000)
	post := func(u tgfake.User, text string) {
		update++
		body, _ := json.Marshal(tgfake.Update{UpdateID: update, Message: &tgfake.Message{MessageID: int(update), From: &u,
			Chat: tgfake.Private(u), Date: time.Now().Unix(), Text: text}})
		req, _ := http.NewRequest(http.MethodPost, "http://"+hookAddr+"/kuaiji/hook", bytes.NewReader(body))
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", "sekrit")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	askUntil(func() { post(third, "继教交完钱发票在哪开？") }, third, true)

	if out, errOut, err := runEnv(t, envA, "", "faq", "retire", "1"); err != nil || !strings.Contains(out, "已停用 FAQ-1") {
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
	if !api.Until(20*time.Second, func() bool { return answers(other) >= asked[other.ID] && answers(third) >= asked[third.ID] }) {
		t.Fatalf("answers %d and %d for %d and %d asks", answers(other), answers(third), asked[other.ID], asked[third.ID])
	}
	out, _, _ := runEnv(t, envA, "", "faq", "list", "--all")
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
	if err := stopA(); err != nil {
		t.Errorf("replica A: %v", err)
	}
	if err := stopB(); err != nil {
		t.Errorf("replica B: %v", err)
	}
}

// onceStop makes a serve's stop safe to defer and call.
func onceStop(stop func() error) func() error { return sync.OnceValue(stop) }
