package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/redis/go-redis/v9"
)

// Several replicas of the bot can run behind a load balancer in webhook
// mode, sharing one Redis; Telegram may hand two updates of one chat to
// different replicas. The in-process queue (dispatch.go) only orders a
// chat within one process, so every update also goes through its chat's
// queue in Redis:
//
//   - enqueue marks the update as seen (dedupe across processes), adds it
//     to the chat's sorted set by update_id and, when no replica holds the
//     chat's lease, takes it with a fencing token (a per-chat counter) and
//     gets the oldest update back; all in one script.
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
// The keys of a chat carry its id as a hash tag ({c123}), so the scripts
// touch one slot and work on Redis Cluster.

// Defaults for [WithChatLease].
const (
	defaultLease = 15 * time.Second
	defaultSweep = 5 * time.Second
)

// WithChatLease sets how long a replica's hold on a chat lasts without
// renewal (default 15 s: how long a chat waits after its replica died) and
// how often each replica looks for such chats (default 5 s).
func WithChatLease(lease, sweep time.Duration) Option {
	return func(a *Adapter) { a.lease, a.sweepEvery = lease, sweep }
}

// enqueueScript: KEYS seen, queue, lock, fence; ARGV update_id, update
// JSON, dedupe TTL ms, lease ms. Returns {-1} for a duplicate, {0} when
// another replica holds the chat, else {token, oldest update}.
var enqueueScript = redis.NewScript(`
if not redis.call('SET', KEYS[1], 1, 'NX', 'PX', ARGV[3]) then return {-1} end
redis.call('ZADD', KEYS[2], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
if redis.call('EXISTS', KEYS[3]) == 1 then return {0} end
local tok = redis.call('INCR', KEYS[4])
redis.call('PEXPIRE', KEYS[4], ARGV[3])
redis.call('SET', KEYS[3], tok, 'PX', ARGV[4])
return {tok, redis.call('ZRANGE', KEYS[2], 0, 0)[1]}
`)

// doneScript: KEYS queue, lock; ARGV token, handled update ("" for none),
// lease ms, "1" to release even if updates are left (shutdown). Returns
// {-1} when the token is no longer ours, {0} when released, else {1, next}.
var doneScript = redis.NewScript(`
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return {-1} end
if ARGV[2] ~= '' then redis.call('ZREM', KEYS[1], ARGV[2]) end
local nxt = redis.call('ZRANGE', KEYS[1], 0, 0)
if #nxt == 0 or ARGV[4] == '1' then
  redis.call('DEL', KEYS[2])
  return {0}
end
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return {1, nxt[1]}
`)

// renewScript: KEYS lock; ARGV token, lease ms.
var renewScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
return redis.call('PEXPIRE', KEYS[1], ARGV[2])
`)

// sweepScript: KEYS queue, lock, fence; ARGV lease ms, fence TTL ms.
// Returns {0} when the chat is held, {-1} when its queue is empty, else
// {token, oldest update}.
var sweepScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[2]) == 1 then return {0} end
local first = redis.call('ZRANGE', KEYS[1], 0, 0)
if #first == 0 then return {-1} end
local tok = redis.call('INCR', KEYS[3])
redis.call('PEXPIRE', KEYS[3], ARGV[2])
redis.call('SET', KEYS[2], tok, 'PX', ARGV[1])
return {tok, first[1]}
`)

// unpendScript: KEYS pending; ARGV chat, highest update_id handled. The
// chat leaves the index unless a newer update was added meanwhile.
var unpendScript = redis.NewScript(`
local s = redis.call('ZSCORE', KEYS[1], ARGV[1])
if s and tonumber(s) <= tonumber(ARGV[2]) then redis.call('ZREM', KEYS[1], ARGV[1]) end
return 0
`)

func (a *Adapter) orderKey(kind string, chat int64) string {
	return a.prefix + "tg:" + strconv.FormatInt(a.b.ID(), 10) + ":" + kind + ":{c" + strconv.FormatInt(chat, 10) + "}"
}

func (a *Adapter) pendingKey() string {
	return a.prefix + "tg:" + strconv.FormatInt(a.b.ID(), 10) + ":pending"
}

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

// enqueue puts u on its chat's queue. It returns dup for an update seen
// before, or held=false when another replica holds the chat (it will
// handle u), else the lease to drain with.
func (a *Adapter) enqueueShared(ctx context.Context, chat int64, u *models.Update) (dup bool, h hold, held bool, err error) {
	body, err := json.Marshal(u)
	if err != nil {
		return false, hold{}, false, fmt.Errorf("encode update %d: %w", u.ID, err)
	}
	var res *redis.Cmd
	_, err = a.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		res = enqueueScript.Eval(ctx, p, []string{a.orderKey("seen", chat) + ":" + strconv.FormatInt(u.ID, 10), a.orderKey("q", chat), a.orderKey("lock", chat), a.orderKey("fence", chat)},
			u.ID, body, a.dedupeTTL.Milliseconds(), a.lease.Milliseconds())
		p.ZAddGT(ctx, a.pendingKey(), redis.Z{Score: float64(u.ID), Member: chat})
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

// drainChat handles the chat's queued updates, oldest first, while it holds
// the lease.
func (a *Adapter) drainChat(chat int64, h hold) {
	var last int64
	for h.next != "" {
		member := h.next
		var u models.Update
		if err := json.Unmarshal([]byte(member), &u); err != nil {
			a.log.Error("undecodable update dropped from the chat queue", "chat_id", chat, "err", err)
		} else {
			stop := a.keepLease(chat, h.token)
			a.handleOne(&u)
			stop()
			last = max(last, u.ID)
		}
		// The turn may have taken long (retries, a model): the deadline
		// for the queue's bookkeeping starts now.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		stopping := "0"
		if a.stopping.Load() {
			stopping = "1"
		}
		v, err := doneScript.Run(ctx, a.rdb, []string{a.orderKey("q", chat), a.orderKey("lock", chat)},
			h.token, member, a.lease.Milliseconds(), stopping).Result()
		var code int64
		var nh hold
		if err == nil {
			code, nh, err = parseHold(v)
		}
		switch {
		case err != nil:
			// The lease runs out and a sweeper hands the rest (and maybe
			// this update again) to a replica.
			a.log.Warn("chat queue unavailable; the chat resumes after its lease", "chat_id", chat, "err", err)
			cancel()
			return
		case code == -1:
			a.log.Warn("lost the chat's lease to another replica", "chat_id", chat, "update_id", u.ID)
			cancel()
			return
		case code == 0:
			if stopping == "0" {
				err = unpendScript.Run(ctx, a.rdb, []string{a.pendingKey()}, chat, last).Err()
				if err != nil {
					a.log.Warn("pending index not updated", "chat_id", chat, "err", err)
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
func (a *Adapter) keepLease(chat int64, token string) func() {
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(a.lease / 3)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				ctx, cancel := context.WithTimeout(context.Background(), a.lease/3)
				n, err := renewScript.Run(ctx, a.rdb, []string{a.orderKey("lock", chat)}, token, a.lease.Milliseconds()).Int64()
				cancel()
				if err == nil && n == 0 {
					return
				}
			}
		}
	}()
	return func() { close(done) }
}

// sweep looks for chats with queued updates and no live lease (their
// replica died or shut down) and drains them here, through the chat's
// local queue so that shutdown waits for them.
func (a *Adapter) sweep(ctx context.Context) {
	if a.sweepEvery <= 0 {
		return
	}
	t := time.NewTicker(a.sweepEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		zs, err := a.rdb.ZRangeWithScores(ctx, a.pendingKey(), 0, 199).Result()
		if err != nil {
			if ctx.Err() == nil {
				a.log.Warn("sweep of chat queues failed", "err", err)
			}
			continue
		}
		for _, z := range zs {
			chat, err := strconv.ParseInt(fmt.Sprint(z.Member), 10, 64)
			if err != nil {
				continue
			}
			score := int64(z.Score)
			a.q.push(chat, func() { a.sweepChat(chat, score) })
		}
	}
}

func (a *Adapter) sweepChat(chat, score int64) {
	if a.stopping.Load() {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	v, err := sweepScript.Run(ctx, a.rdb, []string{a.orderKey("q", chat), a.orderKey("lock", chat), a.orderKey("fence", chat)},
		a.lease.Milliseconds(), a.dedupeTTL.Milliseconds()).Result()
	if err != nil {
		return
	}
	code, h, err := parseHold(v)
	switch {
	case err != nil || code == 0:
	case code == -1:
		if err := unpendScript.Run(ctx, a.rdb, []string{a.pendingKey()}, chat, score).Err(); err != nil && !errors.Is(err, context.Canceled) {
			a.log.Warn("pending index not updated", "chat_id", chat, "err", err)
		}
	default:
		a.log.Info("resuming a chat left by another replica", "chat_id", chat)
		a.drainChat(chat, h)
	}
}
