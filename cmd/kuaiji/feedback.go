package main

import (
	"context"
	"errors"

	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji/bot"
	"github.com/kuaiji/kuaiji/bot/rating"
	"github.com/kuaiji/kuaiji/feedback"
	"github.com/kuaiji/kuaiji/flows"
)

// openFeedback is the store of ratings of answers in the Redis that kuaiji
// serve uses, kept as long as the Q&A events (KUAIJI_RETENTION); with obs
// each counted vote and reason goes to the metrics.
func openFeedback(cfg config, obs *observers, rdb redis.UniversalClient) *feedback.Store {
	opts := []feedback.Option{feedback.WithPrefix(keyPrefix(cfg.redisURL)), feedback.WithRetention(cfg.retention)}
	if obs != nil {
		opts = append(opts, feedback.WithCounted(obs.m.Rating))
	}
	return feedback.New(rdb, opts...)
}

// recording is what the builder adds on a shared Redis: answered questions
// go to the events stream (kuaiji gaps), every knowledge answer can be
// rated, and /forget deletes the user's events and ratings.
func recording(cfg config, obs *observers, rdb redis.UniversalClient, rec qaRecorder) ([]bot.Option, flows.Option) {
	fb := openFeedback(cfg, obs, rdb)
	forget := func(ctx context.Context, chat, user int64) error {
		_, ferr := fb.Forget(ctx, user)
		return errors.Join(rec.forget(ctx, chat, user), ferr)
	}
	return []bot.Option{bot.WithRecorder(rec), bot.WithRatings(rating.New(fb))}, flows.WithForget(forget)
}
