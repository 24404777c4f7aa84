// Package deskfaq keeps the FAQ entries that help-desk answers become:
// drafts made from a closed ticket, a logged answer or by hand, reviewed
// and published by staff allowed to publish, later retired. Entries live
// in Redis, so every replica sees the same drafts and the same published
// set, and a restart loses none; a version key moves on every change to
// what answers, which is what replicas poll to reload (see [Store.Version]).
//
// Nothing personal reaches an entry: every text is masked with
// privacy.Mask when it is stored, and a published entry keeps no link to
// the ticket or the logged answer it came from.
package deskfaq

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/kuaiji/kuaiji/knowledge"
)

// Status is where an entry stands.
type Status string

// The statuses of an [Entry].
const (
	Draft     Status = "draft"
	Published Status = "published"
	Retired   Status = "retired"
	Discarded Status = "discarded"
)

// Label is the status in words for staff.
func (s Status) Label() string {
	switch s {
	case Draft:
		return "草稿"
	case Published:
		return "已发布"
	case Retired:
		return "已停用"
	case Discarded:
		return "已放弃"
	}
	return string(s)
}

// DefaultExpiry is how long a published entry answers before it must be
// reviewed again.
const DefaultExpiry = 365 * 24 * time.Hour

// IDPrefix starts the source id of a published entry: "desk-12" is entry
// 12, the id its answers cite and their ratings record.
const IDPrefix = "desk-"

// Errors the [Store] returns.
var (
	ErrNotFound = errors.New("no such help-desk entry")
	// ErrStatus means the entry is not in a status the change applies to
	// (publishing a retired entry, editing a discarded one).
	ErrStatus = errors.New("help-desk entry is not in a status this applies to")
	// ErrIncomplete means a draft lacks its question or its answer.
	ErrIncomplete = errors.New("help-desk entry needs a question and an answer")
	// ErrUnknownPlace means a jurisdiction that the place table does not know.
	ErrUnknownPlace = errors.New("unknown jurisdiction")
)

// Entry is one help-desk FAQ entry. Times are UTC.
type Entry struct {
	Number   int64  `json:"n"`
	Status   Status `json:"status"`
	Question string `json:"q"`
	Answer   string `json:"a"`
	// Paraphrases are other ways people ask the question.
	Paraphrases []string `json:"p,omitempty"`
	// Jurisdiction is a place code, "" for a national answer.
	Jurisdiction string `json:"j,omitempty"`
	// Ticket and Event say where a draft came from; both are cleared when
	// it is published, so a published entry never leads back to a user.
	Ticket int64  `json:"ticket,omitempty"`
	Event  string `json:"event,omitempty"`
	// Staff is the id of the staff member who answered, 0 when typed in
	// by hand; ReviewedBy names who published or retired it.
	Staff      int64  `json:"staff,omitempty"`
	ReviewedBy string `json:"reviewed_by,omitempty"`
	// Docs are the ids of the documents the answer rests on.
	Docs []string `json:"docs,omitempty"`
	// Defers names the built-in entry or national document that also
	// answers the question and applies where the two differ; set when a
	// publisher confirmed publishing over it.
	Defers string `json:"defers,omitempty"`

	Created  time.Time `json:"created"`
	Reviewed time.Time `json:"reviewed,omitzero"`
	Expires  time.Time `json:"expires,omitzero"`
	// Hits is how many answers the entry gave; counted apart from the
	// entry (see [Store.Hit]) and filled in when read.
	Hits int64 `json:"-"`
}

// ID is the entry's source id, "desk-12".
func (e Entry) ID() string { return IDPrefix + strconv.FormatInt(e.Number, 10) }

// Ref is "FAQ-12", how staff name an entry.
func (e Entry) Ref() string { return "FAQ-" + strconv.FormatInt(e.Number, 10) }

// Expired reports whether a published entry is past its review date.
func (e Entry) Expired(now time.Time) bool {
	return e.Status == Published && !e.Expires.IsZero() && !now.Before(e.Expires)
}

// Answers reports whether the entry answers questions at now.
func (e Entry) Answers(now time.Time) bool { return e.Status == Published && !e.Expired(now) }

// ParseID reads "desk-12", "FAQ-12", "#12" or "12" as an entry number.
func ParseID(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	for _, p := range []string{IDPrefix, "FAQ-", "faq-", "#"} {
		s = strings.TrimPrefix(s, p)
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n > 0
}

// FAQ is the entry as a built-in FAQ entry, as policies/faq/*.yaml holds
// them: its id is [Entry.ID], its source the first document it rests on.
func (e Entry) FAQ() knowledge.FAQ {
	f := knowledge.FAQ{ID: e.ID(), Topic: "desk", Jurisdiction: e.Jurisdiction, Question: e.Question,
		Variants: append([]string(nil), e.Paraphrases...), Answer: e.Answer}
	if len(e.Docs) > 0 {
		f.Source = e.Docs[0]
	}
	return f
}

// Overlay is the entry as it answers next to the built-in FAQ.
func (e Entry) Overlay() knowledge.DeskFAQ {
	return knowledge.DeskFAQ{FAQ: e.FAQ(), Reviewed: e.Reviewed, Expires: e.Expires,
		Docs: append([]string(nil), e.Docs...), Defers: e.Defers}
}
