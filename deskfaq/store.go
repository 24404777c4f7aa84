package deskfaq

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji/privacy"
)

// Store keeps the entries in Redis. Every key shares one hash tag, so the
// transactions run on Redis Cluster too.
type Store struct {
	rdb       redis.UniversalClient
	prefix    string
	now       func() time.Time
	places    func(string) (string, bool)
	check     Checker
	conflicts int
}

// Option configures a [Store].
type Option func(*Store)

// WithPrefix sets the key prefix (default "kuaiji:"); the keys are
// "<prefix>{desk}:…".
func WithPrefix(p string) Option { return func(s *Store) { s.prefix = p } }

// WithClock sets the clock (tests).
func WithClock(now func() time.Time) Option { return func(s *Store) { s.now = now } }

// WithPlaces sets how a jurisdiction staff type (广东, 广东省, guangdong)
// becomes a place code; without it jurisdictions are kept as given.
func WithPlaces(resolve func(string) (code string, ok bool)) Option {
	return func(s *Store) { s.places = resolve }
}

// WithChecker sets what [Store.Publish] asks before publishing: whether a
// built-in entry or national rule already answers the question.
func WithChecker(c Checker) Option { return func(s *Store) { s.check = c } }

// New returns the store on rdb.
func New(rdb redis.UniversalClient, opts ...Option) *Store {
	s := &Store{rdb: rdb, prefix: "kuaiji:", now: time.Now, conflicts: 20}
	for _, o := range opts {
		o(s)
	}
	return s
}

func (s *Store) key(parts ...string) string {
	return s.prefix + "{desk}:" + strings.Join(parts, ":")
}

func (s *Store) entryKey(n int64) string       { return s.key("entry", strconv.FormatInt(n, 10)) }
func (s *Store) ticketKey(ticket int64) string { return s.key("ticket", strconv.FormatInt(ticket, 10)) }
func (s *Store) allKey() string                { return s.key("all") }
func (s *Store) hitsKey() string               { return s.key("hits") }
func (s *Store) versionKey() string            { return s.key("version") }

// clean masks every text of e, drops empty and repeated paraphrases and
// resolves its jurisdiction to a code. It returns [ErrUnknownPlace] for a
// place the table does not know.
func (s *Store) clean(e *Entry) error {
	e.Question = strings.TrimSpace(privacy.Mask(e.Question))
	e.Answer = strings.TrimSpace(privacy.Mask(e.Answer))
	var ps []string
	for _, p := range e.Paraphrases {
		if p = strings.TrimSpace(privacy.Mask(p)); p != "" && p != e.Question && !slices.Contains(ps, p) {
			ps = append(ps, p)
		}
	}
	e.Paraphrases = ps
	e.Defers = privacy.Mask(e.Defers)
	e.ReviewedBy = privacy.Mask(e.ReviewedBy)
	if e.Jurisdiction = strings.TrimSpace(e.Jurisdiction); e.Jurisdiction != "" && s.places != nil {
		code, ok := s.places(e.Jurisdiction)
		if !ok {
			return fmt.Errorf("%w %q", ErrUnknownPlace, e.Jurisdiction)
		}
		e.Jurisdiction = code
	}
	return nil
}

// Create stores e as a new draft with the next number and returns it. A
// draft from a ticket that already has one returns that draft instead: a
// second tap of 整理为常见问题 in another replica makes no second draft.
func (s *Store) Create(ctx context.Context, e Entry) (Entry, error) {
	if err := s.clean(&e); err != nil {
		return Entry{}, err
	}
	if e.Ticket != 0 {
		if n, err := s.rdb.Get(ctx, s.ticketKey(e.Ticket)).Int64(); err == nil {
			if old, err := s.Get(ctx, n); err == nil {
				return old, nil
			}
		} else if !errors.Is(err, redis.Nil) {
			return Entry{}, fmt.Errorf("look up draft of ticket %d: %w", e.Ticket, err)
		}
	}
	n, err := s.rdb.Incr(ctx, s.key("seq")).Result()
	if err != nil {
		return Entry{}, fmt.Errorf("next help-desk entry number: %w", err)
	}
	e.Number, e.Status, e.Created = n, Draft, s.now().UTC()
	e.Reviewed, e.Hits = time.Time{}, 0
	b, err := json.Marshal(e)
	if err != nil {
		return Entry{}, fmt.Errorf("encode help-desk entry: %w", err)
	}
	_, err = s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Set(ctx, s.entryKey(n), b, 0)
		p.ZAdd(ctx, s.allKey(), redis.Z{Score: float64(n), Member: n})
		if e.Ticket != 0 {
			p.Set(ctx, s.ticketKey(e.Ticket), n, 0)
		}
		return nil
	})
	if err != nil {
		return Entry{}, fmt.Errorf("store help-desk entry %d: %w", n, err)
	}
	return e, nil
}

// Get returns entry n with its hits, or [ErrNotFound].
func (s *Store) Get(ctx context.Context, n int64) (Entry, error) {
	var get *redis.StringCmd
	var hits *redis.StringCmd
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		get = p.Get(ctx, s.entryKey(n))
		hits = p.HGet(ctx, s.hitsKey(), strconv.FormatInt(n, 10))
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return Entry{}, fmt.Errorf("load help-desk entry %d: %w", n, err)
	}
	b, err := get.Bytes()
	if errors.Is(err, redis.Nil) {
		return Entry{}, fmt.Errorf("%w: %d", ErrNotFound, n)
	} else if err != nil {
		return Entry{}, fmt.Errorf("load help-desk entry %d: %w", n, err)
	}
	var e Entry
	if err := json.Unmarshal(b, &e); err != nil {
		return Entry{}, fmt.Errorf("decode help-desk entry %d: %w", n, err)
	}
	e.Hits, _ = hits.Int64()
	return e, nil
}

// Update applies fn to entry n atomically (optimistic, retried on a
// concurrent change), masks the result and stores it. fn's error is
// returned as is. A change to what a published entry says, or to its
// status, moves the version replicas poll.
func (s *Store) Update(ctx context.Context, n int64, fn func(*Entry) error) (Entry, error) {
	var out Entry
	key := s.entryKey(n)
	for range s.conflicts {
		err := s.rdb.Watch(ctx, func(tx *redis.Tx) error {
			e, err := s.Get(ctx, n)
			if err != nil {
				return err
			}
			before := e
			if err := fn(&e); err != nil {
				return err
			}
			e.Number = n
			if err := s.clean(&e); err != nil {
				return err
			}
			if e.Status != Draft && e.Status != Discarded {
				// Published and retired entries lead back to no one.
				e.Ticket, e.Event = 0, ""
			}
			b, err := json.Marshal(e)
			if err != nil {
				return fmt.Errorf("encode help-desk entry: %w", err)
			}
			_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
				p.Set(ctx, key, b, 0)
				if before.Ticket != 0 && e.Ticket == 0 {
					p.Del(ctx, s.ticketKey(before.Ticket))
				}
				if before.Status == Published || e.Status == Published {
					p.Incr(ctx, s.versionKey())
				}
				return nil
			})
			out = e
			return err
		}, key)
		if !errors.Is(err, redis.TxFailedErr) {
			return out, err
		}
	}
	return Entry{}, fmt.Errorf("update help-desk entry %d: %w", n, redis.TxFailedErr)
}

// Edit changes a draft or a published entry; it returns [ErrStatus] for a
// retired or discarded one.
func (s *Store) Edit(ctx context.Context, n int64, fn func(*Entry) error) (Entry, error) {
	return s.Update(ctx, n, func(e *Entry) error {
		if e.Status != Draft && e.Status != Published {
			return ErrStatus
		}
		return fn(e)
	})
}

// Retire stops a published entry from answering; by names who did it.
// It returns [ErrStatus] for an entry that is not published.
func (s *Store) Retire(ctx context.Context, n int64, by string) (Entry, error) {
	return s.Update(ctx, n, func(e *Entry) error {
		if e.Status != Published {
			return ErrStatus
		}
		e.Status, e.ReviewedBy = Retired, by
		return nil
	})
}

// Discard gives up a draft. It returns [ErrStatus] for an entry that is
// not a draft.
func (s *Store) Discard(ctx context.Context, n int64, by string) (Entry, error) {
	return s.Update(ctx, n, func(e *Entry) error {
		if e.Status != Draft {
			return ErrStatus
		}
		e.Status, e.ReviewedBy = Discarded, by
		return nil
	})
}

// List returns the entries of the given statuses (all when none is
// given), by number.
func (s *Store) List(ctx context.Context, statuses ...Status) ([]Entry, error) {
	ids, err := s.rdb.ZRange(ctx, s.allKey(), 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("list help-desk entries: %w", err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	keys := make([]string, len(ids))
	for i, id := range ids {
		keys[i] = s.key("entry", id)
	}
	// The keys share the hash tag, so one MGET serves Cluster too.
	var vc *redis.SliceCmd
	var hc *redis.MapStringStringCmd
	_, err = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		vc = p.MGet(ctx, keys...)
		hc = p.HGetAll(ctx, s.hitsKey())
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list help-desk entries: %w", err)
	}
	vals, hits := vc.Val(), hc.Val()
	var out []Entry
	for i, v := range vals {
		raw, ok := v.(string)
		if !ok {
			continue // deleted since the range was read
		}
		var e Entry
		if json.Unmarshal([]byte(raw), &e) != nil {
			continue
		}
		if len(statuses) > 0 && !slices.Contains(statuses, e.Status) {
			continue
		}
		e.Hits, _ = strconv.ParseInt(hits[ids[i]], 10, 64)
		out = append(out, e)
	}
	return out, nil
}

// Hit counts one answer given with entry n.
func (s *Store) Hit(ctx context.Context, n int64) error {
	if err := s.rdb.HIncrBy(ctx, s.hitsKey(), strconv.FormatInt(n, 10), 1).Err(); err != nil {
		return fmt.Errorf("count hit of help-desk entry %d: %w", n, err)
	}
	return nil
}

// Version moves whenever what answers changes (an entry published,
// edited while published, or retired); "" before the first change.
func (s *Store) Version(ctx context.Context) (string, error) {
	v, err := s.rdb.Get(ctx, s.versionKey()).Result()
	if errors.Is(err, redis.Nil) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read help-desk version: %w", err)
	}
	return v, nil
}

// ForgetTickets deletes the drafts (and discarded drafts) made from the
// tickets, for a user's /forget; published and retired entries keep no
// link to a ticket and stay. It returns how many it deleted.
func (s *Store) ForgetTickets(ctx context.Context, tickets []int64) (int, error) {
	deleted := 0
	for _, t := range tickets {
		n, err := s.rdb.Get(ctx, s.ticketKey(t)).Int64()
		if errors.Is(err, redis.Nil) {
			continue
		} else if err != nil {
			return deleted, fmt.Errorf("look up draft of ticket %d: %w", t, err)
		}
		err = s.rdb.Watch(ctx, func(tx *redis.Tx) error {
			e, err := s.Get(ctx, n)
			if errors.Is(err, ErrNotFound) || err == nil && e.Ticket != t {
				_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error { p.Del(ctx, s.ticketKey(t)); return nil })
				return err
			} else if err != nil {
				return err
			}
			_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
				p.Del(ctx, s.entryKey(n), s.ticketKey(t))
				p.ZRem(ctx, s.allKey(), n)
				p.HDel(ctx, s.hitsKey(), strconv.FormatInt(n, 10))
				return nil
			})
			if err == nil {
				deleted++
			}
			return err
		}, s.entryKey(n))
		if err != nil {
			return deleted, fmt.Errorf("delete draft of ticket %d: %w", t, err)
		}
	}
	return deleted, nil
}
