package bot

import (
	"context"
	"time"

	"github.com/kuaiji/kuaiji/knowledge"
)

// QA is one answered question, recorded for the gaps report.
type QA struct {
	Question   string
	Standalone string
	Confidence float64
	Handoff    bool
	Declined   bool
	// Jurisdiction is the code of the place answered for, "" if national.
	Jurisdiction string
	// Sources are the ids of the documents cited, best first (at most 3).
	Sources []string
}

// Recorder keeps a record of answered questions; cmd adapts the events
// stream to it. Texts arrive as the user typed them, masked by the engine;
// the recorder masks again before storing.
type Recorder interface {
	RecordQA(ctx context.Context, chat, user int64, qa QA) error
}

// qaOf is what is recorded of an answer to question.
func qaOf(question string, a knowledge.Answer) QA {
	qa := QA{Question: question, Standalone: a.Standalone, Confidence: a.Confidence, Handoff: a.Handoff,
		Declined: a.Declined, Jurisdiction: a.Jurisdiction}
	for i, s := range a.Sources {
		if i == 3 {
			break
		}
		qa.Sources = append(qa.Sources, s.ID)
	}
	return qa
}

// WithRecorder records each answered question (kuaiji gaps).
func WithRecorder(rec Recorder) Option { return func(r *Router) { r.rec = rec } }

// record hands the answer to the recorder. A failure only makes the gaps
// report poorer, so it is logged, and the turn does not wait long for it.
func (r *Router) record(ctx context.Context, m Message, qa QA) {
	if r.rec == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	if err := r.rec.RecordQA(ctx, m.ChatID, m.UserID, qa); err != nil {
		r.log.Warn("answer not recorded for the gaps report", "chat_id", m.ChatID, "err", err)
	}
}
