package bot_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji"
	"github.com/kuaiji/kuaiji/bot"
	"github.com/kuaiji/kuaiji/bot/rating"
	"github.com/kuaiji/kuaiji/feedback"
	"github.com/kuaiji/kuaiji/flows"
	"github.com/kuaiji/kuaiji/flows/redisstore"
	"github.com/kuaiji/kuaiji/knowledge"
)

// decliningAnswerer declines greetings, as the knowledge core does.
type decliningAnswerer struct{ fakeAnswerer }

func (d *decliningAnswerer) Answer(ctx context.Context, q knowledge.Question) (knowledge.Answer, error) {
	if q.Text == "你好" {
		return knowledge.Answer{Text: "您好！请直接输入您的问题。", Declined: true}, nil
	}
	return d.fakeAnswerer.Answer(ctx, q)
}

func ratingRouter(t *testing.T) (*bot.Router, *decliningAnswerer, *feedback.Store) {
	t.Helper()
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { rdb.Close() })
	js := Jurisdictions(t)
	fl, err := flows.Load(os.DirFS("../policies"), "flows", Docs(js))
	if err != nil {
		t.Fatal(err)
	}
	fa := &decliningAnswerer{}
	fb := feedback.New(rdb)
	eng := flows.New(redisstore.New(rdb), fl, bot.PlacesFrom(js))
	return bot.NewRouter(eng, fa, bot.WithRatings(rating.New(fb))), fa, fb
}

func send(t *testing.T, r *bot.Router, m bot.Message) []kuaiji.Reply {
	t.Helper()
	m.ChatID, m.UserID = 42, 42
	rs, err := r.Handle(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// rated returns the token of the one reply that can be rated.
func rated(t *testing.T, rs []kuaiji.Reply) (int, string) {
	t.Helper()
	at, tok := -1, ""
	for i, r := range rs {
		if r.Rate != "" {
			if tok != "" {
				t.Fatalf("two rateable replies: %+v", rs)
			}
			at, tok = i, r.Rate
		}
	}
	return at, tok
}

func TestOnlyKnowledgeAnswersCanBeRated(t *testing.T) {
	r, _, _ := ratingRouter(t)
	if _, tok := rated(t, send(t, r, bot.Message{Text: "继续教育每年多少学分？"})); tok == "" {
		t.Error("a knowledge answer has no rating buttons")
	}
	if _, tok := rated(t, send(t, r, bot.Message{Text: "你好"})); tok != "" {
		t.Error("a declined greeting can be rated")
	}
	if _, tok := rated(t, send(t, r, bot.Message{Text: "/start"})); tok != "" {
		t.Error("the menu can be rated")
	}
	step := send(t, r, bot.Message{Text: "/check"})
	if _, tok := rated(t, step); tok != "" {
		t.Error("a flow step can be rated")
	}
	// A question inside a flow: its answer can be rated, the step
	// re-asked after it cannot.
	rs := send(t, r, bot.Message{Text: "继续教育学分怎么计算？"})
	at, tok := rated(t, rs)
	if tok == "" || at == len(rs)-1 || !strings.HasPrefix(rs[at].Text, "答：") {
		t.Errorf("digression: rating on reply %d of %+v", at, rs)
	}
	for _, b := range bot.RateButtons(tok) {
		if len(b.Data) > 64 {
			t.Errorf("callback data %q over 64 bytes", b.Data)
		}
	}
}

func TestRateDownWithOtherReason(t *testing.T) {
	r, fa, fb := ratingRouter(t)
	_, tok := rated(t, send(t, r, bot.Message{Text: "深圳公需课在哪里学？"}))
	down := bot.RateButtons(tok)[1].Data
	rs := send(t, r, bot.Message{Callback: down})
	if len(rs) != 2 || !rs[0].Notice || rs[0].Text != bot.RateThanksText || rs[1].Text != bot.ReasonPrompt {
		t.Fatalf("after 👎: %+v", rs)
	}
	var labels []string
	other := ""
	for _, row := range rs[1].Buttons {
		for _, b := range row {
			labels = append(labels, b.Label)
			if b.Label == "其他" {
				other = b.Data
			}
		}
	}
	if strings.Join(labels, " ") != "答非所问 信息过时 不完整 看不懂 其他" {
		t.Errorf("reasons offered: %v", labels)
	}
	if rs := send(t, r, bot.Message{Callback: down}); len(rs) != 1 || rs[0].Text != bot.RatedBeforeText {
		t.Errorf("second 👎 asks again: %+v", rs)
	}
	if rs := send(t, r, bot.Message{Callback: other}); len(rs) != 1 || rs[0].Text != bot.OtherPrompt {
		t.Fatalf("after 其他: %+v", rs)
	}
	asked := len(fa.asked)
	rs = send(t, r, bot.Message{Text: "没有说深圳的情况，我手机13812345678"})
	if len(rs) != 1 || rs[0].Text != bot.ReasonThanksText || len(fa.asked) != asked {
		t.Errorf("the reason was answered as a question: %+v", rs)
	}
	rs = send(t, r, bot.Message{Text: "那广州呢？"})
	if len(fa.asked) != asked+1 {
		t.Errorf("the text after the reason is not answered: %+v", rs)
	}
	got, err := fb.Since(context.Background(), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Up || got[0].Reason != "other" || !strings.Contains(got[0].Text, "没有说深圳") ||
		strings.Contains(got[0].Text, "13812345678") || got[0].Question != "深圳公需课在哪里学？" || got[0].Sources[0] != "cpe-rules" {
		t.Errorf("stored %+v", got)
	}
}

func TestTextAfterDownIsAQuestion(t *testing.T) {
	r, fa, fb := ratingRouter(t)
	_, tok := rated(t, send(t, r, bot.Message{Text: "继续教育每年多少学分？"}))
	send(t, r, bot.Message{Callback: bot.RateButtons(tok)[1].Data})
	asked := len(fa.asked)
	rs := send(t, r, bot.Message{Text: "继续教育学分每年要求是多少？"})
	if len(fa.asked) != asked+1 {
		t.Fatalf("a new question after 👎 was taken as the reason: %+v", rs)
	}
	if _, tok2 := rated(t, rs); tok2 == "" || tok2 == tok {
		t.Errorf("the new answer has its own rating: %q after %q", tok2, tok)
	}
	got, _ := fb.Since(context.Background(), time.Time{})
	if len(got) != 1 || got[0].Reason != "" {
		t.Errorf("stored %+v", got)
	}
	// A reason picked later still counts, once.
	pick := bot.DataRate + tok + "|outdated"
	if rs := send(t, r, bot.Message{Callback: pick}); rs[0].Text != bot.ReasonThanksText {
		t.Errorf("reason: %+v", rs)
	}
	if rs := send(t, r, bot.Message{Callback: bot.DataRate + tok + "|wrong"}); rs[0].Text != bot.ReasonBeforeText {
		t.Errorf("second reason: %+v", rs)
	}
	if rs := send(t, r, bot.Message{Callback: bot.DataRate + "AAAAAAAAAAA|up"}); !rs[0].Stale {
		t.Errorf("an unknown answer's rating is not stale: %+v", rs)
	}
}
