package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji/internal/redistest"
	"github.com/kuaiji/kuaiji/internal/tgfake"
	"github.com/kuaiji/kuaiji/privacy/privacytest"
)

// patience is how long the harness waits for the bot before failing a
// test: long enough for a loaded machine under -race, not a measure.
const patience = 20 * time.Second

// serveHarness is `kuaiji serve` running against a fake Bot API of its
// own, for the end-to-end tests: a bot token, a Redis, a staff chat when
// asked for, and one or more replicas, each with a data directory of its
// own unless told otherwise. It embeds its first replica. Everything it
// starts is stopped through t.Cleanup, and a replica that stops with an
// error fails the test.
type serveHarness struct {
	*serveReplica
	t    *testing.T
	api  *tgfake.Server
	base map[string]string // what every replica's environment starts from

	redisURL string
	rdb      *redis.Client // the harness's own database; nil without withRedisDB
	staff    tgfake.Chat   // with withStaff
	agent    tgfake.User   // the staff member withStaff allows

	nextUpdate int64 // update_id of the last update posted to a webhook
}

// serveReplica is one running `kuaiji serve`.
type serveReplica struct {
	h       *serveHarness
	env     map[string]string
	out     *syncBuffer // what serve wrote, stdout and stderr
	hook    string      // the webhook URL to post updates to, with withWebhook
	secret  string
	httpURL string // base URL of HTTP_ADDR, with withHTTP

	stopOnce func() error
	stopped  bool
}

// serveOptions is what serveOption functions set.
type serveOptions struct {
	staff   int64
	redisDB int // -1 for the default database
	env     map[string]string
	webhook string // path; "" polls
	secret  string
	http    bool
}

// serveOption sets up the harness or a replica. withStaff and withRedisDB
// are the harness's and only go to newServeHarness; withEnv given there
// is every replica's environment, given to start only that replica's.
type serveOption func(*serveOptions)

// withStaff registers a staff supergroup chat and lets agent 501 answer
// in it.
func withStaff(chat int64) serveOption { return func(o *serveOptions) { o.staff = chat } }

// withRedisDB gives the test database db of the real test Redis, emptied,
// so that what the test finds there is its own; the test is skipped when
// no real Redis is configured.
func withRedisDB(db int) serveOption { return func(o *serveOptions) { o.redisDB = db } }

// withEnv sets environment variables, as key, value pairs.
func withEnv(kv ...string) serveOption {
	return func(o *serveOptions) {
		for i := 0; i+1 < len(kv); i += 2 {
			o.env[kv[i]] = kv[i+1]
		}
	}
}

// withWebhook runs the replica in webhook mode on a free port, Telegram
// being told https://bot.example.cn + path and secret; starting waits
// until it has called setWebhook.
func withWebhook(path, secret string) serveOption {
	return func(o *serveOptions) { o.webhook, o.secret = path, secret }
}

// withHTTP serves health and metrics on a free port (instead of any
// port, unknown to the test).
func withHTTP() serveOption { return func(o *serveOptions) { o.http = true } }

// newServeHarness starts a fake Bot API, chooses Redis (the real test
// Redis when configured, else a miniredis the replicas share) and starts
// the first replica.
func newServeHarness(t *testing.T, opts ...serveOption) *serveHarness {
	t.Helper()
	o := serveOptions{redisDB: -1, env: map[string]string{}}
	for _, opt := range opts {
		opt(&o)
	}
	token := fmt.Sprintf("%d:harness", rand.Int64N(1e9))
	h := &serveHarness{t: t, api: tgfake.New(token), nextUpdate: rand.Int64N(1e6) * 1000}
	t.Cleanup(h.api.Close)
	h.redisURL = os.Getenv(redistest.EnvURL)
	switch {
	case o.redisDB >= 0:
		h.redisURL, h.rdb = ownDB(t, o.redisDB)
	case h.redisURL == "":
		h.redisURL = "redis://" + miniredis.RunT(t).Addr()
	}
	h.base = map[string]string{
		"TELEGRAM_BOT_TOKEN": token, "TELEGRAM_API_URL": h.api.URL(), "REDIS_URL": h.redisURL,
		"HTTP_ADDR": "127.0.0.1:0", // parallel test binaries must not share :9090
	}
	if o.staff != 0 {
		h.staff = tgfake.Chat{ID: o.staff, Type: "supergroup", Title: "帮助台"}
		h.agent = tgfake.User{ID: 501, FirstName: "客服小陈"}
		h.api.SetChat(h.staff)
		h.base["KUAIJI_STAFF_CHAT_ID"] = strconv.FormatInt(o.staff, 10)
		h.base["KUAIJI_STAFF_USER_IDS"] = "501"
	}
	maps.Copy(h.base, o.env)
	o.env = map[string]string{}
	h.serveReplica = h.launch(o)
	return h
}

// ownDB empties database db of the real test Redis and returns its URL
// and a client of it.
func ownDB(t *testing.T, db int) (string, *redis.Client) {
	t.Helper()
	base := os.Getenv(redistest.EnvURL)
	if base == "" {
		t.Skip(redistest.EnvURL + " not set")
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + strconv.Itoa(db)
	opt, err := redis.ParseURL(u.String())
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opt)
	t.Cleanup(func() { rdb.Close() })
	if err := rdb.FlushDB(context.Background()).Err(); err != nil {
		t.Fatal(err)
	}
	return u.String(), rdb
}

// start starts another replica on the same fake Bot API and Redis.
func (h *serveHarness) start(opts ...serveOption) *serveReplica {
	h.t.Helper()
	o := serveOptions{redisDB: -1, env: map[string]string{}}
	for _, opt := range opts {
		opt(&o)
	}
	if o.staff != 0 || o.redisDB >= 0 {
		h.t.Fatal("withStaff and withRedisDB set up the harness, not a replica")
	}
	return h.launch(o)
}

// launch runs serve with the harness's environment and o's.
func (h *serveHarness) launch(o serveOptions) *serveReplica {
	t := h.t
	t.Helper()
	r := &serveReplica{h: h, env: maps.Clone(h.base), out: &syncBuffer{}}
	maps.Copy(r.env, o.env)
	if r.env["KUAIJI_DATA_DIR"] == "" {
		r.env["KUAIJI_DATA_DIR"] = dataDir(t)
	}
	if o.http {
		r.env["HTTP_ADDR"] = freeAddr(t)
		r.httpURL = "http://" + r.env["HTTP_ADDR"]
	}
	hooks := len(h.api.Calls("setWebhook"))
	if o.webhook != "" {
		addr := freeAddr(t)
		r.env["WEBHOOK_URL"] = "https://bot.example.cn" + o.webhook
		r.env["WEBHOOK_SECRET"], r.env["WEBHOOK_LISTEN"] = o.secret, addr
		r.hook, r.secret = "http://"+addr+o.webhook, o.secret
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return r.env[k] }, strings.NewReader(""), r.out, r.out)
	}()
	r.stopOnce = sync.OnceValue(func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(30 * time.Second):
			return fmt.Errorf("serve did not stop")
		}
	})
	t.Cleanup(func() {
		if !r.stopped {
			if err := r.stop(); err != nil {
				t.Errorf("serve: %v", err)
			}
		}
		if t.Failed() {
			t.Logf("serve with %s wrote:\n%s", r.env["KUAIJI_DATA_DIR"], tail(r.out.String(), 40))
		}
	})
	if o.webhook != "" && !h.api.Until(patience, func() bool { return len(h.api.Calls("setWebhook")) > hooks }) {
		t.Fatal("setWebhook not called: the webhook replica did not start")
	}
	return r
}

// tail is the last n lines of s.
func tail(s string, n int) string {
	lines := strings.SplitAfter(s, "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "")
}

// stop stops the replica and returns what serve returned; later calls
// return the same.
func (r *serveReplica) stop() error {
	r.stopped = true
	return r.stopOnce()
}

// logs is what the replica has written so far.
func (r *serveReplica) logs() string { return r.out.String() }

// run runs a command line in the replica's environment.
func (r *serveReplica) run(args ...string) (stdout, stderr string, err error) {
	r.h.t.Helper()
	return runEnv(r.h.t, r.env, "", args...)
}

// cli runs a command line in the replica's environment and returns its
// output; a failure fails the test.
func (r *serveReplica) cli(args ...string) string {
	r.h.t.Helper()
	out, errOut, err := r.run(args...)
	if err != nil {
		r.h.t.Fatalf("%v: %v\n%s", args, err, errOut)
	}
	return out
}

// update is a new text message update from u in their private chat.
func (h *serveHarness) update(u tgfake.User, text string) tgfake.Update {
	h.nextUpdate++
	return tgfake.Update{UpdateID: h.nextUpdate, Message: &tgfake.Message{MessageID: int(h.nextUpdate % 1e6), From: &u,
		Chat: tgfake.Private(u), Date: time.Now().Unix(), Text: text}}
}

// postUpdate posts upd to the replica's webhook with secret and returns
// the status.
func (r *serveReplica) postUpdate(secret string, upd tgfake.Update) int {
	r.h.t.Helper()
	if r.hook == "" {
		r.h.t.Fatal("the replica polls; start it withWebhook")
	}
	body, err := json.Marshal(upd)
	if err != nil {
		r.h.t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, r.hook, bytes.NewReader(body))
	req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.h.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// post delivers text from u to the replica's webhook, as Telegram does.
func (r *serveReplica) post(u tgfake.User, text string) {
	r.h.t.Helper()
	r.postUpdate(r.secret, r.h.update(u, text))
}

// newUser is a user of a chat of their own.
func newUser(name string) tgfake.User {
	return tgfake.User{ID: rand.Int64N(1e9) + 1, FirstName: name}
}

// next runs send, waits for a message the bot sends to chat after it
// and returns the chat's newest message; none fails the test.
func (h *serveHarness) next(chat int64, send func()) tgfake.Message {
	h.t.Helper()
	n := h.api.Count(chat)
	send()
	if !h.api.WaitCount(chat, n+1, patience) {
		h.t.Fatalf("nothing in chat %d after message %d", chat, n)
	}
	m, _ := h.api.Last(chat)
	return m
}

// say sends text from u through getUpdates and returns the bot's reply.
func (h *serveHarness) say(u tgfake.User, text string) tgfake.Message {
	h.t.Helper()
	return h.next(u.ID, func() { h.api.Text(u, text) })
}

// ask sends text from u through getUpdates and returns the first message
// in their chat that holds want.
func (h *serveHarness) ask(u tgfake.User, text, want string) tgfake.Message {
	h.t.Helper()
	h.api.Text(u, text)
	return h.wait(u.ID, want)
}

// wait returns the first message in chat that holds want.
func (h *serveHarness) wait(chat int64, want string) tgfake.Message {
	h.t.Helper()
	return h.waitFrom(chat, 0, want)
}

// waitFrom returns the first message in chat, from its from-th on, that
// holds want.
func (h *serveHarness) waitFrom(chat int64, from int, want string) tgfake.Message {
	h.t.Helper()
	return h.waitMatch(chat, from, fmt.Sprintf("%q", want), func(m tgfake.Message) bool { return strings.Contains(m.Text, want) })
}

// waitMatch returns the first message in chat, from its from-th on, that
// ok accepts; when none comes the test fails with the chat's messages.
func (h *serveHarness) waitMatch(chat int64, from int, what string, ok func(tgfake.Message) bool) tgfake.Message {
	h.t.Helper()
	var got tgfake.Message
	if !h.api.Until(patience, func() bool {
		for _, m := range h.api.Messages(chat)[from:] {
			if ok(m) {
				got = m
				return true
			}
		}
		return false
	}) {
		var b strings.Builder
		for _, m := range h.api.Messages(chat)[from:] {
			b.WriteString(m.Text + "\n---\n")
		}
		h.t.Fatalf("no %s in chat %d after message %d:\n%s", what, chat, from, b.String())
	}
	return got
}

// press presses the button labelled label on m as the staff agent.
func (h *serveHarness) press(m tgfake.Message, label string) {
	h.t.Helper()
	b, ok := m.Button(label)
	if !ok {
		h.t.Fatalf("no button %q on %q", label, m.Text)
	}
	h.api.Press(h.agent, m, b.CallbackData)
}

// staffReply sends text from the staff agent in the staff chat, as a
// reply to m.
func (h *serveHarness) staffReply(m tgfake.Message, text string) {
	h.api.Send(tgfake.Message{From: &h.agent, Chat: h.staff, Text: text, ReplyToMessage: &m})
}

// redisDump is every key of the harness's own database and its value.
func (h *serveHarness) redisDump() string {
	h.t.Helper()
	d, err := privacytest.DumpRedis(context.Background(), h.rdb, "*")
	if err != nil {
		h.t.Fatal(err)
	}
	return d
}

// freeAddr is a loopback address with a port free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
