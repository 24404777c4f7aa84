package web

import (
	"context"
	"strings"

	"github.com/kuaiji/kuaiji"
	"github.com/kuaiji/kuaiji/bot"
)

// Rating an answer on the page (the router decides, see bot/rate.go): an
// answer that can be rated carries a row of 👍 / 👎 ([bot.RateButtons])
// under its other choices. A tap replaces that row, in place and in the
// stored history, with the router's acknowledgement (👍 谢谢您的反馈), and
// keeps the other choices; a 👎 adds the reason prompt as a message of its
// own, whose reasons give way to the one chosen. A second tap — from
// another tab, or a page shown before the first — is answered on that
// page (您已经评价过这个回答) and counts nothing: the store decides once.

// rateTurn answers a press of a rating button on message req.ID and
// returns the messages to show: the pressed one as it now stands first
// (the page replaces it by id), then any new ones, stored.
func (s *Server) rateTurn(ctx context.Context, sess session, req sendRequest) []Entry {
	rs, err := s.router.Handle(ctx, bot.Message{ChatID: sess.chat, UserID: sess.chat, Callback: req.Data})
	if err != nil {
		s.log.Error("web: router", "chat_id", sess.chat, "err", err)
		rs = []kuaiji.Reply{{Text: bot.RateFailText, Notice: true}}
	}
	var notes []string
	var rest []Entry
	for _, r := range rs {
		if r.Notice {
			notes = append(notes, r.Text)
			continue
		}
		rest = append(rest, Entry{Role: "bot", Text: r.Text, Buttons: webButtons(r.Buttons)})
	}
	note := strings.Join(notes, " ")
	tok, what, _ := bot.ParseRate(req.Data)
	vote := what == "up" || what == "down"
	if vote && len(notes) > 0 && notes[0] == bot.RateThanksText {
		note = bot.RatedButtons(req.Data)[0].Label
	}
	failed := len(notes) > 0 && notes[0] == bot.RateFailText

	var out []Entry
	label, offered := "", false
	e, found, err := s.updateEntry(ctx, sess.chat, req.ID, func(e *Entry) {
		label, offered = buttonOf([]Entry{*e}, e.ID, req.Data)
		if !offered || failed { // rated before: keep what the first tap left
			return
		}
		e.Buttons = withoutRating(e.Buttons, tok)
		e.Note = note
		if !vote {
			e.Chosen = label
		}
	})
	if err != nil {
		s.log.Warn("web: rating not shown in history", "chat_id", sess.chat, "err", err)
	}
	switch {
	case found:
		e.Note = note // this page's answer, also where the history kept the first
		out = append(out, e)
	case note != "":
		rest = append([]Entry{{Role: "bot", Text: note}}, rest...)
	}
	stored, err := s.appendEntries(ctx, sess.chat, rest)
	if err != nil {
		s.log.Error("web: turn not stored", "chat_id", sess.chat, "err", err)
		stored = rest
	}
	return append(out, stored...)
}

// withoutRating is rows without those holding token's rating buttons.
func withoutRating(rows [][]Button, token string) [][]Button {
	var out [][]Button
	for _, row := range rows {
		ours := false
		for _, b := range row {
			if tok, _, ok := bot.ParseRate(b.Data); ok && tok == token {
				ours = true
			}
		}
		if !ours {
			out = append(out, row)
		}
	}
	return out
}
