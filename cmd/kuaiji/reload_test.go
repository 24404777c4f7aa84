package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"

	"github.com/kuaiji/kuaiji/internal/tgfake"
)

// TestIngestReachesRunningReplicas: two webhook replicas share Redis and
// the data directory; a notice ingested while both run is answered by
// each of them within seconds, without a restart.
func TestIngestReachesRunningReplicas(t *testing.T) {
	redisURL := os.Getenv("KUAIJI_TEST_REDIS_URL")
	if redisURL == "" {
		redisURL = "redis://" + miniredis.RunT(t).Addr()
	}
	token := fmt.Sprintf("%d:reload-test", rand.Int64N(1e9))
	api := tgfake.New(token)
	defer api.Close()
	data := dataDir(t)
	env := func(listen string) map[string]string {
		return map[string]string{
			"TELEGRAM_BOT_TOKEN": token, "TELEGRAM_API_URL": api.URL(), "REDIS_URL": redisURL,
			"WEBHOOK_URL": "https://bot.example.cn/hook", "WEBHOOK_SECRET": "s", "WEBHOOK_LISTEN": listen,
			"KUAIJI_DATA_DIR": data,
		}
	}
	addrs := []string{freeAddr(t), freeAddr(t)}
	for i, a := range addrs {
		stop := serveEnv(t, env(a))
		defer stop()
		// One at a time, so that the count of setWebhook calls tells
		// which replica is up.
		if !api.Until(20*time.Second, func() bool { return len(api.Calls("setWebhook")) == i+1 }) {
			t.Fatalf("replica %d did not start", i+1)
		}
	}
	nextID := rand.Int64N(1e6) * 1000
	ask := func(addr string, user tgfake.User, text string) string {
		t.Helper()
		nextID++
		n := api.Count(user.ID)
		body, _ := json.Marshal(tgfake.Update{UpdateID: nextID, Message: &tgfake.Message{MessageID: int(nextID % 1e6), From: &user,
			Chat: tgfake.Private(user), Date: time.Now().Unix(), Text: text}})
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/hook", bytes.NewReader(body))
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", "s")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if !api.WaitCount(user.ID, n+1, 10*time.Second) {
			t.Fatalf("no answer from %s to %q", addr, text)
		}
		m, _ := api.Last(user.ID)
		return m.Text
	}
	const q = "四川2026年度会计继续教育的学习截止日期是哪天"
	const fact = "12月15日"
	u1 := tgfake.User{ID: rand.Int64N(1e9) + 1, FirstName: "甲"}
	if a := ask(addrs[0], u1, q); strings.Contains(a, fact) {
		t.Fatalf("the notice's fact before it was ingested:\n%s", a)
	}

	notices := t.TempDir()
	os.WriteFile(filepath.Join(notices, "sichuan-2026.md"), []byte("---\nid: sichuan-2026-notice\ntitle: 四川省2026年度会计人员继续教育通知\njurisdiction: 四川\n---\n# 四川省2026年度会计人员继续教育通知\n\n## 学习时间\n\n四川2026年度会计继续教育的学习截止日期为2026年12月15日，逾期不再补学。\n"), 0o644)
	var out bytes.Buffer
	if err := run(t.Context(), []string{"ingest", notices}, func(k string) string { return env("")[k] }, strings.NewReader(""), &out, &out); err != nil {
		t.Fatalf("ingest: %v\n%s", err, out.String())
	}
	for i, addr := range addrs {
		u := tgfake.User{ID: rand.Int64N(1e9) + 1, FirstName: "乙"}
		var a string
		deadline := time.Now().Add(15 * time.Second)
		for a = ask(addr, u, q); !strings.Contains(a, fact) && time.Now().Before(deadline); a = ask(addr, u, q) {
			time.Sleep(300 * time.Millisecond)
		}
		if !strings.Contains(a, fact) {
			t.Errorf("replica %d still answers without the ingested notice:\n%s", i+1, a)
		}
	}
}
