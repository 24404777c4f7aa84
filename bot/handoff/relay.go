package handoff

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji/privacy"
)

// The relay mapping: which staff-side message or topic belongs to which
// ticket, so that a staff reply finds its user after a restart.

// Link records that message msg in the staff chat belongs to ticket id.
func (s *Store) Link(ctx context.Context, staffChat int64, msg int, id int64) error {
	if err := s.rdb.Set(ctx, s.key("msg", staffChat, msg), id, s.keep).Err(); err != nil {
		return fmt.Errorf("link message %d to ticket %d: %w", msg, id, err)
	}
	return nil
}

// LinkThread records that forum topic thread of the staff chat belongs to
// ticket id.
func (s *Store) LinkThread(ctx context.Context, staffChat int64, thread int, id int64) error {
	if err := s.rdb.Set(ctx, s.key("thread", staffChat, thread), id, s.keep).Err(); err != nil {
		return fmt.Errorf("link topic %d to ticket %d: %w", thread, id, err)
	}
	return nil
}

// ByMessage returns the ticket that a staff-chat message belongs to, or
// [ErrNotFound].
func (s *Store) ByMessage(ctx context.Context, staffChat int64, msg int) (Ticket, error) {
	return s.byKey(ctx, s.key("msg", staffChat, msg))
}

// ByThread returns the ticket of a forum topic, or [ErrNotFound].
func (s *Store) ByThread(ctx context.Context, staffChat int64, thread int) (Ticket, error) {
	return s.byKey(ctx, s.key("thread", staffChat, thread))
}

func (s *Store) byKey(ctx context.Context, key string) (Ticket, error) {
	id, err := s.rdb.Get(ctx, key).Int64()
	if errors.Is(err, redis.Nil) {
		return Ticket{}, ErrNotFound
	} else if err != nil {
		return Ticket{}, fmt.Errorf("look up %s: %w", key, err)
	}
	return s.Get(ctx, id)
}

// AddTurns appends turns to the chat's recent turns, masked, keeping the
// last [MaxTurns].
func (s *Store) AddTurns(ctx context.Context, chat int64, turns ...Turn) error {
	return s.Record(ctx, chat, turns, nil)
}

// Record appends turns (masked, the last [MaxTurns] kept) and the titles
// of documents cited to the chat (the last eight, for the ticket card), in
// one round trip.
func (s *Store) Record(ctx context.Context, chat int64, turns []Turn, titles []string) error {
	if len(turns) == 0 && len(titles) == 0 {
		return nil
	}
	vals := make([]any, len(turns))
	for i, t := range turns {
		t.Text = privacy.Mask(t.Text)
		if t.At.IsZero() {
			t.At = s.now().UTC()
		}
		b, err := json.Marshal(t)
		if err != nil {
			return fmt.Errorf("encode turn: %w", err)
		}
		vals[i] = b
	}
	tkey, skey := s.key("turns", chat), s.key("sources", chat)
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		if len(vals) > 0 {
			p.RPush(ctx, tkey, vals...)
			p.LTrim(ctx, tkey, -MaxTurns, -1)
			p.Expire(ctx, tkey, s.turnsTTL)
		}
		if len(titles) > 0 {
			for _, t := range titles {
				p.LRem(ctx, skey, 0, t)
				p.RPush(ctx, skey, t)
			}
			p.LTrim(ctx, skey, -8, -1)
			p.Expire(ctx, skey, s.turnsTTL)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("record turns of chat %d: %w", chat, err)
	}
	return nil
}

// Turns returns the chat's recent turns, oldest first.
func (s *Store) Turns(ctx context.Context, chat int64) ([]Turn, error) {
	raw, err := s.rdb.LRange(ctx, s.key("turns", chat), 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("load turns of chat %d: %w", chat, err)
	}
	out := make([]Turn, 0, len(raw))
	for _, r := range raw {
		var t Turn
		if json.Unmarshal([]byte(r), &t) == nil {
			out = append(out, t)
		}
	}
	return out, nil
}

// Sources returns the titles cited to the chat, oldest first.
func (s *Store) Sources(ctx context.Context, chat int64) ([]string, error) {
	out, err := s.rdb.LRange(ctx, s.key("sources", chat), 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("load sources of chat %d: %w", chat, err)
	}
	return out, nil
}

// MaxAnswers is how many staff replies a ticket keeps.
const MaxAnswers = 20

// AddAnswer records a staff reply to ticket id, masked; the last
// [MaxAnswers] are kept.
func (s *Store) AddAnswer(ctx context.Context, id int64, text string) error {
	_, err := s.Update(ctx, id, func(t *Ticket) error {
		t.Answers = append(t.Answers, Turn{Text: privacy.Mask(text), At: s.now().UTC()})
		if n := len(t.Answers); n > MaxAnswers {
			t.Answers = t.Answers[n-MaxAnswers:]
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("record answer of ticket %d: %w", id, err)
	}
	return nil
}
