package web_test

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kuaiji/kuaiji/bot/web"
)

var screenshot = flag.Bool("screenshot", false, "write the page as docs/web-chat.png")

// browser starts headless Chromium: KUAIJI_TEST_CHROMIUM (set by
// scripts/with-chromium.sh under make test, where a browser that does not
// start fails the test), else one on PATH, else the test is skipped.
func browser(t *testing.T) *tab {
	t.Helper()
	path := os.Getenv("KUAIJI_TEST_CHROMIUM")
	if path == "" {
		for _, n := range []string{"chromium", "chromium-browser", "google-chrome"} {
			if p, err := exec.LookPath(n); err == nil {
				path = p
				break
			}
		}
	}
	if path == "" {
		t.Skip("no Chromium found (make test installs it with scripts/with-chromium.sh)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.WindowSize(390, 844), // a phone: the page is mobile first
		// Frames of other sites stay in the page's process, so the test
		// can look inside the widget's iframe.
		chromedp.Flag("disable-features", "IsolateOrigins,site-per-process"),
		chromedp.Flag("disable-site-isolation-trials", true),
		chromedp.Flag("lang", "zh-CN"),
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelC(); cancelA() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start %s: %v", path, err)
	}
	return &tab{t: t, ctx: ctx}
}

// tab drives the page (or, with frame set, the chat in the widget's frame).
type tab struct {
	t     *testing.T
	ctx   context.Context
	frame *chromedp.Node
}

// do runs browser actions; a guard deadline stops a hung browser (it is
// not a timing assertion).
func (b *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v\npage:\n%s", what, err, b.eval(`(document.getElementById("log") || document.body).innerText`))
	}
}

// eval returns a JavaScript expression's value as a string.
func (b *tab) eval(expr string) string {
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[any](expr))
	if err != nil {
		return "(" + err.Error() + ")"
	}
	if s, ok := v.(string); ok {
		return s
	}
	j, _ := json.Marshal(v)
	return string(j)
}

// until waits until a JavaScript expression, evaluated in the chat, is
// truthy (an expression may act once true, as press does).
func (b *tab) until(what, expr string) {
	b.t.Helper()
	opts := []chromedp.PollOption{chromedp.WithPollingInterval(50 * time.Millisecond)}
	if b.frame != nil {
		opts = append(opts, chromedp.WithPollingInFrame(b.frame))
	}
	ctx, cancel := context.WithTimeout(b.ctx, time.Minute)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](expr, opts...))
	// A frame has no context to evaluate in until it has loaded.
	for b.frame != nil && err != nil && ctx.Err() == nil && strings.Contains(err.Error(), "executionContextId") {
		time.Sleep(100 * time.Millisecond)
		_, err = chromedp.Run(ctx, chromedp.Poll[chromedp.Void](expr, opts...))
	}
	if err != nil {
		page := b.eval(`(document.getElementById("log") || document.body).innerText`)
		if b.frame != nil {
			dctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
			defer cancel()
			page, _ = chromedp.Run(dctx, chromedp.Poll[string](`document.body.innerText || "(empty)"`, chromedp.WithPollingInFrame(b.frame)))
		}
		b.t.Fatalf("%s: %v\npage:\n%s", what, err, page)
	}
}

// frame returns the iframe with id once its document has loaded.
func (b *tab) frameNode(id string) *chromedp.Node {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, time.Minute)
	defer cancel()
	for {
		frames, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.ID(id)))
		if err != nil {
			b.t.Fatalf("no frame %s: %v", id, err)
		}
		if d := frames[0].ContentDocument; d != nil && strings.Contains(d.DocumentURL, "/embed/") {
			return frames[0]
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// js quotes a Go string as a JavaScript literal.
func js(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// waitBot waits until a bot message contains text.
func (b *tab) waitBot(text string) {
	b.t.Helper()
	b.until("wait for a bot message with "+text,
		`[...document.querySelectorAll('[data-role="bot"]')].some(e => e.textContent.includes(`+js(text)+`))`)
}

// ask types a question into the box and presses 发送.
func (b *tab) ask(q string) {
	b.t.Helper()
	b.until("ask "+q, `(() => {
		const q = document.querySelector('textarea[name="q"]'), send = document.querySelector("button.send");
		if (!q || !send || send.disabled) return false;
		q.value = `+js(q)+`;
		send.click();
		return true;
	})()`)
}

// press clicks the newest enabled choice labelled label.
func (b *tab) press(label string) {
	b.t.Helper()
	b.until("press "+label, `(() => {
		const bs = [...document.querySelectorAll('[data-role="bot"] button')].filter(b => b.textContent === `+js(label)+` && !b.disabled);
		if (!bs.length) return false;
		bs[bs.length - 1].click();
		return true;
	})()`)
}

// messages is the conversation as the page shows it.
func (b *tab) messages() string {
	b.t.Helper()
	return b.eval(`document.getElementById("log").innerText`)
}

func TestBrowserAnswerFlowReloadRestart(t *testing.T) {
	b := browser(t)
	s := newSite(t)
	b.do("open the page", chromedp.Navigate(s.URL()+"/"))
	// The /start menu, as buttons.
	b.waitBot("您好！我是会计人员信息采集与继续教育助手")
	menu := b.eval(`[...document.querySelectorAll('[data-role="bot"] button')].map(b => b.textContent).join(" ")`)
	if !strings.Contains(menu, "是否需要采集") || !strings.Contains(menu, "转人工") {
		t.Fatalf("menu buttons = %s", menu)
	}

	b.ask("继续教育每年要多少学分")
	b.waitBot("90学分")
	cited := b.eval(`[...document.querySelectorAll('[data-role="bot"]')].pop().querySelector(".sources").innerText`)
	if !strings.Contains(cited, "[1] 会计专业技术人员继续教育规定") || !strings.Contains(cited, "现行有效") {
		t.Errorf("answer's sources = %q, want the numbered 继续教育规定 with its status", cited)
	}
	if *screenshot {
		png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("../../docs/web-chat.png", png, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// The eligibility flow by clicking; each question's buttons give way
	// to the choice in place.
	b.press("是否需要采集")
	b.waitBot("是什么级别")
	b.press("中级")
	b.waitBot("是否在单位从事会计工作")
	chosen := b.eval(`(() => {
		const m = [...document.querySelectorAll('[data-role="bot"]')].find(e => e.textContent.includes("是什么级别"));
		return m.querySelectorAll("button").length + "|" + (m.querySelector(".chosen") || {}).textContent;
	})()`)
	if chosen != "0|✅ 中级" {
		t.Errorf("answered question shows %q, want no buttons and ✅ 中级", chosen)
	}
	b.press("否")
	b.waitBot("在校学生")
	b.press("否")
	b.waitBot("退休")
	b.press("否")
	b.waitBot("结论")
	before := b.messages()

	// A reload shows the same conversation; so does a new server process
	// on the same Redis.
	b.do("reload", chromedp.Reload())
	b.waitBot("结论")
	if after := b.messages(); after != before {
		t.Errorf("after reload the page shows\n%s\nwant\n%s", after, before)
	}
	s.restart()
	b.do("reload after restart", chromedp.Reload())
	b.waitBot("结论")
	if after := b.messages(); after != before {
		t.Errorf("after a restart the page shows\n%s\nwant\n%s", after, before)
	}
	// And the new process answers the old page's session.
	b.ask("继续教育每年要多少学分")
	b.until("a second answer", `[...document.querySelectorAll('[data-role="bot"]')].filter(e => e.textContent.includes("90学分")).length >= 2`)
}

func TestBrowserHostileTextShowsAsText(t *testing.T) {
	b := browser(t)
	s := newSite(t)
	b.do("open the page", chromedp.Navigate(s.URL()+"/"))
	b.waitBot("您好")
	hostile := `<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>`
	b.ask(hostile)
	b.until("the message shows", `[...document.querySelectorAll('[data-role="user"]')].some(e => e.textContent === `+js(hostile)+`)`)
	b.until("the reply", `document.querySelectorAll('[data-role="bot"]').length >= 2 && !document.querySelector("button.send").disabled`)
	if res := b.eval(`document.querySelectorAll("#log img, #log script").length + "|" + String(window.__pwned)`); res != "0|undefined" {
		t.Errorf("hostile text became markup: img+script elements|__pwned = %s", res)
	}
}

func TestBrowserWidgetAllowedAndRefused(t *testing.T) {
	b := browser(t)
	s := newSite(t)
	// The sites are on localhost, another site than the chat's 127.0.0.1,
	// as a customer's page would be.
	widgetTag := `<script src="` + s.URL() + `/widget.js" data-title="在线咨询"></script>`
	okSite := host(t, `<!doctype html><meta charset="utf-8"><title>某会计培训网</title><p>欢迎</p>`+widgetTag)
	badSite := host(t, `<!doctype html><meta charset="utf-8"><title>别的网站</title><p>别的网站</p>`+widgetTag+
		`<iframe id="direct" src="`+s.URL()+`/embed/"></iframe>`)
	allowed, refused := localhost(okSite.URL), localhost(badSite.URL)
	s.opts = append(s.opts, web.WithOrigins([]string{allowed}))
	s.restart()

	b.do("open the allowed site", chromedp.Navigate(allowed+"/"), chromedp.Click(chromedp.ID("kuaiji-bubble")))
	in := &tab{t: t, ctx: b.ctx, frame: b.frameNode("kuaiji-frame")}
	in.waitBot("您好")
	in.ask("继续教育每年要多少学分")
	in.until("a cited answer in the frame", `[...document.querySelectorAll('[data-role="bot"] .sources')].some(e => e.textContent.includes("继续教育规定"))`)

	embedBefore, widgetBefore := s.hitsOf("/embed/api/history"), s.hitsOf("/widget.js")
	b.do("open the other site", chromedp.Navigate(refused+"/"), chromedp.WaitReady(chromedp.ID("direct")), chromedp.Sleep(time.Second))
	if n := b.eval(`String(document.querySelectorAll("#kuaiji-bubble").length)`); n != "0" {
		t.Error("the widget shows on a site that is not allowed")
	}
	if s.hitsOf("/widget.js") == widgetBefore {
		t.Error("widget.js was not requested; the refusal was not exercised")
	}
	if n := s.hitsOf("/embed/api/history"); n != embedBefore {
		t.Errorf("the chat ran framed on a site that is not allowed (%d history loads)", n-embedBefore)
	}
}
