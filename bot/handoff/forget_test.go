package handoff_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji/bot/handoff"
	"github.com/kuaiji/kuaiji/internal/redistest"
	"github.com/kuaiji/kuaiji/privacy/privacytest"
)

// clients returns a miniredis client and, when KUAIJI_TEST_REDIS_URL is
// set, the real Redis, each with a fresh key prefix.
func clients(t *testing.T) map[string]struct {
	rdb    redis.UniversalClient
	prefix string
} {
	t.Helper()
	mr := miniredis.RunT(t)
	mc := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { mc.Close() })
	out := map[string]struct {
		rdb    redis.UniversalClient
		prefix string
	}{"miniredis": {mc, "kuaiji:handoff:"}}
	if os.Getenv(redistest.EnvURL) != "" {
		out["redis"] = struct {
			rdb    redis.UniversalClient
			prefix string
		}{redistest.Real(t), fmt.Sprintf("hf:%d:", rand.Int64())}
	}
	return out
}

// TestLostTicketDoesNotBlockHandoff: a ticket key that vanished (evicted,
// deleted by hand) left the chat's index pointing at it with no expiry,
// and every /human was refused.
func TestLostTicketDoesNotBlockHandoff(t *testing.T) {
	ctx := context.Background()
	for name, c := range clients(t) {
		t.Run(name, func(t *testing.T) {
			s := handoff.New(c.rdb, handoff.WithPrefix(c.prefix))
			first, err := s.Open(ctx, handoff.Ticket{ChatID: 42, UserID: 42, Reason: "r"})
			if err != nil {
				t.Fatal(err)
			}
			if err := c.rdb.Del(ctx, fmt.Sprintf("%sticket:%d", c.prefix, first.ID)).Err(); err != nil {
				t.Fatal(err)
			}
			if _, err := s.ForChat(ctx, 42); !errors.Is(err, handoff.ErrNotFound) {
				t.Fatalf("ForChat after the ticket vanished: %v, want ErrNotFound", err)
			}
			second, err := s.Open(ctx, handoff.Ticket{ChatID: 42, UserID: 42, Reason: "r"})
			if err != nil || second.ID == first.ID {
				t.Fatalf("open after the ticket vanished: %+v %v", second, err)
			}
			if got, err := s.ForChat(ctx, 42); err != nil || got.ID != second.ID {
				t.Errorf("ForChat = %+v %v, want ticket %d", got, err, second.ID)
			}
		})
	}
}

// TestForgetLeavesNothingOfTheUser scans every key and value after
// Forget: the user's text, name and ids are gone; the tickets keep their
// number, status, reason, times and staff.
func TestForgetLeavesNothingOfTheUser(t *testing.T) {
	ctx := context.Background()
	const chat, user = 880011223, 880011224
	for name, c := range clients(t) {
		t.Run(name, func(t *testing.T) {
			s := handoff.New(c.rdb, handoff.WithPrefix(c.prefix))
			if err := s.Record(ctx, chat, []handoff.Turn{{User: true, Text: "我叫王小明，问一下学分"}}, []string{"继续教育规定"}); err != nil {
				t.Fatal(err)
			}
			old, err := s.Open(ctx, handoff.Ticket{ChatID: chat, UserID: user, UserName: "王小明", Reason: "用户要求",
				Jurisdiction: "广东", Flow: "「信息采集」已回答：王小明的单位", Sources: []string{"继续教育规定"},
				Turns: []handoff.Turn{{User: true, Text: "我叫王小明，问一下学分"}}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.Claim(ctx, old.ID, 501, "客服小陈"); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Close(ctx, old.ID, "客服小陈"); err != nil {
				t.Fatal(err)
			}
			active, err := s.Open(ctx, handoff.Ticket{ChatID: chat, UserID: user, UserName: "王小明", Reason: "用户要求"})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.AddTurns(ctx, chat, handoff.Turn{User: true, Text: "王小明又来了"}); err != nil {
				t.Fatal(err)
			}

			changed, err := s.Forget(ctx, chat)
			if err != nil || len(changed) != 2 {
				t.Fatalf("Forget = %d tickets, %v", len(changed), err)
			}
			dump := dump(t, c.rdb, c.prefix)
			for _, clear := range []string{"王小明", "学分", "广东", "继续教育规定", fmt.Sprint(chat), fmt.Sprint(user)} {
				if strings.Contains(dump, clear) {
					t.Errorf("Redis still holds %q after Forget:\n%s", clear, dump)
				}
			}
			for _, id := range []int64{old.ID, active.ID} {
				tk, err := s.Get(ctx, id)
				if err != nil || tk.Status != handoff.Closed || tk.UserName != handoff.ForgottenName || tk.Reason != "用户要求" || tk.Created.IsZero() {
					t.Errorf("ticket %d after Forget: %+v %v", id, tk, err)
				}
			}
			if tk, _ := s.Get(ctx, old.ID); tk.ClaimedByName != "客服小陈" {
				t.Errorf("the staff record is gone: %+v", tk)
			}
			if _, err := s.ForChat(ctx, chat); !errors.Is(err, handoff.ErrNotFound) {
				t.Errorf("chat still has a ticket: %v", err)
			}
			if turns, _ := s.Turns(ctx, chat); len(turns) != 0 {
				t.Errorf("turns left: %+v", turns)
			}
		})
	}
}

func dump(t *testing.T, rdb redis.UniversalClient, prefix string) string {
	t.Helper()
	d, err := privacytest.DumpRedis(context.Background(), rdb, prefix+"*")
	if err != nil {
		t.Fatal(err)
	}
	return d
}
