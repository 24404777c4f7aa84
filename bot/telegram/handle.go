package telegram

import (
	"context"
	"errors"
	"strings"

	"github.com/go-telegram/bot/models"

	"github.com/kuaiji/kuaiji"
	"github.com/kuaiji/kuaiji/bot"
	"github.com/kuaiji/kuaiji/bot/handoff"
	"github.com/kuaiji/kuaiji/privacy"
)

// What users read that the router does not write.
const (
	imageText = "抱歉，目前还不能识别或核对图片，我们也不会下载或保存您发送的图片。请用文字描述您的问题；如需人工帮助，可以发送 /human。"
	fileText  = "抱歉，目前只能处理文字消息，您发送的文件不会被下载或保存。请用文字描述您的问题。"
	otherText = "抱歉，目前只能处理文字消息，请用文字描述您的问题。"
	busyText  = "抱歉，系统繁忙，请稍后再试。"
	staleText = "菜单已过期，已为您显示当前步骤。"
	// forgetFailText follows the router's reply when the hand-off records
	// could not be deleted.
	forgetFailText = "抱歉，部分人工服务记录暂时未能删除，请稍后再发送一次 /forget。"
)

func (a *Adapter) handle(ctx context.Context, u *models.Update) {
	switch {
	case u.Message != nil:
		a.onMessage(ctx, u.Message)
	case u.CallbackQuery != nil:
		a.onCallback(ctx, u.CallbackQuery)
	}
}

func isGroup(c models.Chat) bool {
	return c.Type == models.ChatTypeGroup || c.Type == models.ChatTypeSupergroup
}

// where is the reply target for a message: its chat and forum topic.
func where(m *models.Message) target {
	t := target{chat: m.Chat.ID}
	if m.IsTopicMessage {
		t.thread = m.MessageThreadID
	}
	return t
}

func (a *Adapter) onMessage(ctx context.Context, m *models.Message) {
	if m.From == nil || m.From.IsBot {
		return
	}
	if a.staffChat != 0 && m.Chat.ID == a.staffChat {
		a.onStaffMessage(ctx, m)
		return
	}
	text := strings.TrimSpace(m.Text)
	if isGroup(m.Chat) {
		var ok bool
		if text, ok = a.addressed(m); !ok {
			return
		}
	}
	to := where(m)
	if t, err := a.tickets.ForChat(ctx, m.Chat.ID); err == nil {
		a.userDuringTicket(ctx, t, to, m, text)
		return
	} else if !errors.Is(err, handoff.ErrNotFound) {
		a.log.Warn("ticket lookup failed; the bot answers", "chat_id", m.Chat.ID, "err", err)
	}
	if text == "" {
		if a.checkUpload(ctx, to, m) { // photo.go
			return
		}
		a.sendText(ctx, to, nonText(m), nil)
		return
	}
	if why, ok := bot.AsksForPerson(bot.Message{Text: text}); ok {
		a.openTicket(ctx, to, m.From, why)
		return
	}
	if cmd, arg := bot.ParseCommand(text); cmd == "start" {
		switch {
		case arg == "ask":
			a.sendText(ctx, to, bot.AskPrompt, nil)
			return
		case a.router.Surface().Links[arg] != "":
			// t.me/<bot>?start=transfer runs /transfer.
			text = a.router.Surface().Links[arg]
		default:
			a.start(ctx, to, m.From)
			return
		}
	}
	if prompt, tok := a.reasonReply(m); tok != "" && !strings.HasPrefix(text, "/") {
		a.rateByReply(ctx, to, m, prompt, tok, text) // rate.go
		return
	}
	a.converse(ctx, to, bot.Message{ChatID: m.Chat.ID, UserID: m.From.ID, Text: text}, text)
}

// start greets with the menu, or lets the engine offer to resume a flow.
func (a *Adapter) start(ctx context.Context, to target, from *models.User) {
	rs, err := a.router.Handle(ctx, bot.Message{ChatID: to.chat, UserID: from.ID, Text: "/start"})
	if err != nil {
		a.log.Error("router failed", "chat_id", to.chat, "err", err)
		rs = nil
	}
	// The engine's welcome menu lists the flows; Telegram's keyboard sets
	// them two to a row, with 政策问答 and 转人工.
	if n := len(rs); n == 0 || bot.IsMenu(rs[n-1]) {
		rs = append(rs[:max(0, n-1):max(0, n-1)], kuaiji.Reply{Text: bot.Greeting, Buttons: bot.Menu(a.router.Surface())})
	}
	a.deliver(ctx, to, rs)
	a.remember(ctx, to.chat, "/start", rs)
}

// converse passes a message to the router and delivers the replies.
func (a *Adapter) converse(ctx context.Context, to target, msg bot.Message, said string) []kuaiji.Reply {
	var d *drafter
	if msg.Callback == "" && !strings.HasPrefix(msg.Text, "/") {
		a.typing(ctx, to)
		msg, d = a.withDraft(ctx, to, msg)
	}
	rs, err := a.router.Handle(ctx, msg)
	if err != nil {
		a.log.Error("router failed", "chat_id", msg.ChatID, "err", err)
		rs = []kuaiji.Reply{{Text: busyText}}
	}
	if d != nil {
		d.finish(ctx)
	}
	if cmd, _ := bot.ParseCommand(said); cmd == "forget" {
		// Deleted before the user reads that it is.
		a.forget(ctx, to.chat)
		a.deliver(ctx, to, rs)
		return rs
	}
	a.deliver(ctx, to, rs)
	a.remember(ctx, to.chat, said, rs)
	return rs
}

// forget deletes what the adapter keeps of a chat after the router's
// /forget: the turns and sources a ticket would show, and the user's data
// in its tickets, whose cards are redrawn without it.
func (a *Adapter) forget(ctx context.Context, chat int64) {
	changed, err := a.tickets.Forget(ctx, chat)
	if err != nil {
		a.log.Error("forget: ticket data not deleted", "chat_id", chat, "err", err)
		a.sendText(ctx, target{chat: chat}, forgetFailText, nil)
	}
	ids := make([]int64, len(changed))
	for i, t := range changed {
		a.refreshCard(ctx, t)
		ids[i] = t.ID
	}
	// Drafts made from the user's tickets go too; published entries keep
	// no link to them and stay.
	if a.desk != nil && len(ids) > 0 {
		if _, err := a.desk.ForgetTickets(ctx, ids); err != nil {
			a.log.Error("forget: FAQ drafts not deleted", "chat_id", chat, "err", err)
			a.sendText(ctx, target{chat: chat}, forgetFailText, nil)
		}
	}
}

// deliver sends replies in order. A document that cannot be sent arrives
// as text, so nothing the user should get is dropped.
func (a *Adapter) deliver(ctx context.Context, to target, rs []kuaiji.Reply) {
	for _, r := range rs {
		text := plain(r)
		if d := r.Document; d != nil {
			if err := a.sendDocument(ctx, to, d, text); err != nil {
				text += "\n\n抱歉，文件发送失败，以下是文件内容：\n\n" + string(d.Data)
			} else if length(text) <= 1024 {
				text = ""
			}
		}
		if text == "" && len(r.Buttons) == 0 && !r.Handoff {
			continue
		}
		a.sendText(ctx, to, text, bot.ReplyButtons(r))
	}
}

// remember keeps the exchange (masked) and the cited sources for a
// possible ticket. Failures only make a later ticket card poorer.
func (a *Adapter) remember(ctx context.Context, chat int64, said string, rs []kuaiji.Reply) {
	turns := []handoff.Turn{{User: true, Text: privacy.Cut(said, 300)}}
	var titles []string
	for _, r := range rs {
		if r.Text != "" {
			turns = append(turns, handoff.Turn{Text: privacy.Cut(r.Text, 300)})
		}
		for _, s := range r.Sources {
			titles = append(titles, s.Title)
		}
	}
	if err := a.tickets.Record(ctx, chat, turns, titles); err != nil {
		a.log.Warn("turns not recorded", "chat_id", chat, "err", err)
	}
}

// nonText is the reply to a photo, file or sticker.
func nonText(m *models.Message) string {
	switch {
	case len(m.Photo) > 0:
		return imageText
	case m.Document != nil:
		if strings.HasPrefix(m.Document.MimeType, "image/") {
			return imageText
		}
		return fileText
	}
	return otherText
}

// addressed reports whether a group message is for the bot (a command
// without another bot's @name, a mention, or a reply to the bot) and
// returns its text without the mention.
func (a *Adapter) addressed(m *models.Message) (string, bool) {
	text := strings.TrimSpace(m.Text)
	if text == "" {
		return "", false
	}
	at := "@" + a.me.Username
	if strings.HasPrefix(text, "/") {
		first, _, _ := strings.Cut(text, " ")
		if i := strings.IndexByte(first, '@'); i >= 0 && !strings.EqualFold(first[i:], at) {
			return "", false
		}
		return text, true
	}
	if a.me.Username != "" {
		if i := strings.Index(strings.ToLower(text), strings.ToLower(at)); i >= 0 {
			return strings.TrimSpace(text[:i] + text[i+len(at):]), true
		}
	}
	if r := m.ReplyToMessage; r != nil && r.From != nil && r.From.ID == a.me.ID {
		return text, true
	}
	return "", false
}

// onCallback handles a button press. Every press is answered
// (answerCallbackQuery), at most once.
func (a *Adapter) onCallback(ctx context.Context, q *models.CallbackQuery) {
	answered := false
	answer := func(text string) {
		if !answered {
			answered = true
			a.answerCallback(ctx, q.ID, text)
		}
	}
	defer answer("")
	msg := q.Message.Message
	to := target{chat: q.From.ID}
	if msg != nil {
		to = where(msg)
	} else if im := q.Message.InaccessibleMessage; im != nil && im.Chat.ID != 0 {
		to.chat = im.Chat.ID
	}
	if a.staffChat != 0 && to.chat == a.staffChat {
		a.onStaffCallback(ctx, q, msg, answer)
		return
	}
	data := q.Data
	if data == "" || strings.HasPrefix(data, "tk|") {
		answer("这个按钮已失效。")
		return
	}
	if strings.HasPrefix(data, bot.DataRate) { // rate.go; an open ticket does not stop a rating
		a.onRate(ctx, q, msg, to, answer)
		return
	}
	if t, err := a.tickets.ForChat(ctx, to.chat); err == nil {
		answer("人工服务进行中（工单 " + t.Ref() + "），请直接发送文字消息。")
		return
	}
	chosen := label(msg, data)
	switch {
	case data == dataAsk:
		answer("")
		a.markChosen(ctx, msg, chosen)
		a.sendText(ctx, to, bot.AskPrompt, nil)
		a.remember(ctx, to.chat, "[按钮] "+chosen, []kuaiji.Reply{{Text: bot.AskPrompt}})
	case isHuman(data):
		why, _ := bot.AsksForPerson(bot.Message{Callback: data})
		answer("")
		a.markChosen(ctx, msg, chosen)
		a.openTicket(ctx, to, &q.From, why)
	default:
		rs, err := a.router.Handle(ctx, bot.Message{ChatID: to.chat, UserID: q.From.ID, Callback: data})
		if err != nil {
			a.log.Error("router failed", "chat_id", to.chat, "err", err)
			rs = []kuaiji.Reply{{Text: busyText}}
		}
		if stale(rs) {
			answer(staleText)
			if msg != nil {
				a.dropKeyboard(ctx, to.chat, msg.ID)
			}
		} else {
			answer("")
			a.markChosen(ctx, msg, chosen)
		}
		a.deliver(ctx, to, rs)
		a.remember(ctx, to.chat, "[按钮] "+chosen, rs)
	}
}

// markChosen edits the pressed message in place: its keyboard goes and
// the choice is shown under the question.
func (a *Adapter) markChosen(ctx context.Context, msg *models.Message, chosen string) {
	if msg == nil {
		return
	}
	if chosen == "" || msg.Text == "" {
		a.dropKeyboard(ctx, msg.Chat.ID, msg.ID)
		return
	}
	a.editText(ctx, msg.Chat.ID, msg.ID, msg.Text+"\n\n✅ "+chosen, nil)
}

// isHuman reports whether data is a 转人工 or 人工服务 button.
func isHuman(data string) bool {
	_, ok := bot.AsksForPerson(bot.Message{Callback: data})
	return ok
}
