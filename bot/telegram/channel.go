package telegram

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	tg "github.com/go-telegram/bot"

	"github.com/kuaiji/kuaiji"
	"github.com/kuaiji/kuaiji/bot/handoff"
	"github.com/kuaiji/kuaiji/privacy"
)

// Tickets of users on other channels (the web chat): the staff side is the
// same card, relay and /close as for Telegram users; only what reaches the
// user goes through the ticket's channel instead of a Telegram message.

// Channel delivers staff messages to the users of another channel;
// *web.Server implements it.
type Channel interface {
	DeliverTicket(ctx context.Context, t handoff.Ticket, text string, rows [][]kuaiji.Button) error
}

// WithChannel sets how tickets whose Channel is name reach their user.
func WithChannel(name string, c Channel) Option {
	return func(a *Adapter) {
		if a.channels == nil {
			a.channels = map[string]Channel{}
		}
		a.channels[name] = c
	}
}

// Tickets is the store the adapter keeps tickets in.
func (a *Adapter) Tickets() *handoff.Store { return a.tickets }

// toUser sends a ticket's user a message on the user's channel.
func (a *Adapter) toUser(ctx context.Context, t handoff.Ticket, text string, rows [][]kuaiji.Button) error {
	if t.Channel == "" {
		_, err := a.sendText(ctx, target{chat: t.ChatID}, text, rows)
		return err
	}
	c := a.channels[t.Channel]
	if c == nil {
		return fmt.Errorf("ticket %d: no channel %q configured", t.ID, t.Channel)
	}
	if err := c.DeliverTicket(ctx, t, text, rows); err != nil {
		return fmt.Errorf("deliver to %s user of ticket %d: %w", t.Channel, t.ID, err)
	}
	return nil
}

// OpenTicket opens a ticket for a user of another channel and posts its
// card to the staff chat, as a Telegram user's /human does; why is one of
// the reasons 转人工 buttons carry. It returns [handoff.ErrOpen] with the
// chat's ticket when one is already open, and an error when there is no
// staff chat or the card could not be posted (the ticket is closed then).
func (a *Adapter) OpenTicket(ctx context.Context, t handoff.Ticket, why string) (handoff.Ticket, error) {
	if a.staffChat == 0 {
		return handoff.Ticket{}, errors.New("open ticket: no staff chat configured")
	}
	reason, ok := reasons[why]
	if !ok {
		reason = reasons[""]
	}
	t.Reason, t.UserName = reason, privacy.Mask(t.UserName)
	if a.describe != nil {
		if st, err := a.describe.Describe(ctx, t.ChatID, t.UserID); err != nil {
			a.log.Warn("flow state unavailable for ticket", "chat_id", t.ChatID, "err", err)
		} else {
			t.Flow, t.Jurisdiction = st.String(), st.Jurisdiction
		}
	}
	t, err := a.tickets.Open(ctx, t)
	if err != nil {
		return t, err
	}
	staff := target{chat: a.staffChat}
	if a.staffForum {
		err := a.out.do(ctx, "createForumTopic", a.staffChat, func(ctx context.Context) error {
			topic, err := a.b.CreateForumTopic(ctx, &tg.CreateForumTopicParams{ChatID: a.staffChat, Name: privacy.Cut("工单 "+t.Ref()+" · "+t.UserName, 120)})
			if err == nil {
				staff.thread = topic.MessageThreadID
			}
			return err
		})
		if err != nil {
			a.log.Warn("forum topic not created; card goes to the main chat", "ticket", t.ID, "err", a.redact(err))
		} else if err := a.tickets.LinkThread(ctx, a.staffChat, staff.thread, t.ID); err != nil {
			a.log.Error("topic not linked to ticket", "ticket", t.ID, "err", err)
		}
	}
	card, err := a.sendHTMLParts(ctx, staff, []string{cardHTML(t, time.Now())}, staffButtons(t))
	if err != nil || card == nil {
		a.tickets.Close(ctx, t.ID, "系统（未能通知工作人员）")
		return handoff.Ticket{}, fmt.Errorf("post card of ticket %d: %w", t.ID, err)
	}
	if err := a.tickets.Link(ctx, a.staffChat, card.ID, t.ID); err != nil {
		a.log.Error("card not linked to ticket", "ticket", t.ID, "err", err)
	}
	if c, err := a.tickets.Update(ctx, t.ID, func(x *handoff.Ticket) error {
		x.StaffChatID, x.ThreadID, x.CardID = a.staffChat, staff.thread, card.ID
		return nil
	}); err != nil {
		a.log.Error("ticket card not saved", "ticket", t.ID, "err", err)
	} else {
		t = c
	}
	a.log.Info("ticket opened", "ticket", t.ID, "chat_id", t.ChatID, "channel", t.Channel, "reason", why)
	a.handoffEvent("opened")
	return t, nil
}

// Relay passes a message from a ticket's user, on any channel, to the
// staff handling it, masked, and records it for the ticket's card.
func (a *Adapter) Relay(ctx context.Context, t handoff.Ticket, text string) error {
	if err := a.tickets.AddTurns(ctx, t.ChatID, handoff.Turn{User: true, Text: privacy.Cut(text, 300)}); err != nil {
		a.log.Warn("turn not recorded", "ticket", t.ID, "err", err)
	}
	head := "<b>工单 " + t.Ref() + "</b> · " + escape(t.UserName) + "：\n"
	// Masked before the split, and each part again: a split can leave a
	// piece of a longer number that looks like an identifier.
	parts := split(privacy.Mask(text), MaxText-200)
	for i, p := range parts {
		parts[i] = escape(privacy.Mask(p))
	}
	parts[0] = head + parts[0]
	sent, err := a.sendHTMLParts(ctx, staffTarget(t), parts, nil)
	if err != nil {
		return fmt.Errorf("relay to staff of ticket %d: %w", t.ID, err)
	}
	if err := a.tickets.Link(ctx, t.StaffChatID, sent.ID, t.ID); err != nil {
		a.log.Error("relayed message not linked", "ticket", t.ID, "err", err)
	}
	return nil
}

// CloseTicket closes a ticket on its user's wish (by "用户") or a staff
// member's, updates the card, and tells both sides.
func (a *Adapter) CloseTicket(ctx context.Context, t handoff.Ticket, by string) {
	a.closeTicket(ctx, t, by)
}

// channelLine is the card's line naming a user's channel, "" on Telegram.
func channelLine(t handoff.Ticket) string {
	if t.Channel == "" {
		return ""
	}
	name := map[string]string{"web": "网页对话"}[t.Channel]
	if name == "" {
		name = t.Channel
	}
	if t.Address != "" {
		name += "（" + t.Address + "）"
	}
	return "渠道：" + escape(strings.TrimSpace(name)) + "\n"
}
