package bot_test

import (
	"context"
	"testing"

	"github.com/kuaiji/kuaiji/bot"
	"github.com/kuaiji/kuaiji/knowledge"
)

type panicAnswerer struct{}

func (panicAnswerer) Answer(context.Context, knowledge.Question) (knowledge.Answer, error) {
	panic("index bug")
}

// A panic inside a turn becomes an apology for that turn; the chat's
// lock is released, so the next message of the same chat is handled.
func TestRouterRecoversPanic(t *testing.T) {
	r, _ := newRouterWith(t, panicAnswerer{})
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
