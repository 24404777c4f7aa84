package feedback_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kuaiji/kuaiji/feedback"
	"github.com/kuaiji/kuaiji/internal/redistest"
	"github.com/kuaiji/kuaiji/privacy/privacytest"
)

func newStore(t *testing.T, opts ...feedback.Option) *feedback.Store {
	t.Helper()
	rdb := redistest.Client(t)
	prefix := fmt.Sprintf("fb:%d:", rand.Int64())
	return feedback.New(rdb, append([]feedback.Option{feedback.WithPrefix(prefix)}, opts...)...)
}

func TestRateOnceAndReasonOnce(t *testing.T) {
	ctx := context.Background()
	var votes, reasons atomic.Int64
	s := newStore(t, feedback.WithCounted(func(up bool, reason string) {
		if reason == "" {
			votes.Add(1)
		} else {
			reasons.Add(1)
		}
	}))
	tok, err := s.Offer(ctx, 7, feedback.Answer{Question: "继续教育要多少学分？我的手机13812345678",
		Sources: []string{"cpe-rules", "desk-3"}, Confidence: 0.42, Jurisdiction: "guangdong"})
	if err != nil {
		t.Fatal(err)
	}
	if len(tok) != feedback.TokenLen {
		t.Fatalf("token %q", tok)
	}
	if n, err := s.Reason(ctx, 7, tok, "wrong", ""); !errors.Is(err, feedback.ErrNotRated) || n {
		t.Fatalf("reason before a 👎: %v %v", n, err)
	}
	if n, err := s.Rate(ctx, 7, tok, false); err != nil || !n {
		t.Fatalf("first tap: counted %v, %v", n, err)
	}
	for _, up := range []bool{false, true} {
		if n, err := s.Rate(ctx, 7, tok, up); err != nil || n {
			t.Fatalf("second tap (up %v): counted %v, %v", up, n, err)
		}
	}
	if n, err := s.Reason(ctx, 7, tok, "outdated", "说的是去年的政策，邮箱 a.b@example.com"); err != nil || !n {
		t.Fatalf("reason: %v %v", n, err)
	}
	if n, err := s.Reason(ctx, 7, tok, "wrong", "again"); err != nil || n {
		t.Fatalf("second reason: %v %v", n, err)
	}
	rs, err := s.Since(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 1 {
		t.Fatalf("want one rating, got %+v", rs)
	}
	r := rs[0]
	if r.Up || r.Reason != "outdated" || r.Confidence != 0.42 || r.Jurisdiction != "guangdong" ||
		strings.Join(r.Sources, ",") != "cpe-rules,desk-3" {
		t.Errorf("rating %+v", r)
	}
	if strings.Contains(r.Question, "13812345678") || strings.Contains(r.Text, "a.b@example.com") || !strings.Contains(r.Text, "去年的政策") {
		t.Errorf("not masked: %q / %q", r.Question, r.Text)
	}
	if votes.Load() != 1 || reasons.Load() != 1 {
		t.Errorf("counted %d votes, %d reasons; want 1 and 1", votes.Load(), reasons.Load())
	}
	c, err := s.Counts(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if c["desk-3"].Down != 1 || c["desk-3"].Up != 0 || c["desk-3"].Reasons["outdated"] != 1 || c["cpe-rules"].Down != 1 {
		t.Errorf("counts %+v", c)
	}
}

func TestUnknownAndExpiredTokens(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	for _, tok := range []string{"", "short", "AAAAAAAAAAA", "../../../xx", "a b c d e f"} {
		if _, err := s.Rate(ctx, 1, tok, true); !errors.Is(err, feedback.ErrExpired) {
			t.Errorf("Rate(%q): %v, want ErrExpired", tok, err)
		}
	}
}

// TestTwoReplicasCountOnce taps one answer from two stores on one Redis at
// once, as two replicas would when a double tap reaches both.
func TestTwoReplicasCountOnce(t *testing.T) {
	ctx := context.Background()
	rdb := redistest.Client(t)
	prefix := fmt.Sprintf("fb:%d:", rand.Int64())
	a, b := feedback.New(rdb, feedback.WithPrefix(prefix)), feedback.New(rdb, feedback.WithPrefix(prefix))
	for range 20 {
		tok, err := a.Offer(ctx, 1, feedback.Answer{Question: "q", Sources: []string{"x"}})
		if err != nil {
			t.Fatal(err)
		}
		var counted atomic.Int64
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Go(func() {
				s := a
				if i%2 == 1 {
					s = b
				}
				if n, err := s.Rate(ctx, 1, tok, i%3 == 0); err != nil {
					t.Error(err)
				} else if n {
					counted.Add(1)
				}
			})
		}
		wg.Wait()
		if counted.Load() != 1 {
			t.Fatalf("counted %d taps of one answer", counted.Load())
		}
	}
	c, err := b.Counts(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if got := c["x"].Up + c["x"].Down; got != 20 {
		t.Errorf("20 answers rated, %d ratings stored", got)
	}
}

func TestForgetAndAwait(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	mine, _ := s.Offer(ctx, 1, feedback.Answer{Question: "我的问题"})
	theirs, _ := s.Offer(ctx, 2, feedback.Answer{Question: "别人的问题"})
	unrated, _ := s.Offer(ctx, 1, feedback.Answer{Question: "未评价"})
	s.Rate(ctx, 1, mine, false)
	s.Reason(ctx, 1, mine, "other", "看不明白")
	s.Rate(ctx, 2, theirs, true)
	if n, err := s.Forget(ctx, 1); err != nil || n != 1 {
		t.Fatalf("forget: %d %v", n, err)
	}
	rs, _ := s.Since(ctx, time.Time{})
	if len(rs) != 1 || rs[0].Question != "别人的问题" {
		t.Errorf("after forget: %+v", rs)
	}
	if _, err := s.Rate(ctx, 1, unrated, true); !errors.Is(err, feedback.ErrExpired) {
		t.Errorf("a forgotten offer can still be rated: %v", err)
	}

	if tok, err := s.Awaited(ctx, 5, 5); err != nil || tok != "" {
		t.Fatalf("nothing awaited: %q %v", tok, err)
	}
	if err := s.Await(ctx, 5, 5, theirs); err != nil {
		t.Fatal(err)
	}
	if tok, _ := s.Awaited(ctx, 5, 6); tok != "" {
		t.Errorf("another user's text is the reason")
	}
	if tok, _ := s.Awaited(ctx, 5, 5); tok != theirs {
		t.Errorf("awaited %q, want %q", tok, theirs)
	}
	if tok, _ := s.Awaited(ctx, 5, 5); tok != "" {
		t.Errorf("only the next text is the reason, got %q again", tok)
	}
}

func TestRetention(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	s := newStore(t, feedback.WithRetention(time.Hour), feedback.WithClock(func() time.Time { return now }))
	tok, _ := s.Offer(ctx, 1, feedback.Answer{Question: "q"})
	s.Rate(ctx, 1, tok, true)
	now = now.Add(2 * time.Hour)
	if n, err := s.Trim(ctx); err != nil || n != 1 {
		t.Fatalf("trim: %d %v", n, err)
	}
}

func TestDislikedOrder(t *testing.T) {
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	r := func(q string, up bool, reason, text string, src ...string) feedback.Rating {
		at = at.Add(time.Minute)
		return feedback.Rating{Time: at, Answer: feedback.Answer{Question: q, Sources: src}, Up: up, Reason: reason, Text: text}
	}
	rs := []feedback.Rating{
		r("继续教育学分怎么算", true, "", "", "cpe-rules"),
		r("继续教育学分怎么算", false, "incomplete", "", "cpe-rules"),
		r("深圳公需课在哪里学", false, "outdated", "链接打不开", "jur-shenzhen"),
		r("深圳公需课在哪里学习", false, "outdated", "", "jur-shenzhen"),
		r("深圳公需课在哪里学", false, "wrong", "", "jur-shenzhen", "desk-1"),
		r("调转要多久", true, "", "", "transfer-2021"),
	}
	got := feedback.Disliked(rs, 0.5)
	if len(got) != 2 {
		t.Fatalf("want 2 disliked groups (the liked one left out), got %+v", got)
	}
	g := got[0]
	if g.Question != "深圳公需课在哪里学" || g.Down != 3 || g.Up != 0 || g.Reasons["outdated"] != 2 || g.Reasons["wrong"] != 1 ||
		g.Sources["jur-shenzhen"] != 3 || g.Sources["desk-1"] != 1 || len(g.Comments) != 1 || g.Comments[0] != "链接打不开" ||
		len(g.Examples) != 1 || g.Examples[0] != "深圳公需课在哪里学习" {
		t.Errorf("first group %+v", g)
	}
	if got[1].Question != "继续教育学分怎么算" || got[1].Down != 1 || got[1].Up != 1 {
		t.Errorf("second group %+v", got[1])
	}
}

// TestReasonsAndQuestionsMasked writes identifiers in the many ways people
// do into questions and free-text reasons; the independent detector of
// privacytest finds none of them in Redis afterwards, in any key.
func TestReasonsAndQuestionsMasked(t *testing.T) {
	ctx := context.Background()
	rdb := redistest.Client(t)
	prefix := fmt.Sprintf("fbm:%d:", rand.Int64())
	s := feedback.New(rdb, feedback.WithPrefix(prefix))
	g := privacytest.New(16)
	var all []privacytest.ID
	for i := range 60 {
		qids := []privacytest.ID{g.Any(), g.Any()}
		rids := []privacytest.ID{g.Any(), g.Any(), g.Any()}
		all = append(append(all, qids...), rids...)
		tok, err := s.Offer(ctx, int64(i), feedback.Answer{Question: g.Text(qids), Standalone: g.Text(qids[:1])})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Rate(ctx, int64(i), tok, false); err != nil {
			t.Fatal(err)
		}
		// A long reason is cut after masking, so no cut splits an id.
		reason := strings.Repeat("说明", i*4) + g.Text(rids)
		if _, err := s.Reason(ctx, int64(i), tok, "other", reason); err != nil {
			t.Fatal(err)
		}
	}
	dump, err := privacytest.DumpRedis(ctx, rdb, prefix+"*")
	if err != nil {
		t.Fatal(err)
	}
	if leaks := privacytest.Leaks(dump, all); len(leaks) > 0 {
		t.Errorf("identifiers stored in clear: %v", leaks[:min(5, len(leaks))])
	}
}
