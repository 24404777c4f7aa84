package web

import (
	"context"
	"encoding/json"
	"strconv"
	"sync"
	"time"
)

// hub fans messages that arrive outside a turn (staff replies, the end of
// a hand-off) out to the event streams open in this process. Messages are
// published on one Redis channel, so a staff reply handled by any replica
// reaches the page wherever its stream is open; the history in Redis
// keeps them for a page that is closed.
type hub struct {
	mu   sync.Mutex
	subs map[int64]map[chan Entry]bool
}

func newHub() *hub { return &hub{subs: map[int64]map[chan Entry]bool{}} }

func (h *hub) add(chat int64) chan Entry {
	ch := make(chan Entry, 16)
	h.mu.Lock()
	if h.subs[chat] == nil {
		h.subs[chat] = map[chan Entry]bool{}
	}
	h.subs[chat][ch] = true
	h.mu.Unlock()
	return ch
}

func (h *hub) count(chat int64) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs[chat])
}

func (h *hub) remove(chat int64, ch chan Entry) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.subs[chat][ch] {
		delete(h.subs[chat], ch)
		close(ch)
	}
	if len(h.subs[chat]) == 0 {
		delete(h.subs, chat)
	}
}

// publish hands e to the chat's streams; a stream too slow to take it
// misses it here and finds it in the history on its next load.
func (h *hub) publish(chat int64, e Entry) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs[chat] {
		select {
		case ch <- e:
		default:
		}
	}
}

func (h *hub) closeAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for chat, m := range h.subs {
		for ch := range m {
			close(ch)
		}
		delete(h.subs, chat)
	}
}

type published struct {
	Chat  string `json:"chat"`
	Entry Entry  `json:"entry"`
}

// Subscribe relays messages published by any replica to this process's
// streams until ctx ends, resubscribing after a Redis failure. [Server.Run]
// calls it; a caller that mounts [Server.Handler] itself runs it too.
func (s *Server) Subscribe(ctx context.Context) {
	for ctx.Err() == nil {
		sub := s.rdb.Subscribe(ctx, s.key("events"))
		stop := context.AfterFunc(ctx, func() { sub.Close() })
		if _, err := sub.Receive(ctx); err != nil {
			s.log.Warn("web: subscribe to staff messages", "err", err)
		} else {
			s.subscribed.Store(true)
		}
		ch := sub.Channel()
		for m := range ch {
			var p published
			if err := json.Unmarshal([]byte(m.Payload), &p); err != nil {
				continue
			}
			chat, err := strconv.ParseInt(p.Chat, 10, 64)
			if err != nil {
				continue
			}
			s.hub.publish(chat, p.Entry)
		}
		stop()
		sub.Close()
		s.subscribed.Store(false)
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
}
