package handoff

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji/privacy"
)

// MaxTurns is how many turns a ticket keeps.
const MaxTurns = 10

// Store keeps tickets, the chat → open ticket index, the staff message →
// ticket relay mapping and each chat's recent turns in Redis.
type Store struct {
	rdb       redis.UniversalClient
	prefix    string
	keep      time.Duration
	turnsTTL  time.Duration
	now       func() time.Time
	conflicts int
}

// Option configures a [Store].
type Option func(*Store)

// WithPrefix sets the key prefix (default "kuaiji:handoff:"); tests use it
// to share one Redis.
func WithPrefix(p string) Option { return func(s *Store) { s.prefix = p } }

// WithClock sets the clock (tests).
func WithClock(now func() time.Time) Option { return func(s *Store) { s.now = now } }

// New returns a store on rdb. Closed tickets and their mappings are kept
// for 90 days; recent turns for 7 days after the last one.
func New(rdb redis.UniversalClient, opts ...Option) *Store {
	s := &Store{rdb: rdb, prefix: "kuaiji:handoff:", keep: 90 * 24 * time.Hour,
		turnsTTL: 7 * 24 * time.Hour, now: time.Now, conflicts: 20}
	for _, o := range opts {
		o(s)
	}
	return s
}

func (s *Store) key(parts ...any) string {
	k := s.prefix
	for i, p := range parts {
		if i > 0 {
			k += ":"
		}
		k += fmt.Sprint(p)
	}
	return k
}

func (s *Store) ticketKey(id int64) string { return s.key("ticket", id) }
func (s *Store) chatKey(chat int64) string { return s.key("chat", chat) }
func (s *Store) openKey() string           { return s.key("open") }

// Open stores t as a new open ticket with the next sequence number and
// returns it. When the chat already has an active ticket it returns that
// ticket and [ErrOpen]. Turns are masked again on the way in.
func (s *Store) Open(ctx context.Context, t Ticket) (Ticket, error) {
	if old, err := s.ForChat(ctx, t.ChatID); err == nil {
		return old, ErrOpen
	} else if !errors.Is(err, ErrNotFound) {
		return Ticket{}, err
	}
	id, err := s.rdb.Incr(ctx, s.key("seq")).Result()
	if err != nil {
		return Ticket{}, fmt.Errorf("next ticket number: %w", err)
	}
	ok, err := s.rdb.SetNX(ctx, s.chatKey(t.ChatID), id, 0).Result()
	if err != nil {
		return Ticket{}, fmt.Errorf("claim chat %d for ticket: %w", t.ChatID, err)
	}
	if !ok {
		old, err := s.ForChat(ctx, t.ChatID)
		if err != nil {
			return Ticket{}, err
		}
		return old, ErrOpen
	}
	now := s.now().UTC()
	t.ID, t.Status, t.Created, t.Updated = id, Open, now, now
	for i := range t.Turns {
		t.Turns[i].Text = privacy.Mask(t.Turns[i].Text)
	}
	t.UserName, t.Flow, t.Jurisdiction = privacy.Mask(t.UserName), privacy.Mask(t.Flow), privacy.Mask(t.Jurisdiction)
	b, err := json.Marshal(t)
	if err != nil {
		return Ticket{}, fmt.Errorf("encode ticket: %w", err)
	}
	_, err = s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Set(ctx, s.ticketKey(id), b, 0)
		p.ZAdd(ctx, s.openKey(), redis.Z{Score: float64(id), Member: id})
		// The chat's tickets, for /forget; kept as long as a closed one.
		p.SAdd(ctx, s.chatTicketsKey(t.ChatID), id)
		p.Expire(ctx, s.chatTicketsKey(t.ChatID), s.keep)
		return nil
	})
	if err != nil {
		s.rdb.Del(ctx, s.chatKey(t.ChatID))
		return Ticket{}, fmt.Errorf("store ticket %d: %w", id, err)
	}
	return t, nil
}

// Get returns ticket id, or [ErrNotFound].
func (s *Store) Get(ctx context.Context, id int64) (Ticket, error) {
	b, err := s.rdb.Get(ctx, s.ticketKey(id)).Bytes()
	if errors.Is(err, redis.Nil) {
		return Ticket{}, ErrNotFound
	} else if err != nil {
		return Ticket{}, fmt.Errorf("load ticket %d: %w", id, err)
	}
	var t Ticket
	if err := json.Unmarshal(b, &t); err != nil {
		return Ticket{}, fmt.Errorf("decode ticket %d: %w", id, err)
	}
	return t, nil
}

// ForChat returns the active ticket of a chat, or [ErrNotFound].
func (s *Store) ForChat(ctx context.Context, chat int64) (Ticket, error) {
	id, err := s.rdb.Get(ctx, s.chatKey(chat)).Int64()
	if errors.Is(err, redis.Nil) {
		return Ticket{}, ErrNotFound
	} else if err != nil {
		return Ticket{}, fmt.Errorf("look up ticket of chat %d: %w", chat, err)
	}
	t, err := s.Get(ctx, id)
	if err == nil && t.Active() {
		return t, nil
	}
	if err != nil && !errors.Is(err, ErrNotFound) {
		return Ticket{}, err
	}
	// The index points at a ticket that is gone (evicted, deleted by
	// hand) or closed: left alone, it would block every hand-off of the
	// chat, since it has no expiry. Drop it unless it changed meanwhile.
	if err := unindexScript.Run(ctx, s.rdb, []string{s.chatKey(chat)}, id).Err(); err != nil && !errors.Is(err, redis.Nil) {
		return Ticket{}, fmt.Errorf("repair ticket index of chat %d: %w", chat, err)
	}
	return Ticket{}, ErrNotFound
}

// unindexScript deletes KEYS[1] if it still holds ARGV[1].
var unindexScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`)

// Update applies fn to ticket id atomically (optimistic, retried on a
// concurrent change) and returns the result. fn's error is returned as is.
func (s *Store) Update(ctx context.Context, id int64, fn func(*Ticket) error) (Ticket, error) {
	var out Ticket
	key := s.ticketKey(id)
	for range s.conflicts {
		err := s.rdb.Watch(ctx, func(tx *redis.Tx) error {
			t, err := s.Get(ctx, id)
			if err != nil {
				return err
			}
			if err := fn(&t); err != nil {
				return err
			}
			t.Updated = s.now().UTC()
			b, err := json.Marshal(t)
			if err != nil {
				return fmt.Errorf("encode ticket: %w", err)
			}
			_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
				if t.Active() {
					p.Set(ctx, key, b, 0)
					return nil
				}
				p.Set(ctx, key, b, s.keep)
				p.ZRem(ctx, s.openKey(), id)
				p.Del(ctx, s.chatKey(t.ChatID))
				return nil
			})
			out = t
			return err
		}, key)
		if !errors.Is(err, redis.TxFailedErr) {
			return out, err
		}
	}
	return Ticket{}, fmt.Errorf("update ticket %d: %w", id, redis.TxFailedErr)
}

// Claim marks the ticket as taken by a staff member. It returns
// [ErrClosed], or [ErrClaimed] with the ticket when someone else has it.
func (s *Store) Claim(ctx context.Context, id, staff int64, name string) (Ticket, error) {
	var by Ticket
	t, err := s.Update(ctx, id, func(t *Ticket) error {
		switch {
		case t.Status == Closed:
			return ErrClosed
		case t.Status == Claimed && t.ClaimedBy != staff:
			by = *t
			return ErrClaimed
		}
		t.Status, t.ClaimedBy, t.ClaimedByName = Claimed, staff, name
		return nil
	})
	if errors.Is(err, ErrClaimed) {
		return by, err
	}
	return t, err
}

// Close closes the ticket; by says who (a staff name, or the user). It
// returns [ErrClosed] when it was already closed. The chat is back with
// the bot afterwards.
func (s *Store) Close(ctx context.Context, id int64, by string) (Ticket, error) {
	return s.Update(ctx, id, func(t *Ticket) error {
		if t.Status == Closed {
			return ErrClosed
		}
		t.Status, t.ClosedBy, t.Closed = Closed, by, s.now().UTC()
		return nil
	})
}

// ListOpen returns the active tickets, oldest first.
func (s *Store) ListOpen(ctx context.Context) ([]Ticket, error) {
	ids, err := s.rdb.ZRange(ctx, s.openKey(), 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("list open tickets: %w", err)
	}
	var out []Ticket
	for _, v := range ids {
		id, _ := strconv.ParseInt(v, 10, 64)
		t, err := s.Get(ctx, id)
		if errors.Is(err, ErrNotFound) {
			continue
		} else if err != nil {
			return nil, err
		}
		if t.Active() {
			out = append(out, t)
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].ID < out[b].ID })
	return out, nil
}
