package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/kuaiji/kuaiji/internal/tgfake"
)

// TestServeKilledMidFlowResumes kills `kuaiji serve` (SIGKILL, no
// draining) in the middle of a flow, with the user's next answer sent
// while it is down, and starts it again: the answer is handled once and
// the flow goes on from where it was.
func TestServeKilledMidFlowResumes(t *testing.T) {
	t.Parallel()
	redisURL := os.Getenv("KUAIJI_TEST_REDIS_URL")
	if redisURL == "" {
		t.Skip("KUAIJI_TEST_REDIS_URL not set")
	}
	dir := t.TempDir()
	bin := buildKuaiji(t)
	tok := fmt.Sprintf("%d:kill-test", rand.Int64N(1e9))
	api := tgfake.New(tok)
	defer api.Close()
	env := append(os.Environ(), "TELEGRAM_BOT_TOKEN="+tok, "TELEGRAM_API_URL="+api.URL(), "REDIS_URL="+redisURL,
		"KUAIJI_DATA_DIR="+filepath.Join(dir, "data"), "HTTP_ADDR=off", "KUAIJI_LOG_LEVEL=error")
	start := func() *exec.Cmd {
		cmd := exec.Command(bin, "serve")
		cmd.Env = env
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	user := tgfake.User{ID: rand.Int64N(1e9) + 1, FirstName: "测试"}
	wait := func(want string, n int) {
		t.Helper()
		if !api.Until(30*time.Second, func() bool { return countText(api.Messages(user.ID), want) >= n }) {
			var b strings.Builder
			for _, m := range api.Messages(user.ID) {
				b.WriteString(m.Text + "\n---\n")
			}
			t.Fatalf("no %d× %q:\n%s", n, want, b.String())
		}
	}
	cmd := start()
	api.Text(user, "/check")
	wait("什么级别", 1)
	api.Text(user, "中级")
	wait("从事会计工作", 1)

	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	api.Text(user, "是") // arrives while the bot is down
	cmd = start()
	defer func() { cmd.Process.Signal(syscall.SIGKILL); cmd.Wait() }()
	wait("劳务派遣", 1)
	api.Text(user, "不是")
	wait("什么时候取得", 1)
	time.Sleep(300 * time.Millisecond)
	if n := countText(api.Messages(user.ID), "劳务派遣"); n != 1 {
		t.Errorf("the answer sent while the bot was down was handled %d times", n)
	}
}

func countText(ms []tgfake.Message, sub string) int {
	n := 0
	for _, m := range ms {
		if strings.Contains(m.Text, sub) {
			n++
		}
	}
	return n
}

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
)

// buildKuaiji builds cmd/kuaiji once per test binary.
func buildKuaiji(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "kuaiji-bin")
		if err != nil {
			buildErr = err
			return
		}
		builtBin = filepath.Join(dir, "kuaiji")
		if out, err := exec.Command("go", "build", "-o", builtBin, "../kuaiji").CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return builtBin
}

// TestTwoServeProcessesShareAChat runs two `kuaiji serve` processes in
// webhook mode on one Redis, as two replicas behind a load balancer: an
// update delivered to both is answered once, and a flow whose updates
// alternate between them goes on in order.
func TestTwoServeProcessesShareAChat(t *testing.T) {
	t.Parallel()
	redisURL := os.Getenv("KUAIJI_TEST_REDIS_URL")
	if redisURL == "" {
		t.Skip("KUAIJI_TEST_REDIS_URL not set")
	}
	bin := buildKuaiji(t)
	tok := fmt.Sprintf("%d:replica-test", rand.Int64N(1e9))
	api := tgfake.New(tok)
	defer api.Close()
	data := t.TempDir()
	var urls []string
	for i := range 2 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		cmd := exec.Command(bin, "serve")
		cmd.Env = append(os.Environ(), "TELEGRAM_BOT_TOKEN="+tok, "TELEGRAM_API_URL="+api.URL(), "REDIS_URL="+redisURL,
			"KUAIJI_DATA_DIR="+filepath.Join(data, fmt.Sprint(i)), "HTTP_ADDR=off", "KUAIJI_LOG_LEVEL=error",
			"WEBHOOK_URL=https://bot.example.cn/hook", "WEBHOOK_SECRET=s3cret", "WEBHOOK_LISTEN="+addr)
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		defer func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() }()
		urls = append(urls, "http://"+addr+"/hook")
	}
	user := tgfake.User{ID: rand.Int64N(1e9) + 1, FirstName: "测试"}
	next := int64(0)
	post := func(i int, text string) {
		t.Helper()
		next++
		body, _ := json.Marshal(tgfake.Update{UpdateID: next, Message: &tgfake.Message{MessageID: int(next), From: &user,
			Chat: tgfake.Private(user), Date: time.Now().Unix(), Text: text}})
		deadline := time.Now().Add(30 * time.Second) // the process may still be loading its index
		for {
			req, _ := http.NewRequest(http.MethodPost, urls[i], bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", "s3cret")
			resp, err := http.DefaultClient.Do(req)
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					return
				}
			}
			if time.Now().After(deadline) {
				t.Fatalf("replica %d: %v", i, err)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	wait := func(want string) {
		t.Helper()
		if !api.Until(30*time.Second, func() bool { return countText(api.Messages(user.ID), want) >= 1 }) {
			t.Fatalf("no %q", want)
		}
	}
	// Both up before the duplicate is sent.
	post(0, "/help")
	post(1, "/help")
	wait("/profile")
	post(0, "/check")
	next-- // the same update again, to the other replica
	post(1, "/check")
	wait("什么级别")
	post(1, "中级")
	post(0, "是")
	post(1, "不是")
	wait("什么时候取得")
	time.Sleep(300 * time.Millisecond)
	var order []string
	for _, m := range api.Messages(user.ID) {
		for _, key := range []string{"什么级别", "从事会计工作", "劳务派遣", "什么时候取得"} {
			if strings.Contains(m.Text, key) {
				order = append(order, key)
			}
		}
	}
	if strings.Join(order, ",") != "什么级别,从事会计工作,劳务派遣,什么时候取得" {
		t.Errorf("replies across two processes: %v", order)
	}
}
