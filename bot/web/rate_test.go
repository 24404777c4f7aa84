package web_test

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/kuaiji/kuaiji/bot"
)

// stored reads the ratings kept in Redis straight from the stream the
// feedback store writes: vote and reason code of each, oldest first.
func (s *site) stored(t *testing.T) []string {
	t.Helper()
	xs, err := s.rdb.XRange(context.Background(), s.prefix+"{feedback}", "-", "+").Result()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, x := range xs {
		v, _ := x.Values["v"].(string)
		if rc, _ := x.Values["rc"].(string); rc != "" {
			v += ":" + rc
		}
		out = append(out, v)
	}
	return out
}

// sameSession opens a second tab of the browser on url: the same cookie,
// so the same conversation, shown as it was when the tab loaded.
func (b *tab) sameSession(url string) *tab {
	b.t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx)
	b.t.Cleanup(cancel)
	// The tab opens on ctx itself: one opened under a shorter deadline
	// would close with it.
	if err := chromedp.Do(ctx); err != nil {
		b.t.Fatalf("open a second tab: %v", err)
	}
	o := &tab{t: b.t, ctx: ctx}
	o.do("open a second tab", chromedp.Navigate(url))
	return o
}

// lastAnswer is a JavaScript expression: the newest bot message with text.
func lastAnswer(text string) string {
	return `[...document.querySelectorAll('[data-role="bot"]')].filter(e => e.querySelector(".text").textContent.includes(` + js(text) + `)).pop()`
}

// idle is true once no turn is running on the page.
const idle = `!document.querySelector("button.send").disabled`

func TestBrowserRatingCountsOnce(t *testing.T) {
	b := browser(t)
	s := newSite(t)
	s.rated = true
	s.restart()
	b.do("open the page", chromedp.Navigate(s.URL()+"/"))
	b.waitBot("您好")
	b.ask("继续教育每年要多少学分")
	b.waitBot("90学分")
	answer := lastAnswer("90学分")
	if got := b.eval(answer + `.querySelector(".choices").innerText.replace(/\s+/g, " ")`); got != "👍 有帮助 👎 没帮助" {
		t.Errorf("buttons under the answer = %q, want 👍 有帮助 👎 没帮助", got)
	}
	if n := b.eval(`String([...document.querySelectorAll('[data-role="bot"]')].filter(e => e.textContent.includes("👍")).length)`); n != "1" {
		t.Errorf("%s messages offer a rating, want only the answer", n)
	}

	// A second tab of the session, loaded before the tap, still shows the
	// buttons; its tap comes after the first.
	other := b.sameSession(s.URL() + "/")
	other.until("the answer's buttons in the second tab", answer+`?.querySelectorAll("button").length === 2`)

	b.press("👍 有帮助")
	b.until("the thank-you in place of the buttons", answer+`.querySelector(".note")?.textContent === "👍 谢谢您的反馈" && `+
		answer+`.querySelectorAll("button").length === 0 && `+idle)
	if got := s.stored(t); len(got) != 1 || got[0] != "up" {
		t.Fatalf("stored ratings after one 👍 = %q, want [up]", got)
	}

	other.press("👎 没帮助")
	other.until("the second tap answered", answer+`.querySelector(".note")?.textContent === `+js(bot.RatedBeforeText)+` && `+idle)
	if n := other.eval(`String([...document.querySelectorAll('[data-role="bot"]')].filter(e => e.textContent.includes(` + js(bot.ReasonPrompt) + `)).length)`); n != "0" {
		t.Errorf("the second tap asked for a reason (%s prompts)", n)
	}
	if got := s.stored(t); len(got) != 1 || got[0] != "up" {
		t.Errorf("stored ratings after a second tap = %q, want [up] still", got)
	}

	// A reload shows the first tap's thank-you, and no buttons.
	b.do("reload", chromedp.Reload())
	b.waitBot("90学分")
	if got := b.eval(answer + `.querySelector(".note")?.textContent + "|" + ` + answer + `.querySelectorAll("button").length`); got != "👍 谢谢您的反馈|0" {
		t.Errorf("after a reload the answer shows %q, want its thank-you and no buttons", got)
	}
}

func TestBrowserDislikeAsksReasonOnce(t *testing.T) {
	b := browser(t)
	s := newSite(t)
	s.rated = true
	s.restart()
	b.do("open the page", chromedp.Navigate(s.URL()+"/"))
	b.waitBot("您好")
	b.ask("继续教育每年要多少学分")
	b.waitBot("90学分")
	other := b.sameSession(s.URL() + "/")
	other.until("the answer's buttons in the second tab", lastAnswer("90学分")+`?.querySelectorAll("button").length === 2`)

	b.press("👎 没帮助")
	b.waitBot(bot.ReasonPrompt)
	prompt := lastAnswer(bot.ReasonPrompt)
	if got := b.eval(prompt + `.querySelector(".choices").innerText.replace(/\s+/g, " ")`); got != "答非所问 信息过时 不完整 看不懂 其他" {
		t.Errorf("reasons offered = %q", got)
	}
	if got := b.eval(lastAnswer("90学分") + `.querySelector(".note")?.textContent`); got != "👎 谢谢您的反馈" {
		t.Errorf("the disliked answer shows %q, want 👎 谢谢您的反馈", got)
	}
	b.press("答非所问")
	b.until("the reason acknowledged", prompt+`.querySelector(".chosen")?.textContent === "✅ 答非所问" && `+
		prompt+`.querySelector(".note")?.textContent === `+js(bot.ReasonThanksText)+` && `+idle)
	if got := s.stored(t); len(got) != 1 || got[0] != "down:wrong" {
		t.Fatalf("stored ratings = %q, want [down:wrong]", got)
	}

	// The stale tab's 👎 asks nothing more, and changes nothing.
	other.press("👎 没帮助")
	other.until("the second tap answered", lastAnswer("90学分")+`.querySelector(".note")?.textContent === `+js(bot.RatedBeforeText)+` && `+idle)
	b.do("reload", chromedp.Reload())
	b.waitBot("90学分")
	if n := b.eval(`String([...document.querySelectorAll('[data-role="bot"]')].filter(e => e.querySelector(".text").textContent === ` + js(bot.ReasonPrompt) + `).length)`); n != "1" {
		t.Errorf("%s reason prompts in the conversation, want 1", n)
	}
	if got := s.stored(t); len(got) != 1 || got[0] != "down:wrong" {
		t.Errorf("stored ratings after a second tap = %q, want [down:wrong] still", got)
	}
}
