// Package handoff is kuaiji's hand-off to help-desk staff: a [Ticket] is a
// conversation a person has taken over, kept with its relay mapping in
// Redis by [Store] so that tickets survive a restart of the bot. The model
// is channel-neutral; the Telegram adapter posts tickets as cards.
package handoff

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// Status is where a ticket stands.
type Status string

// The statuses of a [Ticket].
const (
	Open    Status = "open"
	Claimed Status = "claimed"
	Closed  Status = "closed"
)

// Label is the status in words for staff.
func (s Status) Label() string {
	switch s {
	case Open:
		return "待认领"
	case Claimed:
		return "处理中"
	case Closed:
		return "已关闭"
	}
	return string(s)
}

// Errors the [Store] returns.
var (
	// ErrNotFound means no such ticket, or no open ticket for the chat.
	ErrNotFound = errors.New("ticket not found")
	// ErrClosed means the ticket was already closed.
	ErrClosed = errors.New("ticket already closed")
	// ErrClaimed means another staff member claimed the ticket first.
	ErrClaimed = errors.New("ticket claimed by someone else")
	// ErrOpen means the chat already has an open ticket; it is returned
	// with that ticket.
	ErrOpen = errors.New("chat already has an open ticket")
)

// Turn is one message of the conversation before or during the hand-off,
// already masked with privacy.Mask.
type Turn struct {
	User bool      `json:"u,omitempty"`
	Text string    `json:"x"`
	At   time.Time `json:"t"`
}

// Ticket is one hand-off. Times are UTC.
type Ticket struct {
	ID     int64  `json:"id"`
	Status Status `json:"status"`
	// ChatID and UserID are the user's chat with the bot.
	ChatID   int64  `json:"chat_id"`
	UserID   int64  `json:"user_id"`
	UserName string `json:"user_name,omitempty"`
	// Channel is where the user is: "" for Telegram (ChatID is their
	// chat there), "web" for the web chat (ChatID is their session's id).
	Channel string `json:"channel,omitempty"`
	// Address is where on the channel, for staff: the site of the page
	// for web users; "" when it says nothing more than ChatID.
	Address string `json:"address,omitempty"`
	// Jurisdiction is the user's place in words, "" if unknown.
	Jurisdiction string `json:"jurisdiction,omitempty"`
	// Reason says why the chat escalated.
	Reason string `json:"reason"`
	// Flow is the flow state in words: the flow, its current question and
	// the answers so far; "" outside a flow.
	Flow string `json:"flow,omitempty"`
	// Sources are the documents the bot already cited in this chat.
	Sources []string `json:"sources,omitempty"`
	// Turns are the last turns before the hand-off, masked.
	Turns []Turn `json:"turns,omitempty"`
	// Answers are what staff replied to the user, masked, oldest first:
	// what a help-desk FAQ draft is made of.
	Answers []Turn `json:"answers,omitempty"`

	// StaffChatID, ThreadID and CardID locate the ticket card on the staff
	// side (ThreadID is a forum topic, 0 if none).
	StaffChatID int64 `json:"staff_chat_id,omitempty"`
	ThreadID    int   `json:"thread_id,omitempty"`
	CardID      int   `json:"card_id,omitempty"`

	ClaimedBy     int64  `json:"claimed_by,omitempty"`
	ClaimedByName string `json:"claimed_by_name,omitempty"`
	ClosedBy      string `json:"closed_by,omitempty"`

	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`
	Closed  time.Time `json:"closed,omitzero"`
	// FirstReply is when staff first answered the user, zero before.
	FirstReply time.Time `json:"first_reply,omitzero"`
}

// Active reports whether the ticket still takes over the chat.
func (t Ticket) Active() bool { return t.Status == Open || t.Status == Claimed }

// Ref is "#12", how users and staff name a ticket.
func (t Ticket) Ref() string { return "#" + strconv.FormatInt(t.ID, 10) }

// Summary is one line for a ticket list.
func (t Ticket) Summary(now time.Time) string {
	var b strings.Builder
	b.WriteString(t.Ref() + " " + t.Status.Label() + " · " + t.UserName)
	if t.Jurisdiction != "" {
		b.WriteString(" · " + t.Jurisdiction)
	}
	b.WriteString(" · " + ago(now.Sub(t.Created)))
	if t.ClaimedByName != "" && t.Status == Claimed {
		b.WriteString(" · " + t.ClaimedByName)
	}
	return b.String()
}

func ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "刚刚"
	case d < time.Hour:
		return strconv.Itoa(int(d.Minutes())) + " 分钟前"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d.Hours())) + " 小时前"
	}
	return strconv.Itoa(int(d.Hours()/24)) + " 天前"
}
