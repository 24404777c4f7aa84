package flows

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kuaiji/kuaiji"
)

// turn applies one [Input] to a loaded snapshot. It is pure apart from the
// AnswerFunc call for questions; [Engine.Handle] saves what it changed.
type turn struct {
	e    *Engine
	ctx  context.Context
	in   Input
	qa   AnswerFunc
	snap *Snapshot
	now  time.Time

	replies []kuaiji.Reply
	// pending lines are put before the next reply's text.
	pending []string
	// prefilled lists the questions answered from the profile.
	prefilled []prefill
	// noPrefill is a profile key asked again in this turn (修改).
	noPrefill string
	// keep holds answers replayed without asking when a flow runs again
	// from its start (修改 of one answer keeps the others).
	keep map[string]string
	// pressedStale is set when the input was a button that no longer applies.
	pressedStale bool
	// forgot is set by /forget, for the engine's forget hook.
	forgot bool
	// carry is the message of this turn, from which every step reached
	// reads its answer before asking (see sentence.go).
	carry string
	// datesRead counts the dates taken from carry: one date answers one
	// date question ("2019年" is when the title was obtained, not also
	// when accounting work began), unless a step names its own cues.
	datesRead int
	// understood lists the answers read from carry, for 已记下：….
	understood []string
	reads      int
}

func (t *turn) sess() *Session { return &t.snap.Session }

func (t *turn) flow() *Flow {
	if t.sess().Flow == "" {
		return nil
	}
	return t.e.flows[t.sess().Flow]
}

func (t *turn) step() *Step {
	if f := t.flow(); f != nil {
		return f.Steps[t.sess().Step]
	}
	return nil
}

func (t *turn) say(r kuaiji.Reply) {
	if line := t.understoodLine(); line != "" {
		t.pending = append(t.pending, line)
	}
	if len(t.prefilled) > 0 {
		t.pending = append(t.pending, t.prefilledLine())
		r.Buttons = append(r.Buttons, t.redoButtons()...)
		t.prefilled = nil
	}
	if len(t.pending) > 0 {
		r.Text = strings.Join(append(t.pending, r.Text), "\n\n")
		t.pending = nil
	}
	t.replies = append(t.replies, r)
}

func (t *turn) out() []kuaiji.Reply {
	if len(t.pending) > 0 {
		t.replies = append(t.replies, kuaiji.Reply{Text: strings.Join(t.pending, "\n\n")})
		t.pending = nil
	}
	if t.pressedStale && len(t.replies) > 0 {
		t.replies[0].Stale = true
	}
	return t.replies
}

func (t *turn) run() {
	t.checkFlow()
	switch {
	case t.in.Start != "":
		t.request(t.in.Start, strings.TrimSpace(t.in.Text))
	case t.in.Data != "":
		t.button(t.in.Data)
	case t.in.Command != "":
		t.command(t.in.Command, strings.TrimSpace(t.in.Arg))
	default:
		t.text(strings.TrimSpace(t.in.Text))
	}
}

// checkFlow resets a session whose flow version changed since it was
// saved, or that names a step the loaded flow lacks (a renamed step after a
// deployment that forgot to bump the version, an edited key) anywhere: as
// the current step or in the trail /back walks.
func (t *turn) checkFlow() {
	s := t.sess()
	if s.Flow == "" {
		if s.Step != "" || len(s.Trail) > 0 || len(s.Answers) > 0 {
			t.e.log.Warn("stray flow state dropped", "chat_id", t.in.Chat, "step", s.Step)
			t.clearFlow()
		}
		return
	}
	f := t.e.flows[s.Flow]
	if f != nil && f.Version == s.FlowVersion && validState(f, s) {
		if s.Answers == nil {
			s.Answers = map[string]string{}
		}
		return
	}
	title := s.Flow
	if f != nil {
		title = f.Title
	}
	t.e.log.Warn("stale flow state reset", "chat_id", t.in.Chat, "flow", s.Flow, "step", s.Step)
	t.clearFlow()
	t.pending = append(t.pending, "抱歉，「"+title+"」的内容已经更新，之前的进度无法继续，已为您重置。")
}

func (t *turn) paused() bool {
	s := t.sess()
	return s.Flow != "" && s.Updated > 0 && t.now.Sub(time.Unix(s.Updated, 0)) > t.e.resume
}

func (t *turn) text(txt string) {
	if txt == "" {
		if t.step() != nil {
			t.ask(t.step(), "")
		} else {
			t.welcome()
		}
		return
	}
	if t.flow() == nil {
		t.answerQuestion(txt)
		return
	}
	if t.paused() {
		if LooksLikeQuestion(txt) {
			t.answerQuestion(txt)
		}
		t.resumePrompt()
		return
	}
	t.carry = txt
	t.answer(txt)
}

func (t *turn) command(cmd, arg string) {
	switch cmd {
	case "start":
		if f := t.flow(); f != nil {
			t.resumePrompt()
			return
		}
		t.welcome()
	case "help":
		t.help()
	case "menu":
		t.menuReply("请选择您要办理的事项：")
	case "cancel":
		t.cancel()
	case "back":
		t.back()
	case "profile":
		t.profile()
	case "forget":
		t.forget()
	case "export":
		t.export()
	default:
		f := t.e.byCmd[cmd]
		if f == nil {
			t.say(kuaiji.Reply{Text: "抱歉，没有 /" + cmd + " 这个命令。"})
			t.help()
			return
		}
		t.start(f, arg)
	}
}

// start begins flow f, ending any other; a non-empty arg answers its first
// question ("/province 深圳").
func (t *turn) start(f *Flow, arg string) {
	s := t.sess()
	if s.Flow != "" && s.Flow != f.ID {
		if old := t.flow(); old != nil {
			t.pending = append(t.pending, "已结束「"+old.Title+"」。")
		}
	}
	if s.Flow == f.ID {
		// Starting over keeps what this very flow was told.
		t.confirm(s.Answers)
	}
	s.Flow, s.FlowVersion, s.Step = f.ID, f.Version, ""
	s.Answers, s.Trail, s.Misses = map[string]string{}, nil, 0
	if f.Intro != "" {
		t.pending = append(t.pending, f.Intro)
	}
	if arg != "" {
		t.enter(f.Start, true)
		if t.step() != nil && t.step().ID == s.Step {
			t.answer(arg)
		}
		return
	}
	t.enter(f.Start, false)
}

// enter moves to step id and shows steps until one waits for an answer or
// the flow ends. Profile values answer their questions without asking;
// quiet leaves the waiting step unasked (an argument will answer it).
func (t *turn) enter(id string, quiet bool) {
	f := t.flow()
	s := t.sess()
	for guard := 0; f != nil && guard < 64; guard++ {
		st := f.Steps[id]
		s.Step, s.Misses = id, 0
		if st.Waits() {
			if v, ok := t.keep[st.Save]; ok && st.Save != t.noPrefill {
				s.Answers[st.Save] = v
				s.Trail = append(s.Trail, st.ID)
				id = t.route(st, choiceByValue(st, v))
				continue
			}
			if v, c, ok := t.fromCarry(f, st); ok {
				t.accept(st, v, c)
				return
			}
			if v := t.snap.Profile[st.Save]; st.Profile && !st.AskAgain && v != "" && t.noPrefill != st.Save {
				if t.unconfirmed(st.Save) {
					if !quiet {
						t.askReuse(f, st, v)
					}
					return
				}
				s.Answers[st.Save] = v
				t.prefilled = append(t.prefilled, prefill{step: st.ID, text: ProfileLabels[st.Save] + "：" + t.display(f, st.Save, v)})
				id = t.route(st, nil)
				continue
			}
			if !quiet {
				t.ask(st, "")
			}
			return
		}
		t.show(f, st, s.Answers)
		if st.End {
			t.confirm(s.Answers)
			s.Last = &Finished{Flow: f.ID, Step: st.ID, Answers: s.Answers}
			t.clearFlow()
			return
		}
		id = t.route(st, nil)
	}
}

func (t *turn) ask(st *Step, prefix string) {
	f := t.flow()
	text := t.render(f, st.Ask, t.sess().Answers)
	if st.Say != "" {
		text = t.render(f, st.Say, t.sess().Answers) + "\n\n" + text
	}
	if prefix != "" {
		text = prefix + text
	}
	// A step that informs before it asks (a walkthrough page) carries its
	// citations, as a result does.
	var cites []kuaiji.Source
	if st.Say != "" {
		cites = t.cites(f, st, t.sess().Answers)
	}
	t.say(kuaiji.Reply{Text: text, Buttons: t.choiceButtons(f, st), Sources: cites})
}

func (t *turn) choiceButtons(f *Flow, st *Step) [][]kuaiji.Button {
	var rows [][]kuaiji.Button
	var row []kuaiji.Button
	for i, c := range st.Choices {
		row = append(row, kuaiji.Button{Label: c.Label, Data: choiceData(f.ID, st.ID, i)})
		if len(row) == 3 || utf8.RuneCountInString(c.Label) > 4 {
			rows, row = append(rows, row), nil
		}
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	return rows
}

func (t *turn) choose(st *Step, c *Choice) {
	switch {
	case c.Back:
		t.back()
	case c.Exit:
		t.cancel()
	default:
		t.accept(st, c.value(), c)
	}
}

func (t *turn) accept(st *Step, v string, c *Choice) {
	s := t.sess()
	if st.Save != "" {
		s.Answers[st.Save] = v
		if st.Profile && t.snap.Profile[st.Save] != v {
			if t.snap.Profile == nil {
				t.snap.Profile = Profile{}
			}
			t.snap.Profile[st.Save] = v
			t.snap.ProfileChanged = true
		}
		if st.Profile {
			t.markUnconfirmed(st.Save)
		}
	}
	s.Trail = append(s.Trail, st.ID)
	t.enter(t.route(st, c), false)
}

// route picks the step after st: the choice's next, the first branch that
// holds, or st.Next.
func (t *turn) route(st *Step, c *Choice) string {
	if c != nil && c.Next != "" {
		return c.Next
	}
	for _, b := range st.Branch {
		if t.holds(&b.If, t.sess().Answers) {
			return b.Next
		}
	}
	return st.Next
}
