package web

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limits are the per-session and per-address rates of turns. A page sends
// a turn per message or button; a burst covers a user tapping quickly.
type Limits struct {
	SessionEvery time.Duration // one turn per this, per session
	SessionBurst int
	AddrEvery    time.Duration // per client address (an office behind one NAT shares it)
	AddrBurst    int
	// Streams is how many event streams one session may hold open (tabs).
	Streams int
}

// DefaultLimits allow a person's pace with room for an office of them
// behind one address.
var DefaultLimits = Limits{SessionEvery: time.Second, SessionBurst: 8,
	AddrEvery: 100 * time.Millisecond, AddrBurst: 60, Streams: 4}

// limits keeps one token bucket per key, dropping those idle for long.
type limits struct {
	cfg   Limits
	mu    sync.Mutex
	sess  map[int64]*entry
	addr  map[string]*entry
	swept time.Time
}

type entry struct {
	l    *rate.Limiter
	seen time.Time
}

func newLimits(l Limits) *limits {
	return &limits{cfg: l, sess: map[int64]*entry{}, addr: map[string]*entry{}}
}

// allow takes a token for both the session and the address.
func (l *limits) allow(chat int64, addr string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > time.Minute {
		l.sweep(now)
	}
	a := get(l.addr, addr, now, l.cfg.AddrEvery, l.cfg.AddrBurst)
	s := get(l.sess, chat, now, l.cfg.SessionEvery, l.cfg.SessionBurst)
	if !a.l.AllowN(now, 1) {
		return false
	}
	if !s.l.AllowN(now, 1) {
		return false
	}
	return true
}

func get[K comparable](m map[K]*entry, k K, now time.Time, every time.Duration, burst int) *entry {
	e := m[k]
	if e == nil {
		e = &entry{l: rate.NewLimiter(rate.Every(every), burst)}
		m[k] = e
	}
	e.seen = now
	return e
}

// sweep forgets buckets idle for ten minutes: they are full again by then,
// so forgetting changes nothing but memory.
func (l *limits) sweep(now time.Time) {
	l.swept = now
	for k, e := range l.sess {
		if now.Sub(e.seen) > 10*time.Minute {
			delete(l.sess, k)
		}
	}
	for k, e := range l.addr {
		if now.Sub(e.seen) > 10*time.Minute {
			delete(l.addr, k)
		}
	}
}

// keyedMutex serialises the turns of one session in this process: two
// quick taps would otherwise race on its flow state (the store's version
// check catches what another replica does at the same moment).
type keyedMutex struct {
	mu sync.Mutex
	m  map[int64]*lockEntry
}

type lockEntry struct {
	mu   sync.Mutex
	refs int
}

func (k *keyedMutex) lock(key int64) func() {
	k.mu.Lock()
	if k.m == nil {
		k.m = map[int64]*lockEntry{}
	}
	e := k.m[key]
	if e == nil {
		e = &lockEntry{}
		k.m[key] = e
	}
	e.refs++
	k.mu.Unlock()
	e.mu.Lock()
	return func() {
		e.mu.Unlock()
		k.mu.Lock()
		if e.refs--; e.refs == 0 {
			delete(k.m, key)
		}
		k.mu.Unlock()
	}
}
