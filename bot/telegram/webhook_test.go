package telegram_test

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/kuaiji/kuaiji/bot/telegram"
	"github.com/kuaiji/kuaiji/internal/redistest"
	"github.com/kuaiji/kuaiji/internal/tgfake"
)

// serveWebhook runs a bot in webhook mode at https://bot.example.cn+path
// with secret s3cret-token, on a local listener whose address it returns;
// stop ends it and reports its error.
func serveWebhook(t *testing.T, path string, opts ...telegram.Option) (h *harness, addr string, stop func()) {
	t.Helper()
	api := tgfake.New(token)
	t.Cleanup(api.Close)
	h = &harness{t: t, api: api, rdb: redistest.Client(t), logs: &syncBuffer{},
		prefix: "kt:webhook:" + time.Now().Format("150405.000000") + ":", opts: opts}
	ad := h.build()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ad.ServeWebhook(ctx, ln, "https://bot.example.cn"+path, "s3cret-token") }()
	if !api.Until(3*time.Second, func() bool { return len(api.Calls("setWebhook")) == 1 }) {
		t.Fatal("setWebhook not called")
	}
	return h, ln.Addr().String(), func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}
}

// TestWebhookCountsDuplicatesAndRunsNoLibraryWorkers: in webhook mode a
// redelivered update was skipped but not counted as a duplicate, and the
// library's webhook workers ran with nothing to feed them.
func TestWebhookCountsDuplicatesAndRunsNoLibraryWorkers(t *testing.T) {
	rec := &recorder{counts: map[string]int{}}
	h, addr, stop := serveWebhook(t, "/hook", telegram.WithHooks(rec.hooks()))
	defer stop()
	api := h.api
	buf := make([]byte, 1<<20)
	if stacks := string(buf[:runtime.Stack(buf, true)]); strings.Contains(stacks, "go-telegram/bot.(*Bot).waitUpdates") {
		t.Error("the library's webhook workers are running")
	}

	u := tgfake.User{ID: 8101, FirstName: "辛"}
	body, _ := json.Marshal(tgfake.Update{UpdateID: 77, Message: &tgfake.Message{MessageID: 3, From: &u, Chat: tgfake.Private(u), Date: time.Now().Unix(), Text: "回显 只答一次"}})
	for range 2 {
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/hook", strings.NewReader(string(body)))
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", "s3cret-token")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if !api.Until(3*time.Second, func() bool { return rec.get("update:duplicate") == 1 }) {
		t.Errorf("duplicates counted: %d, want 1", rec.get("update:duplicate"))
	}
	api.Until(3*time.Second, func() bool { return count(api.Messages(u.ID), "只答一次") > 0 })
	if n := count(api.Messages(u.ID), "只答一次"); n != 1 {
		t.Errorf("%d answers to one update", n)
	}
}
