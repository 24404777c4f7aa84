package handoff

import (
	"context"
	"errors"
	"strings"

	"github.com/kuaiji/kuaiji/flows"
	"github.com/kuaiji/kuaiji/internal/textcut"
)

// State is a chat's flow state in words, for the ticket card.
type State struct {
	// Flow is the flow's title, "" outside a flow.
	Flow string
	// Step is the current question (its first line).
	Step string
	// Answers are "question：answer" lines, in the order answered.
	Answers []string
	// Jurisdiction is the user's place, from the flow or the profile.
	Jurisdiction string
	// Place is that jurisdiction's code (hainan), for rules keyed by it;
	// "" when unknown.
	Place string
}

// String is the state as one paragraph; "" outside a flow.
func (s State) String() string {
	if s.Flow == "" {
		return ""
	}
	var b strings.Builder
	b.WriteString("「" + s.Flow + "」")
	if s.Step != "" {
		b.WriteString("，当前问题：" + s.Step)
	}
	if len(s.Answers) > 0 {
		b.WriteString("\n已回答：\n- " + strings.Join(s.Answers, "\n- "))
	}
	return b.String()
}

// Describer reads a chat's flow state from the [flows.Store] and puts it in
// words. The router keeps state only in the store, so this reads it there.
type Describer struct {
	store  flows.Store
	flows  map[string]*flows.Flow
	places flows.Places
}

// NewDescriber returns a describer over the flows and places the engine
// uses.
func NewDescriber(store flows.Store, list []*flows.Flow, places flows.Places) *Describer {
	d := &Describer{store: store, flows: map[string]*flows.Flow{}, places: places}
	for _, f := range list {
		d.flows[f.ID] = f
	}
	return d
}

// Describe returns the chat's state. A corrupt session reads as no flow.
func (d *Describer) Describe(ctx context.Context, chat, user int64) (State, error) {
	snap, err := d.store.Load(ctx, chat, user)
	if err != nil && !errors.Is(err, flows.ErrCorrupt) {
		return State{}, err
	}
	var st State
	sess := snap.Session
	j := sess.Answers["jurisdiction"]
	if j == "" {
		j = snap.Profile["jurisdiction"]
	}
	if j != "" {
		st.Jurisdiction = d.display(nil, "jurisdiction", j)
		if d.places != nil {
			if p, ok := d.places.Resolve(j); ok {
				st.Place = p.Code
			}
		}
	}
	f := d.flows[sess.Flow]
	if f == nil {
		return st, nil
	}
	st.Flow = f.Title
	if step := f.Steps[sess.Step]; step != nil {
		st.Step = textcut.FirstLine(strings.TrimSpace(step.Ask))
	}
	seen := map[string]bool{}
	for _, id := range sess.Trail {
		step := f.Steps[id]
		if step == nil || step.Save == "" || seen[step.Save] {
			continue
		}
		v, ok := sess.Answers[step.Save]
		if !ok {
			continue
		}
		seen[step.Save] = true
		st.Answers = append(st.Answers, textcut.FirstLine(strings.TrimSpace(step.Ask))+"："+d.display(f, step.Save, v))
	}
	return st, nil
}

// display shows a stored code as the user knows it, as the engine does.
func (d *Describer) display(f *flows.Flow, key, v string) string {
	return flows.Display(f, key, v, d.places)
}
