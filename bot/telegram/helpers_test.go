package telegram_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/time/rate"

	"github.com/kuaiji/kuaiji"
	"github.com/kuaiji/kuaiji/bot"
	"github.com/kuaiji/kuaiji/bot/handoff"
	"github.com/kuaiji/kuaiji/bot/rating"
	"github.com/kuaiji/kuaiji/bot/telegram"
	"github.com/kuaiji/kuaiji/feedback"
	"github.com/kuaiji/kuaiji/flows"
	"github.com/kuaiji/kuaiji/flows/redisstore"
	"github.com/kuaiji/kuaiji/internal/redistest"
	"github.com/kuaiji/kuaiji/internal/tgfake"
	"github.com/kuaiji/kuaiji/knowledge"
	"github.com/kuaiji/kuaiji/policies"
)

const token = "123456:TEST-token-secret"

// fakeAnswerer answers by keyword so tests can ask for each kind of answer.
type fakeAnswerer struct{}

func (fakeAnswerer) Answer(_ context.Context, q knowledge.Question) (knowledge.Answer, error) {
	cite := []kuaiji.Source{{ID: "cpe-rules", Title: "会计专业技术人员继续教育规定", Section: "第十二条"}}
	switch {
	case strings.Contains(q.Text, "恐慌"):
		panic("answerer exploded")
	case strings.Contains(q.Text, "不确定"):
		return knowledge.Answer{Text: "这个问题我把握不大，以下仅供参考。", Sources: cite, Handoff: true}, nil
	case strings.Contains(q.Text, "长文"):
		var b strings.Builder
		for i := range 12 {
			fmt.Fprintf(&b, "第%d段：%s\n\n", i+1, strings.Repeat("继续教育学分按年度计算。", 50))
		}
		return knowledge.Answer{Text: b.String(), Sources: cite}, nil
	case strings.Contains(q.Text, "回显"):
		return knowledge.Answer{Text: "您问的是：" + q.Text, Sources: []kuaiji.Source{{ID: "x", Title: "<b>标题</b> & 附件", Section: "第<1>条"}}}, nil
	}
	return knowledge.Answer{Text: "继续教育每年不少于90学分。", Sources: cite}, nil
}

var (
	loadOnce sync.Once
	flowList []*flows.Flow
	places   *knowledge.Jurisdictions
	loadErr  error
)

func loadFlows(t testing.TB) ([]*flows.Flow, *knowledge.Jurisdictions) {
	t.Helper()
	loadOnce.Do(func() {
		places, loadErr = knowledge.LoadJurisdictions(policies.FS, "jurisdictions.yaml")
		if loadErr != nil {
			return
		}
		var docs flows.DocSet
		if docs, loadErr = flows.ScanDocs(policies.FS, "docs"); loadErr != nil {
			return
		}
		flowList, loadErr = flows.Load(policies.FS, "flows", docs)
	})
	if loadErr != nil {
		t.Fatal(loadErr)
	}
	return flowList, places
}

// fast limits keep tests quick; the limiter has its own test.
var fast = telegram.Limits{Global: rate.Inf, PerChat: rate.Inf, Attempts: 4, Backoff: 10 * time.Millisecond}

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

// harness is a bot on the fake API and a Redis, restartable.
type harness struct {
	t      testing.TB
	api    *tgfake.Server
	rdb    redis.UniversalClient
	prefix string
	opts   []telegram.Option
	flows  []*flows.Flow // nil: the policies' flows
	// ratings offers 👍/👎 under answers, stored on rdb ([harness.feedback]).
	ratings bool
	logs    *syncBuffer
	ad      *telegram.Adapter
	cancel  context.CancelFunc
	done    chan error
}

func newHarness(t testing.TB, opts ...telegram.Option) *harness {
	t.Helper()
	return newHarnessOn(t, tgfake.New(token), opts...)
}

func newHarnessOn(t testing.TB, api *tgfake.Server, opts ...telegram.Option) *harness {
	t.Helper()
	return newHarnessOf(t, api, nil, opts...)
}

// newHarnessOf runs the bot over the flows in list (nil: the policies').
func newHarnessOf(t testing.TB, api *tgfake.Server, list []*flows.Flow, opts ...telegram.Option) *harness {
	t.Helper()
	return newHarnessFrom(t, &harness{api: api, opts: opts, flows: list})
}

// newHarnessFrom completes h (api, opts, flows and ratings set) and starts it.
func newHarnessFrom(t testing.TB, h *harness) *harness {
	t.Helper()
	t.Cleanup(h.api.Close)
	h.t, h.rdb, h.logs, h.prefix = t, redistest.Client(t), &syncBuffer{}, fmt.Sprintf("kt:%d:", rand.Int64())
	h.start()
	t.Cleanup(func() { h.stop() })
	return h
}

func (h *harness) build() *telegram.Adapter {
	h.t.Helper()
	list, js := loadFlows(h.t)
	if h.flows != nil {
		list = h.flows
	}
	store := redisstore.New(h.rdb, redisstore.WithPrefix(h.prefix+"flows:"))
	eng := flows.New(store, list, bot.PlacesFrom(js))
	log := slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ropts := []bot.Option{bot.WithLogger(log)}
	if h.ratings {
		ropts = append(ropts, bot.WithRatings(rating.New(h.feedback())))
	}
	router := bot.NewRouter(eng, fakeAnswerer{}, ropts...)
	opts := append([]telegram.Option{
		telegram.WithServerURL(h.api.URL() + "/"),
		telegram.WithKeyPrefix(h.prefix),
		telegram.WithDescriber(handoff.NewDescriber(store, list, bot.PlacesFrom(js))),
		telegram.WithLogger(log),
		telegram.WithLimits(fast),
		telegram.WithPollTimeout(3 * time.Second),
	}, h.opts...)
	ad, err := telegram.New(context.Background(), token, router, h.rdb, opts...)
	if err != nil {
		h.t.Fatal(err)
	}
	return ad
}

// feedback is the store of the harness's ratings.
func (h *harness) feedback() *feedback.Store {
	return feedback.New(h.rdb, feedback.WithPrefix(h.prefix))
}

func (h *harness) start() {
	h.ad = h.build()
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel, h.done = cancel, make(chan error, 1)
	ad := h.ad
	go func() { h.done <- ad.Run(ctx) }()
}

func (h *harness) stop() {
	if h.cancel == nil {
		return
	}
	h.cancel()
	if err := <-h.done; err != nil {
		h.t.Errorf("run: %v", err)
	}
	h.cancel = nil
}

// restart replaces the bot with a new instance on the same Redis.
func (h *harness) restart() {
	h.stop()
	h.start()
}

// person is a user in a private chat (or a group, with chat set).
type person struct {
	h    *harness
	u    tgfake.User
	chat tgfake.Chat
	seen int
}

func (h *harness) user(id int64, name string) *person {
	u := tgfake.User{ID: id, FirstName: name}
	return &person{h: h, u: u, chat: tgfake.Private(u)}
}

func (p *person) send(text string) int64 {
	_, id := p.h.api.Send(tgfake.Message{From: &p.u, Chat: p.chat, Text: text})
	return id
}

// press presses the newest button labelled label in the person's chat.
func (p *person) press(label string) string {
	p.h.t.Helper()
	ms := p.h.api.Messages(p.chat.ID)
	for i := len(ms) - 1; i >= 0; i-- {
		if b, ok := ms[i].Button(label); ok {
			_, cb := p.h.api.Press(p.u, ms[i], b.CallbackData)
			return cb
		}
	}
	p.h.t.Fatalf("no button %q in chat %d:\n%s", label, p.chat.ID, transcript(ms))
	return ""
}

// wait waits for a new message containing want and returns it.
func (p *person) wait(want string) tgfake.Message {
	p.h.t.Helper()
	var got tgfake.Message
	ok := p.h.api.Until(5*time.Second, func() bool {
		ms := p.h.api.Messages(p.chat.ID)
		for i := p.seen; i < len(ms); i++ {
			if strings.Contains(ms[i].Text, want) || ms[i].Document != nil && strings.Contains(ms[i].Document.FileName, want) {
				got, p.seen = ms[i], i+1
				return true
			}
		}
		return false
	})
	if !ok {
		for _, c := range p.h.api.Calls("") {
			p.h.t.Logf("call %s %s %.40s", c.Method, c.Params["callback_query_id"], c.Params["text"])
		}
		p.h.t.Logf("pending %d", p.h.api.Pending())
		p.h.t.Fatalf("chat %d: no message with %q after #%d:\n%s\nlogs:\n%s", p.chat.ID, want, p.seen,
			transcript(p.h.api.Messages(p.chat.ID)), p.h.logs.String())
	}
	return got
}

func transcript(ms []tgfake.Message) string {
	var b strings.Builder
	for i, m := range ms {
		fmt.Fprintf(&b, "#%d [%d] %s", i, m.MessageID, m.Text)
		for _, btn := range m.Buttons() {
			fmt.Fprintf(&b, " [%s|%s]", btn.Text, btn.CallbackData)
		}
		if m.Document != nil {
			fmt.Fprintf(&b, " <document %s>", m.Document.FileName)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// AnswerStream makes fakeAnswerer a model-like answerer: a question with
// 流式 is written in three pieces, others arrive whole.
func (f fakeAnswerer) AnswerStream(ctx context.Context, q knowledge.Question, onDelta func(string)) (knowledge.Answer, error) {
	a, err := f.Answer(ctx, q)
	if err != nil || !strings.Contains(q.Text, "流式") {
		return a, err
	}
	for _, piece := range []string{"继续教育", "每年不少于", "90学分[1]。"} {
		onDelta(piece)
		time.Sleep(30 * time.Millisecond)
	}
	return a, nil
}
