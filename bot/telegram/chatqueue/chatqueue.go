// Package chatqueue runs each chat's Telegram updates once and in order,
// chats in parallel, across any number of replicas sharing one Redis.
//
// go-telegram runs each update in a goroutine of its own, and in webhook
// mode Telegram may hand two updates of one chat to different replicas
// behind a load balancer. So every update goes through its chat's queue in
// Redis:
//
//   - admit marks the update as seen (dedupe across processes and
//     restarts), adds it to the chat's sorted set by update_id and, when no
//     replica holds the chat's lease, takes it with a fencing token (a
//     per-chat counter) and gets the oldest update back; all in one script.
//   - the holder handles updates oldest first, whichever replica received
//     them, renewing its lease while a turn runs; after each it removes
//     the update only if it still holds the token, and releases the lease
//     when the queue is empty. A holder that lost its lease (a long pause)
//     stops at once: the flows store's version check keeps state whole,
//     at worst one reply is repeated.
//   - an update stays in Redis until handled, so a replica killed
//     mid-turn loses nothing: when its lease runs out, any replica's
//     sweeper (a restarted one too) finds the chat in the pending index
//     and drains it.
//
// Which lock is load-bearing: the lease orders a chat across replicas and
// keeps its updates through a crash. Within one process a chat's work
// also runs in an in-memory queue (local.go): it keeps the chat's updates
// in the order received while the lease holder drains them on one
// goroutine, without a Redis round trip per wait, and shutdown waits for
// all of it. Neither is what keeps state whole when two writers meet
// anyway (a paused replica whose lease ran out): the flows store's
// compare-and-save is, and the engine takes no lock of its own.
package chatqueue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji/privacy"
)

// Defaults of [Config].
const (
	DefaultLease = 15 * time.Second
	DefaultSweep = 5 * time.Second
	DefaultTTL   = 48 * time.Hour
)

// Config configures a [Queue].
type Config struct {
	// Prefix starts every key ("kuaiji:tg:<bot id>:").
	Prefix string
	// Lease is how long a replica's hold on a chat lasts without renewal:
	// how long a chat waits after its replica died.
	Lease time.Duration
	// Sweep is how often [Queue.Sweep] looks for such chats; 0 never.
	Sweep time.Duration
	// DedupeTTL is how long an update_id is remembered as seen.
	DedupeTTL time.Duration
	// Handle handles one update; it recovers its own panics.
	Handle func(u *models.Update)
	// Duplicate, if set, is told about each update skipped as seen before.
	Duplicate func()
	Log       *slog.Logger
}

// Queue orders the updates of each chat. Create it with [New].
type Queue struct {
	rdb      redis.UniversalClient
	cfg      Config
	local    *local
	stopping atomic.Bool
}

// New returns a queue on rdb.
func New(rdb redis.UniversalClient, cfg Config) *Queue {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Duplicate == nil {
		cfg.Duplicate = func() {}
	}
	return &Queue{rdb: rdb, cfg: cfg, local: newLocal()}
}

// Push takes an update from long polling and returns at once: it is
// admitted and handled on the chat's goroutine.
func (q *Queue) Push(chat int64, u *models.Update) {
	q.local.push(chat, func() {
		if work := q.admit(context.Background(), chat, u); work != nil {
			work()
		}
	})
}

// Accept takes an update from the webhook: it is in Redis before Accept
// returns (and the request is answered), and drained here if this
// replica now holds the chat.
func (q *Queue) Accept(ctx context.Context, chat int64, u *models.Update) {
	if work := q.admit(ctx, chat, u); work != nil {
		q.local.push(chat, work)
	}
}

// admit records u in its chat's queue in Redis and returns what is left
// to do here: nothing for a duplicate or a chat another replica holds,
// draining the chat when this replica took it, or handling u at once
// when Redis cannot order it (better a rare double answer than a lost
// one).
func (q *Queue) admit(ctx context.Context, chat int64, u *models.Update) func() {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	dup, h, held, err := q.enqueue(ctx, chat, u)
	cancel()
	switch {
	case err != nil:
		q.cfg.Log.Warn("dedupe unavailable; handling update anyway", "update_id", u.ID, "chat_id", chat, "err", err)
		return func() { q.cfg.Handle(u) }
	case dup:
		q.cfg.Duplicate()
		q.cfg.Log.Info("duplicate update skipped", "update_id", u.ID, "chat_id", chat)
	case held:
		return func() { q.drain(chat, h) }
	}
	return nil
}

// Stop lets go of the chats this replica holds after their current
// update (the rest of their queues goes to another replica or the next
// start) and waits up to d for the work in flight; false if some is left.
// Call it after [Queue.Sweep] has returned and after the last Push or
// Accept, as the adapter does: work added while it waits is not waited for.
func (q *Queue) Stop(d time.Duration) bool {
	q.stopping.Store(true)
	return q.local.wait(d)
}

func (q *Queue) key(kind string, chat int64) string {
	return q.cfg.Prefix + kind + ":{c" + strconv.FormatInt(chat, 10) + "}"
}

func (q *Queue) pendingKey() string { return q.cfg.Prefix + "pending" }

// hold is a chat's lease as returned by the scripts.
type hold struct {
	token string
	next  string // the oldest queued update, JSON
}

// parseHold reads {-1}, {0} or {token, update}.
func parseHold(v any) (code int64, h hold, err error) {
	arr, ok := v.([]any)
	if !ok || len(arr) == 0 {
		return 0, hold{}, fmt.Errorf("unexpected script reply %v", v)
	}
	code, ok = arr[0].(int64)
	if !ok {
		return 0, hold{}, fmt.Errorf("unexpected script reply %v", v)
	}
	if len(arr) > 1 {
		h.next, _ = arr[1].(string)
	}
	h.token = strconv.FormatInt(code, 10)
	return code, h, nil
}

// masked is u with the text and caption a person wrote masked: a queued
// update lies in Redis until it is handled, and nothing kept there holds
// a 身份证号, phone number, e-mail or card number in clear. Nothing
// downstream needs them: answers, flows and staff all see masked text.
func masked(u *models.Update) *models.Update {
	mask := func(m *models.Message) *models.Message {
		if m == nil || m.Text == "" && m.Caption == "" {
			return m
		}
		c := *m
		c.Text, c.Caption = privacy.Mask(c.Text), privacy.Mask(c.Caption)
		return &c
	}
	c := *u
	c.Message, c.EditedMessage = mask(u.Message), mask(u.EditedMessage)
	return &c
}

// enqueue puts u on its chat's queue. It returns dup for an update seen
// before, or held=false when another replica holds the chat (it will
// handle u), else the lease to drain with.
func (q *Queue) enqueue(ctx context.Context, chat int64, u *models.Update) (dup bool, h hold, held bool, err error) {
	body, err := json.Marshal(masked(u))
	if err != nil {
		return false, hold{}, false, fmt.Errorf("encode update %d: %w", u.ID, err)
	}
	var res *redis.Cmd
	_, err = q.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		res = enqueueScript.Eval(ctx, p, []string{q.key("seen", chat) + ":" + strconv.FormatInt(u.ID, 10), q.key("q", chat), q.key("lock", chat), q.key("fence", chat)},
			u.ID, body, q.cfg.DedupeTTL.Milliseconds(), q.cfg.Lease.Milliseconds())
		p.ZAddGT(ctx, q.pendingKey(), redis.Z{Score: float64(u.ID), Member: chat})
		return nil
	})
	if err != nil {
		return false, hold{}, false, fmt.Errorf("enqueue update %d: %w", u.ID, err)
	}
	code, h, err := parseHold(res.Val())
	if err != nil {
		return false, hold{}, false, fmt.Errorf("enqueue update %d: %w", u.ID, err)
	}
	switch code {
	case -1:
		return true, hold{}, false, nil
	case 0:
		return false, hold{}, false, nil
	}
	return false, h, true, nil
}

// drain handles the chat's queued updates, oldest first, while it holds
// the lease.
func (q *Queue) drain(chat int64, h hold) {
	var last int64
	for h.next != "" {
		member := h.next
		var u models.Update
		if err := json.Unmarshal([]byte(member), &u); err != nil {
			q.cfg.Log.Error("undecodable update dropped from the chat queue", "chat_id", chat, "err", err)
		} else {
			stop := q.keepLease(chat, h.token)
			q.cfg.Handle(&u)
			stop()
			last = max(last, u.ID)
		}
		// The turn may have taken long (retries, a model): the deadline
		// for the queue's bookkeeping starts now.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		stopping := "0"
		if q.stopping.Load() {
			stopping = "1"
		}
		v, err := doneScript.Run(ctx, q.rdb, []string{q.key("q", chat), q.key("lock", chat)},
			h.token, member, q.cfg.Lease.Milliseconds(), stopping).Result()
		var code int64
		var nh hold
		if err == nil {
			code, nh, err = parseHold(v)
		}
		switch {
		case err != nil:
			// The lease runs out and a sweeper hands the rest (and maybe
			// this update again) to a replica.
			q.cfg.Log.Warn("chat queue unavailable; the chat resumes after its lease", "chat_id", chat, "err", err)
			cancel()
			return
		case code == -1:
			q.cfg.Log.Warn("lost the chat's lease to another replica", "chat_id", chat, "update_id", u.ID)
			cancel()
			return
		case code == 0:
			if stopping == "0" {
				err = unpendScript.Run(ctx, q.rdb, []string{q.pendingKey()}, chat, last).Err()
				if err != nil {
					q.cfg.Log.Warn("pending index not updated", "chat_id", chat, "err", err)
				}
			}
			cancel()
			return
		}
		h.next = nh.next
		cancel()
	}
}

// keepLease renews the chat's lease while a turn runs (a turn may wait
// for a model or for Telegram's rate limits) and returns how to stop.
func (q *Queue) keepLease(chat int64, token string) func() {
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(q.cfg.Lease / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				ctx, cancel := context.WithTimeout(context.Background(), q.cfg.Lease/3)
				n, err := renewScript.Run(ctx, q.rdb, []string{q.key("lock", chat)}, token, q.cfg.Lease.Milliseconds()).Int64()
				cancel()
				if err == nil && n == 0 {
					return
				}
			}
		}
	}()
	return func() { close(done) }
}

// Sweep looks, until ctx ends, for chats with queued updates and no live
// lease (their replica died or shut down) and drains them here, through
// the chat's local queue so that [Queue.Stop] waits for them.
func (q *Queue) Sweep(ctx context.Context) {
	if q.cfg.Sweep <= 0 {
		return
	}
	t := time.NewTicker(q.cfg.Sweep)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		zs, err := q.rdb.ZRangeWithScores(ctx, q.pendingKey(), 0, 199).Result()
		if err != nil {
			if ctx.Err() == nil {
				q.cfg.Log.Warn("sweep of chat queues failed", "err", err)
			}
			continue
		}
		for _, z := range zs {
			chat, err := strconv.ParseInt(fmt.Sprint(z.Member), 10, 64)
			if err != nil {
				continue
			}
			score := int64(z.Score)
			q.local.push(chat, func() { q.sweepChat(chat, score) })
		}
	}
}

func (q *Queue) sweepChat(chat, score int64) {
	if q.stopping.Load() {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	v, err := sweepScript.Run(ctx, q.rdb, []string{q.key("q", chat), q.key("lock", chat), q.key("fence", chat)},
		q.cfg.Lease.Milliseconds(), q.cfg.DedupeTTL.Milliseconds()).Result()
	if err != nil {
		return
	}
	code, h, err := parseHold(v)
	switch {
	case err != nil || code == 0:
	case code == -1:
		if err := unpendScript.Run(ctx, q.rdb, []string{q.pendingKey()}, chat, score).Err(); err != nil && !errors.Is(err, context.Canceled) {
			q.cfg.Log.Warn("pending index not updated", "chat_id", chat, "err", err)
		}
	default:
		q.cfg.Log.Info("resuming a chat left by another replica", "chat_id", chat)
		q.drain(chat, h)
	}
}
