package metrics

import (
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestSetCounts(t *testing.T) {
	s := New()
	s.Update("message")
	s.Answer("faq", 0.9, 20*time.Millisecond)
	s.Answer("declined", 1, time.Millisecond)
	s.Flow("check", "cert", "started")
	s.TelegramError("sendMessage", "429")
	s.LLM("qwen", "generated", 100, 20, time.Second)
	s.Rating(false, "")
	s.Rating(false, "outdated")
	s.Rating(true, "")
	for _, c := range []struct {
		got, want float64
	}{
		{testutil.ToFloat64(s.updates.WithLabelValues("message")), 1},
		{testutil.ToFloat64(s.answers.WithLabelValues("faq")), 1},
		{testutil.ToFloat64(s.flows.WithLabelValues("check", "cert", "started")), 1},
		{testutil.ToFloat64(s.telegramErrors.WithLabelValues("sendMessage", "429")), 1},
		{testutil.ToFloat64(s.llmTokens.WithLabelValues("qwen", "prompt")), 100},
		{testutil.ToFloat64(s.ratings.WithLabelValues("down")), 1},
		{testutil.ToFloat64(s.ratings.WithLabelValues("up")), 1},
		{testutil.ToFloat64(s.ratingReasons.WithLabelValues("outdated")), 1},
	} {
		if c.got != c.want {
			t.Errorf("got %v, want %v", c.got, c.want)
		}
	}
	// Declined answers have no confidence to speak of.
	mfs, err := s.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == "kuaiji_answer_confidence" {
			if n := mf.GetMetric()[0].GetHistogram().GetSampleCount(); n != 1 {
				t.Errorf("confidence observed %d times, want 1", n)
			}
		}
	}
	problems, err := testutil.GatherAndLint(s.reg)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		if p.Metric[:len(Namespace)] == Namespace {
			t.Errorf("lint: %s: %s", p.Metric, p.Text)
		}
	}
}

func TestNilSetIgnoresCalls(t *testing.T) {
	var s *Set
	s.Update("message")
	s.Answer("faq", 1, 0)
	s.Handoff("opened")
	s.FirstStaffReply(time.Second)
	s.Flow("a", "b", "c")
	s.Rating(true, "")
	s.TelegramError("m", "400")
	s.RedisError("get")
	s.LLM("m", "final", 0, 0, 0)
}
