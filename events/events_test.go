package events_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/kuaiji/kuaiji/events"
	"github.com/kuaiji/kuaiji/internal/redistest"
)

func newStream(t *testing.T, now *time.Time) *events.Stream {
	t.Helper()
	return events.New(redistest.Client(t), events.WithPrefix(fmt.Sprintf("ke:%d:", rand.Int64())),
		events.WithRetention(30*24*time.Hour), events.WithClock(func() time.Time { return *now }))
}

func TestRecordMasksAndReadsBack(t *testing.T) {
	now := time.Now()
	s := newStream(t, &now)
	ctx := context.Background()
	_, err := s.Record(ctx, 7, events.Event{Question: "我的身份证110101199003071234怎么采集，电话13812345678",
		Confidence: 0.3, Handoff: true, Jurisdiction: "44", Sources: []string{"gd-guide"}})
	if err != nil {
		t.Fatal(err)
	}
	evs, err := s.Since(ctx, now.Add(-time.Hour))
	if err != nil || len(evs) != 1 {
		t.Fatalf("since: %v %v", evs, err)
	}
	e := evs[0]
	if strings.Contains(e.Question, "110101199003071234") || strings.Contains(e.Question, "13812345678") {
		t.Errorf("stored unmasked: %q", e.Question)
	}
	if e.Confidence != 0.3 || !e.Handoff || e.Jurisdiction != "44" || e.Sources[0] != "gd-guide" || e.Time.IsZero() {
		t.Errorf("event = %+v", e)
	}
}

func TestForgetDeletesOnlyThatUsersEvents(t *testing.T) {
	now := time.Now()
	s := newStream(t, &now)
	ctx := context.Background()
	for i := range 3 {
		s.Record(ctx, 1, events.Event{Question: fmt.Sprint("用户一的问题", i)})
	}
	s.Record(ctx, 2, events.Event{Question: "用户二的问题"})
	n, err := s.Forget(ctx, 1)
	if err != nil || n != 3 {
		t.Fatalf("forget: %d %v", n, err)
	}
	evs, _ := s.Since(ctx, time.Time{})
	if len(evs) != 1 || evs[0].Question != "用户二的问题" {
		t.Errorf("left: %+v", evs)
	}
	if n, _ := s.Forget(ctx, 1); n != 0 {
		t.Errorf("second forget deleted %d", n)
	}
}

func TestRetentionTrimsOldEvents(t *testing.T) {
	now := time.Now()
	s := newStream(t, &now)
	ctx := context.Background()
	for d := range 60 { // one event a day for 60 days, oldest first
		s.Record(ctx, 1, events.Event{Question: fmt.Sprint("第", d, "天"), Time: now.Add(time.Duration(d-60) * 24 * time.Hour)})
	}
	if _, err := s.Trim(ctx); err != nil {
		t.Fatal(err)
	}
	n, _ := s.Len(ctx)
	if n < 29 || n > 30 {
		t.Errorf("%d events left after trimming to 30 days", n)
	}
	evs, _ := s.Since(ctx, time.Time{})
	if len(evs) == 0 || evs[0].Time.Before(now.Add(-30*24*time.Hour-time.Millisecond)) {
		t.Errorf("oldest kept event %v", evs[0].Time)
	}
}

func TestGapsGroupsSimilarQuestions(t *testing.T) {
	ev := func(q string, conf float64, handoff bool, jur string) events.Event {
		return events.Event{Question: q, Confidence: conf, Handoff: handoff, Jurisdiction: jur}
	}
	evs := []events.Event{
		ev("会计人员信息采集需要多少钱", 0.2, true, "44"),
		ev("会计人员信息采集要多少钱？", 0.3, false, "31"),
		ev("会计人员信息采集需要多少钱", 0.25, true, "44"),
		ev("会计人员信息采集收费吗需要多少钱", 0.3, false, ""),
		ev("继续教育学分可以跨年度结转吗", 0.1, true, "11"),
		ev("继续教育每年要多少学分", 0.9, false, ""), // confident: not a gap
		ev("今天天气怎么样", 0.1, false, ""),
	}
	evs[6].Declined = true
	gaps := events.Gaps(evs, 0.5, 0.5)
	if len(gaps) != 2 {
		t.Fatalf("gaps = %+v", gaps)
	}
	g := gaps[0]
	if g.Question != "会计人员信息采集需要多少钱" || g.Count != 4 || g.Handoffs != 2 || g.Jurisdictions["44"] != 2 || g.Jurisdictions["31"] != 1 {
		t.Errorf("first gap = %+v", g)
	}
	if len(g.Examples) != 2 {
		t.Errorf("examples = %v", g.Examples)
	}
	if gaps[1].Count != 1 || !strings.Contains(gaps[1].Question, "结转") {
		t.Errorf("second gap = %+v", gaps[1])
	}
}
