package main

import (
	"context"

	"github.com/kuaiji/kuaiji/bot"
	"github.com/kuaiji/kuaiji/events"
)

// qaRecorder puts the router's answered questions on the events stream
// and deletes a user's on /forget.
type qaRecorder struct{ s *events.Stream }

func (r qaRecorder) RecordQA(ctx context.Context, _, user int64, qa bot.QA) error {
	_, err := r.s.Record(ctx, user, events.Event{Question: qa.Question, Standalone: qa.Standalone,
		Confidence: qa.Confidence, Handoff: qa.Handoff, Declined: qa.Declined, Jurisdiction: qa.Jurisdiction, Sources: qa.Sources})
	return err
}

func (r qaRecorder) forget(ctx context.Context, _, user int64) error {
	_, err := r.s.Forget(ctx, user)
	return err
}
