package flows

import (
	"strconv"
	"unicode/utf8"

	"github.com/kuaiji/kuaiji"
	"github.com/kuaiji/kuaiji/internal/textcut"
)

// Free text: an answer to the current step (a choice's label or number,
// a parsed yes/no, level, date or place), or a policy question for the
// [AnswerFunc], which leaves the step waiting.

// answer understands free text at the current step.
func (t *turn) answer(txt string) {
	st := t.step()
	if c := matchChoice(st, txt); c != nil {
		t.choose(st, c)
		return
	}
	if !LooksLikeQuestion(txt) || st.ParseKind() == "place" && utf8.RuneCountInString(txt) <= 8 {
		// A place after a cue beats the first place named: at the
		// destination, 从北京调到上海 answers 上海.
		if st.ParseKind() == "place" {
			if v, c, ok := t.read(st, txt); ok {
				t.noteRead(t.flow(), st, v, c)
				t.accept(st, v, c)
				return
			}
		}
		if v, ok := t.parse(st, txt); ok {
			c := choiceByValue(st, v)
			t.noteRead(t.flow(), st, v, c)
			t.accept(st, v, c)
			return
		}
		if v, c, ok := t.read(st, txt); ok {
			t.noteRead(t.flow(), st, v, c)
			t.accept(st, v, c)
			return
		}
	}
	if t.corrects(txt) {
		return
	}
	if LooksLikeQuestion(txt) {
		t.answerQuestion(txt)
		t.ask(st, "我们继续刚才的问题：")
		return
	}
	t.miss(st, txt)
}

func (t *turn) parse(st *Step, txt string) (string, bool) {
	switch st.ParseKind() {
	case "yesno":
		if yes, ok := ParseYesNo(txt); ok {
			if yes {
				return "yes", true
			}
			return "no", true
		}
	case "level":
		return ParseLevel(txt)
	case "date":
		if m, ok := ParseDate(txt); ok {
			return m.Code(), true
		}
	case "place":
		if p, ok := ParsePlace(t.e.places, txt); ok {
			return p.Code, true
		}
	}
	return "", false
}

func matchChoice(st *Step, txt string) *Choice {
	c := clean(txt)
	if c == "" {
		return nil
	}
	if n, err := strconv.Atoi(c); err == nil && n >= 1 && n <= len(st.Choices) && st.ParseKind() != "date" {
		return &st.Choices[n-1]
	}
	for i := range st.Choices {
		ch := &st.Choices[i]
		if clean(ch.Label) == c || ch.Value == c {
			return ch
		}
		for _, m := range ch.Match {
			if clean(m) == c {
				return ch
			}
		}
	}
	return nil
}

func choiceByValue(st *Step, v string) *Choice {
	for i := range st.Choices {
		if st.Choices[i].value() == v && !st.Choices[i].Back && !st.Choices[i].Exit {
			return &st.Choices[i]
		}
	}
	return nil
}

func (t *turn) miss(st *Step, txt string) {
	s := t.sess()
	s.Misses++
	if s.Misses >= t.e.misses {
		s.Misses = 0
		t.say(kuaiji.Reply{
			Text: "抱歉，我还是没能理解您的回答。您可以返回菜单重新选择、转人工服务，或者退出当前流程；也可以直接回答上面的问题。",
			Buttons: [][]kuaiji.Button{
				{{Label: "返回菜单", Data: MenuData}, {Label: "人工服务", Data: HumanData}},
				{{Label: "退出流程", Data: ExitData}},
			},
		})
		return
	}
	hint := "抱歉，没能理解您的回答。"
	switch st.ParseKind() {
	case "yesno":
		hint += "请回答“是”或“否”。"
	case "level":
		hint += "请回答您的职称级别，例如：初级、中级、高级、正高级；没有职称请回答“无”。"
	case "date":
		hint += "请按“2023年5月”或“2023-05”的格式回答。"
	case "place":
		hint += "请回答省、自治区、直辖市或计划单列市的名称，例如：广东、深圳、内蒙古。"
		if sug := t.e.places.Suggest(txt, 3); len(sug) > 0 {
			var row []kuaiji.Button
			for _, p := range sug {
				row = append(row, kuaiji.Button{Label: p.Name, Data: valueData(s.Flow, st.ID, p.Code)})
			}
			t.say(kuaiji.Reply{Text: hint + "您是不是指下面的地区？"})
			t.ask(st, "")
			t.replies[len(t.replies)-1].Buttons = append([][]kuaiji.Button{row}, t.replies[len(t.replies)-1].Buttons...)
			return
		}
	default:
		hint += "请从下面的选项中选择，或输入选项前的序号。"
	}
	t.pending = append(t.pending, hint)
	t.ask(st, "")
}

// answerQuestion passes a policy question to the AnswerFunc and keeps the
// exchange, shortened, as history for follow-ups.
func (t *turn) answerQuestion(q string) {
	if t.qa == nil {
		t.say(kuaiji.Reply{Text: "抱歉，问答服务暂时不可用。您可以使用下面的引导服务："})
		t.menuReply("")
		return
	}
	s := t.sess()
	jur := t.lookup(s.Answers, "jurisdiction")
	a, err := t.qa(t.ctx, Query{Text: q, Jurisdiction: jur, History: append([]kuaiji.Turn(nil), s.History...), Flow: s.Flow})
	if err != nil {
		t.e.log.Error("answer question", "chat_id", t.in.Chat, "err", err)
		t.say(kuaiji.Reply{Text: "抱歉，暂时无法回答这个问题，请稍后再试，或咨询属地财政部门。"})
		return
	}
	t.say(kuaiji.Reply{Text: a.Text, Sources: a.Sources, Handoff: a.Handoff})
	s.History = append(s.History, kuaiji.Turn{User: true, Text: textcut.Runes(q, historyRunes)}, kuaiji.Turn{Text: textcut.Runes(a.Text, historyRunes)})
	if n := len(s.History) - t.e.history; n > 0 {
		s.History = append([]kuaiji.Turn(nil), s.History[n:]...)
	}
}

// historyRunes is how much of a turn the history keeps: enough to resolve
// "那深圳呢？". The question was masked when the turn began.
const historyRunes = 60
