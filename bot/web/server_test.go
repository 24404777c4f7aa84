package web_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji"
	"github.com/kuaiji/kuaiji/bot"
	"github.com/kuaiji/kuaiji/bot/web"
	"github.com/kuaiji/kuaiji/flows"
)

// client is a visitor without a browser: a cookie jar and the page's CSRF
// token.
type client struct {
	t    testing.TB
	base string
	hc   *http.Client
	csrf string
}

func visit(t testing.TB, base string) *client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &client{t: t, base: base, hc: &http.Client{Jar: jar}}
	res, err := c.hc.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := regexp.MustCompile(`name="kuaiji-csrf" content="([^"]+)"`).FindSubmatch(page)
	if m == nil {
		t.Fatalf("page has no CSRF token:\n%s", page)
	}
	c.csrf = string(m[1])
	return c
}

// post sends a turn with extra headers and returns the status and, for an
// event stream, the messages of its "replies" event (else the error text).
func (c *client) post(body string, hdr map[string]string) (int, []web.Entry, string) {
	c.t.Helper()
	req, _ := http.NewRequest("POST", c.base+"/api/send", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Kuaiji-Csrf", c.csrf)
	for k, v := range hdr {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	res, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		var e struct{ Error string }
		json.NewDecoder(res.Body).Decode(&e)
		return res.StatusCode, nil, e.Error
	}
	var out struct{ Messages []web.Entry }
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(nil, 1<<20)
	event := ""
	for sc.Scan() {
		line := sc.Text()
		if v, ok := strings.CutPrefix(line, "event: "); ok {
			event = v
		} else if v, ok := strings.CutPrefix(line, "data: "); ok && event == "replies" {
			json.Unmarshal([]byte(v), &out)
		}
	}
	return res.StatusCode, out.Messages, ""
}

func (c *client) say(text string) []web.Entry {
	c.t.Helper()
	b, _ := json.Marshal(map[string]string{"text": text})
	code, ms, msg := c.post(string(b), nil)
	if code != 200 {
		c.t.Fatalf("send %q: %d %s", text, code, msg)
	}
	return ms
}

func (c *client) history() []web.Entry {
	c.t.Helper()
	res, err := c.hc.Get(c.base + "/api/history")
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct{ Messages []web.Entry }
	json.NewDecoder(res.Body).Decode(&out)
	return out.Messages
}

func TestRefusedRequestsLoseNothing(t *testing.T) {
	s := newSite(t)
	c := visit(t, s.URL())
	c.say("继续教育每年要多少学分")
	tests := []struct {
		name string
		body string
		hdr  map[string]string
		code int
	}{
		{"no CSRF header", `{"text":"你好"}`, map[string]string{"X-Kuaiji-Csrf": ""}, http.StatusForbidden},
		{"wrong CSRF header", `{"text":"你好"}`, map[string]string{"X-Kuaiji-Csrf": "forged"}, http.StatusForbidden},
		{"another site's origin", `{"text":"你好"}`, map[string]string{"Origin": "https://evil.example"}, http.StatusForbidden},
		{"cross-site fetch", `{"text":"你好"}`, map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
		{"too long", `{"text":"` + strings.Repeat("学", web.MaxText+1) + `"}`, nil, http.StatusRequestEntityTooLarge},
		{"huge body", `{"text":"` + strings.Repeat("a", 1<<20) + `"}`, nil, http.StatusRequestEntityTooLarge},
		{"not JSON", `text=你好`, nil, http.StatusBadRequest},
		{"empty", `{"text":"  "}`, nil, http.StatusBadRequest},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, msg := c.post(tc.body, tc.hdr)
			if code != tc.code {
				t.Errorf("status %d, want %d", code, tc.code)
			}
			if msg == "" || !regexp.MustCompile(`\p{Han}`).MatchString(msg) {
				t.Errorf("no message in Chinese for the user: %q", msg)
			}
		})
	}
	if n := len(c.history()); n != 2 {
		t.Errorf("history has %d messages after refused requests, want the 2 of the first turn", n)
	}
	// Without the page's cookie there is no session to write to.
	anon := &client{t: t, base: s.URL(), hc: http.DefaultClient, csrf: c.csrf}
	if code, _, _ := anon.post(`{"text":"你好"}`, nil); code != http.StatusUnauthorized {
		t.Errorf("request without a session: %d, want 401", code)
	}
}

func TestRateLimitPerSession(t *testing.T) {
	s := newSite(t, web.WithLimits(web.Limits{SessionEvery: time.Hour, SessionBurst: 2, AddrEvery: time.Nanosecond, AddrBurst: 100, Streams: 1}))
	c := visit(t, s.URL())
	c.say("/help")
	c.say("/help")
	code, _, msg := c.post(`{"text":"/help"}`, nil)
	if code != http.StatusTooManyRequests || !strings.Contains(msg, "稍等") {
		t.Errorf("third turn in a burst of 2: %d %q, want 429 asking to wait", code, msg)
	}
	// Another visitor is not held up by the first.
	visit(t, s.URL()).say("/help")
}

func TestHistoryMasksPersonalData(t *testing.T) {
	s := newSite(t)
	c := visit(t, s.URL())
	c.say("我的身份证号是110101199003077715，手机13812345678，邮箱zhang@example.com")
	raw, err := json.Marshal(c.history())
	if err != nil {
		t.Fatal(err)
	}
	for _, clear := range []string{"110101199003077715", "13812345678", "zhang@example.com"} {
		if strings.Contains(string(raw), clear) {
			t.Errorf("history keeps %s in clear: %s", clear, raw)
		}
	}
	keys, _ := s.rdb.Keys(context.Background(), s.prefix+"*").Result()
	for _, k := range keys {
		if typ, _ := s.rdb.Type(context.Background(), k).Result(); typ != "list" {
			continue
		}
		vs, _ := s.rdb.LRange(context.Background(), k, 0, -1).Result()
		if strings.Contains(strings.Join(vs, ""), "13812345678") {
			t.Errorf("Redis key %s keeps the phone number in clear", k)
		}
	}
}

func TestChatIDsNeverMeetTelegrams(t *testing.T) {
	seen := map[int64]bool{}
	for i := range 2000 {
		tok := strings.Repeat(string(rune('A'+i%26)), 11) + strings.Repeat(string(rune('a'+i/26%26)), 11)
		id := web.ChatID(tok)
		// Telegram ids fit in 52 bits; its group ids are above -2^53.
		if id >= -(1<<62) || !web.IsWebChat(id) {
			t.Fatalf("chat id %d of a web session is in Telegram's range", id)
		}
		seen[id] = true
	}
	if len(seen) < 600 { // 26*26 distinct tokens above
		t.Errorf("only %d distinct chat ids", len(seen))
	}
	for _, tg := range []int64{1, 4001, 1<<52 - 1, -100900, -1001234567890, -(1 << 53)} {
		if web.IsWebChat(tg) {
			t.Errorf("Telegram chat %d reads as a web chat", tg)
		}
	}
}

func TestSessionExpiresWithStateTTL(t *testing.T) {
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { rdb.Close() })
	idx, _ := corpus(t)
	srv, err := web.New(context.Background(), routerFunc(func(ctx context.Context, m bot.Message) ([]kuaiji.Reply, error) {
		return []kuaiji.Reply{{Text: "好的。"}}, nil
	}), rdb, web.WithTTL(2*time.Hour), web.WithDocInfo(web.CorpusDocInfo(idx.Corpus())))
	if err != nil {
		t.Fatal(err)
	}
	ts := newServer(t, srv.Handler())
	c := visit(t, ts)
	c.say("你好")
	if n := len(c.history()); n != 2 {
		t.Fatalf("history has %d messages, want 2", n)
	}
	mr.FastForward(90 * time.Minute)
	c.say("还在吗")
	mr.FastForward(90 * time.Minute) // 3 h after the first turn, 1.5 h after the last
	if n := len(c.history()); n != 4 {
		t.Errorf("an active session lost its history: %d messages", n)
	}
	mr.FastForward(3 * time.Hour)
	if n := len(c.history()); n != 0 {
		t.Errorf("an idle session kept %d messages past KUAIJI_STATE_TTL", n)
	}
}

type routerFunc func(ctx context.Context, m bot.Message) ([]kuaiji.Reply, error)

func (f routerFunc) Handle(ctx context.Context, m bot.Message) ([]kuaiji.Reply, error) {
	return f(ctx, m)
}

func (routerFunc) Surface() flows.Surface { return flows.Surface{} }

func TestRouterPanicCostsOneTurn(t *testing.T) {
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { rdb.Close() })
	srv, err := web.New(context.Background(), routerFunc(func(ctx context.Context, m bot.Message) ([]kuaiji.Reply, error) {
		if strings.Contains(m.Text, "炸") {
			panic("boom")
		}
		return []kuaiji.Reply{{Text: "好的。"}}, nil
	}), rdb)
	if err != nil {
		t.Fatal(err)
	}
	c := visit(t, newServer(t, srv.Handler()))
	ms := c.say("炸")
	if len(ms) != 2 || !strings.Contains(ms[1].Text, "出了点问题") {
		t.Errorf("panicking turn answered %+v, want an apology", ms)
	}
	if ms := c.say("你好"); len(ms) != 2 || ms[1].Text != "好的。" {
		t.Errorf("next turn answered %+v", ms)
	}
}

func TestPageHeaders(t *testing.T) {
	s := newSite(t, web.WithOrigins([]string{"https://www.example.com"}))
	for _, tc := range []struct{ path, ancestors string }{{"/", "frame-ancestors 'none'"}, {"/embed/", "frame-ancestors 'self' https://www.example.com"}} {
		res, err := http.Get(s.URL() + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		csp := res.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe") || !strings.HasSuffix(csp, tc.ancestors) {
			t.Errorf("%s: CSP %q", tc.path, csp)
		}
		var httpOnly bool
		for _, c := range res.Cookies() {
			httpOnly = c.HttpOnly && c.SameSite != http.SameSiteDefaultMode
		}
		if !httpOnly {
			t.Errorf("%s: session cookie not HttpOnly with SameSite: %v", tc.path, res.Header["Set-Cookie"])
		}
	}
	req, _ := http.NewRequest("GET", s.URL()+"/widget.js", nil)
	req.Header.Set("Referer", "https://other.example/page")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("widget.js for a site not allowed: %d", res.StatusCode)
	}
}

func TestAnswerStreamsAsDrafts(t *testing.T) {
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { rdb.Close() })
	srv, err := web.New(context.Background(), routerFunc(func(ctx context.Context, m bot.Message) ([]kuaiji.Reply, error) {
		so := ""
		for _, p := range []string{"继续教育", "每年不少于", "90学分。"} {
			so += p
			if m.Draft != nil {
				m.Draft(so) // the router passes the text so far
			}
		}
		return []kuaiji.Reply{{Text: so}}, nil
	}), rdb)
	if err != nil {
		t.Fatal(err)
	}
	c := visit(t, newServer(t, srv.Handler()))
	req, _ := http.NewRequest("POST", c.base+"/api/send", strings.NewReader(`{"text":"学分"}`))
	req.Header.Set("X-Kuaiji-Csrf", c.csrf)
	res, err := c.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	var drafts []string
	for _, m := range regexp.MustCompile(`event: draft\ndata: (.*)\n`).FindAllStringSubmatch(string(body), -1) {
		var d struct{ Text string }
		json.Unmarshal([]byte(m[1]), &d)
		drafts = append(drafts, d.Text)
	}
	if strings.Join(drafts, "|") != "继续教育|每年不少于|90学分。" {
		t.Errorf("drafts = %q, want each new piece once", drafts)
	}
	if !strings.Contains(string(body), "event: replies") {
		t.Errorf("no final replies event:\n%s", body)
	}
}

func TestExportedChecklistDownloads(t *testing.T) {
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { rdb.Close() })
	doc := "材料清单\n- 身份证\n- 学历证书\n"
	srv, err := web.New(context.Background(), routerFunc(func(ctx context.Context, m bot.Message) ([]kuaiji.Reply, error) {
		return []kuaiji.Reply{{Text: "已为您导出：材料清单.txt", Document: &kuaiji.Document{Name: "材料清单.txt", Data: []byte(doc)}}}, nil
	}), rdb)
	if err != nil {
		t.Fatal(err)
	}
	c := visit(t, newServer(t, srv.Handler()))
	ms := c.say("/export")
	if len(ms) != 2 || ms[1].File != "材料清单.txt" || ms[1].Data != nil {
		t.Fatalf("export reply = %+v, want a file named without its bytes", ms)
	}
	res, err := c.hc.Get(fmt.Sprintf("%s/api/file/%d", c.base, ms[1].ID))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if string(body) != doc || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("download: %q %q", res.Header.Get("Content-Disposition"), body)
	}
	// Another visitor cannot fetch it.
	other := visit(t, c.base)
	res, err = other.hc.Get(fmt.Sprintf("%s/api/file/%d", c.base, ms[1].ID))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("another session fetched the file: %d", res.StatusCode)
	}
}
