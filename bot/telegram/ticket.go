package telegram

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/kuaiji/kuaiji"
	"github.com/kuaiji/kuaiji/bot"
	"github.com/kuaiji/kuaiji/bot/handoff"
	"github.com/kuaiji/kuaiji/privacy"
)

// What users read about the hand-off.
const (
	noStaffText    = bot.NoStaffText
	ticketFailText = bot.TicketFailText
	relayFailText  = bot.RelayFailText
)

func openedText(t handoff.Ticket) string {
	return "已为您转接人工服务（工单 " + t.Ref() + "）。工作人员看到后会在这里回复您，请稍候。\n" +
		"在此期间，您发送的文字消息会直接转给工作人员；如需结束人工服务，请发送 /cancel。"
}

func inProgressText(t handoff.Ticket) string {
	return "您的人工服务请求（工单 " + t.Ref() + "）正在处理中，请稍候；您可以直接发送文字消息给工作人员，发送 /cancel 可结束人工服务。"
}

var shanghai = time.FixedZone("CST", 8*3600)

// displayName is how staff see a user: name and @username, masked.
func displayName(u *models.User) string {
	name := strings.TrimSpace(u.FirstName + " " + u.LastName)
	if u.Username != "" {
		name += " @" + u.Username
	}
	if name == "" {
		name = "用户"
	}
	return privacy.Mask(name)
}

// openTicket hands the chat to a person: a ticket in Redis, a card in the
// staff chat (in its own topic when the chat is a forum), and a word to
// the user. Without a staff chat the user learns whom to contact.
func (a *Adapter) openTicket(ctx context.Context, to target, from *models.User, why string) {
	if a.staffChat == 0 {
		a.sendText(ctx, to, noStaffText, nil)
		a.remember(ctx, to.chat, "/human", []kuaiji.Reply{{Text: noStaffText}})
		return
	}
	t := handoff.Ticket{ChatID: to.chat, UserID: from.ID, UserName: displayName(from)}
	var err error
	if t.Turns, err = a.tickets.Turns(ctx, to.chat); err != nil {
		a.log.Warn("turns unavailable for ticket", "chat_id", to.chat, "err", err)
	}
	if t.Sources, err = a.tickets.Sources(ctx, to.chat); err != nil {
		a.log.Warn("sources unavailable for ticket", "chat_id", to.chat, "err", err)
	}
	// The card, its topic and the links are the same for every channel
	// (channel.go).
	t, err = a.OpenTicket(ctx, t, why)
	if errors.Is(err, handoff.ErrOpen) {
		a.sendText(ctx, to, inProgressText(t), nil)
		return
	}
	if err != nil {
		a.log.Error("ticket not opened", "chat_id", to.chat, "err", err)
		a.sendText(ctx, to, ticketFailText, nil)
		return
	}
	a.sendText(ctx, to, openedText(t), nil)
}

// userDuringTicket relays what the user writes while a person has the
// chat; /cancel ends the hand-off.
func (a *Adapter) userDuringTicket(ctx context.Context, t handoff.Ticket, to target, m *models.Message, text string) {
	if text == "" {
		a.sendText(ctx, to, strings.Replace(nonText(m), "请用文字描述您的问题；如需人工帮助，可以发送 /human。", "请用文字描述，我会转给工作人员。", 1), nil)
		return
	}
	switch cmd, _ := bot.ParseCommand(text); cmd {
	case "cancel":
		a.closeTicket(ctx, t, "用户")
		return
	case "human", "start":
		a.sendText(ctx, to, inProgressText(t), nil)
		return
	case "forget":
		// Clearing one's data ends the hand-off; the text is not relayed.
		a.closeTicket(ctx, t, "用户")
		a.converse(ctx, to, bot.Message{ChatID: m.Chat.ID, UserID: m.From.ID, Text: text}, text)
		return
	}
	if err := a.Relay(ctx, t, text); err != nil {
		a.log.Error("message not relayed to staff", "ticket", t.ID, "err", a.redact(err))
		a.sendText(ctx, to, relayFailText, nil)
		return
	}
}

// staffTarget is where messages about a ticket go: its topic, or a reply
// to its card.
func staffTarget(t handoff.Ticket) target {
	if t.ThreadID != 0 {
		return target{chat: t.StaffChatID, thread: t.ThreadID}
	}
	return target{chat: t.StaffChatID, replyTo: t.CardID}
}

func staffButtons(t handoff.Ticket) [][]kuaiji.Button {
	id := strconv.FormatInt(t.ID, 10)
	switch t.Status {
	case handoff.Open:
		return [][]kuaiji.Button{{{Label: "认领", Data: dataClaim + id}, {Label: "关闭", Data: dataClose + id}}}
	case handoff.Claimed:
		return [][]kuaiji.Button{{{Label: "关闭", Data: dataClose + id}}}
	}
	return nil
}

// cardHTML is the ticket card staff see; user and document text is
// escaped, and the card stays well under the length limit.
func cardHTML(t handoff.Ticket, now time.Time) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<b>工单 %s</b> · %s\n", t.Ref(), t.Status.Label())
	if t.UserID != 0 {
		fmt.Fprintf(&b, "用户：%s（ID %d）\n", escape(t.UserName), t.UserID)
	} else { // the user sent /forget
		fmt.Fprintf(&b, "用户：%s\n", escape(t.UserName))
	}
	if t.Jurisdiction != "" {
		fmt.Fprintf(&b, "地区：%s\n", escape(t.Jurisdiction))
	}
	fmt.Fprintf(&b, "原因：%s\n", escape(t.Reason))
	b.WriteString(channelLine(t))
	fmt.Fprintf(&b, "时间：%s\n", t.Created.In(shanghai).Format("2006-01-02 15:04"))
	switch t.Status {
	case handoff.Claimed:
		fmt.Fprintf(&b, "认领：%s\n", escape(t.ClaimedByName))
	case handoff.Closed:
		fmt.Fprintf(&b, "关闭：%s（%s）\n", escape(t.ClosedBy), t.Closed.In(shanghai).Format("01-02 15:04"))
	}
	if t.Flow != "" {
		b.WriteString("\n<b>流程</b>\n" + escape(privacy.Cut(t.Flow, 600)) + "\n")
	}
	if len(t.Sources) > 0 {
		b.WriteString("\n<b>已引用的资料</b>\n")
		for _, s := range t.Sources {
			b.WriteString("- " + escape(privacy.Cut(s, 80)) + "\n")
		}
	}
	if len(t.Turns) > 0 {
		b.WriteString("\n<b>最近对话</b>\n")
		for _, turn := range t.Turns {
			who := "机器人"
			if turn.User {
				who = "用户"
			}
			b.WriteString(who + "：" + escape(privacy.Cut(turn.Text, 160)) + "\n")
		}
	}
	if t.Active() {
		b.WriteString("\n回复本消息即可回复用户；回复 /close 或点“关闭”结束工单。")
	}
	return b.String()
}
