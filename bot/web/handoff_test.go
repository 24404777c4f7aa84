package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"golang.org/x/time/rate"

	"github.com/kuaiji/kuaiji/bot"
	"github.com/kuaiji/kuaiji/bot/handoff"
	"github.com/kuaiji/kuaiji/bot/telegram"
	"github.com/kuaiji/kuaiji/bot/web"
	"github.com/kuaiji/kuaiji/internal/tgfake"
	"github.com/kuaiji/kuaiji/privacy/privacytest"
)

const (
	token       = "123456:TEST-token-secret"
	staffChatID = -100900
)

var (
	staffChat = tgfake.Chat{ID: staffChatID, Type: "supergroup", Title: "帮助台"}
	agent     = tgfake.User{ID: 501, FirstName: "客服小陈"}
)

// withDesk attaches the Telegram staff desk, on the fake Bot API, to the
// site: web users' tickets go to its staff chat.
func withDesk(t *testing.T, s *site) *tgfake.Server {
	t.Helper()
	api := tgfake.New(token)
	t.Cleanup(api.Close)
	api.SetChat(staffChat)
	idx, list := corpus(t)
	ad, err := telegram.New(context.Background(), token, s.router, s.rdb,
		telegram.WithServerURL(api.URL()),
		telegram.WithKeyPrefix(s.prefix),
		telegram.WithStaff(staffChatID, map[int64]bool{agent.ID: true}),
		telegram.WithDescriber(handoff.NewDescriber(s.store, list, bot.PlacesFrom(idx.Places()))),
		telegram.WithChannel(web.Channel, s.srv),
		telegram.WithLimits(telegram.Limits{Global: rate.Inf, PerChat: rate.Inf, Attempts: 4, Backoff: 10 * time.Millisecond}),
		telegram.WithPollTimeout(2*time.Second),
	)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ad.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	s.srv.SetStaff(ad)
	return api
}

// staffSees waits for a message in the staff chat containing want.
func staffSees(t *testing.T, api *tgfake.Server, want string) tgfake.Message {
	t.Helper()
	var got tgfake.Message
	if !api.Until(30*time.Second, func() bool {
		for _, m := range api.Messages(staffChatID) {
			if strings.Contains(m.Text, want) {
				got = m
				return true
			}
		}
		return false
	}) {
		var all []string
		for _, m := range api.Messages(staffChatID) {
			all = append(all, m.Text)
		}
		t.Fatalf("staff chat has no message with %q:\n%s", want, strings.Join(all, "\n---\n"))
	}
	return got
}

func TestBrowserHandoffToTelegramStaff(t *testing.T) {
	b := browser(t)
	s := newSite(t)
	api := withDesk(t, s)
	b.do("open the page", chromedp.Navigate(s.URL()+"/"))
	b.waitBot("您好")
	b.ask("继续教育每年要多少学分")
	b.waitBot("90学分")
	b.press("是否需要采集")
	b.waitBot("是什么级别")
	b.press("中级")
	b.waitBot("是否在单位从事会计工作")
	b.ask("/human")
	b.waitBot("工单 #1")

	// The same card as for a Telegram user, marked as a web user, with
	// the flow and the conversation so far.
	card := staffSees(t, api, "工单 #1 ·")
	for _, want := range []string{"网页用户", "渠道：网页对话", "用户发送了 /human", "是否需要信息采集", "：中级", "继续教育每年要多少学分"} {
		if !strings.Contains(card.Text, want) {
			t.Errorf("card lacks %q:\n%s", want, card.Text)
		}
	}

	// The user's messages reach staff, masked.
	b.ask("我的手机号是13812345678，麻烦回电")
	relayed := staffSees(t, api, "麻烦回电")
	if strings.Contains(relayed.Text, "13812345678") || !strings.Contains(relayed.Text, "138****5678") {
		t.Errorf("phone not masked for staff: %s", relayed.Text)
	}
	if strings.Contains(b.messages(), "13812345678") {
		t.Errorf("the page keeps the phone number in clear:\n%s", b.messages())
	}

	// A staff reply appears on the open page.
	api.Send(tgfake.Message{From: &agent, Chat: staffChat, Text: "您好，我是客服小陈，请问您在哪个城市？", ReplyToMessage: &card})
	b.waitBot("工作人员回复：\n您好，我是客服小陈")

	// One sent while the page is closed waits there.
	b.do("leave", chromedp.Navigate("about:blank"))
	api.Send(tgfake.Message{From: &agent, Chat: staffChat, Text: "稍后给您回电。", ReplyToMessage: &card})
	kept := api.Until(10*time.Second, func() bool {
		hist, _ := s.rdb.Keys(context.Background(), s.prefix+"web:hist:*").Result()
		for _, k := range hist {
			vs, _ := s.rdb.LRange(context.Background(), k, -1, -1).Result()
			if len(vs) == 1 && strings.Contains(vs[0], "稍后给您回电") {
				return true
			}
		}
		return false
	})
	if !kept {
		t.Fatal("the staff reply sent while the page was closed was not kept")
	}
	b.do("come back", chromedp.Navigate(s.URL()+"/"))
	b.waitBot("稍后给您回电")

	// Closing hands the chat back to the bot, which offers to resume the
	// interrupted flow where it stopped.
	api.Send(tgfake.Message{From: &agent, Chat: staffChat, Text: "/close", ReplyToMessage: &card})
	b.waitBot("人工服务已结束（工单 #1）")
	b.press("继续办理")
	b.until("the flow resumes at its question", `[...document.querySelectorAll('[data-role="bot"]')].slice(-2).some(e => e.textContent.includes("是否在单位从事会计工作"))`)
}

// TestCutsMaskFirst puts a 身份证号 at every offset around the 300
// characters a turn keeps for a ticket card and checks that no part of it
// reaches Redis in clear: a web user's text is masked before it is cut, as
// a Telegram user's is.
func TestCutsMaskFirst(t *testing.T) {
	s := newSite(t)
	withDesk(t, s)
	g := privacytest.New(12)
	var ids []privacytest.ID
	for off := 280; off <= 302; off++ {
		id := g.IDCard18()
		if off%2 == 1 {
			id = g.IDCard18X()
		}
		ids = append(ids, id)
		// A visitor each, as one may send only so many in a row.
		visit(t, s.URL()).say(strings.Repeat("问", off) + id.Value + "，继续教育要多少学分")
	}
	dump, err := privacytest.DumpRedis(context.Background(), s.rdb, s.prefix+"*")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(dump, strings.Repeat("问", 280)) {
		t.Fatal("the turns were not recorded; the test proves nothing")
	}
	if leaks := privacytest.Leaks(dump, ids); len(leaks) > 0 {
		t.Errorf("Redis holds identifiers in clear: %v", leaks)
	}
}
