package telegram

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// The library hands updates over one at a time (WithNotAsyncHandlers, an
// unbuffered channel), in the order received. enqueue puts each on its
// chat's queue and returns at once: chats run in parallel, each chat's
// updates in order, and shutdown can wait for all of them.

// enqueue is the library's default handler.
func (a *Adapter) enqueue(_ context.Context, _ *tg.Bot, u *models.Update) {
	a.q.push(chatKey(u), func() { a.process(u) })
}

// chatKey is the chat whose order an update belongs to.
func chatKey(u *models.Update) int64 {
	switch {
	case u.Message != nil:
		return u.Message.Chat.ID
	case u.CallbackQuery != nil:
		if m := u.CallbackQuery.Message.Message; m != nil {
			return m.Chat.ID
		}
		if m := u.CallbackQuery.Message.InaccessibleMessage; m != nil && m.Chat.ID != 0 {
			return m.Chat.ID
		}
		return u.CallbackQuery.From.ID
	}
	return 0
}

// accept takes an update from the webhook: it is queued in Redis before
// the request is answered, and drained here if this replica now holds the
// chat.
func (a *Adapter) accept(ctx context.Context, u *models.Update) {
	chat := chatKey(u)
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	dup, h, held, err := a.enqueueShared(ctx, chat, u)
	cancel()
	switch {
	case err != nil:
		a.log.Warn("dedupe unavailable; handling update anyway", "update_id", u.ID, "chat_id", chat, "err", err)
		a.q.push(chat, func() { a.handleOne(u) })
	case dup:
		a.count("duplicate")
		a.log.Info("duplicate update skipped", "update_id", u.ID, "chat_id", chat)
	case held:
		a.q.push(chat, func() { a.drainChat(chat, h) })
	}
}

// process handles one update once and in order with the chat's other
// updates, across replicas (order.go). When Redis cannot order it, it is
// handled here at once: better a rare double answer than a lost one.
func (a *Adapter) process(u *models.Update) {
	chat := chatKey(u)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	dup, h, held, err := a.enqueueShared(ctx, chat, u)
	cancel()
	switch {
	case err != nil:
		a.log.Warn("dedupe unavailable; handling update anyway", "update_id", u.ID, "chat_id", chat, "err", err)
		a.handleOne(u)
	case dup:
		a.count("duplicate")
		a.log.Info("duplicate update skipped", "update_id", u.ID, "chat_id", chat)
	case held:
		a.drainChat(chat, h)
	}
}

// handleOne handles one update with its own deadline that shutdown does
// not cut, and with a panic contained to this update.
func (a *Adapter) handleOne(u *models.Update) {
	ctx, cancel := context.WithTimeout(context.Background(), a.turnTimeout)
	defer cancel()
	defer func() {
		if p := recover(); p != nil {
			a.log.Error("panic while handling update", "update_id", u.ID, "chat_id", chatKey(u),
				"err", fmt.Sprint(p), "stack", string(debug.Stack()))
		}
	}()
	kind, start := a.kind(u), time.Now()
	a.count(kind)
	a.handle(ctx, u)
	a.log.Info("update handled", "update_id", u.ID, "chat_id", chatKey(u), "kind", kind, "ms", time.Since(start).Milliseconds())
}

// queue runs functions in order per chat, chats in parallel.
type queue struct {
	mu    sync.Mutex
	chats map[int64][]func()
	wg    sync.WaitGroup
}

func newQueue() *queue { return &queue{chats: map[int64][]func(){}} }

func (q *queue) push(chat int64, f func()) {
	q.mu.Lock()
	defer q.mu.Unlock()
	pending, running := q.chats[chat]
	q.chats[chat] = append(pending, f)
	if !running {
		q.wg.Add(1)
		go q.run(chat)
	}
}

func (q *queue) run(chat int64) {
	defer q.wg.Done()
	for {
		q.mu.Lock()
		fs := q.chats[chat]
		if len(fs) == 0 {
			delete(q.chats, chat)
			q.mu.Unlock()
			return
		}
		f := fs[0]
		fs[0] = nil
		q.chats[chat] = fs[1:]
		q.mu.Unlock()
		f()
	}
}

// wait waits up to d for every queued function to finish.
func (q *queue) wait(d time.Duration) bool {
	done := make(chan struct{})
	go func() { q.wg.Wait(); close(done) }()
	select {
	case <-done:
		return true
	case <-time.After(d):
		return false
	}
}
