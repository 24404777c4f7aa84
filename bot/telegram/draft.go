package telegram

import (
	"context"
	"math"
	"math/rand/v2"
	"strconv"
	"sync"
	"time"

	tg "github.com/go-telegram/bot"

	"github.com/kuaiji/kuaiji/bot"
)

// drafter shows an answer while a model writes it: with sendMessageDraft
// where the Bot API has it (private chats), otherwise with a placeholder
// message edited at most once per interval. The final answer, with its
// sources, is sent as a normal message after [drafter.finish] removed the
// placeholder, so the chat ends with one message per answer.
type drafter struct {
	a        *Adapter
	to       target
	id       string
	interval time.Duration

	mu      sync.Mutex
	last    time.Time
	useEdit bool
	msgID   int
	off     bool
}

func (a *Adapter) newDrafter(to target) *drafter {
	// The Bot API takes a non-zero integer as draft_id (the library's
	// field is a string): a random positive 31-bit one.
	id := strconv.FormatInt(int64(rand.Int32N(math.MaxInt32)+1), 10)
	return &drafter{a: a, to: to, id: id, interval: a.draftEvery, useEdit: to.thread != 0 || to.chat < 0}
}

// show is called with the text written so far. Updates closer than the
// interval are skipped: the next one, or the final message, carries them.
func (d *drafter) show(ctx context.Context, text string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.off || time.Since(d.last) < d.interval || text == "" {
		return
	}
	d.last = time.Now()
	text = truncate(text+" …", MaxText)
	if !d.useEdit {
		_, err := d.a.b.SendMessageDraft(ctx, &tg.SendMessageDraftParams{ChatID: d.to.chat, MessageThreadID: d.to.thread, DraftID: d.id, Text: text})
		if err == nil {
			return
		}
		// An older Bot API server without drafts: edit a message instead.
		d.a.log.Debug("sendMessageDraft failed; streaming by edits", "chat_id", d.to.chat, "err", d.a.redact(err))
		d.useEdit = true
	}
	if d.msgID == 0 {
		m, err := d.a.sendText(ctx, d.to, text, nil)
		if err != nil || m == nil {
			d.off = true
			return
		}
		d.msgID = m.ID
		return
	}
	if err := d.a.editText(ctx, d.to.chat, d.msgID, text, nil); err != nil {
		d.off = true
	}
}

// finish removes the placeholder, if any, before the final message.
func (d *drafter) finish(ctx context.Context) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.off = true
	if d.msgID == 0 {
		return
	}
	if _, err := d.a.b.DeleteMessage(ctx, &tg.DeleteMessageParams{ChatID: d.to.chat, MessageID: d.msgID}); err != nil {
		d.a.log.Warn("could not delete the draft message", "chat_id", d.to.chat, "err", d.a.redact(err))
	}
}

// withDraft lets the router stream the answer to msg into a drafter.
func (a *Adapter) withDraft(ctx context.Context, to target, msg bot.Message) (bot.Message, *drafter) {
	d := a.newDrafter(to)
	msg.Draft = func(text string) { d.show(ctx, text) }
	return msg, d
}

// truncate keeps at most n characters (UTF-16 units, as Telegram counts).
func truncate(s string, n int) string {
	if length(s) <= n {
		return s
	}
	r := []rune(s)
	for length(string(r)) > n {
		r = r[:len(r)-len(r)/10-1]
	}
	return string(r)
}
