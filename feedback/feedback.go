// Package feedback keeps people's ratings of answers (👍 / 👎, with an
// optional reason) in Redis, for metrics, the gaps report and the
// help-desk FAQ's counts.
//
// When an answer is shown, [Store.Offer] keeps what a rating of it needs —
// the masked question, the answer's source ids, confidence and
// jurisdiction — under a random token that the rating buttons carry. A
// tap ([Store.Rate]) turns the offer into one event on a Redis stream, at
// most once per answer: the check and the write are one script, so a
// second tap, on this replica or another, is not counted. A reason
// ([Store.Reason]) is added to a 👎 once, its free text masked with
// privacy.Mask.
//
// Like the Q&A events (package events), ratings carry no chat or user id:
// a per-user set of the user's offers and ratings, kept as long as they
// are, is what [Store.Forget] deletes by. Ratings older than the retention
// are trimmed. Every key shares one hash tag, so the scripts run on Redis
// Cluster.
//
// # Reading the counts
//
// [Store.Since] returns the ratings from a time on; [Store.Counts] tallies
// 👍 and 👎 per source id over them:
//
//	tallies, err := store.Counts(ctx, time.Now().AddDate(0, -1, 0))
//	t := tallies["desk-12"] // t.Up, t.Down, t.Reasons["outdated"]
//
// A rating counts for every source its answer rested on (at most three),
// so a published help-desk entry (source id "desk-N") gets the ratings of
// the answers that used it.
package feedback

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji/privacy"
)

// DefaultRetention is how long ratings are kept, as the Q&A events.
const DefaultRetention = 180 * 24 * time.Hour

// DefaultOfferTTL is how long after an answer it can be rated (at most
// the retention).
const DefaultOfferTTL = 30 * 24 * time.Hour

// DefaultAwait is how long a chosen 其他 waits for the reason's text.
const DefaultAwait = 10 * time.Minute

// MaxText is the longest free-text reason kept, in characters.
const MaxText = 500

// Errors the store returns.
var (
	// ErrExpired means the answer's offer is gone: too old, or forgotten.
	ErrExpired = errors.New("feedback: the answer can no longer be rated")
	// ErrNotRated means a reason came for an answer not rated 👎.
	ErrNotRated = errors.New("feedback: the answer was not rated down")
)

// Answer is what a rating records of the answer rated. Texts are masked
// when the offer is stored.
type Answer struct {
	Question   string `json:"q"`
	Standalone string `json:"s,omitempty"`
	// Sources are the ids of the documents the answer rested on, best
	// first ("desk-N" for a published help-desk entry).
	Sources    []string `json:"src,omitempty"`
	Confidence float64  `json:"c"`
	// Jurisdiction is the code of the place answered for, "" for national.
	Jurisdiction string `json:"j,omitempty"`
}

// Rating is one rated answer.
type Rating struct {
	// ID is the stream entry id; Time its time (of the reason, if given).
	ID   string
	Time time.Time
	Answer
	// Up is 👍; false is 👎.
	Up bool
	// Reason is the code of the reason chosen for a 👎 ("" for none);
	// Text the masked free text given with it.
	Reason string
	Text   string
}

// Store keeps offers and ratings on Redis.
type Store struct {
	rdb       redis.UniversalClient
	prefix    string
	retention time.Duration
	offerTTL  time.Duration
	await     time.Duration
	now       func() time.Time
	counted   func(up bool, reason string)
}

// Option configures a [Store].
type Option func(*Store)

// WithPrefix sets the key prefix (default "kuaiji:"); the keys are
// "<prefix>{feedback}" (the stream) and "<prefix>{feedback}:…".
func WithPrefix(p string) Option { return func(s *Store) { s.prefix = p } }

// WithRetention sets how long ratings are kept (default
// [DefaultRetention], KUAIJI_RETENTION); offers never outlive it.
func WithRetention(d time.Duration) Option { return func(s *Store) { s.retention = d } }

// WithOfferTTL sets how long an answer can be rated (default
// [DefaultOfferTTL]).
func WithOfferTTL(d time.Duration) Option { return func(s *Store) { s.offerTTL = d } }

// WithAwait sets how long a chosen 其他 waits for its text (default
// [DefaultAwait]).
func WithAwait(d time.Duration) Option { return func(s *Store) { s.await = d } }

// WithClock sets the clock (tests).
func WithClock(now func() time.Time) Option { return func(s *Store) { s.now = now } }

// WithCounted sets a function told about each vote and each reason that
// counted (reason "" for a vote); it must not block. Metrics use it, so
// a second tap is not counted there either.
func WithCounted(f func(up bool, reason string)) Option { return func(s *Store) { s.counted = f } }

// New returns the store on rdb.
func New(rdb redis.UniversalClient, opts ...Option) *Store {
	s := &Store{rdb: rdb, prefix: "kuaiji:", retention: DefaultRetention, offerTTL: DefaultOfferTTL,
		await: DefaultAwait, now: time.Now}
	for _, o := range opts {
		o(s)
	}
	s.offerTTL = min(s.offerTTL, s.retention)
	return s
}

func (s *Store) key() string              { return s.prefix + "{feedback}" }
func (s *Store) offerKey(t string) string { return s.prefix + "{feedback}:offer:" + t }
func (s *Store) userKey(user int64) string {
	return s.prefix + "{feedback}:user:" + strconv.FormatInt(user, 10)
}
func (s *Store) awaitKey(chat, user int64) string {
	return s.prefix + "{feedback}:await:" + strconv.FormatInt(chat, 10) + ":" + strconv.FormatInt(user, 10)
}

// minID is the oldest entry id kept.
func (s *Store) minID() string {
	return strconv.FormatInt(s.now().Add(-s.retention).UnixMilli(), 10) + "-0"
}

// TokenLen is the length of an offer's token: 64 random bits, base64url.
const TokenLen = 11

// offerScript: KEYS offer, user set; ARGV answer JSON, offer TTL ms,
// user set TTL ms, token.
var offerScript = redis.NewScript(`
redis.call('HSET', KEYS[1], 'a', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('SADD', KEYS[2], 'o:' .. ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return 1
`)

// Offer keeps what a rating of the answer needs and returns the token
// its rating buttons carry ([TokenLen] characters of base64url).
func (s *Store) Offer(ctx context.Context, user int64, a Answer) (string, error) {
	a.Question = privacy.Mask(a.Question)
	a.Standalone = privacy.Mask(a.Standalone)
	if a.Standalone == a.Question {
		a.Standalone = ""
	}
	b, err := json.Marshal(a)
	if err != nil {
		return "", fmt.Errorf("encode rated answer: %w", err)
	}
	var raw [8]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", fmt.Errorf("make rating token: %w", err)
	}
	tok := base64.RawURLEncoding.EncodeToString(raw[:])
	if err := offerScript.Run(ctx, s.rdb, []string{s.offerKey(tok), s.userKey(user)},
		b, s.offerTTL.Milliseconds(), s.retention.Milliseconds(), tok).Err(); err != nil {
		return "", fmt.Errorf("offer rating: %w", err)
	}
	return tok, nil
}

// rateScript: KEYS offer, stream, user set; ARGV oldest id kept, vote
// ("up"/"down"), user set TTL ms. It returns {1, id} when counted, {2, id}
// when the answer was rated before, {0} when the offer is gone.
var rateScript = redis.NewScript(`
local a = redis.call('HGET', KEYS[1], 'a')
if not a then return {0} end
local r = redis.call('HGET', KEYS[1], 'r')
if r then return {2, r} end
local id = redis.call('XADD', KEYS[2], 'MINID', '~', ARGV[1], '*', 'a', a, 'v', ARGV[2])
redis.call('HSET', KEYS[1], 'r', id, 'v', ARGV[2])
redis.call('SADD', KEYS[3], id)
redis.call('PEXPIRE', KEYS[3], ARGV[3])
return {1, id}
`)

// Rate records a 👍 (up) or 👎 of the answer with token. counted is false
// when the answer was rated before, by this tap's twin or anyone. Errors
// wrap [ErrExpired] when the offer is gone.
func (s *Store) Rate(ctx context.Context, user int64, token string, up bool) (counted bool, err error) {
	if !validToken(token) {
		return false, ErrExpired
	}
	vote := "down"
	if up {
		vote = "up"
	}
	res, err := rateScript.Run(ctx, s.rdb, []string{s.offerKey(token), s.key(), s.userKey(user)},
		s.minID(), vote, s.retention.Milliseconds()).Slice()
	if err != nil {
		return false, fmt.Errorf("record rating: %w", err)
	}
	switch code, _ := res[0].(int64); code {
	case 0:
		return false, ErrExpired
	case 1:
		s.count(up, "")
		return true, nil
	}
	return false, nil
}

// reasonScript: KEYS offer, stream, user set; ARGV oldest id kept, code,
// masked text, user set TTL ms. The rating's entry is replaced by one with
// the reason, so every entry is a whole rating. It returns 1 when added,
// 2 when the rating had a reason, 3 when it was not a 👎, 0 when gone.
var reasonScript = redis.NewScript(`
local a = redis.call('HGET', KEYS[1], 'a')
if not a then return 0 end
local r = redis.call('HGET', KEYS[1], 'r')
if not r or redis.call('HGET', KEYS[1], 'v') ~= 'down' then return 3 end
if redis.call('HEXISTS', KEYS[1], 'why') == 1 then return 2 end
redis.call('XDEL', KEYS[2], r)
local id = redis.call('XADD', KEYS[2], 'MINID', '~', ARGV[1], '*', 'a', a, 'v', 'down', 'rc', ARGV[2], 'rt', ARGV[3])
redis.call('HSET', KEYS[1], 'r', id, 'why', '1')
redis.call('SREM', KEYS[3], r)
redis.call('SADD', KEYS[3], id)
redis.call('PEXPIRE', KEYS[3], ARGV[4])
return 1
`)

// Reason adds the reason code and free text (masked here, then cut to
// [MaxText]) to the 👎 of the answer with token. counted is false when the
// rating already had a reason. Errors wrap [ErrExpired] or [ErrNotRated].
func (s *Store) Reason(ctx context.Context, user int64, token, code, text string) (counted bool, err error) {
	if !validToken(token) {
		return false, ErrExpired
	}
	text = privacy.Cut(text, MaxText)
	n, err := reasonScript.Run(ctx, s.rdb, []string{s.offerKey(token), s.key(), s.userKey(user)},
		s.minID(), code, text, s.retention.Milliseconds()).Int64()
	if err != nil {
		return false, fmt.Errorf("record rating reason: %w", err)
	}
	switch n {
	case 0:
		return false, ErrExpired
	case 1:
		s.count(false, code)
		return true, nil
	case 3:
		return false, ErrNotRated
	}
	return false, nil
}

func (s *Store) count(up bool, reason string) {
	if s.counted != nil {
		s.counted(up, reason)
	}
}

// Await makes the user's next free text in chat, within the await time,
// the reason for the answer with token (the user chose 其他).
func (s *Store) Await(ctx context.Context, chat, user int64, token string) error {
	if err := s.rdb.Set(ctx, s.awaitKey(chat, user), token, s.await).Err(); err != nil {
		return fmt.Errorf("await rating reason: %w", err)
	}
	return nil
}

// Awaited returns and clears the token whose reason the user's text in
// chat is, "" when none is awaited: only the next text can be one.
func (s *Store) Awaited(ctx context.Context, chat, user int64) (string, error) {
	tok, err := s.rdb.GetDel(ctx, s.awaitKey(chat, user)).Result()
	if errors.Is(err, redis.Nil) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read awaited rating reason: %w", err)
	}
	return tok, nil
}

// Forget deletes the user's offers and ratings and returns how many
// ratings went.
func (s *Store) Forget(ctx context.Context, user int64) (int64, error) {
	members, err := s.rdb.SMembers(ctx, s.userKey(user)).Result()
	if err != nil && !errors.Is(err, redis.Nil) {
		return 0, fmt.Errorf("list ratings of user %d: %w", user, err)
	}
	var offers, ids []string
	for _, m := range members {
		if tok, ok := strings.CutPrefix(m, "o:"); ok {
			offers = append(offers, s.offerKey(tok))
		} else {
			ids = append(ids, m)
		}
	}
	var n int64
	for len(ids) > 0 {
		batch := ids[:min(len(ids), 500)]
		ids = ids[len(batch):]
		d, err := s.rdb.XDel(ctx, s.key(), batch...).Result()
		if err != nil {
			return n, fmt.Errorf("delete ratings of user %d: %w", user, err)
		}
		n += d
	}
	for len(offers) > 0 {
		batch := offers[:min(len(offers), 500)]
		offers = offers[len(batch):]
		if err := s.rdb.Unlink(ctx, batch...).Err(); err != nil {
			return n, fmt.Errorf("delete rating offers of user %d: %w", user, err)
		}
	}
	if err := s.rdb.Del(ctx, s.userKey(user)).Err(); err != nil {
		return n, fmt.Errorf("delete rating index of user %d: %w", user, err)
	}
	return n, nil
}

// Trim removes every rating older than the retention exactly and returns
// how many went.
func (s *Store) Trim(ctx context.Context) (int64, error) {
	n, err := s.rdb.XTrimMinID(ctx, s.key(), s.minID()).Result()
	if err != nil {
		return 0, fmt.Errorf("trim ratings: %w", err)
	}
	return n, nil
}

// validToken reports whether t can be a token [Store.Offer] made, so
// nothing else reaches a key name.
func validToken(t string) bool {
	if len(t) != TokenLen {
		return false
	}
	for _, r := range t {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}
