package bot_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji/bot"
	"github.com/kuaiji/kuaiji/flows"
	"github.com/kuaiji/kuaiji/flows/redisstore"
	"github.com/kuaiji/kuaiji/knowledge"
)

// streamer writes its answer in pieces, as a model does.
type streamer struct{ fakeAnswerer }

func (s *streamer) AnswerStream(ctx context.Context, q knowledge.Question, onDelta func(string)) (knowledge.Answer, error) {
	for _, p := range []string{"每年", "不少于", "90学分[1]"} {
		onDelta(p)
	}
	return s.Answer(ctx, q)
}

func TestRouterStreamsDraftsWhenAsked(t *testing.T) {
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { rdb.Close() })
	js := Jurisdictions(t)
	eng := flows.New(redisstore.New(rdb), nil, bot.PlacesFrom(js))
	r := bot.NewRouter(eng, &streamer{})

	var drafts []string
	rs, err := r.Handle(context.Background(), bot.Message{ChatID: 1, UserID: 1, Text: "学分要多少",
		Draft: func(text string) { drafts = append(drafts, text) }})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"每年", "每年不少于", "每年不少于90学分[1]"}
	if !slices.Equal(drafts, want) {
		t.Errorf("drafts = %q, want the text so far each time %q", drafts, want)
	}
	if len(rs) == 0 || !strings.Contains(rs[0].Text, "学分要多少") || len(rs[0].Sources) == 0 {
		t.Errorf("final reply = %+v", rs)
	}

	// Without a draft sink the answer is not streamed.
	drafts = nil
	if _, err := r.Handle(context.Background(), bot.Message{ChatID: 2, UserID: 2, Text: "学分要多少"}); err != nil {
		t.Fatal(err)
	}
	if drafts != nil {
		t.Errorf("drafts without a sink: %q", drafts)
	}
}
