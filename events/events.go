// Package events keeps a Redis stream of answered questions — masked, with
// the answer's confidence, hand-off, jurisdiction and top sources — for
// the gaps report (`kuaiji gaps`: what documents are missing). Entries
// older than the retention are trimmed (XADD MINID, XTRIM), and a user's
// entries can be deleted (/forget).
//
// Events carry no chat or user id: a per-user set of entry ids, kept as
// long as the entries, is what /forget deletes by. The stream and the
// sets share one hash tag, so the recording script runs on Redis Cluster.
package events

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji/privacy"
)

// DefaultRetention is how long events are kept.
const DefaultRetention = 180 * 24 * time.Hour

// Event is one answered question. Texts are masked with privacy.Mask
// before they are stored.
type Event struct {
	// ID is the stream entry id; set when read.
	ID   string    `json:"-"`
	Time time.Time `json:"-"`
	// Question is what the user typed; Standalone is what was searched
	// after a follow-up was resolved ("那深圳呢？" → "深圳继续教育…").
	Question   string  `json:"q"`
	Standalone string  `json:"s,omitempty"`
	Confidence float64 `json:"c"`
	Handoff    bool    `json:"h,omitempty"`
	Declined   bool    `json:"d,omitempty"`
	// Jurisdiction is the code of the place asked about, "" for national.
	Jurisdiction string `json:"j,omitempty"`
	// Sources are the ids of the top documents cited.
	Sources []string `json:"src,omitempty"`
}

// Stream is the event stream on Redis.
type Stream struct {
	rdb       redis.UniversalClient
	prefix    string
	retention time.Duration
	now       func() time.Time
}

// Option configures a [Stream].
type Option func(*Stream)

// WithPrefix sets the key prefix (default "kuaiji:"); the keys are
// "<prefix>{events}" and "<prefix>{events}:user:<id>".
func WithPrefix(p string) Option { return func(s *Stream) { s.prefix = p } }

// WithRetention sets how long events are kept (default [DefaultRetention]).
func WithRetention(d time.Duration) Option { return func(s *Stream) { s.retention = d } }

// WithClock sets the clock (tests).
func WithClock(now func() time.Time) Option { return func(s *Stream) { s.now = now } }

// New returns the stream on rdb.
func New(rdb redis.UniversalClient, opts ...Option) *Stream {
	s := &Stream{rdb: rdb, prefix: "kuaiji:", retention: DefaultRetention, now: time.Now}
	for _, o := range opts {
		o(s)
	}
	return s
}

func (s *Stream) key() string { return s.prefix + "{events}" }
func (s *Stream) userKey(user int64) string {
	return s.prefix + "{events}:user:" + strconv.FormatInt(user, 10)
}

// minID is the oldest entry id kept.
func (s *Stream) minID() string {
	return strconv.FormatInt(s.now().Add(-s.retention).UnixMilli(), 10) + "-0"
}

// recordScript: KEYS stream, user set; ARGV oldest id kept, entry id
// ("*" or an explicit one), event JSON, set TTL ms.
var recordScript = redis.NewScript(`
local id = redis.call('XADD', KEYS[1], 'MINID', '~', ARGV[1], ARGV[2], 'e', ARGV[3])
redis.call('SADD', KEYS[2], id)
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return id
`)

// Record appends e for user, masking its texts, and trims entries older
// than the retention. It returns the entry id.
func (s *Stream) Record(ctx context.Context, user int64, e Event) (string, error) {
	e.Question = privacy.Mask(e.Question)
	e.Standalone = privacy.Mask(e.Standalone)
	if e.Standalone == e.Question {
		e.Standalone = ""
	}
	b, err := json.Marshal(e)
	if err != nil {
		return "", fmt.Errorf("encode event: %w", err)
	}
	id := "*"
	if !e.Time.IsZero() { // imported or test events keep their time
		id = strconv.FormatInt(e.Time.UnixMilli(), 10) + "-*"
	}
	v, err := recordScript.Run(ctx, s.rdb, []string{s.key(), s.userKey(user)},
		s.minID(), id, b, s.retention.Milliseconds()).Text()
	if err != nil {
		return "", fmt.Errorf("record event: %w", err)
	}
	return v, nil
}

// Since returns the events from t on, oldest first, reading in pages.
func (s *Stream) Since(ctx context.Context, t time.Time) ([]Event, error) {
	var out []Event
	err := Range(ctx, s.rdb, s.key(), t, func(m redis.XMessage) {
		if e, ok := decode(m); ok {
			out = append(out, e)
		}
	})
	if err != nil {
		return nil, fmt.Errorf("read events: %w", err)
	}
	return out, nil
}

// Range calls each for every entry of the stream key from t on, oldest
// first, reading in pages of 1,000 so a long retention never loads in
// one reply. Ratings are read with it too.
func Range(ctx context.Context, rdb redis.Cmdable, key string, t time.Time, each func(redis.XMessage)) error {
	start := "-"
	if ms := t.UnixMilli(); ms > 0 {
		start = strconv.FormatInt(ms, 10) + "-0"
	}
	for {
		msgs, err := rdb.XRangeN(ctx, key, start, "+", 1000).Result()
		if err != nil {
			return err
		}
		for _, m := range msgs {
			each(m)
		}
		if len(msgs) < 1000 {
			return nil
		}
		start = "(" + msgs[len(msgs)-1].ID
	}
}

func decode(m redis.XMessage) (Event, bool) {
	raw, _ := m.Values["e"].(string)
	var e Event
	if json.Unmarshal([]byte(raw), &e) != nil {
		return Event{}, false
	}
	e.ID = m.ID
	ms, _, _ := strings.Cut(m.ID, "-")
	if n, err := strconv.ParseInt(ms, 10, 64); err == nil {
		e.Time = time.UnixMilli(n).UTC()
	}
	return e, true
}

// Forget deletes the user's events and returns how many were deleted.
func (s *Stream) Forget(ctx context.Context, user int64) (int64, error) {
	ids, err := s.rdb.SMembers(ctx, s.userKey(user)).Result()
	if err != nil && !errors.Is(err, redis.Nil) {
		return 0, fmt.Errorf("list events of user %d: %w", user, err)
	}
	var n int64
	for len(ids) > 0 {
		batch := ids[:min(len(ids), 500)]
		ids = ids[len(batch):]
		d, err := s.rdb.XDel(ctx, s.key(), batch...).Result()
		if err != nil {
			return n, fmt.Errorf("delete events of user %d: %w", user, err)
		}
		n += d
	}
	if err := s.rdb.Del(ctx, s.userKey(user)).Err(); err != nil {
		return n, fmt.Errorf("delete event index of user %d: %w", user, err)
	}
	return n, nil
}

// Trim removes every entry older than the retention exactly (XADD trims
// approximately, by whole nodes) and returns how many went.
func (s *Stream) Trim(ctx context.Context) (int64, error) {
	n, err := s.rdb.XTrimMinID(ctx, s.key(), s.minID()).Result()
	if err != nil {
		return 0, fmt.Errorf("trim events: %w", err)
	}
	return n, nil
}

// Len is the number of events kept.
func (s *Stream) Len(ctx context.Context) (int64, error) {
	n, err := s.rdb.XLen(ctx, s.key()).Result()
	if err != nil {
		return 0, fmt.Errorf("count events: %w", err)
	}
	return n, nil
}

// ErrNotFound is returned by [Stream.Get] for an id that names no event
// (never recorded, trimmed, or forgotten).
var ErrNotFound = errors.New("no such event")

// Get returns the event with stream id id.
func (s *Stream) Get(ctx context.Context, id string) (Event, error) {
	msgs, err := s.rdb.XRangeN(ctx, s.key(), id, id, 1).Result()
	if err != nil {
		return Event{}, fmt.Errorf("read event %s: %w", id, err)
	}
	if len(msgs) == 0 {
		return Event{}, fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	e, ok := decode(msgs[0])
	if !ok {
		return Event{}, fmt.Errorf("decode event %s: %w", id, ErrNotFound)
	}
	return e, nil
}
