package handoff

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// WithRetention sets how long a closed ticket and its relay mapping are
// kept (default 90 days; kuaiji sets KUAIJI_RETENTION).
func WithRetention(d time.Duration) Option {
	return func(s *Store) {
		if d > 0 {
			s.keep = d
		}
	}
}

// ListOptions filter [Store.List].
type ListOptions struct {
	// Status keeps only tickets with this status; "" keeps all.
	Status Status
	// Limit is the most tickets returned (default 50).
	Limit int
}

// List returns tickets newest first, open and closed ones still kept.
// Ticket numbers are a sequence, so it walks down from the last one,
// reading a page at a time; expired tickets are skipped.
func (s *Store) List(ctx context.Context, o ListOptions) ([]Ticket, error) {
	if o.Limit <= 0 {
		o.Limit = 50
	}
	last, err := s.rdb.Get(ctx, s.key("seq")).Int64()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("list tickets: %w", err)
	}
	var out []Ticket
	const page = 100
	for hi := last; hi > 0 && len(out) < o.Limit; hi -= page {
		var keys []string
		for id := hi; id > max(0, hi-page); id-- {
			keys = append(keys, s.ticketKey(id))
		}
		// One GET each in a pipeline: MGET would cross slots on Cluster.
		cmds, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			for _, k := range keys {
				p.Get(ctx, k)
			}
			return nil
		})
		if err != nil && !errors.Is(err, redis.Nil) {
			return nil, fmt.Errorf("list tickets: %w", err)
		}
		for i, c := range cmds {
			b, err := c.(*redis.StringCmd).Bytes()
			if err != nil {
				continue
			}
			t, err := decodeTicket(b)
			if err != nil {
				return nil, fmt.Errorf("ticket %s: %w", keys[i], err)
			}
			if o.Status == "" || t.Status == o.Status {
				out = append(out, t)
				if len(out) == o.Limit {
					break
				}
			}
		}
	}
	return out, nil
}

// ParseRef reads "#12" or "12".
func ParseRef(s string) (int64, bool) {
	if len(s) > 0 && s[0] == '#' {
		s = s[1:]
	}
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}

func decodeTicket(b []byte) (Ticket, error) {
	var t Ticket
	if err := json.Unmarshal(b, &t); err != nil {
		return Ticket{}, fmt.Errorf("decode: %w", err)
	}
	return t, nil
}
