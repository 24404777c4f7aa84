package flows

import (
	"slices"
	"strings"

	"github.com/kuaiji/kuaiji"
)

// Answers carried over from the profile are shown with a 修改 button each.
// Profile answers given in a flow that never reached its result (cancelled
// or left for another flow) stay unconfirmed: the next flow asks again and
// offers the old answer as one choice instead of using it silently.

// unconfirmedKey is the profile entry listing keys saved by flows that have
// not finished; it is never shown and /forget removes it with the rest.
const unconfirmedKey = "unconfirmed"

type prefill struct{ step, text string }

func (t *turn) prefilledLine() string {
	texts := make([]string, len(t.prefilled))
	for i, p := range t.prefilled {
		texts[i] = p.text
	}
	return "（已按您资料中的" + strings.Join(texts, "、") + "继续；如有变化，可以选择下面的“修改”重新回答。）"
}

func (t *turn) redoButtons() [][]kuaiji.Button {
	f := t.flow()
	if f == nil && t.sess().Last != nil {
		f = t.e.flows[t.sess().Last.Flow]
	}
	if f == nil {
		return nil
	}
	var row []kuaiji.Button
	for _, p := range t.prefilled {
		st := f.Steps[p.step]
		if st == nil {
			continue
		}
		row = append(row, kuaiji.Button{Label: "修改" + shortLabel(st.Save), Data: redoData(f.ID, st.ID)})
	}
	if len(row) == 0 {
		return nil
	}
	return [][]kuaiji.Button{row}
}

func shortLabel(key string) string {
	switch key {
	case "level":
		return "职称"
	case "working":
		return "工作情况"
	}
	return ProfileLabels[key]
}

// redo asks the profile question at step again, in flow id: the flow runs
// again from its start with that answer left to the user.
func (t *turn) redo(id, step string) {
	f := t.e.flows[id]
	if f == nil || f.Steps[step] == nil || !f.Steps[step].Waits() {
		t.stale("这个按钮已经失效。")
		return
	}
	s := t.sess()
	switch {
	case s.Flow == f.ID:
		t.keep = s.Answers
	case s.Last != nil && s.Last.Flow == f.ID:
		t.keep = s.Last.Answers
	}
	if s.Flow != f.ID {
		if old := t.flow(); old != nil {
			t.pending = append(t.pending, "已结束「"+old.Title+"」。")
		}
		s.Flow, s.FlowVersion = f.ID, f.Version
	}
	s.Step, s.Answers, s.Trail, s.Misses = "", map[string]string{}, nil, 0
	t.noPrefill = f.Steps[step].Save
	t.pending = append(t.pending, "好的，请重新回答。")
	t.enter(f.Start, false)
}

// askReuse asks a question whose profile answer is unconfirmed, offering
// that answer as a choice.
func (t *turn) askReuse(f *Flow, st *Step, v string) {
	t.say(kuaiji.Reply{Text: "您之前在没有完成的流程里回答过：" + t.display(f, st.Save, v) + "。如果没有变化，可以直接沿用；也可以重新回答。"})
	t.ask(st, "")
	r := &t.replies[len(t.replies)-1]
	r.Buttons = append([][]kuaiji.Button{{{Label: "沿用：" + t.display(f, st.Save, v), Data: valueData(f.ID, st.ID, v)}}}, r.Buttons...)
}

func (t *turn) unconfirmedKeys() []string {
	v := t.snap.Profile[unconfirmedKey]
	if v == "" {
		return nil
	}
	return strings.Split(v, ",")
}

func (t *turn) unconfirmed(key string) bool { return slices.Contains(t.unconfirmedKeys(), key) }

func (t *turn) markUnconfirmed(key string) {
	if t.unconfirmed(key) {
		return
	}
	t.setUnconfirmed(append(t.unconfirmedKeys(), key))
}

// confirm marks the profile answers of a flow that reached its result as
// confirmed.
func (t *turn) confirm(answers map[string]string) {
	keys := t.unconfirmedKeys()
	if len(keys) == 0 {
		return
	}
	kept := keys[:0:0]
	for _, k := range keys {
		if _, ok := answers[k]; !ok {
			kept = append(kept, k)
		}
	}
	if len(kept) != len(keys) {
		t.setUnconfirmed(kept)
	}
}

func (t *turn) setUnconfirmed(keys []string) {
	if t.snap.Profile == nil {
		t.snap.Profile = Profile{}
	}
	if len(keys) == 0 {
		delete(t.snap.Profile, unconfirmedKey)
	} else {
		t.snap.Profile[unconfirmedKey] = strings.Join(keys, ",")
	}
	t.snap.ProfileChanged = true
}
