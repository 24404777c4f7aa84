package deskfaq_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji/deskfaq"
	"github.com/kuaiji/kuaiji/internal/redistest"
)

// stores returns the store on a miniredis and, when KUAIJI_TEST_REDIS_URL
// is set, on the real Redis too.
func stores(t *testing.T, opts ...deskfaq.Option) map[string]*deskfaq.Store {
	t.Helper()
	mr := miniredis.RunT(t)
	mc := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { mc.Close() })
	out := map[string]*deskfaq.Store{"miniredis": deskfaq.New(mc, opts...)}
	if os.Getenv(redistest.EnvURL) != "" {
		out["redis"] = deskfaq.New(redistest.Real(t), append(opts, deskfaq.WithPrefix(fmt.Sprintf("dt:%d:", rand.Int64())))...)
	}
	return out
}

func places(s string) (string, bool) {
	code, ok := map[string]string{"广东": "guangdong", "广东省": "guangdong", "guangdong": "guangdong"}[s]
	return code, ok
}

func TestDraftPublishRetire(t *testing.T) {
	ctx := context.Background()
	for name, s := range stores(t, deskfaq.WithPlaces(places)) {
		t.Run(name, func(t *testing.T) {
			d, err := s.Create(ctx, deskfaq.Entry{Question: "继续教育缴费后怎么开发票？", Answer: "在学习平台的订单页申请。",
				Paraphrases: []string{"继教交完钱发票在哪开", "继教交完钱发票在哪开", ""}, Jurisdiction: "广东省", Ticket: 7, Staff: 501})
			if err != nil {
				t.Fatal(err)
			}
			if d.Status != deskfaq.Draft || d.Jurisdiction != "guangdong" || len(d.Paraphrases) != 1 || d.ID() != "desk-1" {
				t.Errorf("draft = %+v", d)
			}
			if again, err := s.Create(ctx, deskfaq.Entry{Question: "别的", Answer: "别的", Ticket: 7}); err != nil || again.Number != d.Number {
				t.Errorf("second draft of one ticket: %d %v, want the first", again.Number, err)
			}
			if _, err := s.Create(ctx, deskfaq.Entry{Question: "q", Answer: "a", Jurisdiction: "火星"}); !errors.Is(err, deskfaq.ErrUnknownPlace) {
				t.Errorf("unknown place: %v", err)
			}
			v0, _ := s.Version(ctx)
			p, err := s.Publish(ctx, d.Number, false, "陈")
			if err != nil {
				t.Fatal(err)
			}
			if p.Status != deskfaq.Published || p.Ticket != 0 || p.Reviewed.IsZero() || p.Expires.Sub(p.Reviewed) != deskfaq.DefaultExpiry {
				t.Errorf("published = %+v", p)
			}
			if v1, _ := s.Version(ctx); v1 == v0 {
				t.Error("publishing did not move the version")
			}
			if _, err := s.Publish(ctx, d.Number, false, "陈"); !errors.Is(err, deskfaq.ErrStatus) {
				t.Errorf("publish twice: %v", err)
			}
			// The ticket no longer leads to the entry: /forget leaves it.
			if n, err := s.ForgetTickets(ctx, []int64{7}); err != nil || n != 0 {
				t.Errorf("forget after publishing deleted %d (%v)", n, err)
			}
			s.Hit(ctx, d.Number)
			s.Hit(ctx, d.Number)
			live, expired, err := s.Answering(ctx, time.Now())
			if err != nil || len(live) != 1 || len(expired) != 0 || live[0].Hits != 2 {
				t.Errorf("answering = %+v %+v %v", live, expired, err)
			}
			if _, expired, _ := s.Answering(ctx, time.Now().Add(deskfaq.DefaultExpiry+time.Hour)); len(expired) != 1 {
				t.Errorf("a year on, expired = %+v", expired)
			}
			r, err := s.Retire(ctx, d.Number, "陈")
			if err != nil || r.Status != deskfaq.Retired {
				t.Fatalf("retire: %+v %v", r, err)
			}
			if live, _, _ := s.Answering(ctx, time.Now()); len(live) != 0 {
				t.Errorf("retired entry still answering: %+v", live)
			}
		})
	}
}

func TestForgetDeletesOnlyUnpublishedDrafts(t *testing.T) {
	ctx := context.Background()
	for name, s := range stores(t) {
		t.Run(name, func(t *testing.T) {
			a, _ := s.Create(ctx, deskfaq.Entry{Question: "q1", Answer: "a1", Ticket: 1})
			b, _ := s.Create(ctx, deskfaq.Entry{Question: "q2", Answer: "a2", Ticket: 2})
			c, _ := s.Create(ctx, deskfaq.Entry{Question: "q3", Answer: "a3", Ticket: 3})
			if _, err := s.Publish(ctx, b.Number, false, "x"); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Discard(ctx, c.Number, "x"); err != nil {
				t.Fatal(err)
			}
			n, err := s.ForgetTickets(ctx, []int64{1, 2, 3, 4})
			if err != nil || n != 2 {
				t.Errorf("forgot %d (%v), want the draft and the discarded draft", n, err)
			}
			if _, err := s.Get(ctx, a.Number); !errors.Is(err, deskfaq.ErrNotFound) {
				t.Errorf("draft of a forgotten ticket still there: %v", err)
			}
			if got, err := s.Get(ctx, b.Number); err != nil || got.Status != deskfaq.Published {
				t.Errorf("published entry: %+v %v", got, err)
			}
			if list, _ := s.List(ctx); len(list) != 1 {
				t.Errorf("left %d entries, want 1", len(list))
			}
		})
	}
}

func TestPublishOverABuiltInAnswerNeedsConfirmation(t *testing.T) {
	ctx := context.Background()
	var asked []string
	check := func(_ context.Context, texts []string, _ string) (deskfaq.Overlap, bool, error) {
		asked = texts
		for _, x := range texts {
			if strings.Contains(x, "学分") {
				return deskfaq.Overlap{Question: "会计继续教育每年要修满多少学分？", Applies: "会计专业技术人员继续教育规定"}, true, nil
			}
		}
		return deskfaq.Overlap{}, false, nil
	}
	for name, s := range stores(t, deskfaq.WithChecker(check)) {
		t.Run(name, func(t *testing.T) {
			d, _ := s.Create(ctx, deskfaq.Entry{Question: "一年多少分", Answer: "八十分", Paraphrases: []string{"每年要多少学分"}})
			_, err := s.Publish(ctx, d.Number, false, "陈")
			ov, ok := deskfaq.IsConfirm(err)
			if !ok || ov.Applies == "" || len(asked) != 2 {
				t.Fatalf("publish without confirmation: %v (asked %q)", err, asked)
			}
			if got, _ := s.Get(ctx, d.Number); got.Status != deskfaq.Draft {
				t.Errorf("published without confirmation: %s", got.Status)
			}
			p, err := s.Publish(ctx, d.Number, true, "陈")
			if err != nil || p.Status != deskfaq.Published || p.Defers != "会计专业技术人员继续教育规定" {
				t.Errorf("confirmed: %+v %v", p, err)
			}
		})
	}
}

func TestQuestionOf(t *testing.T) {
	for _, c := range []struct {
		in   []string
		want string
	}{
		{[]string{"您好", "/human", "您好，继续教育缴费后怎么开发票？谢谢"}, "继续教育缴费后怎么开发票？"},
		{[]string{"我手机13812345678，继续教育交了钱发票在哪开？"}, "继续教育交了钱发票在哪开？"},
		{[]string{"[按钮] 转人工", "学分没有显示"}, "学分没有显示"},
		{[]string{"/start"}, ""},
	} {
		if got := deskfaq.QuestionOf(c.in); got != c.want {
			t.Errorf("QuestionOf(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
