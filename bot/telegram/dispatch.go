package telegram

import (
	"context"
	"fmt"
	"runtime/debug"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// The library hands updates over one at a time (WithNotAsyncHandlers, an
// unbuffered channel), in the order received. enqueue puts each on its
// chat's queue (bot/telegram/chatqueue) and returns at once: chats run in
// parallel, each chat's updates once and in order across replicas, and
// shutdown can wait for all of them.

// enqueue is the library's default handler.
func (a *Adapter) enqueue(_ context.Context, _ *tg.Bot, u *models.Update) {
	a.queue.Push(chatKey(u), u)
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
