package telegram_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kuaiji/kuaiji/bot/telegram"
	"github.com/kuaiji/kuaiji/internal/redistest"
	"github.com/kuaiji/kuaiji/internal/tgfake"
)

func TestWebhookChecksSecretAndServes(t *testing.T) {
	h, addr, stop := serveWebhook(t, "/tg/hook")
	api := h.api
	if c := api.Calls("setWebhook")[0]; c.Params["url"] != "https://bot.example.cn/tg/hook" || c.Params["secret_token"] != "s3cret-token" {
		t.Errorf("setWebhook params %v", c.Params)
	}
	u := tgfake.User{ID: 8001, FirstName: "庚"}
	body, _ := json.Marshal(tgfake.Update{UpdateID: 42, Message: &tgfake.Message{MessageID: 7, From: &u, Chat: tgfake.Private(u), Date: time.Now().Unix(), Text: "回显 来自网络钩子"}})
	url := "http://" + addr + "/tg/hook"
	post := func(secret, payload string) int {
		req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(payload))
		req.Header.Set("Content-Type", "application/json")
		if secret != "" {
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			// The server may hang up on an oversized body before reading it.
			return -1
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for name, c := range map[string]struct {
		secret, body string
		want         int
	}{
		"no secret":    {"", string(body), 401},
		"wrong secret": {"s3cret-tokeN", string(body), 401},
		"too large":    {"s3cret-token", strings.Repeat("x", 2<<20), 413},
		"good":         {"s3cret-token", string(body), 200},
	} {
		if got := post(c.secret, c.body); got != c.want && !(name == "too large" && got == -1) {
			t.Errorf("%s: status %d, want %d", name, got, c.want)
		}
	}
	resp, err := http.Get(url)
	if err == nil {
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("GET: %d", resp.StatusCode)
		}
	}
	if !api.Until(3*time.Second, func() bool { return count(api.Messages(u.ID), "来自网络钩子") == 1 }) {
		t.Errorf("update not handled:\n%s", transcript(api.Messages(u.ID)))
	}
	stop()
	if count(api.Messages(u.ID), "来自网络钩子") != 1 {
		t.Error("rejected requests were processed")
	}
}

func TestStartupErrors(t *testing.T) {
	api := tgfake.New(token)
	defer api.Close()
	rdb := redistest.Client(t)
	ctx := context.Background()
	_, err := telegram.New(ctx, "123456:wrong-token", nil, rdb, telegram.WithServerURL(api.URL()))
	if err == nil || !strings.Contains(err.Error(), api.URL()) || !strings.Contains(err.Error(), "rejected") ||
		strings.Contains(err.Error(), "wrong-token") {
		t.Errorf("rejected token: %v", err)
	}
	_, err = telegram.New(ctx, "", nil, rdb)
	if err == nil || !strings.Contains(err.Error(), "TELEGRAM_BOT_TOKEN") {
		t.Errorf("missing token: %v", err)
	}
	dead := tgfake.New(token)
	url := dead.URL()
	dead.Close()
	_, err = telegram.New(ctx, token, nil, rdb, telegram.WithServerURL(url))
	if err == nil || !strings.Contains(err.Error(), url) || strings.Contains(err.Error(), token) {
		t.Errorf("unreachable API: %v", err)
	}
}
