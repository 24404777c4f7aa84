package telegram

import (
	"context"
	"strings"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/kuaiji/kuaiji"
	"github.com/kuaiji/kuaiji/bot"
)

// Rating an answer on Telegram (the router decides, see bot/rate.go): a
// tap on 👍 / 👎 edits that keyboard in place to a thank-you and shows the
// router's acknowledgement as the button's toast; a 👎 gets the reason
// prompt as a reply to the answer; a picked reason is marked on the
// prompt as other choices are. A text sent as a reply to the prompt is its
// reason, as is the next text after 其他.

// onRate handles a press of a rating button, on an answer or a prompt.
func (a *Adapter) onRate(ctx context.Context, q *models.CallbackQuery, msg *models.Message, to target, answer func(string)) {
	rs, err := a.router.Handle(ctx, bot.Message{ChatID: to.chat, UserID: q.From.ID, Callback: q.Data})
	if err != nil {
		a.log.Error("router failed", "chat_id", to.chat, "err", err)
		rs = []kuaiji.Reply{{Text: bot.RateFailText, Notice: true}}
	}
	var notes []string
	var rest []kuaiji.Reply
	for _, r := range rs {
		if r.Notice {
			notes = append(notes, r.Text)
		} else {
			rest = append(rest, r)
		}
	}
	answer(strings.Join(notes, " "))
	if msg != nil {
		tok, what, _ := bot.ParseRate(q.Data)
		switch {
		case stale(rs):
			a.editKeyboard(ctx, msg.Chat.ID, msg.ID, replaceRating(msg.ReplyMarkup, tok, nil))
		case what == "done":
		case what == "up" || what == "down":
			done := q.Data
			if rs[0].Text == bot.RatedBeforeText { // rated by a twin tap, maybe the other way
				done = bot.DataRate + tok + "|done"
			}
			a.editKeyboard(ctx, msg.Chat.ID, msg.ID, replaceRating(msg.ReplyMarkup, tok, bot.RatedButtons(done)))
		default: // a reason, on the prompt
			a.markChosen(ctx, msg, label(msg, q.Data))
		}
		to.replyTo = msg.ID
	}
	a.deliver(ctx, to, rest)
}

// reasonReply returns the token of the reason prompt m replies to, "" if
// it replies to none (or one whose reason is given).
func (a *Adapter) reasonReply(m *models.Message) (*models.Message, string) {
	p := m.ReplyToMessage
	if p == nil || p.From == nil || p.From.ID != a.me.ID || p.ReplyMarkup == nil {
		return nil, ""
	}
	for _, row := range p.ReplyMarkup.InlineKeyboard {
		for _, b := range row {
			if tok, what, ok := bot.ParseRate(b.CallbackData); ok && what == bot.Reasons[0].Code {
				return p, tok
			}
		}
	}
	return nil, ""
}

// rateByReply takes a text sent as a reply to the reason prompt as the
// reason: it goes to the router as the 其他 button with the text.
func (a *Adapter) rateByReply(ctx context.Context, to target, m *models.Message, prompt *models.Message, tok, text string) {
	rs, err := a.router.Handle(ctx, bot.Message{ChatID: m.Chat.ID, UserID: m.From.ID,
		Callback: bot.DataRate + tok + "|other", Text: text})
	if err != nil {
		a.log.Error("router failed", "chat_id", m.Chat.ID, "err", err)
		rs = []kuaiji.Reply{{Text: bot.RateFailText}}
	}
	a.markChosen(ctx, prompt, "其他")
	to.replyTo = m.ID
	a.deliver(ctx, to, rs)
}

// replaceRating is a keyboard with the row of token's rating buttons
// replaced by with (dropped when with is nil), other rows kept.
func replaceRating(kb *models.InlineKeyboardMarkup, token string, with []kuaiji.Button) [][]kuaiji.Button {
	if kb == nil {
		return nil
	}
	var rows [][]kuaiji.Button
	for _, row := range kb.InlineKeyboard {
		var out []kuaiji.Button
		ours := false
		for _, b := range row {
			if tok, _, ok := bot.ParseRate(b.CallbackData); ok && tok == token {
				ours = true
			}
			out = append(out, kuaiji.Button{Label: b.Text, Data: b.CallbackData})
		}
		switch {
		case !ours:
			rows = append(rows, out)
		case with != nil:
			rows = append(rows, with)
		}
	}
	return rows
}

// editKeyboard replaces a message's inline keyboard (none for no rows).
func (a *Adapter) editKeyboard(ctx context.Context, chat int64, id int, rows [][]kuaiji.Button) error {
	params := &tg.EditMessageReplyMarkupParams{ChatID: chat, MessageID: id}
	if kb := a.keyboard(rows); kb != nil {
		params.ReplyMarkup = kb
	}
	return a.edit(ctx, chat, func(ctx context.Context) error {
		_, err := a.b.EditMessageReplyMarkup(ctx, params)
		return err
	})
}
