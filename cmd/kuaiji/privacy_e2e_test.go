package main

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji/internal/redistest"
	"github.com/kuaiji/kuaiji/internal/tgfake"
	"github.com/kuaiji/kuaiji/privacy/privacytest"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestServeLeaksNoIdentifiers is a conversation full of identifiers
// written the ways users write them (in pieces, glued to letters, with
// invisible characters) through kuaiji serve on the fake Bot API and a
// real Redis: questions, a flow, a hand-off with staff replies, and
// /forget. Every value in Redis, the logs, kuaiji gaps, kuaiji tickets and
// every message the staff chat received are then scanned by the
// independent detector.
func TestServeLeaksNoIdentifiers(t *testing.T) {
	// A Redis database, a fake Bot API and a data directory of its own.
	t.Parallel()
	base := os.Getenv(redistest.EnvURL)
	if base == "" {
		t.Skip(redistest.EnvURL + " not set")
	}
	// A database of its own, so that the scan sees only this test's keys.
	opt, err := redis.ParseURL(base)
	if err != nil {
		t.Fatal(err)
	}
	opt.DB = 7
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	ctx := context.Background()
	if err := rdb.FlushDB(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	redisURL := fmt.Sprintf("redis://%s/7", opt.Addr)
	if opt.Password != "" {
		redisURL = fmt.Sprintf("redis://%s:%s@%s/7", opt.Username, opt.Password, opt.Addr)
	}

	token := fmt.Sprintf("%d:privacy-test", rand.Int64N(1e9))
	api := tgfake.New(token)
	defer api.Close()
	staff := tgfake.Chat{ID: -100778, Type: "supergroup", Title: "帮助台"}
	api.SetChat(staff)
	agent := tgfake.User{ID: 501, FirstName: "客服小陈"}
	env := map[string]string{
		"TELEGRAM_BOT_TOKEN": token, "TELEGRAM_API_URL": api.URL(),
		"KUAIJI_STAFF_CHAT_ID": "-100778", "KUAIJI_STAFF_USER_IDS": "501",
		"REDIS_URL": redisURL, "KUAIJI_LOG_LEVEL": "debug", "KUAIJI_DATA_DIR": dataDir(t), "HTTP_ADDR": "off",
	}
	logs := &lockedBuffer{}
	sctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(sctx, []string{"serve"}, func(k string) string { return env[k] }, strings.NewReader(""), &bytes.Buffer{}, logs)
	}()
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Error("serve did not stop")
		}
	}
	defer stop()

	g := privacytest.New(2026)
	var planted []privacytest.ID
	phone := g.Mobile()
	planted = append(planted, phone)
	user := tgfake.User{ID: rand.Int64N(1e9) + 1, FirstName: "王 tel" + phone.Value}
	// send sends text and waits for a new message in the chat answerIn.
	send := func(chat tgfake.Chat, from tgfake.User, text string, reply *tgfake.Message, answerIn int64) {
		t.Helper()
		before := len(api.Messages(answerIn))
		api.Send(tgfake.Message{From: &from, Chat: chat, Text: text, ReplyToMessage: reply})
		if !api.Until(20*time.Second, func() bool { return len(api.Messages(answerIn)) > before }) {
			t.Fatalf("nothing in chat %d after %q", answerIn, text)
		}
	}
	say := func(chat tgfake.Chat, from tgfake.User, text string, reply *tgfake.Message) {
		t.Helper()
		send(chat, from, text, reply, user.ID)
	}
	message := func(prefix string) string {
		ids := []privacytest.ID{g.Any(), g.Any()}
		planted = append(planted, ids...)
		return prefix + g.Text(ids)
	}
	fixed := []privacytest.ID{{Kind: privacytest.Phone, Value: "13812345678"}, {Kind: privacytest.Phone, Value: "13912345678"},
		{Kind: privacytest.ID18, Value: "110105199001011234"}}
	planted = append(planted, fixed...)
	me := tgfake.Private(user)

	say(me, user, "/start", nil)
	say(me, user, "电话 13812345678 13912345678，继续教育每年要多少学分？", nil)
	say(me, user, "110105199001011234 13812345678 外籍人员怎样办理信息采集", nil)
	for range 3 {
		say(me, user, message("继续教育学分怎么查？"), nil)
	}
	say(me, user, "/transfer", nil)
	say(me, user, "深圳", nil)
	say(me, user, message("我的情况："), nil)
	say(me, user, "/human", nil)
	var card tgfake.Message
	if !api.Until(20*time.Second, func() bool {
		for _, m := range api.Messages(staff.ID) {
			if strings.Contains(m.Text, "工单 #1") {
				card = m
				return true
			}
		}
		return false
	}) {
		t.Fatal("no ticket card")
	}
	for range 2 {
		send(me, user, message("请帮我核对："), nil, staff.ID)
	}
	send(staff, agent, "好的，已收到，"+message("请确认："), &card, user.ID)

	cli := func(args ...string) string {
		t.Helper()
		out, errOut, err := runEnv(t, env, "", args...)
		if err != nil {
			t.Fatalf("%v: %v\n%s", args, err, errOut)
		}
		return out
	}
	scan := func(where, text string) {
		t.Helper()
		if leaks := privacytest.Leaks(text, planted); len(leaks) > 0 {
			t.Errorf("%s holds identifiers in clear: %v\n%s", where, leaks, text)
		}
	}
	scan("kuaiji gaps", cli("gaps", "--since", "1d", "--min-confidence", "1.01"))
	scan("kuaiji tickets", cli("tickets", "--status", "all"))
	scan("kuaiji tickets show", cli("tickets", "show", "1"))
	scan("Redis before /forget", dumpAll(t, rdb))

	say(me, user, "/forget", nil)
	time.Sleep(200 * time.Millisecond) // the turn's own bookkeeping
	stop()

	var staffSaw strings.Builder
	for _, m := range api.Messages(staff.ID) {
		staffSaw.WriteString(m.Text + "\n")
	}
	scan("staff chat", staffSaw.String())
	scan("logs", logs.String())
	after := dumpAll(t, rdb)
	scan("Redis after /forget", after)
	scan("kuaiji gaps after /forget", cli("gaps", "--since", "1d", "--min-confidence", "1.01"))
	scan("kuaiji tickets show after /forget", cli("tickets", "show", "1"))
	for _, clear := range []string{"继续教育学分怎么查", "请帮我核对", "外籍人员怎样办理"} {
		if strings.Contains(after, clear) {
			t.Errorf("Redis keeps the user's text %q after /forget", clear)
		}
	}
	if strings.Count(logs.String(), "\n") < 5 {
		t.Errorf("too few log lines to mean anything:\n%s", logs.String())
	}
}

// dumpAll is every key of rdb's database and its value.
func dumpAll(t *testing.T, rdb *redis.Client) string {
	t.Helper()
	d, err := privacytest.DumpRedis(context.Background(), rdb, "*")
	if err != nil {
		t.Fatal(err)
	}
	return d
}
