package chatqueue

import (
	"context"
	"net"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/go-telegram/bot/models"
	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji/internal/redistest"
)

// These tests run on the real redis-server when KUAIJI_TEST_REDIS_URL is
// set (scripts/with-redis.sh, make test) and on miniredis otherwise; those
// that need a lease to run out by the clock need the real one and skip
// without it.

func TestQueueKeepsEachChatsOrder(t *testing.T) {
	t.Parallel()
	r := newReplicas(t, redistest.Client(t))
	q := r.start("a", nil, nil)
	const chats, updates = 4, 25
	// Long polling hands updates over one at a time in the order received.
	for id := range int64(updates) {
		for c := range int64(chats) {
			q.Push(100+c, update(100+c, 1000*c+id+1))
		}
	}
	r.j.waitFor(t, chats*updates)
	r.settle(q)
	for c := range int64(chats) {
		want := make([]int64, updates)
		for i := range want {
			want[i] = 1000*c + int64(i) + 1
		}
		if got := r.j.ids(100 + c); !slices.Equal(got, want) {
			t.Errorf("chat %d handled %v", 100+c, got)
		}
		if n := r.queued(100 + c); n != 0 {
			t.Errorf("chat %d: %d updates left in Redis", 100+c, n)
		}
		if r.lock(100+c) != "" || r.pending(100+c) {
			t.Errorf("chat %d: still held or pending after its queue ran dry", 100+c)
		}
	}
	r.j.checkNoOverlap(t)
}

func TestQueueKeepsAChatsOrderAcrossReplicas(t *testing.T) {
	t.Parallel()
	const chat = 7
	r, a, g := holding(t, chat)
	other := r.start("b", nil, nil)
	// While a holds the chat, updates reach both replicas, and one
	// overtakes another on the way: the queue in Redis keeps them by
	// update_id, and the holder handles them all.
	other.Accept(context.Background(), chat, update(chat, 3))
	a.Accept(context.Background(), chat, update(chat, 2))
	other.Accept(context.Background(), chat, update(chat, 5))
	other.Accept(context.Background(), chat, update(chat, 4))
	g.open()
	r.j.waitFor(t, 5)
	r.settle(a, other)
	if got := r.j.ids(chat); !slices.Equal(got, seq(5)) {
		t.Errorf("handled %v, want oldest first", got)
	}
	if got := r.j.by("b"); len(got) != 0 {
		t.Errorf("the replica not holding the chat handled %v", got)
	}
	if n := r.queued(chat); n != 0 || r.lock(chat) != "" {
		t.Errorf("%d updates left, lock %q", n, r.lock(chat))
	}
	r.j.checkNoOverlap(t)
}

func TestQueueRunsChatsInParallel(t *testing.T) {
	t.Parallel()
	r := newReplicas(t, redistest.Client(t))
	// The two chats' jobs each wait for the other's to start.
	one, two := make(chan struct{}), make(chan struct{})
	q := r.start("a", func(u *models.Update) {
		if u.Message.Chat.ID == 1 {
			close(one)
			await(t, two, "chat 2's update")
		} else {
			close(two)
			await(t, one, "chat 1's update")
		}
	}, nil)
	q.Accept(context.Background(), 1, update(1, 10))
	q.Push(2, update(2, 20))
	r.j.waitFor(t, 2)
	r.settle(q)
}

func TestQueueHandlesAnUpdateOnce(t *testing.T) {
	t.Parallel()
	r := newReplicas(t, redistest.Client(t))
	var dups atomic.Int32
	count := func(c *Config) { c.Duplicate = func() { dups.Add(1) } }
	a, b := r.start("a", nil, count), r.start("b", nil, count)
	const chat = 8
	// Telegram redelivers after a restart, and a load balancer may hand
	// the same update to both replicas.
	a.Accept(context.Background(), chat, update(chat, 1))
	b.Accept(context.Background(), chat, update(chat, 1))
	a.Push(chat, update(chat, 1))
	r.settle(a, b)
	a.Accept(context.Background(), chat, update(chat, 2))
	r.j.waitFor(t, 2)
	r.settle(a, b)
	if got := r.j.ids(chat); !slices.Equal(got, seq(2)) {
		t.Errorf("handled %v", got)
	}
	if n := dups.Load(); n != 2 {
		t.Errorf("%d duplicates counted, want 2", n)
	}
}

// Handle contains its own panics (Config.Handle; the adapter's handleOne
// does): the queue then goes on with the chat. An update it cannot decode
// is dropped, and the chat goes on too.
func TestQueueGoesOnAfterAFailedUpdate(t *testing.T) {
	t.Parallel()
	const chat = 9
	r, g := newReplicas(t, redistest.Client(t)), newGate(chat)
	var recovered atomic.Int32
	q := r.start("a", func(u *models.Update) {
		g.hook(u)
		if u.ID == 3 {
			panic("turn exploded")
		}
	}, func(c *Config) {
		handle := c.Handle
		c.Handle = func(u *models.Update) {
			defer func() {
				if recover() != nil {
					recovered.Add(1)
				}
			}()
			handle(u)
		}
	})
	q.Accept(context.Background(), chat, update(chat, 1))
	recv(t, g.started, "update 1")
	if err := r.rdb.ZAdd(context.Background(), r.key("q", chat), redis.Z{Score: 2, Member: "{not an update"}).Err(); err != nil {
		t.Fatal(err)
	}
	for id := int64(3); id <= 5; id++ {
		q.Accept(context.Background(), chat, update(chat, id))
	}
	g.open()
	r.j.waitFor(t, 4)
	r.settle(q)
	if got := r.j.ids(chat); !slices.Equal(got, []int64{1, 3, 4, 5}) {
		t.Errorf("handled %v", got)
	}
	if n := recovered.Load(); n != 1 {
		t.Errorf("%d panics, want 1", n)
	}
	if n := r.queued(chat); n != 0 || r.lock(chat) != "" {
		t.Errorf("%d updates left, lock %q", n, r.lock(chat))
	}
	// The panicking job ended by unwinding: the next update starts a new
	// lease as if nothing had happened.
	q.Push(chat, update(chat, 6))
	r.j.waitFor(t, 5)
	r.settle(q)
}

// Without Redis an update cannot be ordered across replicas or deduped:
// it is handled anyway, and one replica's polling still keeps the chat's
// order.
func TestQueueHandlesUpdatesWhileRedisIsDown(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	rdb := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1, DialerRetries: 1})
	t.Cleanup(func() { rdb.Close() })
	r := newReplicas(t, rdb)
	q := r.start("a", nil, nil)
	for id := range int64(5) {
		q.Push(1, update(1, id+1))
	}
	q.Accept(context.Background(), 2, update(2, 1))
	r.j.waitFor(t, 6)
	r.settle(q)
	if got := r.j.ids(1); !slices.Equal(got, seq(5)) {
		t.Errorf("chat 1 handled %v", got)
	}
	if got := r.j.ids(2); !slices.Equal(got, seq(1)) {
		t.Errorf("chat 2 handled %v", got)
	}
	r.j.checkNoOverlap(t)
}
