package telegram

import (
	"strings"
	"testing"

	"github.com/kuaiji/kuaiji"
	"github.com/kuaiji/kuaiji/bot"
)

func TestSplit(t *testing.T) {
	para := strings.Repeat("字", 1500)
	for name, c := range map[string]struct {
		in    string
		max   int
		parts int
	}{
		"short":        {"你好", 10, 1},
		"empty":        {"  ", 10, 0},
		"paragraphs":   {para + "\n\n" + para + "\n\n" + para, 4096, 2},
		"lines":        {strings.Repeat("一行文字。\n", 20), 30, 4},
		"one sentence": {strings.Repeat("长", 25), 10, 3},
		"emoji":        {strings.Repeat("😀", 6), 4, 3},
	} {
		t.Run(name, func(t *testing.T) {
			got := split(c.in, c.max)
			if len(got) != c.parts {
				t.Fatalf("%d parts, want %d: %q", len(got), c.parts, got)
			}
			var total int
			for _, p := range got {
				if length(p) > c.max {
					t.Errorf("part of %d > %d", length(p), c.max)
				}
				total += len([]rune(strings.ReplaceAll(p, "\n", "")))
			}
			if want := len([]rune(strings.ReplaceAll(strings.TrimSpace(c.in), "\n", ""))); total != want {
				t.Errorf("text lost: %d of %d runes", total, want)
			}
		})
	}
	// Paragraphs stay whole when they fit.
	for _, p := range split(para+"\n\n"+para+"\n\n"+para, 4096) {
		if !strings.HasPrefix(p, "字") || strings.HasPrefix(p, "\n") {
			t.Errorf("part starts mid-paragraph: %.10q", p)
		}
	}
}

func TestKeyboardNeverSendsEmptyData(t *testing.T) {
	var dropped []kuaiji.Button
	kb := keyboard([][]kuaiji.Button{
		{{Label: "好", Data: "v1|x"}, {Label: "空", Data: ""}},
		{{Label: "", Data: "v1|y"}, {Label: "长", Data: strings.Repeat("x", 65)}},
	}, func(b kuaiji.Button) { dropped = append(dropped, b) })
	if len(kb.InlineKeyboard) != 1 || len(kb.InlineKeyboard[0]) != 1 || kb.InlineKeyboard[0][0].CallbackData != "v1|x" {
		t.Errorf("keyboard %+v", kb.InlineKeyboard)
	}
	if len(dropped) != 3 {
		t.Errorf("dropped %d buttons", len(dropped))
	}
	if keyboard(nil, nil) != nil {
		t.Error("empty keyboard not nil")
	}
}

func TestButtonsCarryHandoffReason(t *testing.T) {
	low := bot.HandoffButtons(kuaiji.Reply{Text: "不确定", Handoff: true, Sources: make([]kuaiji.Source, 1)})
	if got := low[len(low)-1][0].Data; got != "v1|human|low" {
		t.Errorf("low-confidence offer: %q", got)
	}
	stuck := bot.HandoffButtons(kuaiji.Reply{Buttons: [][]kuaiji.Button{{{Label: "人工服务", Data: "v1|human"}}, {{Label: "退出流程", Data: "v1|exit"}}}})
	if stuck[0][0].Data != "v1|human|stuck" || len(stuck) != 2 {
		t.Errorf("repeated failures: %+v", stuck)
	}
	for _, row := range append(low, stuck...) {
		for _, b := range row {
			if len(b.Data) > 64 || b.Data == "" {
				t.Errorf("bad data %q", b.Data)
			}
		}
	}
}
