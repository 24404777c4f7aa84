package handoff_test

import (
	"context"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji/bot/handoff"
)

func TestListNewestFirstWithStatus(t *testing.T) {
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			if ts, err := s.List(ctx, handoff.ListOptions{}); err != nil || len(ts) != 0 {
				t.Fatalf("empty store: %v %v", ts, err)
			}
			var ids []int64
			for chat := range int64(5) {
				tk, err := s.Open(ctx, handoff.Ticket{ChatID: 100 + chat, UserID: 100 + chat, Reason: "测试"})
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, tk.ID)
			}
			s.Close(ctx, ids[1], "客服")
			s.Close(ctx, ids[3], "用户")
			all, err := s.List(ctx, handoff.ListOptions{})
			if err != nil || len(all) != 5 || all[0].ID != ids[4] || all[4].ID != ids[0] {
				t.Fatalf("all: %v %v", all, err)
			}
			closed, _ := s.List(ctx, handoff.ListOptions{Status: handoff.Closed})
			if len(closed) != 2 || closed[0].ID != ids[3] {
				t.Errorf("closed: %+v", closed)
			}
			two, _ := s.List(ctx, handoff.ListOptions{Limit: 2})
			if len(two) != 2 {
				t.Errorf("limit: %d", len(two))
			}
		})
	}
}

func TestClosedTicketsExpireAfterRetention(t *testing.T) {
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	defer rdb.Close()
	s := handoff.New(rdb, handoff.WithRetention(10*24*time.Hour))
	ctx := context.Background()
	a, _ := s.Open(ctx, handoff.Ticket{ChatID: 1, UserID: 1})
	b, _ := s.Open(ctx, handoff.Ticket{ChatID: 2, UserID: 2})
	s.Close(ctx, a.ID, "客服")
	mr.FastForward(11 * 24 * time.Hour)
	if _, err := s.Get(ctx, a.ID); err != handoff.ErrNotFound {
		t.Errorf("closed ticket kept past retention: %v", err)
	}
	if _, err := s.Get(ctx, b.ID); err != nil {
		t.Errorf("open ticket expired: %v", err)
	}
	if id, ok := handoff.ParseRef("#12"); !ok || id != 12 {
		t.Error("ParseRef")
	}
}
