package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kuaiji/kuaiji/internal/tgfake"
)

const setupToken = "424242:AAE-setup-secret-token"

// syncBuffer is a bytes.Buffer safe for the setup goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// setupRun runs `kuaiji setup` against api in dir; the operator's lines
// are written to the returned pipe.
func setupRun(t *testing.T, api *tgfake.Server, dir string, env map[string]string) (*io.PipeWriter, *syncBuffer, <-chan error) {
	t.Helper()
	pr, pw := io.Pipe()
	out := &syncBuffer{}
	base := map[string]string{"TELEGRAM_API_URL": api.URL(), "KUAIJI_DATA_DIR": dataDir(t)}
	for k, v := range env {
		base[k] = v
	}
	done := make(chan error, 1)
	go func() {
		err := run(context.Background(), []string{"setup", "--env", filepath.Join(dir, ".env"), "--wait", "30s"},
			func(k string) string { return base[k] }, pr, out, io.Discard)
		pr.Close()
		done <- err
	}()
	return pw, out, done
}

func waitFor(t *testing.T, out *syncBuffer, want string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(out.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("never printed %q:\n%s", want, out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func staffGroup(api *tgfake.Server, forum bool) tgfake.Chat {
	g := tgfake.Chat{ID: -1001234567890, Type: "supergroup", Title: "会计服务台", IsForum: forum}
	api.SetChat(g)
	return g
}

// TestSetupFindsStaffGroup: an operator with only a token gets the staff
// chat id and the chosen staff members into .env, found from what was
// said in the group, and the token never appears on screen.
func TestSetupFindsStaffGroup(t *testing.T) {
	api := tgfake.New(setupToken)
	defer api.Close()
	g := staffGroup(api, true)
	api.SetMember(g.ID, tgfake.ChatMember{Status: "administrator", User: api.Me(), CanManageTopics: true})
	wang := tgfake.User{ID: 5001, FirstName: "王会计", Username: "wangkj"}
	li := tgfake.User{ID: 5002, FirstName: "李\x1b[31m出纳"}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, ".env"), []byte("KUAIJI_LOG_LEVEL=info\nKUAIJI_STAFF_USER_IDS=1\n"), 0o600)

	in, out, done := setupRun(t, api, dir, nil)
	waitFor(t, out, "输入时不显示")
	io.WriteString(in, setupToken+"\n")
	waitFor(t, out, "令牌有效：机器人 @kuaiji_test_bot")
	waitFor(t, out, "正在等待群里的消息")
	api.Send(tgfake.Message{From: &wang, Chat: g, Text: "/whoami@kuaiji_test_bot"})
	api.Send(tgfake.Message{From: &li, Chat: g, Text: "/whoami@kuaiji_test_bot"})
	waitFor(t, out, "编号 5002")
	io.WriteString(in, "\n")
	waitFor(t, out, "哪些人是客服")
	io.WriteString(in, "1\n")
	if err := <-done; err != nil {
		t.Fatalf("setup: %v\n%s", err, out)
	}
	screen := out.String()
	for _, want := range []string{"发现群组「会计服务台」", "王会计 @wangkj", "开启话题的超级群", "机器人身份：管理员", "已写入"} {
		if !strings.Contains(screen, want) {
			t.Errorf("screen lacks %q:\n%s", want, screen)
		}
	}
	if strings.Contains(screen, "setup-secret") || strings.Contains(screen, "\x1b") {
		t.Errorf("token or a control character on screen:\n%q", screen)
	}
	b, _ := os.ReadFile(filepath.Join(dir, ".env"))
	got := string(b)
	for _, want := range []string{"KUAIJI_LOG_LEVEL=info\n", "KUAIJI_STAFF_CHAT_ID=" + strconv.FormatInt(g.ID, 10) + "\n",
		"KUAIJI_STAFF_USER_IDS=5001\n", "TELEGRAM_BOT_TOKEN=" + setupToken + "\n"} {
		if !strings.Contains(got, want) {
			t.Errorf(".env lacks %q:\n%s", want, got)
		}
	}
	if strings.Count(got, "KUAIJI_STAFF_USER_IDS=") != 1 {
		t.Errorf(".env repeats a key:\n%s", got)
	}
	if fi, _ := os.Stat(filepath.Join(dir, ".env")); fi.Mode().Perm() != 0o600 {
		t.Errorf(".env mode %v, want 0600 (it holds the token)", fi.Mode().Perm())
	}
	// Then doctor, with what setup wrote, passes its Telegram checks.
	env := map[string]string{"TELEGRAM_API_URL": api.URL(), "KUAIJI_DATA_DIR": dataDir(t)}
	for _, l := range strings.Split(got, "\n") {
		if k, v, ok := strings.Cut(l, "="); ok {
			env[k] = v
		}
	}
	dout, _, err := runEnv(t, env, "", "doctor")
	if err != nil || !strings.Contains(dout, "✓ 机器人：@kuaiji_test_bot") || !strings.Contains(dout, "可以在这个群里发工单并创建话题") {
		t.Errorf("doctor after setup: %v\n%s", err, dout)
	}
}

// TestSetupSaysWhatRightsAreMissing: a bot that is a plain member of a
// forum group is told to become an admin who manages topics; .env is
// still written (the ids are right) and the exit status says to fix it.
func TestSetupSaysWhatRightsAreMissing(t *testing.T) {
	api := tgfake.New(setupToken)
	defer api.Close()
	g := staffGroup(api, true)
	api.SetMember(g.ID, tgfake.ChatMember{Status: "member", User: api.Me()})
	api.SetWebhook("https://bot.example.cn/hook")
	dir := t.TempDir()
	in, out, done := setupRun(t, api, dir, map[string]string{"TELEGRAM_BOT_TOKEN": setupToken})
	waitFor(t, out, "现在删除 webhook 吗")
	io.WriteString(in, "y\n")
	waitFor(t, out, "正在等待群里的消息")
	zhang := tgfake.User{ID: 6001, FirstName: "张"}
	api.Send(tgfake.Message{From: &zhang, Chat: g, Text: "/whoami@kuaiji_test_bot"})
	waitFor(t, out, "编号 6001")
	io.WriteString(in, "\n\n")
	err := <-done
	var ec exitCode
	if !errors.As(err, &ec) || ec != 1 {
		t.Fatalf("want exit status 1, got %v\n%s", err, out)
	}
	if !strings.Contains(out.String(), "还不是群管理员") {
		t.Errorf("no advice on admin rights:\n%s", out)
	}
	b, _ := os.ReadFile(filepath.Join(dir, ".env"))
	if !strings.Contains(string(b), "KUAIJI_STAFF_USER_IDS=6001") || strings.Contains(string(b), "TELEGRAM_BOT_TOKEN=4") {
		t.Errorf(".env (token came from the environment, so it is not written):\n%s", b)
	}
}

// TestSetupRefusesBadToken: the fake, like Telegram, answers 401.
func TestSetupRefusesBadToken(t *testing.T) {
	api := tgfake.New(setupToken)
	defer api.Close()
	in, out, done := setupRun(t, api, t.TempDir(), map[string]string{"TELEGRAM_BOT_TOKEN": "424242:wrong"})
	in.Close()
	err := <-done
	if err == nil || !strings.Contains(out.String(), "Telegram 不接受这个令牌") {
		t.Errorf("bad token: %v\n%s", err, out)
	}
}

// TestDoctorChecksTelegram: a token Telegram refuses, an unreadable staff
// chat and a staff chat without staff each fail doctor with what to fix.
func TestDoctorChecksTelegram(t *testing.T) {
	t.Parallel()
	api := tgfake.New(setupToken)
	defer api.Close()
	g := staffGroup(api, false)
	api.SetMember(g.ID, tgfake.ChatMember{Status: "administrator", User: api.Me()})
	for name, tc := range map[string]struct {
		env  map[string]string
		want string
	}{
		"bad token":     {map[string]string{"TELEGRAM_BOT_TOKEN": "123456:FAKE"}, "Telegram 不接受这个令牌"},
		"unknown chat":  {map[string]string{"TELEGRAM_BOT_TOKEN": setupToken, "KUAIJI_STAFF_CHAT_ID": "-100999", "KUAIJI_STAFF_USER_IDS": "1"}, "客服群 -100999：读取失败"},
		"no staff list": {map[string]string{"TELEGRAM_BOT_TOKEN": setupToken, "KUAIJI_STAFF_CHAT_ID": strconv.FormatInt(g.ID, 10)}, "没有设置 KUAIJI_STAFF_USER_IDS"},
	} {
		t.Run(name, func(t *testing.T) {
			tc.env["TELEGRAM_API_URL"] = api.URL()
			tc.env["KUAIJI_DATA_DIR"] = dataDir(t)
			out, _, err := runEnv(t, tc.env, "", "doctor")
			var ec exitCode
			if !errors.As(err, &ec) || !strings.Contains(out, tc.want) {
				t.Errorf("err %v, want %q in:\n%s", err, tc.want, out)
			}
		})
	}
}
