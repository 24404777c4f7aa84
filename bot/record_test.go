package bot_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji/bot"
	"github.com/kuaiji/kuaiji/flows"
	"github.com/kuaiji/kuaiji/flows/redisstore"
)

type recorded struct {
	chat, user int64
	qa         bot.QA
}

// fakeRecorder keeps what the router records; forget fails when told to.
type fakeRecorder struct {
	mu      sync.Mutex
	got     []recorded
	forgot  []int64
	failing bool
}

func (f *fakeRecorder) RecordQA(_ context.Context, chat, user int64, qa bot.QA) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.got = append(f.got, recorded{chat, user, qa})
	return nil
}

func (f *fakeRecorder) forget(_ context.Context, _, user int64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failing {
		return errors.New("redis down")
	}
	f.forgot = append(f.forgot, user)
	return nil
}

func recordingRouter(t *testing.T) (*bot.Router, *fakeRecorder) {
	t.Helper()
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { rdb.Close() })
	js := Jurisdictions(t)
	fl, err := flows.Load(os.DirFS("../policies"), "flows", Docs(js))
	if err != nil {
		t.Fatal(err)
	}
	rec := &fakeRecorder{}
	eng := flows.New(redisstore.New(rdb), fl, bot.PlacesFrom(js), flows.WithForget(rec.forget))
	return bot.NewRouter(eng, &fakeAnswerer{}, bot.WithRecorder(rec)), rec
}

func TestRouterRecordsEachAnswer(t *testing.T) {
	r, rec := recordingRouter(t)
	handle(t, r, bot.Message{ChatID: 8, UserID: 9, Text: "继续教育每年要多少学分"})
	handle(t, r, bot.Message{ChatID: 8, UserID: 9, Text: "/check"}) // no answer, nothing recorded
	handle(t, r, bot.Message{ChatID: 8, UserID: 9, Text: "我的手机13812345678能登记吗"})
	if len(rec.got) != 2 {
		t.Fatalf("recorded %+v", rec.got)
	}
	g := rec.got[0]
	if g.chat != 8 || g.user != 9 || g.qa.Question != "继续教育每年要多少学分" || len(g.qa.Sources) != 1 || g.qa.Sources[0] != "cpe-rules" {
		t.Errorf("recorded %+v", g)
	}
	if strings.Contains(rec.got[1].qa.Question, "13812345678") {
		t.Errorf("phone number reached the recorder: %q", rec.got[1].qa.Question)
	}
}

func TestForgetRunsTheHook(t *testing.T) {
	r, rec := recordingRouter(t)
	out := handle(t, r, bot.Message{ChatID: 8, UserID: 9, Text: "/forget"})
	if len(rec.forgot) != 1 || rec.forgot[0] != 9 || !strings.Contains(out[0].Text, "已清除") {
		t.Errorf("forgot %v, replies %+v", rec.forgot, out)
	}
	rec.failing = true
	out = handle(t, r, bot.Message{ChatID: 8, UserID: 9, Text: "/forget"})
	if !strings.Contains(out[len(out)-1].Text, "稍后再发送一次 /forget") {
		t.Errorf("a failed hook is not reported: %+v", out)
	}
}

// failingSave is a flow store that loads but cannot save: every save
// fails with err.
type failingSave struct{ err error }

func (failingSave) Load(context.Context, int64, int64) (flows.Snapshot, error) {
	return flows.Snapshot{}, nil
}

func (f failingSave) Save(context.Context, int64, int64, flows.Snapshot) error { return f.err }

// A turn whose answer is made but whose state cannot be saved counts the
// answer as often as the user sees it: once when the question is still
// answered (the store is down), never when the turn fails.
func TestRouterCountsOnlyAnswersGiven(t *testing.T) {
	js := Jurisdictions(t)
	fl, err := flows.Load(os.DirFS("../policies"), "flows", Docs(js))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		err   error
		shown int
	}{
		{"store down", fmt.Errorf("save: %w", flows.ErrUnavailable), 1},
		{"always beaten", flows.ErrConflict, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, fa := &fakeRecorder{}, &fakeAnswerer{}
			eng := flows.New(failingSave{tc.err}, fl, bot.PlacesFrom(js), flows.WithRetries(2))
			r := bot.NewRouter(eng, fa, bot.WithRecorder(rec))
			rs := handle(t, r, bot.Message{ChatID: 8, UserID: 9, Text: "继续教育每年要多少学分"})
			shown := 0
			for _, rep := range rs {
				shown += strings.Count(rep.Text, "答：继续教育每年要多少学分")
			}
			if shown != tc.shown || len(rec.got) != tc.shown {
				t.Errorf("answer shown %d times, recorded %d times, want %d and %d; replies %+v", shown, len(rec.got), tc.shown, tc.shown, rs)
			}
			if len(fa.asked) != 1 {
				t.Errorf("the question was answered %d times in one turn, want once", len(fa.asked))
			}
		})
	}
}
