package main

import (
	"context"
	"errors"

	"github.com/kuaiji/kuaiji/bot"
	"github.com/kuaiji/kuaiji/deskfaq"
	"github.com/kuaiji/kuaiji/events"
)

// qaRecorder puts the router's answered questions on the events stream
// and deletes a user's on /forget; an answer from a help-desk entry
// counts a hit of the entry.
type qaRecorder struct {
	s    *events.Stream
	desk *deskfaq.Store
}

func (r qaRecorder) RecordQA(ctx context.Context, _, user int64, qa bot.QA) error {
	_, err := r.s.Record(ctx, user, events.Event{Question: qa.Question, Standalone: qa.Standalone,
		Confidence: qa.Confidence, Handoff: qa.Handoff, Declined: qa.Declined, Jurisdiction: qa.Jurisdiction, Sources: qa.Sources})
	if r.desk != nil {
		err = errors.Join(err, countHits(ctx, r.desk, qa.Sources))
	}
	return err
}

func (r qaRecorder) forget(ctx context.Context, _, user int64) error {
	_, err := r.s.Forget(ctx, user)
	return err
}
