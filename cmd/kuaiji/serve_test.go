package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/kuaiji/kuaiji/internal/tgfake"
)

// serveErr runs `kuaiji serve` with env, which is to fail at start.
func serveErr(t *testing.T, env map[string]string) error {
	t.Helper()
	env["KUAIJI_DATA_DIR"] = dataDir(t)
	env["HTTP_ADDR"] = "127.0.0.1:0"
	_, _, err := runEnv(t, env, "", "serve")
	return err
}

func TestServeStartupErrors(t *testing.T) {
	t.Parallel()
	if err := serveErr(t, map[string]string{}); err == nil || !strings.Contains(err.Error(), "TELEGRAM_BOT_TOKEN") {
		t.Errorf("missing token: %v", err)
	}
	err := serveErr(t, map[string]string{"TELEGRAM_BOT_TOKEN": "1:x", "WEBHOOK_URL": "https://bot.example.cn/hook"})
	if err == nil || !strings.Contains(err.Error(), "WEBHOOK_SECRET") {
		t.Errorf("webhook without secret: %v", err)
	}
	api := tgfake.New("42:right")
	defer api.Close()
	err = serveErr(t, map[string]string{"TELEGRAM_BOT_TOKEN": "42:wrong-secret-token", "TELEGRAM_API_URL": api.URL() + "/"})
	if err == nil || !strings.Contains(err.Error(), api.URL()) || !strings.Contains(err.Error(), "rejected") ||
		strings.Contains(err.Error(), "wrong-secret-token") {
		t.Errorf("rejected token: %v", err)
	}
}

// TestServeEndToEnd drives the real index and flows through the fake Bot
// API: a cited answer, a flow, and a hand-off to the staff chat.
func TestServeEndToEnd(t *testing.T) {
	h := newServeHarness(t, withStaff(-100777))
	user := newUser("测试")
	if m := h.ask(user, "继续教育每年要多少学分？", "来源："); !strings.Contains(m.Text, "[1] ") {
		t.Errorf("answer without numbered sources:\n%s", m.Text)
	}
	h.ask(user, "/transfer", "调出地")
	h.ask(user, "深圳", "调入地")
	h.ask(user, "/human", "已为您转接人工服务")
	card := h.wait(h.staff.ID, "跨地区调转")
	if !strings.Contains(card.Text, "深圳市") {
		t.Errorf("card lacks the answer so far:\n%s", card.Text)
	}
	if err := h.stop(); err != nil {
		t.Fatalf("serve: %v", err)
	}
}

// TestServeWebhookMode runs `kuaiji serve` with WEBHOOK_URL: Telegram is
// told the URL and secret, and only requests carrying the secret count.
func TestServeWebhookMode(t *testing.T) {
	h := newServeHarness(t, withWebhook("/kuaiji/hook", "sekrit"))
	if calls := h.api.Calls("setWebhook"); len(calls) != 1 {
		t.Fatalf("setWebhook called %d times", len(calls))
	}
	user := newUser("钩子")
	upd := h.update(user, "/start")
	if got := h.postUpdate("wrong", upd); got != http.StatusUnauthorized {
		t.Errorf("wrong secret: %d", got)
	}
	if got := h.postUpdate("sekrit", upd); got != http.StatusOK {
		t.Errorf("right secret: %d", got)
	}
	if !h.api.Until(patience, func() bool { return h.api.Count(user.ID) == 1 }) {
		t.Error("update not answered")
	}
	if err := h.stop(); err != nil {
		t.Fatalf("serve: %v", err)
	}
}
