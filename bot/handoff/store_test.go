package handoff_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji/bot/handoff"
	"github.com/kuaiji/kuaiji/flows"
	"github.com/kuaiji/kuaiji/internal/redistest"
)

// stores returns the store on a miniredis and, when KUAIJI_TEST_REDIS_URL
// is set, on the real Redis too.
func stores(t *testing.T) map[string]*handoff.Store {
	t.Helper()
	mr := miniredis.RunT(t)
	mc := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { mc.Close() })
	out := map[string]*handoff.Store{"miniredis": handoff.New(mc)}
	if os.Getenv(redistest.EnvURL) != "" {
		out["redis"] = handoff.New(redistest.Real(t), handoff.WithPrefix(fmt.Sprintf("ht:%d:", rand.Int64())))
	}
	return out
}

func TestTicketLifecycle(t *testing.T) {
	ctx := context.Background()
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			if _, err := s.ForChat(ctx, 7); !errors.Is(err, handoff.ErrNotFound) {
				t.Fatalf("ForChat before open: %v", err)
			}
			tk, err := s.Open(ctx, handoff.Ticket{ChatID: 7, UserID: 7, UserName: "王", Reason: "r",
				Turns: []handoff.Turn{{User: true, Text: "我的电话 13812345678"}}})
			if err != nil || tk.ID != 1 || tk.Status != handoff.Open {
				t.Fatalf("open: %+v %v", tk, err)
			}
			if strings.Contains(tk.Turns[0].Text, "13812345678") {
				t.Error("turn not masked")
			}
			if again, err := s.Open(ctx, handoff.Ticket{ChatID: 7}); !errors.Is(err, handoff.ErrOpen) || again.ID != 1 {
				t.Errorf("second open: %v %v", again.ID, err)
			}
			if _, err := s.Claim(ctx, 1, 501, "陈"); err != nil {
				t.Fatal(err)
			}
			if by, err := s.Claim(ctx, 1, 502, "李"); !errors.Is(err, handoff.ErrClaimed) || by.ClaimedByName != "陈" {
				t.Errorf("claim by another: %v %v", by.ClaimedByName, err)
			}
			if err := s.Link(ctx, -100, 55, 1); err != nil {
				t.Fatal(err)
			}
			if got, err := s.ByMessage(ctx, -100, 55); err != nil || got.ID != 1 {
				t.Errorf("by message: %v %v", got.ID, err)
			}
			open, _ := s.ListOpen(ctx)
			if len(open) != 1 || open[0].Status != handoff.Claimed {
				t.Errorf("open list: %+v", open)
			}
			closed, err := s.Close(ctx, 1, "陈")
			if err != nil || closed.Status != handoff.Closed || closed.Closed.IsZero() {
				t.Fatalf("close: %+v %v", closed, err)
			}
			if _, err := s.Close(ctx, 1, "陈"); !errors.Is(err, handoff.ErrClosed) {
				t.Errorf("second close: %v", err)
			}
			if _, err := s.ForChat(ctx, 7); !errors.Is(err, handoff.ErrNotFound) {
				t.Errorf("closed ticket still active: %v", err)
			}
			if open, _ := s.ListOpen(ctx); len(open) != 0 {
				t.Errorf("closed ticket listed: %+v", open)
			}
			if tk, err := s.Open(ctx, handoff.Ticket{ChatID: 7}); err != nil || tk.ID != 2 {
				t.Errorf("reopen: %v %v", tk.ID, err)
			}
		})
	}
}

func TestConcurrentClaimHasOneWinner(t *testing.T) {
	ctx := context.Background()
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			tk, err := s.Open(ctx, handoff.Ticket{ChatID: 9})
			if err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			var mu sync.Mutex
			wins := 0
			for i := range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if _, err := s.Claim(ctx, tk.ID, int64(600+i), "staff"); err == nil {
						mu.Lock()
						wins++
						mu.Unlock()
					}
				}()
			}
			wg.Wait()
			if wins != 1 {
				t.Errorf("%d staff claimed the same ticket", wins)
			}
		})
	}
}

func TestRecentTurnsAndSources(t *testing.T) {
	ctx := context.Background()
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			for i := range 15 {
				s.Record(ctx, 3, []handoff.Turn{{User: true, Text: fmt.Sprintf("问题%d a@example.com", i)}}, []string{"文件A", fmt.Sprintf("文件%d", i%3)})
			}
			turns, err := s.Turns(ctx, 3)
			if err != nil || len(turns) != handoff.MaxTurns || !strings.HasPrefix(turns[0].Text, "问题5") {
				t.Fatalf("turns: %d %v %v", len(turns), err, turns)
			}
			if strings.Contains(turns[0].Text, "a@example.com") {
				t.Error("e-mail not masked")
			}
			src, _ := s.Sources(ctx, 3)
			if len(src) != 4 {
				t.Errorf("sources not deduplicated: %v", src)
			}
		})
	}
}

func TestSummary(t *testing.T) {
	now := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	tk := handoff.Ticket{ID: 3, Status: handoff.Claimed, UserName: "王", Jurisdiction: "广东省", ClaimedByName: "陈", Created: now.Add(-5 * time.Minute)}
	if got := tk.Summary(now); got != "#3 处理中 · 王 · 广东省 · 5 分钟前 · 陈" {
		t.Errorf("summary %q", got)
	}
}

// memStore is a flows.Store holding one snapshot.
type memStore struct{ snap flows.Snapshot }

func (m memStore) Load(context.Context, int64, int64) (flows.Snapshot, error) { return m.snap, nil }
func (m memStore) Save(context.Context, int64, int64, flows.Snapshot) error   { return nil }

func TestDescriberPutsStateInWords(t *testing.T) {
	f := &flows.Flow{ID: "check", Title: "是否需要信息采集", Steps: map[string]*flows.Step{
		"level":   {ID: "level", Ask: "您的职称是什么级别？\n（说明）", Parse: "level", Save: "level"},
		"working": {ID: "working", Ask: "您是否从事会计工作？", Parse: "yesno", Save: "working"},
		"kind":    {ID: "kind", Ask: "哪一项？", Save: "kind", Choices: []flows.Choice{{Label: "首次采集", Value: "new"}}},
	}}
	st := memStore{flows.Snapshot{Session: flows.Session{Flow: "check", Step: "kind",
		Answers: map[string]string{"level": flows.LevelIntermediate, "working": "yes", "kind": "new"},
		Trail:   []string{"level", "working"}}}}
	got, err := handoff.NewDescriber(st, []*flows.Flow{f}, nil).Describe(context.Background(), 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := "「是否需要信息采集」，当前问题：哪一项？\n已回答：\n- 您的职称是什么级别？：中级\n- 您是否从事会计工作？：是"
	if got.String() != want {
		t.Errorf("got\n%s\nwant\n%s", got.String(), want)
	}
}
