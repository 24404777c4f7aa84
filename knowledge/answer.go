package knowledge

import "github.com/kuaiji/kuaiji"

// Turn is one earlier message of a conversation, oldest first in
// [Question.History]: the [kuaiji.Turn] the chat adapters keep.
type Turn = kuaiji.Turn

// Question is a free-text policy question with what is known about the asker.
type Question struct {
	Text string
	// Jurisdiction is a code, name or alias the asker is known to belong to
	// (from a profile or a command-line flag); a place named in Text wins.
	Jurisdiction string
	// History holds the recent turns so short follow-ups such as "那深圳呢？"
	// can be understood.
	History []Turn
	// Simplified says that Text and History are in simplified script
	// already, as the chat router sends them (it converts each message
	// once, and the history it keeps is made of converted text); retrieval
	// then does not convert them again.
	Simplified bool
}

// simplified is q with its text and history in simplified script, each
// converted once ([Simplify]).
func (q Question) simplified() Question {
	if q.Simplified {
		return q
	}
	q.Text = Simplify(q.Text)
	h := make([]Turn, len(q.History))
	for i, t := range q.History {
		h[i] = Turn{User: t.User, Text: Simplify(t.Text)}
	}
	q.History, q.Simplified = h, true
	return q
}

// Source is a passage an answer rests on, as shown to the user: the
// [kuaiji.Source] that replies carry to every adapter.
type Source = kuaiji.Source

// Answer is what kuaiji says to a [Question].
type Answer struct {
	Text        string   `json:"answer"`
	Sources     []Source `json:"sources"`
	Confidence  float64  `json:"confidence"`
	Handoff     bool     `json:"handoff"`
	Suggestions []string `json:"suggestions"`

	// Declined is true when the question is outside what kuaiji covers.
	Declined bool `json:"-"`
	// FAQ is true when a FAQ entry matched and answers directly (counted
	// apart from answers built from passages).
	FAQ bool `json:"-"`
	// Jurisdiction is the code of the place the answer was given for, "" when national.
	Jurisdiction string `json:"-"`
	// Standalone is the question actually searched, after follow-ups were resolved.
	Standalone string `json:"-"`
	// Note opens Text when the question had to be cut; a generated answer
	// that replaces Text keeps it.
	Note string `json:"-"`
}
