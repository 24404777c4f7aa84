package flows

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// A message often answers more than the question asked: 「中级职称，在职，
// 不是派遣」 or 「从北京调到上海」. The turn keeps the message as its carry
// and every step it reaches reads its own answer from it before asking.

// clauses splits a message at punctuation and spaces into its parts.
func clauses(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return strings.ContainsRune(",.!?;:~，。！？；：、… \t\n", r)
	})
}

// read finds st's answer inside msg: the longest choice word it contains,
// a level named by a qualification word, a date, or a place after one of
// the step's cues. It is stricter than parse, which takes a whole message
// as the answer.
func (t *turn) read(st *Step, msg string) (string, *Choice, bool) {
	if !st.Waits() || st.Save == "" {
		return "", nil, false
	}
	c := clean(msg)
	if c == "" || utf8.RuneCountInString(c) > maxSentenceRunes {
		return "", nil, false
	}
	if ch := longestChoice(st, c); ch != nil {
		return ch.value(), ch, true
	}
	switch st.ParseKind() {
	case "level":
		if v, ok := readLevel(msg); ok {
			return v, choiceByValue(st, v), true
		}
	case "date":
		if m, ok := readDate(msg, t.now); ok {
			return m.Code(), nil, true
		}
	case "place":
		if p, ok := t.readPlace(st, msg); ok {
			return p.Code, nil, true
		}
	}
	return "", nil, false
}

// longestChoice returns the choice whose label or match word is the longest
// found in c; one-character words (是, 否) are too common to count.
func longestChoice(st *Step, c string) *Choice {
	var best *Choice
	bestLen := 1
	for i := range st.Choices {
		ch := &st.Choices[i]
		if ch.Back || ch.Exit {
			continue
		}
		for _, w := range append([]string{ch.Label}, ch.Match...) {
			w = clean(w)
			if n := utf8.RuneCountInString(w); n > bestLen && strings.Contains(c, w) {
				best, bestLen = ch, n
			}
		}
	}
	return best
}

// readLevel finds a level in a clause that names a qualification (中级,
// 会计师, 没有职称); a bare 没有 in a sentence says nothing about levels.
func readLevel(msg string) (string, bool) {
	for _, cl := range clauses(msg) {
		c := clean(cl)
		if !strings.ContainsAny(c, "级职称") && !strings.Contains(c, "会计师") && !strings.Contains(c, "高会") &&
			!strings.Contains(c, "初会") && !strings.Contains(c, "中会") {
			continue
		}
		if v, ok := ParseLevel(c); ok {
			return v, true
		}
		// "我没有职称，…" keeps its clause short enough for ParseLevel; a
		// longer one still says none when it denies having a title.
		for _, w := range []string{"没有职称", "无职称", "没职称", "没有任何职称"} {
			if strings.Contains(c, w) {
				return LevelNone, true
			}
		}
	}
	return "", false
}

var (
	dateInText   = regexp.MustCompile(`(\d{4}|\d{2})年(?:(\d{1,2})月|(底|末|年底|初|年初))?`)
	dateSepText  = regexp.MustCompile(`(\d{4})[-./](\d{1,2})`)
	yearsAgoText = regexp.MustCompile(`([0-9一二两三四五六七八九十]+)年(?:前|以前)`)
)

// readDate finds a month in a message, absolute (2023年5月, 2023年底,
// 2023-05) or relative to now (去年, 前年, 今年, 上个月, 三年前).
func readDate(msg string, now time.Time) (Month, bool) {
	c := clean(msg)
	if m := dateInText.FindStringSubmatch(c); m != nil {
		if mo, ok := ParseDate(m[1] + "年" + m[2] + monthSuffix(m[2])); ok {
			switch m[3] {
			case "底", "末", "年底":
				mo.Month = 12
			case "初", "年初":
				mo.Month = 1
			}
			return mo, true
		}
	}
	if m := dateSepText.FindStringSubmatch(c); m != nil {
		if mo, ok := ParseDate(m[1] + "-" + m[2]); ok {
			return mo, true
		}
	}
	y := now.Year()
	month := func(word string) time.Month {
		switch {
		case strings.Contains(c, word+"底"), strings.Contains(c, word+"年底"), strings.Contains(c, word+"末"):
			return 12
		case strings.Contains(c, word+"初"), strings.Contains(c, word+"年初"):
			return 1
		}
		return 0
	}
	switch {
	case strings.Contains(c, "上个月"), strings.Contains(c, "上月"):
		p := now.AddDate(0, -1, 0)
		return Month{p.Year(), p.Month()}, true
	case strings.Contains(c, "这个月"), strings.Contains(c, "本月"):
		return Month{y, now.Month()}, true
	case strings.Contains(c, "大前年"):
		return Month{y - 3, month("大前年")}, true
	case strings.Contains(c, "前年"):
		return Month{y - 2, month("前年")}, true
	case strings.Contains(c, "去年"):
		return Month{y - 1, month("去年")}, true
	case strings.Contains(c, "今年"):
		return Month{y, month("今年")}, true
	}
	if m := yearsAgoText.FindStringSubmatch(c); m != nil {
		if n, ok := smallNumber(m[1]); ok && n > 0 && n < 60 {
			return Month{y - n, 0}, true
		}
	}
	return Month{}, false
}

func monthSuffix(mo string) string {
	if mo == "" {
		return ""
	}
	return "月"
}

// smallNumber reads 3, 三, 十二 or 两.
func smallNumber(s string) (int, bool) {
	if n, err := strconv.Atoi(s); err == nil {
		return n, true
	}
	digits := map[rune]int{'一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	r := []rune(s)
	switch {
	case len(r) == 1 && r[0] == '十':
		return 10, true
	case len(r) == 1:
		n, ok := digits[r[0]]
		return n, ok
	case len(r) == 2 && r[0] == '十':
		n, ok := digits[r[1]]
		return 10 + n, ok
	case len(r) == 2 && r[1] == '十':
		n, ok := digits[r[0]]
		return n * 10, ok
	}
	return 0, false
}

// readPlace finds the place that follows one of st's cues, up to the next
// cue of any place step of the flow: in 从北京调到上海 the origin's cue 从
// gives 北京 and the destination's cue 到 gives 上海.
func (t *turn) readPlace(st *Step, msg string) (Place, bool) {
	if t.e.places == nil {
		return Place{}, false
	}
	c := clean(msg)
	if len(st.Cues) == 0 {
		// The only place question of a flow takes the place named.
		if f := t.flow(); f != nil {
			for _, o := range f.Steps {
				if o != st && o.Waits() && o.ParseKind() == "place" {
					return Place{}, false
				}
			}
		}
		return ParsePlace(t.e.places, c)
	}
	var stops []string
	if f := t.flow(); f != nil {
		for _, o := range f.Steps {
			stops = append(stops, o.Cues...)
		}
	}
	for _, cue := range longestFirst(st.Cues) {
		i := strings.Index(c, cue)
		if i < 0 {
			continue
		}
		tail := c[i+len(cue):]
		end := len(tail)
		for _, s := range stops {
			if j := strings.Index(tail, s); j > 0 && j < end {
				end = j
			}
		}
		if p, ok := ParsePlace(t.e.places, tail[:end]); ok {
			return p, true
		}
	}
	return Place{}, false
}

func longestFirst(words []string) []string {
	out := append([]string(nil), words...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && len(out[j]) > len(out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// fromCarry reads the waiting step st from the message of this turn and
// notes what it understood.
func (t *turn) fromCarry(f *Flow, st *Step) (string, *Choice, bool) {
	if t.carry == "" {
		return "", nil, false
	}
	if st.ParseKind() == "date" && len(st.Cues) == 0 && t.datesRead > 0 {
		return "", nil, false
	}
	v, c, ok := t.read(st, t.carry)
	if ok {
		t.noteRead(f, st, v, c)
	}
	return v, c, ok
}

// noteRead remembers an answer read from the message, for 已记下：….
func (t *turn) noteRead(f *Flow, st *Step, v string, c *Choice) {
	shown := t.display(f, st.Save, v)
	if c != nil && c.Noted != "" {
		shown = c.Noted
	}
	t.understood = append(t.understood, shown)
	t.reads++
	if st.ParseKind() == "date" {
		t.datesRead++
	}
}

// understoodLine says what one message answered, with the way back, when it
// answered more than the question asked.
func (t *turn) understoodLine() string {
	if len(t.understood) < 2 {
		return ""
	}
	line := "已记下：" + strings.Join(t.understood, "、") + "。如有不对，可以发送 /back 返回上一步修改。"
	t.understood = nil
	return line
}

// request handles a text the router read as asking for flow id. Inside
// that flow, or when the text answers the current question (a menu label
// that is also a choice), it is an answer; otherwise the flow starts and
// reads what the text already answers.
func (t *turn) request(id, txt string) {
	f := t.e.flows[id]
	if f == nil {
		t.text(txt)
		return
	}
	if cur, st := t.flow(), t.step(); cur != nil && st != nil && !t.paused() {
		if matchChoice(st, txt) != nil {
			t.carry = txt
			t.answer(txt)
			return
		}
		if cur.ID == f.ID {
			if _, _, ok := t.read(st, txt); ok {
				t.carry = txt
				t.answer(txt)
				return
			}
			t.ask(st, "我们正在办理「"+f.Title+"」，请先回答：")
			return
		}
	}
	t.carry = txt
	t.start(f, "")
}

// corrects replays the flow from its start when a message that does not
// answer the current question changes an earlier answer (「中级职称，在职」
// after the profile said 无职称): the message is read again at every step,
// before the profile, so nothing stale is kept.
func (t *turn) corrects(txt string) bool {
	f, s := t.flow(), t.sess()
	if f == nil || t.carry == "" {
		return false
	}
	changed := false
	for _, st := range f.Steps {
		if old, ok := s.Answers[st.Save]; ok && st.Waits() && st.ID != s.Step {
			if v, _, ok := t.read(st, txt); ok && v != old {
				changed = true
			}
		}
	}
	if !changed {
		return false
	}
	s.Answers, s.Trail, s.Misses = map[string]string{}, nil, 0
	t.understood = nil
	t.pending = append(t.pending, "好的，我按您刚才说的情况重新梳理。")
	t.enter(f.Start, false)
	return true
}
