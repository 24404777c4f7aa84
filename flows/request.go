package flows

import (
	"context"
	"strings"
	"unicode/utf8"
)

// maxSentenceRunes bounds the messages read for several answers: longer
// texts are questions or pasted documents, not answers.
const maxSentenceRunes = 200

// All returns every loaded flow, in the menu or not, menu flows first in
// menu order.
func (e *Engine) All() []*Flow {
	out := append([]*Flow(nil), e.menu...)
	for _, f := range e.flows {
		if f.Menu == 0 {
			out = append(out, f)
		}
	}
	return out
}

// Settles reports whether text alone answers at least min questions of
// flow id and leads it to a result, without any profile: 「我没有职称，也
// 没做会计，就是个在读大学生，暂时不打算考试」 settles the check. The router
// starts such a flow instead of answering the text as a question.
func (e *Engine) Settles(id, text string, min int) bool {
	f := e.flows[id]
	if f == nil || text == "" || utf8.RuneCountInString(text) > maxSentenceRunes {
		return false
	}
	t := &turn{e: e, ctx: context.Background(), in: Input{Start: id, Text: text}, snap: &Snapshot{}, now: e.now(), carry: text}
	t.start(f, "")
	return t.reads >= min && t.sess().Flow == "" && t.sess().Last != nil && t.sess().Last.Flow == id
}

// checkWords validates the words that lead from text to the flow:
// requests and suggest.when are "+"-joined words without empty parts, a
// suggestion has its text, and cues belong to place steps.
func (f *Flow) checkWords(bad func(string, ...any)) {
	patterns := func(what string, list []string) {
		for _, p := range list {
			for _, w := range strings.Split(p, "+") {
				if strings.TrimSpace(w) == "" {
					bad("flow %s: %s pattern %q has an empty word", f.ID, what, p)
				}
			}
		}
	}
	patterns("requests", f.Requests)
	if s := f.Suggest; s != nil {
		patterns("suggest.when", s.When)
		if s.Text == "" || len(s.When) == 0 {
			bad("flow %s: suggest needs text and when", f.ID)
		}
	}
	for id, st := range f.Steps {
		if st != nil && len(st.Cues) > 0 && st.ParseKind() != "place" {
			bad("flow %s step %s: cues are for place steps", f.ID, id)
		}
	}
}
