package terminal_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji/bot"
	"github.com/kuaiji/kuaiji/bot/rating"
	"github.com/kuaiji/kuaiji/bot/terminal"
	"github.com/kuaiji/kuaiji/feedback"
)

func TestRateInTheTerminal(t *testing.T) {
	var fb *feedback.Store
	r, _ := newRouterOn(t, echo{}, func(rdb *redis.Client) []bot.Option {
		fb = feedback.New(rdb)
		return []bot.Option{bot.WithRatings(rating.New(fb))}
	})
	in := strings.Join([]string{
		"+",           // nothing to rate yet
		"继续教育每年多少学分？", // answer 1
		"+",
		"+",          // answer 1 is rated already
		"深圳公需课在哪里学？", // answer 2
		"/bad 看不懂",
		"调转要多久？", // answer 3
		"-",
		"2", // 信息过时, a numbered option
		"/check",
	}, "\n") + "\n"
	var out strings.Builder
	if err := terminal.Run(context.Background(), r, strings.NewReader(in), &out, terminal.Options{UserID: 9}); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if n := strings.Count(got, terminal.RateHint); n != 1 {
		t.Errorf("the hint shown %d times:\n%s", n, got)
	}
	if n := strings.Count(got, terminal.NothingToRateText); n != 2 {
		t.Errorf("%q %d times, want 2 (before any answer, after rating one):\n%s", terminal.NothingToRateText, n, got)
	}
	if i := strings.Index(got, "答：继续教育每年多少学分"); i < 0 || !strings.Contains(got[i:], terminal.RateHint) {
		t.Errorf("hint not under the first answer:\n%s", got)
	}
	if !strings.Contains(got, "  2. 信息过时") || strings.Count(got, bot.ReasonThanksText) != 2 {
		t.Errorf("reasons:\n%s", got)
	}
	rs, err := fb.Since(context.Background(), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		q      string
		up     bool
		reason string
	}
	want := []row{{"继续教育每年多少学分？", true, ""}, {"深圳公需课在哪里学？", false, "unclear"}, {"调转要多久？", false, "outdated"}}
	if len(rs) != len(want) {
		t.Fatalf("stored %+v", rs)
	}
	for i, w := range want {
		if g := (row{rs[i].Question, rs[i].Up, rs[i].Reason}); g != w {
			t.Errorf("rating %d: %+v, want %+v", i, g, w)
		}
	}
}
