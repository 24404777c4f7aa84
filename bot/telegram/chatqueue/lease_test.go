package chatqueue

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji/internal/redistest"
)

// These tests run on the real redis-server when KUAIJI_TEST_REDIS_URL is
// set (scripts/with-redis.sh, make test) and on miniredis otherwise; those
// that need a lease to run out by the clock need the real one and skip
// without it.

// waitStopping spins until Stop has been called on q: Stop itself blocks
// until the work it waits for is released.
func waitStopping(t *testing.T, q *Queue) {
	t.Helper()
	timeout := time.After(guard)
	for !q.stopping.Load() {
		select {
		case <-timeout:
			t.Fatal("Stop was not called")
		default:
			runtime.Gosched()
		}
	}
}

// Shutdown in webhook mode: the holder finishes the update it is on, lets
// go of the chat, and leaves the rest of its queue in Redis, where another
// replica's sweeper finds it.
func TestQueueStopLetsGoAfterTheCurrentUpdate(t *testing.T) {
	t.Parallel()
	const chat = 11
	r, a, g := holding(t, chat)
	a.Accept(context.Background(), chat, update(chat, 2))
	a.Accept(context.Background(), chat, update(chat, 3))
	stopped := make(chan bool)
	go func() { stopped <- a.Stop(guard) }()
	waitStopping(t, a)
	g.open()
	if !recv(t, stopped, "Stop") {
		t.Fatal("Stop gave up on the work in flight")
	}
	if got := r.j.by("a"); !slices.Equal(got, seq(1)) {
		t.Errorf("the stopping replica handled %v, want only the update it was on", got)
	}
	if r.lock(chat) != "" {
		t.Error("the stopped replica still holds the chat")
	}
	if n := r.queued(chat); n != 2 || !r.pending(chat) {
		t.Errorf("%d updates left for another replica (want 2), pending %v", r.queued(chat), r.pending(chat))
	}
	next := r.start("b", nil, func(c *Config) { c.Sweep = 10 * time.Millisecond })
	r.j.waitFor(t, 3)
	r.settle(next)
	if got := r.j.by("b"); !slices.Equal(got, []int64{2, 3}) {
		t.Errorf("the next replica handled %v", got)
	}
}

// Shutdown in polling mode: the updates already taken from getUpdates are
// only in this process, and Stop waits for every one of them.
func TestQueueStopWaitsForWorkInFlight(t *testing.T) {
	t.Parallel()
	const chat = 12
	r, g := newReplicas(t, redistest.Client(t)), newGate(chat)
	q := r.start("a", g.hook, nil)
	for id := range int64(3) {
		q.Push(chat, update(chat, id+1))
	}
	q.Push(chat+1, update(chat+1, 1))
	recv(t, g.started, "update 1")
	// Update 1 cannot end before the gate opens: Stop must give up.
	if q.Stop(time.Millisecond) {
		t.Fatal("Stop reported nothing left while an update was blocked")
	}
	g.open()
	if !q.Stop(guard) {
		t.Fatal("Stop gave up")
	}
	if got := r.j.ids(chat); !slices.Equal(got, seq(3)) {
		t.Errorf("by the time Stop returned chat %d had handled %v", chat, got)
	}
	if got := r.j.ids(chat + 1); !slices.Equal(got, seq(1)) {
		t.Errorf("by the time Stop returned chat %d had handled %v", chat+1, got)
	}
}

// A replica killed mid-turn leaves its update queued under a lease that
// runs out by the clock; then another replica's sweeper takes the chat,
// with a new token, and handles what was left before what came since.
func TestQueueResumesAChatWhoseReplicaDied(t *testing.T) {
	t.Parallel()
	r := newReplicas(t, redistest.Real(t))
	const chat, dead = 13, "999999"
	const lease = 300 * time.Millisecond
	tokens := make(chan string, 2)
	q := r.start("b", func(u *models.Update) { tokens <- r.lock(u.Message.Chat.ID) }, func(c *Config) {
		c.Lease, c.Sweep = lease, 10*time.Millisecond
	})
	r.orphan(update(chat, 1), dead, lease)
	// Arrives while the dead replica's lease still runs: it is queued
	// behind the orphan, not handled ahead of it.
	q.Accept(context.Background(), chat, update(chat, 2))
	r.j.waitFor(t, 2)
	r.settle(q)
	if got := r.j.ids(chat); !slices.Equal(got, seq(2)) {
		t.Errorf("handled %v, want the orphan first", got)
	}
	for range 2 {
		if tok := recv(t, tokens, "a token"); tok == dead || tok == "" {
			t.Errorf("an update was handled under lease %q, not one of its own", tok)
		}
	}
	if n := r.queued(chat); n != 0 || r.pending(chat) {
		t.Errorf("%d updates left, pending %v", n, r.pending(chat))
	}
	// Telegram redelivering the orphan after the crash is a duplicate.
	q.Accept(context.Background(), chat, update(chat, 1))
	r.settle(q)
	if got := r.j.ids(chat); len(got) != 2 {
		t.Errorf("handled %v after the redelivery", got)
	}
}

// A turn longer than the lease keeps it: the holder renews it while the
// turn runs, so no sweeper takes the chat meanwhile.
func TestQueueKeepsItsLeaseThroughALongTurn(t *testing.T) {
	t.Parallel()
	r := newReplicas(t, redistest.Real(t))
	const chat = 14
	// Long enough that a renewal delayed by a loaded test machine still
	// lands in time; the production lease is 15 s.
	const lease = time.Second
	fast := func(c *Config) { c.Lease, c.Sweep = lease, 10*time.Millisecond }
	held := make(chan string, 1)
	a := r.start("a", func(u *models.Update) {
		ctx := context.Background()
		token := r.lock(chat)
		// The turn lasts until the lease has been renewed four times, a
		// third of a lease apart: longer than the lease itself.
		renewals, last := 0, time.Duration(-1)
		timeout := time.After(guard)
		for renewals < 4 {
			ttl, err := r.rdb.PTTL(ctx, r.key("lock", chat)).Result()
			if err != nil || ttl < 0 {
				break // gone: the assertion below says so
			}
			if last >= 0 && ttl > last {
				renewals++
			}
			last = ttl
			select {
			case <-timeout:
				t.Error("the lease was not renewed")
				renewals = 4
			case <-time.After(lease / 30): // between reads of the TTL
			}
		}
		if now := r.lock(chat); now != token {
			held <- fmt.Sprintf("lease %q at the start of the turn, %q at its end", token, now)
			return
		}
		held <- ""
	}, fast)
	r.start("b", nil, fast)
	a.Accept(context.Background(), chat, update(chat, 1))
	if lost := recv(t, held, "the long turn"); lost != "" {
		t.Error(lost)
	}
	r.j.waitFor(t, 1)
	r.settle(a)
	if got := r.j.all(); len(got) != 1 || got[0].by != "a" {
		t.Errorf("handled %v, want once by the holder", got)
	}
}

// A holder that lost its lease (paused past it, and another replica took
// the chat) stops at once: it neither handles more of the chat nor removes
// the update it was on, which the new holder handles again. At worst one
// reply is repeated; none is lost.
func TestQueueHolderThatLostItsLeaseStops(t *testing.T) {
	t.Parallel()
	const chat = 15
	r, a, g := holding(t, chat)
	a.Accept(context.Background(), chat, update(chat, 2))
	// What another replica's sweeper does once the lease has run out.
	if err := r.rdb.Set(context.Background(), r.key("lock", chat), "999999", 0).Err(); err != nil {
		t.Fatal(err)
	}
	g.open()
	r.settle(a)
	if got := r.j.by("a"); !slices.Equal(got, seq(1)) {
		t.Errorf("the replica that lost the lease handled %v", got)
	}
	if n := r.queued(chat); n != 2 {
		t.Errorf("%d updates left in the queue, want both", n)
	}
	if r.lock(chat) != "999999" {
		t.Errorf("the new holder's lease became %q", r.lock(chat))
	}
	// The new holder dies too; the next sweeper handles both.
	r.rdb.Del(context.Background(), r.key("lock", chat))
	next := r.start("b", nil, func(c *Config) { c.Sweep = 10 * time.Millisecond })
	r.j.waitFor(t, 3)
	r.settle(next)
	if got := r.j.by("b"); !slices.Equal(got, seq(2)) {
		t.Errorf("the next holder handled %v", got)
	}
	r.j.checkNoOverlap(t)
}

// A chat left in the pending index with nothing queued (its holder died
// after the last update but before unlisting it) is unlisted by a sweep;
// a chat another replica holds is left to it.
func TestSweepUnlistsADrainedChatAndSkipsAHeldOne(t *testing.T) {
	t.Parallel()
	r := newReplicas(t, redistest.Client(t))
	q := r.start("a", nil, nil)
	ctx := context.Background()
	const drained, held = 16, 17
	r.rdb.ZAdd(ctx, r.prefix+"pending", redis.Z{Score: 5, Member: drained})
	r.orphan(update(held, 1), "999999", time.Hour)
	q.sweepChat(drained, 5)
	q.sweepChat(held, 1)
	if r.pending(drained) {
		t.Error("a chat with nothing queued stays pending")
	}
	if !r.pending(held) || r.queued(held) != 1 || r.lock(held) != "999999" {
		t.Error("a sweep touched a chat another replica holds")
	}
	if got := r.j.all(); len(got) != 0 {
		t.Errorf("a sweep handled %v", got)
	}
}
