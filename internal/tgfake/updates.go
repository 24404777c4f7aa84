package tgfake

import (
	"net/http"
	"strconv"
	"time"
)

// Inject queues an update for getUpdates and returns its update_id. A zero
// UpdateID is assigned the next one; a non-zero one is kept, so tests can
// deliver the same update twice.
func (s *Server) Inject(u Update) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u.UpdateID == 0 {
		s.nextUpd++
		u.UpdateID = s.nextUpd
	} else if u.UpdateID > s.nextUpd {
		s.nextUpd = u.UpdateID
	}
	s.updates = append(s.updates, u)
	s.changedLocked()
	return u.UpdateID
}

// InjectTwice queues the same update twice in one batch, as Telegram
// redelivers an update whose confirmation was lost, and returns its id.
func (s *Server) InjectTwice(u Update) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextUpd++
	u.UpdateID = s.nextUpd
	s.updates = append(s.updates, u, u)
	s.changedLocked()
	return u.UpdateID
}

// Send queues a message update from a user; the message gets an id and a
// date, and bot commands at its start get their entity.
func (s *Server) Send(m Message) (Message, int64) {
	s.mu.Lock()
	s.nextMsg[m.Chat.ID]++
	m.MessageID = s.nextMsg[m.Chat.ID] + 1000
	s.mu.Unlock()
	if m.Date == 0 {
		m.Date = time.Now().Unix()
	}
	if len(m.Text) > 1 && m.Text[0] == '/' {
		n := len(m.Text)
		for i, r := range m.Text {
			if r == ' ' || r == '\n' {
				n = i
				break
			}
		}
		m.Entities = append(m.Entities, Entity{Type: "bot_command", Offset: 0, Length: Length(m.Text[:n])})
	}
	s.mu.Lock()
	s.users[m.Chat.ID] = append(s.users[m.Chat.ID], m)
	s.mu.Unlock()
	id := s.Inject(Update{Message: &m})
	return m, id
}

// Text queues a text message from user in a private chat with them.
func (s *Server) Text(user User, text string) int64 {
	_, id := s.Send(Message{From: &user, Chat: Private(user), Text: text})
	return id
}

// Press queues a press of the button with data on msg, by user, and
// returns the update_id and the callback query id.
func (s *Server) Press(user User, msg Message, data string) (int64, string) {
	s.mu.Lock()
	s.nextCB++
	cb := "cb" + strconv.Itoa(s.nextCB)
	s.mu.Unlock()
	m := msg
	id := s.Inject(Update{CallbackQuery: &CallbackQuery{ID: cb, From: user, Message: &m,
		ChatInstance: strconv.FormatInt(msg.Chat.ID, 10), Data: data}})
	return id, cb
}

// Private is the private chat with u.
func Private(u User) Chat { return Chat{ID: u.ID, Type: "private", FirstName: u.FirstName} }

// Pending is how many injected updates getUpdates has not yet confirmed.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.updates)
}

// getUpdates answers a long poll: updates below offset are confirmed and
// dropped; it waits up to timeout seconds for new ones.
func (s *Server) getUpdates(r *http.Request, p map[string]string) (any, error) {
	s.mu.Lock()
	hook := s.webhook
	s.mu.Unlock()
	if hook != "" {
		return nil, &apiError{409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}
	}
	offset, _ := strconv.ParseInt(p["offset"], 10, 64)
	timeout, _ := strconv.Atoi(p["timeout"])
	limit, _ := strconv.Atoi(p["limit"])
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	deadline := time.After(time.Duration(timeout) * time.Second)
	for {
		s.mu.Lock()
		if offset > s.confirmed {
			s.confirmed = offset
		}
		kept := s.updates[:0]
		for _, u := range s.updates {
			if u.UpdateID >= s.confirmed {
				kept = append(kept, u)
			}
		}
		s.updates = kept
		if len(kept) > 0 || timeout == 0 {
			out := append([]Update(nil), kept[:min(limit, len(kept))]...)
			s.mu.Unlock()
			return out, nil
		}
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-ch:
		case <-deadline:
			return []Update{}, nil
		case <-r.Context().Done():
			return []Update{}, nil
		case <-s.closed:
			return []Update{}, nil
		}
	}
}
