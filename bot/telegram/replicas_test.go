package telegram_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji/bot"
	"github.com/kuaiji/kuaiji/bot/rating"
	"github.com/kuaiji/kuaiji/bot/telegram"
	"github.com/kuaiji/kuaiji/feedback"
	"github.com/kuaiji/kuaiji/flows"
	"github.com/kuaiji/kuaiji/flows/redisstore"
	"github.com/kuaiji/kuaiji/internal/redistest"
	"github.com/kuaiji/kuaiji/internal/tgfake"
	"github.com/kuaiji/kuaiji/knowledge"
)

// slowAnswerer makes a question with 慢 take a while, so that without
// ordering across replicas the next update would overtake it.
type slowAnswerer struct{ fakeAnswerer }

func (s slowAnswerer) Answer(ctx context.Context, q knowledge.Question) (knowledge.Answer, error) {
	if strings.Contains(q.Text, "慢") {
		time.Sleep(400 * time.Millisecond)
	}
	return s.fakeAnswerer.Answer(ctx, q)
}

// replicas are several webhook replicas of one bot sharing one Redis (each
// with its own client, as separate processes would have) and one fake API.
type replicas struct {
	t      *testing.T
	api    *tgfake.Server
	prefix string
	urls   []string
	logs   *syncBuffer
	next   int64
	// ratings offers 👍/👎 under answers, stored under prefix.
	ratings bool
}

const secret = "replica-secret"

func newReplicas(t *testing.T, n int, opts ...telegram.Option) *replicas {
	t.Helper()
	return newReplicasWith(t, n, false, opts...)
}

func newReplicasWith(t *testing.T, n int, ratings bool, opts ...telegram.Option) *replicas {
	t.Helper()
	api := tgfake.New(token)
	t.Cleanup(api.Close)
	r := &replicas{t: t, api: api, prefix: fmt.Sprintf("kt:rep:%d:", rand.Int64()), logs: &syncBuffer{}, next: 5000, ratings: ratings}
	for range n {
		r.start(opts...)
	}
	return r
}

// start runs one more replica; stop ends it (waiting for its chats).
func (r *replicas) start(opts ...telegram.Option) (stop func()) {
	t := r.t
	t.Helper()
	rdb := redistest.Real(t) // a new client each time, on the one shared Redis
	list, js := loadFlows(t)
	store := redisstore.New(rdb, redisstore.WithPrefix(r.prefix+"flows:"))
	var ropts []bot.Option
	if r.ratings {
		ropts = append(ropts, bot.WithRatings(rating.New(feedback.New(rdb, feedback.WithPrefix(r.prefix)))))
	}
	router := bot.NewRouter(flows.New(store, list, bot.PlacesFrom(js)), slowAnswerer{}, ropts...)
	log := slog.New(slog.NewTextHandler(r.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ad, err := telegram.New(context.Background(), token, router, rdb, append([]telegram.Option{
		telegram.WithServerURL(r.api.URL()), telegram.WithKeyPrefix(r.prefix), telegram.WithLogger(log),
		telegram.WithLimits(fast),
	}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ad.ServeWebhook(ctx, ln, "https://bot.example.cn/hook", secret) }()
	r.urls = append(r.urls, "http://"+ln.Addr().String()+"/hook")
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("replica: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// post delivers an update to replica i, as Telegram's webhook would.
func (r *replicas) post(i int, u tgfake.Update) {
	r.t.Helper()
	body, _ := json.Marshal(u)
	req, _ := http.NewRequest(http.MethodPost, r.urls[i], strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		r.t.Fatalf("replica %d answered %d", i, resp.StatusCode)
	}
}

// text is a new text update from user u.
func (r *replicas) text(u tgfake.User, s string) tgfake.Update {
	r.next++
	return tgfake.Update{UpdateID: r.next, Message: &tgfake.Message{MessageID: int(r.next), From: &u,
		Chat: tgfake.Private(u), Date: time.Now().Unix(), Text: s}}
}

func (r *replicas) waitFor(chat int64, want string, n int) {
	r.t.Helper()
	if !r.api.Until(10*time.Second, func() bool { return count(r.api.Messages(chat), want) >= n }) {
		r.t.Fatalf("chat %d: %d× %q not seen:\n%s\nlogs:\n%s", chat, n, want, transcript(r.api.Messages(chat)), r.logs.String())
	}
}

func TestReplicasHandleARedeliveredUpdateOnce(t *testing.T) {
	r := newReplicas(t, 2)
	u := tgfake.User{ID: 9101, FirstName: "甲"}
	up := r.text(u, "回显 两边都收到")
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Add(1)
		go func() { defer wg.Done(); r.post(i, up) }()
	}
	wg.Wait()
	r.post(0, r.text(u, "回显 之后"))
	r.waitFor(u.ID, "之后", 1)
	time.Sleep(200 * time.Millisecond)
	if n := count(r.api.Messages(u.ID), "两边都收到"); n != 1 {
		t.Errorf("update delivered to both replicas answered %d times", n)
	}
}

func TestReplicasKeepAChatsOrder(t *testing.T) {
	r := newReplicas(t, 2)
	for round := range 3 {
		u := tgfake.User{ID: 9200 + int64(round), FirstName: "乙"}
		// The first is slow on whichever replica gets it; the others go to
		// the other replica while it runs.
		r.post(0, r.text(u, "回显 慢 第1条"))
		time.Sleep(50 * time.Millisecond)
		for i, s := range []string{"第2条", "第3条", "第4条"} {
			r.post((i+1)%2, r.text(u, "回显 "+s))
		}
		r.waitFor(u.ID, "第4条", 1)
		var got []string
		for _, m := range r.api.Messages(u.ID) {
			if i := strings.Index(m.Text, "第"); i >= 0 {
				got = append(got, m.Text[i:i+len("第1")])
			}
		}
		if strings.Join(got, ",") != "第1,第2,第3,第4" {
			t.Errorf("round %d: replies out of order across replicas: %v", round, got)
		}
	}
}

// A flow walked with every update going to the other replica.
func TestReplicasAlternateThroughAFlow(t *testing.T) {
	r := newReplicas(t, 2)
	u := tgfake.User{ID: 9301, FirstName: "丙"}
	r.post(0, r.text(u, "/check"))
	r.waitFor(u.ID, "什么级别", 1)
	r.post(1, r.text(u, "中级"))
	r.waitFor(u.ID, "从事会计工作", 1)
	r.post(0, r.text(u, "是"))
	r.waitFor(u.ID, "劳务派遣", 1)
}

// A replica that dies while holding a chat leaves its queued updates in
// Redis; the other replica's sweeper picks them up when the lease ends.
func TestReplicaDiedHoldingAChat(t *testing.T) {
	r := newReplicas(t, 1, telegram.WithChatLease(600*time.Millisecond, 100*time.Millisecond))
	rdb := redistest.Client(t)
	ctx := context.Background()
	u := tgfake.User{ID: 9401, FirstName: "丁"}
	up := r.text(u, "回显 孤儿更新")
	body, _ := json.Marshal(up)
	// What a replica leaves behind when killed after taking the update:
	// it is queued, the chat is pending, and the dead replica's lease runs.
	base := r.prefix + "tg:" + strings.Split(token, ":")[0] + ":"
	tag := "{c" + strconv.FormatInt(u.ID, 10) + "}"
	rdb.ZAdd(ctx, base+"q:"+tag, redis.Z{Score: float64(up.UpdateID), Member: string(body)})
	rdb.Set(ctx, base+"seen:"+tag+":"+strconv.FormatInt(up.UpdateID, 10), 1, time.Hour)
	rdb.Set(ctx, base+"lock:"+tag, 99, 400*time.Millisecond)
	rdb.ZAdd(ctx, base+"pending", redis.Z{Score: float64(up.UpdateID), Member: u.ID})
	start := time.Now()
	r.waitFor(u.ID, "孤儿更新", 1)
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Errorf("the dead replica's lease was not respected: resumed after %v", d)
	}
	// Redelivery by Telegram after the crash is still a duplicate.
	r.post(0, up)
	r.post(0, r.text(u, "回显 然后"))
	r.waitFor(u.ID, "然后", 1)
	if n := count(r.api.Messages(u.ID), "孤儿更新"); n != 1 {
		t.Errorf("orphaned update answered %d times", n)
	}
	if !r.api.Until(2*time.Second, func() bool { n, _ := rdb.ZCard(ctx, base+"q:"+tag).Result(); return n == 0 }) {
		t.Error("updates left in the chat queue")
	}
}
