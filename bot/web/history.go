package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji"
	"github.com/kuaiji/kuaiji/privacy"
)

// MaxHistory is how many messages of a conversation are kept for the page
// to show again after a reload.
const MaxHistory = 200

// maxFile is the largest document (an exported checklist) kept for
// download; checklists are a few kilobytes.
const maxFile = 256 << 10

// Entry is one message on the page, as stored in the history and sent to
// the script. Texts are masked with privacy.Mask before they are stored.
type Entry struct {
	ID   int64  `json:"id"`
	Role string `json:"role"` // "user" or "bot"
	Text string `json:"text"`
	// Sources are the numbered citations under an answer.
	Sources []Source `json:"sources,omitempty"`
	// Buttons are the choices; gone once one was chosen (Chosen says which).
	Buttons [][]Button `json:"buttons,omitempty"`
	Chosen  string     `json:"chosen,omitempty"`
	// Note is the acknowledgement of a rating shown in place of the 👍 / 👎
	// row (or the reasons) once one was pressed, e.g. 👍 谢谢您的反馈.
	Note string `json:"note,omitempty"`
	// File names a document to download from api/file/ID.
	File string `json:"file,omitempty"`
	Data []byte `json:"data,omitempty"` // the document; never sent to the page
	// Stale marks a reply to a button that no longer applies.
	Stale bool `json:"stale,omitempty"`
}

// Button is a choice on the page: kuaiji.Button with JSON names.
type Button struct {
	Label string `json:"label"`
	Data  string `json:"data"`
}

func webButtons(rows [][]kuaiji.Button) [][]Button {
	out := make([][]Button, 0, len(rows))
	for _, row := range rows {
		r := make([]Button, len(row))
		for i, b := range row {
			r[i] = Button{Label: b.Label, Data: b.Data}
		}
		out = append(out, r)
	}
	return out
}

// Source is a cited document: title, section, and its date or status.
type Source struct {
	Title   string `json:"title"`
	Section string `json:"section,omitempty"`
	Date    string `json:"date,omitempty"`
	Status  string `json:"status,omitempty"`
}

func (s *Server) histKey(chat int64) string { return s.key("hist", strconv.FormatInt(chat, 10)) }
func (s *Server) seqKey(chat int64) string  { return s.key("seq", strconv.FormatInt(chat, 10)) }

// appendEntries numbers es, masks their texts, and appends them to the
// chat's history, keeping the last [MaxHistory] and the session's TTL.
func (s *Server) appendEntries(ctx context.Context, chat int64, es []Entry) ([]Entry, error) {
	if len(es) == 0 {
		return nil, nil
	}
	last, err := s.rdb.IncrBy(ctx, s.seqKey(chat), int64(len(es))).Result()
	if err != nil {
		return nil, fmt.Errorf("number messages of chat %d: %w", chat, err)
	}
	vals := make([]any, len(es))
	for i := range es {
		es[i].ID = last - int64(len(es)) + int64(i) + 1
		es[i].Text = privacy.Mask(es[i].Text)
		if len(es[i].Data) > maxFile {
			es[i].Data, es[i].File = nil, ""
		}
		b, err := json.Marshal(es[i])
		if err != nil {
			return nil, fmt.Errorf("encode message: %w", err)
		}
		vals[i] = b
	}
	hk := s.histKey(chat)
	_, err = s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.RPush(ctx, hk, vals...)
		p.LTrim(ctx, hk, -MaxHistory, -1)
		p.Expire(ctx, hk, s.ttl)
		p.Expire(ctx, s.seqKey(chat), s.ttl)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store messages of chat %d: %w", chat, err)
	}
	return es, nil
}

// loadHistory returns the chat's stored messages, oldest first.
func (s *Server) loadHistory(ctx context.Context, chat int64) ([]Entry, error) {
	raw, err := s.rdb.LRange(ctx, s.histKey(chat), 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("load history of chat %d: %w", chat, err)
	}
	out := make([]Entry, 0, len(raw))
	for _, r := range raw {
		var e Entry
		if json.Unmarshal([]byte(r), &e) == nil {
			out = append(out, e)
		}
	}
	return out, nil
}

// markChosen records that a button of message id was pressed: its buttons
// go and the choice shows under it, as the page already shows it.
func (s *Server) markChosen(ctx context.Context, chat, id int64, label string) error {
	_, _, err := s.updateEntry(ctx, chat, id, func(e *Entry) { e.Buttons, e.Chosen = nil, label })
	return err
}

// updateEntry changes message id of the chat's recent history with f and
// returns it as stored; found is false when it is not among the last 30
// messages. The caller holds the session's lock.
func (s *Server) updateEntry(ctx context.Context, chat, id int64, f func(*Entry)) (Entry, bool, error) {
	hk := s.histKey(chat)
	raw, err := s.rdb.LRange(ctx, hk, -30, -1).Result()
	if err != nil {
		return Entry{}, false, fmt.Errorf("load recent messages of chat %d: %w", chat, err)
	}
	n, err := s.rdb.LLen(ctx, hk).Result()
	if err != nil {
		return Entry{}, false, fmt.Errorf("count messages of chat %d: %w", chat, err)
	}
	for i, r := range raw {
		var e Entry
		if json.Unmarshal([]byte(r), &e) != nil || e.ID != id {
			continue
		}
		f(&e)
		b, _ := json.Marshal(e)
		idx := n - int64(len(raw)) + int64(i)
		if err := s.rdb.LSet(ctx, hk, idx, b).Err(); err != nil && !errors.Is(err, redis.Nil) {
			return Entry{}, false, fmt.Errorf("update message in chat %d: %w", chat, err)
		}
		return e, true, nil
	}
	return Entry{}, false, nil
}

// buttonOf finds the label of the button with data on message id, and
// whether it is still offered there.
func buttonOf(hist []Entry, id int64, data string) (string, bool) {
	for i := len(hist) - 1; i >= 0; i-- {
		if hist[i].ID != id {
			continue
		}
		for _, row := range hist[i].Buttons {
			for _, b := range row {
				if b.Data == data {
					return b.Label, true
				}
			}
		}
		return "", false
	}
	return "", false
}

// Deliver shows a message to a web user outside a turn (a staff reply,
// the end of a hand-off): stored in the history, and published to the page
// wherever its stream is open.
func (s *Server) Deliver(ctx context.Context, chat int64, text string, buttons [][]kuaiji.Button) error {
	es, err := s.appendEntries(ctx, chat, []Entry{{Role: "bot", Text: text, Buttons: webButtons(buttons)}})
	if err != nil {
		return err
	}
	b, err := json.Marshal(published{Chat: strconv.FormatInt(chat, 10), Entry: es[0]})
	if err != nil {
		return fmt.Errorf("encode message: %w", err)
	}
	if err := s.rdb.Publish(ctx, s.key("events"), b).Err(); err != nil {
		// Stored all the same: the page shows it on its next load.
		s.log.Warn("web: publish message", "chat_id", chat, "err", err)
	}
	return nil
}
