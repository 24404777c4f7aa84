package chatqueue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji/internal/redistest"
)

// guard is how long a test waits for something that must happen before it
// calls the code stuck. It guards against a hang and measures nothing: no
// assertion depends on how long anything took.
const guard = 20 * time.Second

// journal is the tests' oracle, independent of the queue: each job writes
// down, as it starts, which chat and update it is and who ran it, and
// notes when a second job of the same chat starts before the first ends.
type journal struct {
	mu       sync.Mutex
	entries  []entry
	running  map[int64]int // chat → jobs of it running now
	overlaps []string
	changed  chan struct{} // a value after each entry, for waitFor
}

type entry struct {
	by       string
	chat, id int64
}

func newJournal() *journal {
	return &journal{running: map[int64]int{}, changed: make(chan struct{}, 1)}
}

// run records job id of chat, by whom, then calls then (nil: nothing)
// while the job still counts as running.
func (j *journal) run(by string, chat, id int64, then func()) {
	j.mu.Lock()
	j.running[chat]++
	if j.running[chat] > 1 {
		j.overlaps = append(j.overlaps, fmt.Sprintf("chat %d: job %d started while another ran", chat, id))
	}
	j.entries = append(j.entries, entry{by, chat, id})
	j.mu.Unlock()
	select {
	case j.changed <- struct{}{}:
	default:
	}
	runtime.Gosched() // give a wrongly concurrent job the chance to overlap
	if then != nil {
		then()
	}
	j.mu.Lock()
	j.running[chat]--
	j.mu.Unlock()
}

// handler is a [Config.Handle] that records each update as run by by; hook,
// if set, runs inside the job (to block it, or to look at Redis).
func (j *journal) handler(by string, hook func(u *models.Update)) func(*models.Update) {
	return func(u *models.Update) {
		var then func()
		if hook != nil {
			then = func() { hook(u) }
		}
		j.run(by, u.Message.Chat.ID, u.ID, then)
	}
}

// waitFor waits until n jobs have started.
func (j *journal) waitFor(t *testing.T, n int) {
	t.Helper()
	timeout := time.After(guard)
	for {
		j.mu.Lock()
		have := len(j.entries)
		j.mu.Unlock()
		if have >= n {
			return
		}
		select {
		case <-j.changed:
		case <-timeout:
			t.Fatalf("%d of %d jobs ran; the rest are stuck: %v", have, n, j.all())
		}
	}
}

func (j *journal) all() []entry {
	j.mu.Lock()
	defer j.mu.Unlock()
	return slices.Clone(j.entries)
}

// ids are the update ids of chat's jobs, in the order they started.
func (j *journal) ids(chat int64) []int64 {
	return j.where(func(e entry) bool { return e.chat == chat })
}

// by are the update ids of the jobs name ran, in the order they started.
func (j *journal) by(name string) []int64 {
	return j.where(func(e entry) bool { return e.by == name })
}

func (j *journal) where(keep func(entry) bool) []int64 {
	var ids []int64
	for _, e := range j.all() {
		if keep(e) {
			ids = append(ids, e.id)
		}
	}
	return ids
}

// checkNoOverlap fails t if two jobs of one chat ever ran at once.
func (j *journal) checkNoOverlap(t *testing.T) {
	t.Helper()
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, o := range j.overlaps {
		t.Error(o)
	}
}

// recv waits for a value from ch; what says what was awaited.
func recv[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(guard):
		t.Fatalf("stuck waiting for %s", what)
		panic("unreachable")
	}
}

// await is recv for a job's goroutine, where t.Fatal must not be called:
// it reports a hang with t.Error and returns.
func await(t *testing.T, ch <-chan struct{}, what string) {
	select {
	case <-ch:
	case <-time.After(guard):
		t.Errorf("stuck waiting for %s", what)
	}
}

// seq is 1…n.
func seq(n int) []int64 {
	s := make([]int64, n)
	for i := range s {
		s[i] = int64(i + 1)
	}
	return s
}

// replicas are queues sharing one Redis under one prefix, as the replicas
// of one bot do, each with its own name in the journal.
type replicas struct {
	t      *testing.T
	rdb    redis.UniversalClient
	prefix string
	j      *journal
	// sweeps stops a replica's sweeper and waits for it to return.
	sweeps map[*Queue]func()
}

func newReplicas(t *testing.T, rdb redis.UniversalClient) *replicas {
	return &replicas{t: t, rdb: rdb, prefix: fmt.Sprintf("kt:cq:%d:", rand.Int64()), j: newJournal(), sweeps: map[*Queue]func(){}}
}

// start returns a replica named by; hook runs inside each of its jobs and
// edit changes its Config (a Sweep interval starts its sweeper). The
// replica is stopped when the test ends, its sweeper first, as the
// adapter does.
func (r *replicas) start(by string, hook func(*models.Update), edit func(*Config)) *Queue {
	cfg := Config{Prefix: r.prefix, Lease: DefaultLease, DedupeTTL: time.Hour, Handle: r.j.handler(by, hook)}
	if edit != nil {
		edit(&cfg)
	}
	q := New(r.rdb, cfg)
	r.t.Cleanup(func() {
		if !q.Stop(guard) {
			r.t.Errorf("%s: work still running at the end of the test", by)
		}
	})
	if cfg.Sweep > 0 {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { q.Sweep(ctx); close(done) }()
		r.sweeps[q] = sync.OnceFunc(func() { cancel(); <-done })
		r.t.Cleanup(r.sweeps[q])
	}
	return q
}

func (r *replicas) key(kind string, chat int64) string {
	return r.prefix + kind + ":{c" + strconv.FormatInt(chat, 10) + "}"
}

// queued is how many updates wait in chat's queue in Redis.
func (r *replicas) queued(chat int64) int64 {
	n, err := r.rdb.ZCard(context.Background(), r.key("q", chat)).Result()
	if err != nil {
		r.t.Fatal(err)
	}
	return n
}

// pending reports whether chat is in the sweeper's index.
func (r *replicas) pending(chat int64) bool {
	err := r.rdb.ZScore(context.Background(), r.prefix+"pending", strconv.FormatInt(chat, 10)).Err()
	if err != nil && !errors.Is(err, redis.Nil) {
		r.t.Fatal(err)
	}
	return err == nil
}

// lock is the chat's lease token, "" when no replica holds it. Jobs call
// it too, so it reports an error without t.Fatal.
func (r *replicas) lock(chat int64) string {
	v, err := r.rdb.Get(context.Background(), r.key("lock", chat)).Result()
	if err != nil && !errors.Is(err, redis.Nil) {
		r.t.Error(err)
	}
	return v
}

// orphan leaves what a replica killed mid-turn leaves: u queued and seen,
// the chat pending, and the dead replica's lease token running for lease.
func (r *replicas) orphan(u *models.Update, token string, lease time.Duration) {
	ctx, chat := context.Background(), u.Message.Chat.ID
	body, err := json.Marshal(u)
	if err != nil {
		r.t.Fatal(err)
	}
	p := r.rdb.TxPipeline()
	p.ZAdd(ctx, r.key("q", chat), redis.Z{Score: float64(u.ID), Member: string(body)})
	p.Set(ctx, r.key("seen", chat)+":"+strconv.FormatInt(u.ID, 10), 1, time.Hour)
	p.ZAdd(ctx, r.prefix+"pending", redis.Z{Score: float64(u.ID), Member: chat})
	if token != "" {
		p.Set(ctx, r.key("lock", chat), token, lease)
	}
	if _, err := p.Exec(ctx); err != nil {
		r.t.Fatal(err)
	}
}

func update(chat, id int64) *models.Update {
	return &models.Update{ID: id, Message: &models.Message{ID: int(id), Chat: models.Chat{ID: chat}, Text: "更新 " + strconv.FormatInt(id, 10)}}
}

// settle waits for the queues' own goroutines: the bookkeeping after the
// last job, which the journal does not see. A queue's sweeper is stopped
// first, since it adds work to what is waited for.
func (r *replicas) settle(qs ...*Queue) {
	r.t.Helper()
	for _, q := range qs {
		if stop, ok := r.sweeps[q]; ok {
			stop()
		}
		if !q.local.wait(guard) {
			r.t.Fatal("queue work still running")
		}
	}
}

// gate holds the job of chat's update 1 until it opens; started is
// closed when that job begins.
type gate struct {
	chat            int64
	started, opened chan struct{}
	once            sync.Once // a broken queue may run update 1 twice
}

func newGate(chat int64) *gate {
	return &gate{chat: chat, started: make(chan struct{}), opened: make(chan struct{})}
}

func (g *gate) hook(u *models.Update) {
	if u.Message.Chat.ID == g.chat && u.ID == 1 {
		g.once.Do(func() { close(g.started) })
		<-g.opened
	}
}

func (g *gate) open() { close(g.opened) }

// holding starts replica "a" and has it take chat with update 1, whose job
// then waits at the gate.
func holding(t *testing.T, chat int64) (*replicas, *Queue, *gate) {
	t.Helper()
	r, g := newReplicas(t, redistest.Client(t)), newGate(chat)
	a := r.start("a", g.hook, nil)
	a.Accept(context.Background(), chat, update(chat, 1))
	recv(t, g.started, "update 1")
	return r, a, g
}
