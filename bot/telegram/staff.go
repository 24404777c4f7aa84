package telegram

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/kuaiji/kuaiji"
	"github.com/kuaiji/kuaiji/bot"
	"github.com/kuaiji/kuaiji/bot/handoff"
	"github.com/kuaiji/kuaiji/flows"
	"github.com/kuaiji/kuaiji/privacy"
)

// The staff chat: ticket cards with 认领/关闭, replies relayed to users,
// /close and /tickets. Only KUAIJI_STAFF_USER_IDS may act; anyone else is
// ignored and logged.

func staffName(u *models.User) string {
	name := strings.TrimSpace(u.FirstName + " " + u.LastName)
	if name == "" {
		name = "工作人员 " + strconv.FormatInt(u.ID, 10)
	}
	return name
}

func (a *Adapter) onStaffMessage(ctx context.Context, m *models.Message) {
	text := strings.TrimSpace(m.Text)
	cmd, _ := bot.ParseCommand(text)
	allowed := a.staff[m.From.ID]
	here := where(m)
	here.replyTo = m.ID
	if cmd == "whoami" {
		a.whoami(ctx, here, m)
		return
	}
	if cmd == "tickets" {
		if !allowed {
			a.log.Warn("staff command from unauthorised user ignored", "user_id", m.From.ID, "command", cmd)
			return
		}
		a.listTickets(ctx, here)
		return
	}
	if r := m.ReplyToMessage; r != nil && a.desk != nil && cmd == "" {
		if n, field, ok := a.cardOf(ctx, r.ID); ok {
			a.onDraftReply(ctx, m, n, field, text, here)
			return
		}
	}
	t, ok := a.ticketOf(ctx, m)
	if !ok {
		return
	}
	if !allowed {
		a.log.Warn("message to a ticket from unauthorised user ignored", "ticket", t.ID, "user_id", m.From.ID)
		return
	}
	switch {
	case cmd == "close":
		a.closeTicket(ctx, t, staffName(m.From))
		return
	case cmd != "":
		return
	case text == "":
		a.sendText(ctx, here, "目前只能把文字消息转给用户。", nil)
		return
	case !t.Active():
		a.sendText(ctx, here, "工单 "+t.Ref()+" 已关闭，这条消息没有转给用户。", nil)
		return
	}
	if t.Status == handoff.Open {
		if c, err := a.tickets.Claim(ctx, t.ID, m.From.ID, staffName(m.From)); err == nil {
			t = c
			a.handoffEvent("claimed")
			a.refreshCard(ctx, t)
		}
	}
	if err := a.toUser(ctx, t, "工作人员回复：\n"+text, nil); err != nil {
		a.sendText(ctx, here, "未能送达用户（工单 "+t.Ref()+"），请稍后再试。", nil)
		return
	}
	if err := a.tickets.Link(ctx, a.staffChat, m.ID, t.ID); err != nil {
		a.log.Error("staff message not linked", "ticket", t.ID, "err", err)
	}
	if t.FirstReply.IsZero() {
		a.firstReply(ctx, t)
	}
	if err := a.tickets.AddTurns(ctx, t.ChatID, handoff.Turn{Text: "[工作人员] " + privacy.Cut(text, 300)}); err != nil {
		a.log.Warn("turn not recorded", "ticket", t.ID, "err", err)
	}
	if a.desk != nil {
		if err := a.tickets.AddAnswer(ctx, t.ID, text); err != nil {
			a.log.Warn("staff answer not kept for an FAQ draft", "ticket", t.ID, "err", err)
		}
	}
}

// ticketOf finds the ticket a staff message belongs to: by the message it
// replies to, else by its forum topic.
func (a *Adapter) ticketOf(ctx context.Context, m *models.Message) (handoff.Ticket, bool) {
	if r := m.ReplyToMessage; r != nil {
		if t, err := a.tickets.ByMessage(ctx, a.staffChat, r.ID); err == nil {
			return t, true
		} else if !errors.Is(err, handoff.ErrNotFound) {
			a.log.Error("ticket lookup failed", "err", err)
		}
	}
	if m.IsTopicMessage && m.MessageThreadID != 0 {
		if t, err := a.tickets.ByThread(ctx, a.staffChat, m.MessageThreadID); err == nil {
			return t, true
		}
	}
	return handoff.Ticket{}, false
}

func (a *Adapter) onStaffCallback(ctx context.Context, q *models.CallbackQuery, msg *models.Message, answer func(string)) {
	if strings.HasPrefix(q.Data, dataFAQ) {
		a.onFAQCallback(ctx, q, msg, answer) // faqdesk.go, publishers included
		return
	}
	if !a.staff[q.From.ID] {
		a.log.Warn("staff button pressed by unauthorised user ignored", "user_id", q.From.ID)
		answer("仅限授权的工作人员操作。")
		return
	}
	var id int64
	var claim bool
	switch {
	case strings.HasPrefix(q.Data, dataClaim):
		id, claim = parseID(q.Data[len(dataClaim):]), true
	case strings.HasPrefix(q.Data, dataClose):
		id = parseID(q.Data[len(dataClose):])
	}
	t, err := a.tickets.Get(ctx, id)
	if err != nil {
		answer("找不到这个工单。")
		if msg != nil {
			a.dropKeyboard(ctx, msg.Chat.ID, msg.ID)
		}
		return
	}
	if !claim {
		answer("")
		a.closeTicket(ctx, t, staffName(&q.From))
		return
	}
	c, err := a.tickets.Claim(ctx, id, q.From.ID, staffName(&q.From))
	switch {
	case errors.Is(err, handoff.ErrClaimed):
		answer("已由 " + c.ClaimedByName + " 认领。")
		return
	case errors.Is(err, handoff.ErrClosed):
		answer("工单已关闭。")
		a.refreshCard(ctx, t)
		return
	case err != nil:
		a.log.Error("claim failed", "ticket", id, "err", err)
		answer("操作失败，请重试。")
		return
	}
	if t.Status == handoff.Open {
		a.handoffEvent("claimed")
	}
	answer("已认领工单 " + c.Ref() + "。")
	a.refreshCard(ctx, c)
	if t.Status == handoff.Open {
		a.toUser(ctx, c, "工作人员已接手您的问题（工单 "+c.Ref()+"），请稍候回复。", nil)
	}
}

func parseID(s string) int64 {
	// ParseInt returns the clamped value with a range error; an id that does
	// not fit is no ticket at all.
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0
	}
	return id
}

// closeTicket closes a ticket (by staff or by the user), updates the card,
// and tells both sides. The user is back with the bot and is offered to
// continue an interrupted flow at the same step.
func (a *Adapter) closeTicket(ctx context.Context, t handoff.Ticket, by string) {
	c, err := a.tickets.Close(ctx, t.ID, by)
	if errors.Is(err, handoff.ErrClosed) {
		a.refreshCard(ctx, t)
		return
	}
	if err != nil {
		a.log.Error("close failed", "ticket", t.ID, "err", err)
		a.sendText(ctx, staffTarget(t), "关闭工单 "+t.Ref()+" 失败，请重试。", nil)
		return
	}
	a.log.Info("ticket closed", "ticket", c.ID, "chat_id", c.ChatID)
	a.handoffEvent("closed")
	a.refreshCard(ctx, c)
	note := "工单 " + c.Ref() + " 已关闭，已通知用户。"
	if by == "用户" {
		note = "用户已结束工单 " + c.Ref() + "。"
	}
	a.sendText(ctx, staffTarget(c), note, nil)
	a.offerDraft(ctx, c)
	text := "人工服务已结束（工单 " + c.Ref() + "）。感谢您的耐心！现在由我继续为您服务，您可以直接提问。"
	var rows [][]kuaiji.Button
	if a.describe != nil {
		if st, err := a.describe.Describe(ctx, c.ChatID, c.UserID); err == nil && st.Flow != "" {
			text += "\n\n您之前正在办理「" + st.Flow + "」，可以从中断的地方继续。"
			rows = [][]kuaiji.Button{{{Label: "继续办理", Data: flows.ResumeData("go")}, {Label: "返回菜单", Data: flows.MenuData}}}
		}
	}
	a.toUser(ctx, c, text, rows)
}

// handoffEvent tells the hooks about a ticket event.
func (a *Adapter) handoffEvent(event string) {
	if a.hooks.Handoff != nil {
		a.hooks.Handoff(event)
	}
}

// firstReply notes the first staff reply on the ticket, once across
// replicas, and reports how long the user waited.
func (a *Adapter) firstReply(ctx context.Context, t handoff.Ticket) {
	errSeen := errors.New("already replied")
	now := time.Now()
	c, err := a.tickets.Update(ctx, t.ID, func(x *handoff.Ticket) error {
		if !x.FirstReply.IsZero() {
			return errSeen
		}
		x.FirstReply = now.UTC()
		return nil
	})
	switch {
	case errors.Is(err, errSeen):
	case err != nil:
		a.log.Warn("first reply not noted", "ticket", t.ID, "err", err)
	case a.hooks.FirstStaffReply != nil:
		a.hooks.FirstStaffReply(c.FirstReply.Sub(c.Created))
	}
}

// refreshCard shows a ticket's current status on its card.
func (a *Adapter) refreshCard(ctx context.Context, t handoff.Ticket) {
	if t.CardID == 0 {
		return
	}
	a.editHTML(ctx, t.StaffChatID, t.CardID, cardHTML(t, time.Now()), staffButtons(t))
}

func (a *Adapter) listTickets(ctx context.Context, to target) {
	ts, err := a.tickets.ListOpen(ctx)
	if err != nil {
		a.log.Error("list tickets failed", "err", err)
		a.sendText(ctx, to, "暂时无法读取工单列表，请稍后再试。", nil)
		return
	}
	if len(ts) == 0 {
		a.sendText(ctx, to, "目前没有未关闭的工单。", nil)
		return
	}
	lines := []string{"未关闭的工单（" + strconv.Itoa(len(ts)) + "）："}
	now := time.Now()
	for _, t := range ts {
		lines = append(lines, t.Summary(now))
	}
	a.sendText(ctx, to, strings.Join(lines, "\n"), nil)
}
