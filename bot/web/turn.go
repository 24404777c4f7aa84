package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/kuaiji/kuaiji"
	"github.com/kuaiji/kuaiji/bot"
	"github.com/kuaiji/kuaiji/bot/handoff"
)

// staleText heads the answer to a button that no longer applies.
const staleText = "这个按钮已失效，已为您显示当前步骤。"

func openedText(t handoff.Ticket) string {
	return "已为您转接人工服务（工单 " + t.Ref() + "）。工作人员看到后会在这里回复您，请稍候；关闭页面也没关系，回来时回复会在这里。\n" +
		"在此期间，您发送的文字消息会直接转给工作人员；如需结束人工服务，请发送 /cancel。"
}

func inProgressText(t handoff.Ticket) string {
	return "您的人工服务请求（工单 " + t.Ref() + "）正在处理中，请稍候；您可以直接发送文字消息给工作人员，发送 /cancel 可结束人工服务。"
}

// turn runs one request of the page and returns the messages it added to
// the history (the user's first). draft gets answer text as it is
// written. A panic in the router is this turn's failure only.
func (s *Server) turn(ctx context.Context, sess session, req sendRequest, r *http.Request, draft func(string)) (out []Entry) {
	if strings.HasPrefix(req.Data, bot.DataRate) {
		// A rating changes the rated message and never the flow; an open
		// ticket does not stop it, as on Telegram.
		return s.rateTurn(ctx, sess, req)
	}
	user := Entry{Role: "user", Text: req.Text}
	offered := true
	if req.Data != "" {
		// Only a press needs the history: which button, and still offered?
		hist, err := s.loadHistory(ctx, sess.chat)
		if err != nil {
			s.log.Warn("web: history unavailable for turn", "chat_id", sess.chat, "err", err)
		}
		user.Text, offered = buttonOf(hist, req.ID, req.Data)
		if user.Text == "" {
			user.Text = "（按钮）"
		}
		if offered {
			if err := s.markChosen(ctx, sess.chat, req.ID, user.Text); err != nil {
				s.log.Warn("web: choice not marked", "chat_id", sess.chat, "err", err)
			}
		}
	}
	var replies []Entry
	func() {
		defer func() {
			if v := recover(); v != nil {
				s.log.Error("web: panic in turn", "chat_id", sess.chat, "err", fmt.Sprint(v))
				replies = []Entry{{Role: "bot", Text: failText}}
			}
		}()
		replies = s.reply(ctx, sess, req, r, offered, draft)
	}()
	es := append([]Entry{user}, replies...)
	if req.Text == "/start" || req.Text == "" && req.Data != "" {
		// A button press or the page's opening /start shows as the
		// choice, not as a message of its own.
		es = es[1:]
	}
	stored, err := s.appendEntries(ctx, sess.chat, es)
	if err != nil {
		s.log.Error("web: turn not stored", "chat_id", sess.chat, "err", err)
		stored = es // shown now, lost on reload
	}
	s.remember(ctx, sess.chat, user.Text, replies)
	return stored
}

// reply is the bot's side of a turn.
func (s *Server) reply(ctx context.Context, sess session, req sendRequest, r *http.Request, offered bool, draft func(string)) []Entry {
	if s.tickets != nil {
		if t, err := s.tickets.ForChat(ctx, sess.chat); err == nil {
			if out, done := s.duringTicket(ctx, t, req); done {
				return out
			}
		} else if !errors.Is(err, handoff.ErrNotFound) {
			s.log.Warn("web: ticket lookup", "chat_id", sess.chat, "err", err)
		}
	}
	text := strings.TrimSpace(req.Text)
	cmd, _ := bot.ParseCommand(text)
	switch {
	case req.Data == bot.DataAsk:
		return []Entry{{Role: "bot", Text: bot.AskPrompt}}
	}
	m := bot.Message{ChatID: sess.chat, UserID: sess.chat, Text: text, Callback: req.Data}
	if why, ok := bot.AsksForPerson(m); ok {
		return s.handOff(ctx, sess, why, r)
	}
	if req.Data == "" && cmd == "" {
		m.Draft = draftDeltas(draft)
	}
	rs, err := s.router.Handle(ctx, m)
	if err != nil {
		s.log.Error("web: router", "chat_id", sess.chat, "err", err)
		return []Entry{{Role: "bot", Text: failText}}
	}
	if cmd == "start" {
		if n := len(rs); n == 0 || bot.IsMenu(rs[n-1]) {
			rs = append(rs[:max(0, n-1):max(0, n-1)], kuaiji.Reply{Text: bot.Greeting, Buttons: bot.Menu(s.router.Surface())})
		}
	}
	out := make([]Entry, 0, len(rs))
	for i, rep := range rs {
		e := Entry{Role: "bot", Text: rep.Text, Buttons: webButtons(bot.ReplyButtons(rep)), Stale: rep.Stale}
		if i == 0 && rep.Stale && offered {
			e.Text = staleText + "\n\n" + e.Text
		}
		for _, src := range rep.Sources {
			e.Sources = append(e.Sources, s.source(src))
		}
		if d := rep.Document; d != nil {
			e.File, e.Data = d.Name, d.Data
		}
		out = append(out, e)
	}
	return out
}

// draftDeltas turns the router's "text so far" into the new piece, so a
// long answer is not sent again with every word.
func draftDeltas(draft func(string)) func(string) {
	sent := 0
	return func(so string) {
		if len(so) > sent && utf8.ValidString(so[sent:]) {
			draft(so[sent:])
			sent = len(so)
		}
	}
}

func (s *Server) source(src kuaiji.Source) Source {
	out := Source{Title: src.Title, Section: src.Section}
	if s.docInfo != nil {
		out.Date, out.Status = s.docInfo(src.ID)
	}
	return out
}
