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
	"strings"
	"testing"
	"time"

	"github.com/kuaiji/kuaiji/internal/tgfake"
)

// serveEnv runs `kuaiji serve` with env until the returned stop is called.
func serveEnv(t *testing.T, env map[string]string) (stop func() error) {
	t.Helper()
	if env["KUAIJI_DATA_DIR"] == "" {
		env["KUAIJI_DATA_DIR"] = dataDir(t)
	}
	if env["HTTP_ADDR"] == "" {
		env["HTTP_ADDR"] = "127.0.0.1:0" // parallel test binaries must not share :9090
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var out, errOut bytes.Buffer
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }, strings.NewReader(""), &out, &errOut)
	}()
	return func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(30 * time.Second):
			return fmt.Errorf("serve did not stop")
		}
	}
}

func serveErr(t *testing.T, env map[string]string) error {
	t.Helper()
	env["KUAIJI_DATA_DIR"] = dataDir(t)
	env["HTTP_ADDR"] = "127.0.0.1:0"
	var out, errOut bytes.Buffer
	return run(context.Background(), []string{"serve"}, func(k string) string { return env[k] }, strings.NewReader(""), &out, &errOut)
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
	token := fmt.Sprintf("%d:serve-test", rand.Int64N(1e9))
	api := tgfake.New(token)
	defer api.Close()
	staff := tgfake.Chat{ID: -100777, Type: "supergroup", Title: "帮助台"}
	api.SetChat(staff)
	env := map[string]string{
		"TELEGRAM_BOT_TOKEN": token, "TELEGRAM_API_URL": api.URL(),
		"KUAIJI_STAFF_CHAT_ID": "-100777", "KUAIJI_STAFF_USER_IDS": "501",
		"REDIS_URL": os.Getenv("KUAIJI_TEST_REDIS_URL"),
	}
	stop := serveEnv(t, env)
	user := tgfake.User{ID: rand.Int64N(1e9) + 1, FirstName: "测试"}
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
	api.Text(user, "继续教育每年要多少学分？")
	if m := wait(user.ID, "来源："); !strings.Contains(m.Text, "[1] ") {
		t.Errorf("answer without numbered sources:\n%s", m.Text)
	}
	api.Text(user, "/transfer")
	wait(user.ID, "调出地")
	api.Text(user, "深圳")
	wait(user.ID, "调入地")
	api.Text(user, "/human")
	wait(user.ID, "已为您转接人工服务")
	card := wait(staff.ID, "跨地区调转")
	if !strings.Contains(card.Text, "深圳市") {
		t.Errorf("card lacks the answer so far:\n%s", card.Text)
	}
	if err := stop(); err != nil {
		t.Fatalf("serve: %v", err)
	}
}

// TestServeWebhookMode runs `kuaiji serve` with WEBHOOK_URL: Telegram is
// told the URL and secret, and only requests carrying the secret count.
func TestServeWebhookMode(t *testing.T) {
	token := fmt.Sprintf("%d:webhook-test", rand.Int64N(1e9))
	api := tgfake.New(token)
	defer api.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	stop := serveEnv(t, map[string]string{
		"TELEGRAM_BOT_TOKEN": token, "TELEGRAM_API_URL": api.URL(), "REDIS_URL": os.Getenv("KUAIJI_TEST_REDIS_URL"),
		"WEBHOOK_URL": "https://bot.example.cn/kuaiji/hook", "WEBHOOK_SECRET": "sekrit", "WEBHOOK_LISTEN": addr,
	})
	if !api.Until(20*time.Second, func() bool { return len(api.Calls("setWebhook")) == 1 }) {
		stop()
		t.Fatal("setWebhook not called")
	}
	user := tgfake.User{ID: rand.Int64N(1e9) + 1, FirstName: "钩子"}
	body, _ := json.Marshal(tgfake.Update{UpdateID: 1, Message: &tgfake.Message{MessageID: 1, From: &user,
		Chat: tgfake.Private(user), Date: time.Now().Unix(), Text: "/start"}})
	post := func(secret string) int {
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/kuaiji/hook", bytes.NewReader(body))
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := post("wrong"); got != http.StatusUnauthorized {
		t.Errorf("wrong secret: %d", got)
	}
	if got := post("sekrit"); got != http.StatusOK {
		t.Errorf("right secret: %d", got)
	}
	if !api.Until(10*time.Second, func() bool { return api.Count(user.ID) == 1 }) {
		t.Error("update not answered")
	}
	if err := stop(); err != nil {
		t.Fatalf("serve: %v", err)
	}
}
