package web

import (
	"context"
	"errors"
	"net/http"

	"github.com/kuaiji/kuaiji"
	"github.com/kuaiji/kuaiji/bot"
	"github.com/kuaiji/kuaiji/bot/handoff"
	"github.com/kuaiji/kuaiji/privacy"
)

// handOff opens a ticket at the staff desk for the session, marked as a
// web user on the page they came from. Staff answer it in their chat as
// any other ticket; their replies come back through [Server.Deliver].
func (s *Server) handOff(ctx context.Context, sess session, why string, r *http.Request) []Entry {
	if s.staff == nil {
		return []Entry{{Role: "bot", Text: bot.NoStaffText}}
	}
	name := "网页用户"
	if sess.embed {
		name = "网页用户（嵌入页面）"
	}
	t := handoff.Ticket{ChatID: sess.chat, UserID: sess.chat, UserName: name,
		Channel: Channel, Address: originOf(r.Referer())}
	var err error
	if t.Turns, err = s.tickets.Turns(ctx, sess.chat); err != nil {
		s.log.Warn("web: turns unavailable for ticket", "chat_id", sess.chat, "err", err)
	}
	if t.Sources, err = s.tickets.Sources(ctx, sess.chat); err != nil {
		s.log.Warn("web: sources unavailable for ticket", "chat_id", sess.chat, "err", err)
	}
	t, err = s.staff.OpenTicket(ctx, t, why)
	switch {
	case errors.Is(err, handoff.ErrOpen):
		return []Entry{{Role: "bot", Text: inProgressText(t)}}
	case err != nil:
		s.log.Error("web: ticket not opened", "chat_id", sess.chat, "err", err)
		return []Entry{{Role: "bot", Text: bot.TicketFailText}}
	}
	return []Entry{{Role: "bot", Text: openedText(t)}}
}

// duringTicket handles a turn while a person has the chat: texts go to
// staff, /cancel ends the hand-off, buttons wait. done is false when the
// turn goes on to the router once the ticket is closed (/forget).
func (s *Server) duringTicket(ctx context.Context, t handoff.Ticket, req sendRequest) (out []Entry, done bool) {
	if req.Data != "" {
		return []Entry{{Role: "bot", Text: inProgressText(t)}}, true
	}
	switch cmd, _ := bot.ParseCommand(req.Text); cmd {
	case "cancel":
		// The desk tells the user, through Deliver, like staff closing it.
		s.staff.CloseTicket(ctx, t, "用户")
		return nil, true
	case "forget":
		// Clearing one's data ends the hand-off, as on Telegram; the text
		// is not relayed.
		s.staff.CloseTicket(ctx, t, "用户")
		return nil, false
	case "":
	default:
		return []Entry{{Role: "bot", Text: inProgressText(t)}}, true
	}
	if err := s.staff.Relay(ctx, t, req.Text); err != nil {
		s.log.Error("web: message not relayed", "ticket", t.ID, "err", err)
		return []Entry{{Role: "bot", Text: bot.RelayFailText}}, true
	}
	return nil, true
}

// remember records the turn for a later ticket card, as the Telegram
// adapter does. The texts are masked before they are cut, so that a cut
// never splits an identifier the masker would have caught whole.
func (s *Server) remember(ctx context.Context, chat int64, said string, replies []Entry) {
	if s.tickets == nil {
		return
	}
	turns := []handoff.Turn{{User: true, Text: privacy.Cut(said, 300)}}
	var titles []string
	for _, r := range replies {
		if r.Text != "" {
			turns = append(turns, handoff.Turn{Text: privacy.Cut(r.Text, 300)})
		}
		for _, src := range r.Sources {
			titles = append(titles, src.Title)
		}
	}
	if err := s.tickets.Record(ctx, chat, turns, titles); err != nil {
		s.log.Warn("web: turns not recorded", "chat_id", chat, "err", err)
	}
}

// DeliverTicket is [Server.Deliver] for a ticket's user, the form the
// staff desk calls (telegram.Channel).
func (s *Server) DeliverTicket(ctx context.Context, t handoff.Ticket, text string, rows [][]kuaiji.Button) error {
	return s.Deliver(ctx, t.ChatID, text, rows)
}
