package knowledge

import (
	"context"
	"strings"
)

// unrepeat answers a follow-up whose answer r would repeat the previous
// reply word for word: by pointing to the part of the reply that has the
// follow-up's own words, else with an answer to its own subject, else with
// what the answer adds to the reply, else by pointing to the part that
// holds what it asks, else by saying that nothing differs. The passages
// stay: a generator writes its own answer to the resolved follow-up.
func (ix *Index) unrepeat(ctx context.Context, q Question, d dialogue, r Retrieval) (Retrieval, error) {
	back, own := ix.pointBack(q.Text, r.Question, strings.TrimPrefix(r.Answer.Text, r.Answer.Note))
	if back != "" && own {
		// The previous reply already said it: say which part.
		r.Answer.Text = r.Answer.Note + "上一条回答里已经提到：" + back
		return r, nil
	}
	alt, err := ix.retrieve(ctx, q, true)
	if err != nil {
		return r, err
	}
	// Only a retry still about the domain: "从什么时候开始的" alone is about
	// nothing.
	if a := alt.Answer; alt.Question != r.Question && classify(alt.Question) == onTopic &&
		!a.Declined && !a.Handoff && a.Confidence >= r.Answer.Confidence && !d.repeats(a.Text) {
		return alt, nil
	}
	if part := d.newPart(strings.TrimPrefix(r.Answer.Text, r.Answer.Note)); part != "" {
		r.Answer.Text = r.Answer.Note + part
		return r, nil
	}
	if back != "" {
		r.Answer.Text = r.Answer.Note + "上一条回答里已经提到：" + back
		return r, nil
	}
	r.Answer.Text, r.Answer.Handoff = r.Answer.Note+sameAsBeforeText, false
	return r, nil
}
