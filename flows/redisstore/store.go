// Package redisstore keeps [flows.Store] state in Redis: one hash per chat
// (version and session JSON) and one string per user (profile JSON), both
// with a TTL. A turn costs two round trips: one pipelined read and one Lua
// script that writes only if the version is unchanged.
package redisstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji/flows"
)

var _ flows.Store = (*Store)(nil)

// DefaultTTL is how long an untouched session is kept.
const DefaultTTL = 7 * 24 * time.Hour

// Store is a [flows.Store] on Redis.
type Store struct {
	rdb        redis.UniversalClient
	prefix     string
	ttl        time.Duration
	profileTTL time.Duration
}

// Option configures a [Store].
type Option func(*Store)

// WithTTL sets how long an untouched session lives (default 7 days).
func WithTTL(d time.Duration) Option { return func(s *Store) { s.ttl = d } }

// WithProfileTTL sets how long an untouched profile lives (default 30 days).
func WithProfileTTL(d time.Duration) Option { return func(s *Store) { s.profileTTL = d } }

// WithPrefix sets the key prefix (default "kuaiji:"), so tests and
// deployments can share a server.
func WithPrefix(p string) Option { return func(s *Store) { s.prefix = p } }

// New returns a store on rdb. The session and profile of one turn are
// written by one script, so in Redis Cluster they must share a slot: use a
// single node or Sentinel.
func New(rdb redis.UniversalClient, opts ...Option) *Store {
	s := &Store{rdb: rdb, prefix: "kuaiji:", ttl: DefaultTTL, profileTTL: 30 * 24 * time.Hour}
	for _, o := range opts {
		o(s)
	}
	return s
}

// NewInProcess starts an in-process miniredis and returns a store on it and
// a function that stops both, for running offline without REDIS_URL.
func NewInProcess(opts ...Option) (*Store, func(), error) {
	mr, err := miniredis.Run()
	if err != nil {
		return nil, nil, fmt.Errorf("start in-process redis: %w", err)
	}
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	return New(rdb, opts...), func() { rdb.Close(); mr.Close() }, nil
}

func (s *Store) sessionKey(chat int64) string {
	return s.prefix + "chat:" + strconv.FormatInt(chat, 10)
}
func (s *Store) profileKey(user int64) string {
	return s.prefix + "user:" + strconv.FormatInt(user, 10)
}

// Load returns the chat's session and the user's profile in one pipelined
// round trip. An expired session is empty with version 0. A session or
// profile that does not decode, a session version that is not a number and
// a key of the wrong type are returned empty with an error wrapping
// [flows.ErrCorrupt] (and Replace set when the session must be overwritten
// rather than version-checked); other failures wrap [flows.ErrUnavailable].
func (s *Store) Load(ctx context.Context, chat, user int64) (flows.Snapshot, error) {
	var hm *redis.SliceCmd
	var prof *redis.StringCmd
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		hm = p.HMGet(ctx, s.sessionKey(chat), "v", "s")
		prof = p.Get(ctx, s.profileKey(user))
		return nil
	})
	// A reply-level error of one command (redis.Nil, WRONGTYPE) is judged
	// per command below; anything else means Redis could not be asked.
	if err != nil && !errors.Is(err, redis.Nil) && !wrongType(err) {
		return flows.Snapshot{}, fmt.Errorf("%w: load chat %d: %w", flows.ErrUnavailable, chat, err)
	}
	var snap flows.Snapshot
	var bad []error
	switch err := hm.Err(); {
	case wrongType(err):
		snap.Replace = true
		bad = append(bad, fmt.Errorf("session key: %w", err))
	case err != nil:
		return flows.Snapshot{}, fmt.Errorf("%w: load chat %d: %w", flows.ErrUnavailable, chat, err)
	}
	switch err := prof.Err(); {
	case wrongType(err):
		snap.Profile, snap.ProfileChanged = flows.Profile{}, true
		bad = append(bad, fmt.Errorf("profile key: %w", err))
	case err != nil && !errors.Is(err, redis.Nil):
		return flows.Snapshot{}, fmt.Errorf("%w: load profile %d: %w", flows.ErrUnavailable, user, err)
	}
	if vals := hm.Val(); len(vals) == 2 {
		if v, ok := vals[0].(string); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				snap.Replace = true
				bad = append(bad, fmt.Errorf("session version %q", v))
			} else {
				snap.Version = n
			}
		}
		if js, ok := vals[1].(string); ok && js != "" && !snap.Replace {
			if err := json.Unmarshal([]byte(js), &snap.Session); err != nil {
				snap.Session = flows.Session{}
				bad = append(bad, fmt.Errorf("decode session: %w", err))
			}
		}
	}
	if b, err := prof.Bytes(); err == nil && len(b) > 0 {
		if err := json.Unmarshal(b, &snap.Profile); err != nil {
			snap.Profile = flows.Profile{}
			snap.ProfileChanged = true
			bad = append(bad, fmt.Errorf("decode profile: %w", err))
		}
	}
	if len(bad) > 0 {
		return snap, fmt.Errorf("%w: chat %d: %w", flows.ErrCorrupt, chat, errors.Join(bad...))
	}
	return snap, nil
}

// wrongType reports a key holding another Redis type than the one read: a
// corrupt entry to replace, not an outage.
func wrongType(err error) bool { return redis.HasErrorPrefix(err, "WRONGTYPE") }

// saveScript writes the session if its version is unchanged.
// KEYS: session hash, profile string. ARGV: expected version, session JSON,
// session TTL ms, profile JSON ("-" leaves it, "" deletes it), profile TTL
// ms, "1" to replace a session key that is still unreadable (a version
// that is not a number, or another type than a hash). A session that was
// repaired meanwhile is compared as usual, so only one writer resets it.
var saveScript = redis.NewScript(`
if ARGV[6] == '1' then
  local t = redis.call('TYPE', KEYS[1])['ok']
  local broken = t ~= 'hash' and t ~= 'none'
  if t == 'hash' then
    local cur = redis.call('HGET', KEYS[1], 'v')
    broken = cur and not string.match(cur, '^%d+$')
  end
  if broken then redis.call('DEL', KEYS[1]) end
end
local v = redis.call('HGET', KEYS[1], 'v') or '0'
if v ~= ARGV[1] then return -1 end
local nv = tonumber(v) + 1
redis.call('HSET', KEYS[1], 'v', nv, 's', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
if ARGV[4] == '' then
  redis.call('DEL', KEYS[2])
elseif ARGV[4] ~= '-' then
  redis.call('SET', KEYS[2], ARGV[4], 'PX', ARGV[5])
end
return nv
`)

// Save writes the session if the stored version still equals snap.Version,
// and the profile when snap.ProfileChanged, in one script call; with
// snap.Replace it first deletes a session key that is still unreadable. It
// returns [flows.ErrConflict] when another writer came first.
func (s *Store) Save(ctx context.Context, chat, user int64, snap flows.Snapshot) error {
	sess, err := json.Marshal(snap.Session)
	if err != nil {
		return fmt.Errorf("encode session %d: %w", chat, err)
	}
	prof := "-"
	if snap.ProfileChanged {
		prof = ""
		if len(snap.Profile) > 0 {
			b, err := json.Marshal(snap.Profile)
			if err != nil {
				return fmt.Errorf("encode profile %d: %w", user, err)
			}
			prof = string(b)
		}
	}
	replace := "0"
	if snap.Replace {
		replace = "1"
	}
	n, err := saveScript.Run(ctx, s.rdb, []string{s.sessionKey(chat), s.profileKey(user)},
		snap.Version, sess, s.ttl.Milliseconds(), prof, s.profileTTL.Milliseconds(), replace).Int64()
	if err != nil {
		return fmt.Errorf("%w: save chat %d: %w", flows.ErrUnavailable, chat, err)
	}
	if n < 0 {
		return flows.ErrConflict
	}
	return nil
}
