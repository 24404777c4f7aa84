// Package rating is [bot.Ratings] on package feedback, as
// flows/redisstore is flows.Store on Redis: the router speaks its own
// types, the store its own, and this is the one place between them.
package rating

import (
	"context"
	"errors"
	"fmt"

	"github.com/kuaiji/kuaiji/bot"
	"github.com/kuaiji/kuaiji/feedback"
)

// Ratings adapts a *feedback.Store to [bot.Ratings].
type Ratings struct{ s *feedback.Store }

// New returns the router's ratings on s.
func New(s *feedback.Store) Ratings { return Ratings{s} }

// Offer implements [bot.Ratings].
func (r Ratings) Offer(ctx context.Context, user int64, qa bot.QA) (string, error) {
	return r.s.Offer(ctx, user, feedback.Answer{Question: qa.Question, Standalone: qa.Standalone, Sources: qa.Sources,
		Confidence: qa.Confidence, Jurisdiction: qa.Jurisdiction})
}

// Rate implements [bot.Ratings].
func (r Ratings) Rate(ctx context.Context, user int64, token string, up bool) (bool, error) {
	n, err := r.s.Rate(ctx, user, token, up)
	return n, gone(err)
}

// Reason implements [bot.Ratings].
func (r Ratings) Reason(ctx context.Context, user int64, token, code, text string) (bool, error) {
	n, err := r.s.Reason(ctx, user, token, code, text)
	return n, gone(err)
}

// Await implements [bot.Ratings].
func (r Ratings) Await(ctx context.Context, chat, user int64, token string) error {
	return r.s.Await(ctx, chat, user, token)
}

// Awaited implements [bot.Ratings].
func (r Ratings) Awaited(ctx context.Context, chat, user int64) (string, error) {
	return r.s.Awaited(ctx, chat, user)
}

// gone wraps bot.ErrRatingGone around the store's errors that mean the
// press no longer applies.
func gone(err error) error {
	if errors.Is(err, feedback.ErrExpired) || errors.Is(err, feedback.ErrNotRated) {
		return fmt.Errorf("%w: %w", bot.ErrRatingGone, err)
	}
	return err
}
