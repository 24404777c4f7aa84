package deskfaq

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Overlap is the built-in FAQ entry that already answers a draft's
// question.
type Overlap struct {
	// Question is the entry's question; Applies the title of the document
	// it rests on, which applies where the two answers differ; Says the
	// built-in answer's first sentences, for the publisher to compare.
	Question, Applies, Says string
}

// Checker reports whether a built-in FAQ entry already answers one of
// texts (a question and its paraphrases) for jurisdiction (a code, ""
// national).
type Checker func(ctx context.Context, texts []string, jurisdiction string) (Overlap, bool, error)

// ConfirmError is returned by [Store.Publish] when a built-in entry or
// national rule already answers the draft's question and the publisher
// has not confirmed: publishing over it needs a second, deliberate step.
type ConfirmError struct{ Overlap Overlap }

func (e *ConfirmError) Error() string {
	return fmt.Sprintf("the built-in FAQ entry %q already answers this question", e.Overlap.Question)
}

// Publish makes draft n answer questions from now on, for a year unless
// it has its own expiry; by names the publisher. Where the checker finds
// a built-in entry answering the same question, Publish returns a
// [*ConfirmError] unless confirm is set, and with confirm records which
// document applies where the two differ, so answers say so. It returns
// [ErrStatus] for an entry that is neither a draft nor past its review
// date (publishing an expired entry again renews it for a year) and [ErrIncomplete] for a draft without
// a question or an answer.
func (s *Store) Publish(ctx context.Context, n int64, confirm bool, by string) (Entry, error) {
	e, err := s.Get(ctx, n)
	if err != nil {
		return Entry{}, err
	}
	now := s.now().UTC()
	if err := publishable(e, now); err != nil {
		return Entry{}, err
	}
	var defers string
	if s.check != nil {
		ov, found, err := s.check(ctx, append([]string{e.Question}, e.Paraphrases...), e.Jurisdiction)
		if err != nil {
			return Entry{}, fmt.Errorf("compare with the built-in answers: %w", err)
		}
		if found && !confirm {
			return e, &ConfirmError{ov}
		}
		if found {
			defers = ov.Applies
		}
	}
	return s.Update(ctx, n, func(x *Entry) error {
		if err := publishable(*x, now); err != nil {
			return err
		}
		x.Status, x.ReviewedBy, x.Reviewed, x.Defers = Published, by, now, defers
		if x.Expires.IsZero() || !x.Expires.After(now) {
			x.Expires = now.Add(DefaultExpiry)
		}
		return nil
	})
}

// publishable: a draft, or a published entry past its review date, which
// publishing again renews.
func publishable(e Entry, now time.Time) error {
	switch {
	case e.Status != Draft && !e.Expired(now):
		return ErrStatus
	case e.Question == "" || e.Answer == "":
		return ErrIncomplete
	}
	return nil
}

// IsConfirm reports whether err asks for a second confirmation, and of
// what.
func IsConfirm(err error) (Overlap, bool) {
	var ce *ConfirmError
	if errors.As(err, &ce) {
		return ce.Overlap, true
	}
	return Overlap{}, false
}

// Answering returns the published entries that answer at now; Expired
// those past their review date, which answer no more until reviewed.
func (s *Store) Answering(ctx context.Context, now time.Time) (answering, expired []Entry, err error) {
	list, err := s.List(ctx, Published)
	if err != nil {
		return nil, nil, err
	}
	for _, e := range list {
		if e.Expired(now) {
			expired = append(expired, e)
		} else {
			answering = append(answering, e)
		}
	}
	return answering, expired, nil
}
