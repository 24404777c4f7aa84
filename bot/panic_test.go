package bot_test

import (
	"context"
	"os"
	"testing"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji/bot"
	"github.com/kuaiji/kuaiji/flows"
	"github.com/kuaiji/kuaiji/flows/redisstore"
	"github.com/kuaiji/kuaiji/knowledge"
)

type panicAnswerer struct{}

func (panicAnswerer) Answer(context.Context, knowledge.Question) (knowledge.Answer, error) {
	panic("index bug")
}

// A panic inside a turn becomes an apology for that turn; the chat's
// lock is released, so the next message of the same chat is handled.
func TestRouterRecoversPanic(t *testing.T) {
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { rdb.Close() })
	js := Jurisdictions(t)
	fl, err := flows.Load(os.DirFS("../policies"), "flows", Docs(js))
	if err != nil {
		t.Fatal(err)
	}
	r := bot.NewRouter(flows.New(redisstore.New(rdb), fl, bot.PlacesFrom(js)), panicAnswerer{})
	ctx := context.Background()
	out, err := r.Handle(ctx, bot.Message{ChatID: 9, UserID: 9, Text: "继续教育多少学分"})
	if err != nil || len(out) != 1 || out[0].Text != bot.FailedText {
		t.Fatalf("panicking turn = %+v, %v", out, err)
	}
	out, err = r.Handle(ctx, bot.Message{ChatID: 9, UserID: 9, Text: "/check"})
	if err != nil || len(out) == 0 || out[0].Text == bot.FailedText {
		t.Fatalf("next turn = %+v, %v", out, err)
	}
}
