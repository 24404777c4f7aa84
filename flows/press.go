package flows

import (
	"strconv"
	"strings"
)

// button applies a pressed button (its data decoded by callback.go). A
// button that no longer applies says so and re-asks the current question.
func (t *turn) button(data string) {
	p, ok := decodePress(data)
	if !ok {
		t.stale("这个按钮来自旧版本，已经失效。")
		return
	}
	switch p.kind {
	case "menu":
		t.menuReply("请选择您要办理的事项：")
	case "exit":
		t.cancel()
	case "export":
		t.export()
	case "back":
		t.back()
	case "help":
		t.help()
	case "go":
		if len(p.args) == 1 && t.e.flows[p.args[0]] != nil {
			t.start(t.e.flows[p.args[0]], "")
			return
		}
		t.stale("这个按钮已经失效。")
	case "resume":
		f := t.flow()
		if f == nil || len(p.args) != 1 {
			t.stale("上次的流程已经结束或已过期。")
			return
		}
		switch p.args[0] {
		case "restart":
			t.start(f, "")
		case "end":
			t.cancel()
		default:
			t.pending = append(t.pending, "好的，我们接着办理「"+f.Title+"」。")
			t.ask(t.step(), "")
		}
	default:
		if len(p.args) != 2 {
			t.stale("这个按钮已经失效。")
			return
		}
		flow, step, arg := p.kind, p.args[0], p.args[1]
		s := t.sess()
		if arg == "redo" {
			t.redo(flow, step)
			return
		}
		if s.Flow != flow || s.Step != step {
			t.stale("这个按钮对应的问题已经回答过或已过期。")
			return
		}
		st := t.step()
		if code, ok := strings.CutPrefix(arg, "="); ok {
			t.answer(code)
			return
		}
		i, err := strconv.Atoi(arg)
		if err != nil || i < 0 || i >= len(st.Choices) {
			t.stale("这个按钮已经失效。")
			return
		}
		t.choose(st, &st.Choices[i])
	}
}

func (t *turn) stale(why string) {
	t.pressedStale = true
	if st := t.step(); st != nil {
		t.pending = append(t.pending, why+"我们继续当前的问题：")
		t.ask(st, "")
		return
	}
	t.menuReply(why + "您可以重新选择要办理的事项：")
}
