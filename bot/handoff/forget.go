package handoff

import (
	"context"
	"errors"
	"fmt"
	"strconv"
)

// ForgottenName is how a ticket names its user after the user sent
// /forget.
const ForgottenName = "（用户已清除资料）"

func (s *Store) chatTicketsKey(chat int64) string { return s.key("tickets", chat) }

// Forget deletes what the store keeps about a chat, for /forget: its
// recent turns and cited sources, and in each of its tickets the user's
// name, ids, place, flow answers, sources and transcript. A ticket still
// active is closed. What a ticket keeps is what staff already saw and need
// for their records: its number, status, reason, times and who handled
// it; the messages already relayed to the staff chat stay there, masked
// as they were sent. Forget returns the tickets it changed, so their
// cards can be redrawn without the user's data.
func (s *Store) Forget(ctx context.Context, chat int64) ([]Ticket, error) {
	ids, err := s.rdb.SMembers(ctx, s.chatTicketsKey(chat)).Result()
	if err != nil {
		return nil, fmt.Errorf("list tickets of chat %d: %w", chat, err)
	}
	var out []Ticket
	for _, v := range ids {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			continue
		}
		t, err := s.Update(ctx, id, func(t *Ticket) error {
			if t.ChatID != chat {
				return ErrNotFound // already forgotten, or not this chat's
			}
			if t.Active() {
				t.Status, t.ClosedBy, t.Closed = Closed, "用户", s.now().UTC()
			}
			t.ChatID, t.UserID, t.UserName = 0, 0, ForgottenName
			t.Jurisdiction, t.Flow, t.Sources, t.Turns, t.Answers = "", "", nil, nil, nil
			return nil
		})
		if errors.Is(err, ErrNotFound) {
			continue
		} else if err != nil {
			return out, fmt.Errorf("forget chat %d: %w", chat, err)
		}
		out = append(out, t)
	}
	if err := s.rdb.Del(ctx, s.key("turns", chat), s.key("sources", chat), s.chatTicketsKey(chat), s.chatKey(chat)).Err(); err != nil {
		return out, fmt.Errorf("forget chat %d: %w", chat, err)
	}
	return out, nil
}
