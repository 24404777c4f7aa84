package flows

import (
	"strconv"
	"strings"

	"github.com/kuaiji/kuaiji"
)

// render fills {key}, {key.code}, {key.name}, {key.year} and
// {key.next_year} from the answers and the profile.
func (t *turn) render(f *Flow, text string, answers map[string]string) string {
	if !strings.Contains(text, "{") {
		return strings.TrimSpace(text)
	}
	out := tmplRe.ReplaceAllStringFunc(text, func(m string) string {
		sub := tmplRe.FindStringSubmatch(m)
		v := t.lookup(answers, sub[1])
		if v == "" {
			return ""
		}
		switch sub[2] {
		case "code":
			return v
		case "year", "next_year":
			y, ok := answerYear(v)
			if !ok {
				return ""
			}
			if sub[2] == "next_year" {
				y++
			}
			return strconv.Itoa(y)
		}
		return t.display(f, sub[1], v)
	})
	return strings.TrimSpace(out)
}

// display shows a stored answer as the user knows it.
func (t *turn) display(f *Flow, key, v string) string { return Display(f, key, v, t.e.places) }

// Display shows an answer or profile value stored under key as the user
// knows it: a choice's label, a place's name, 中级 for a level, 2023年5月
// for a date. f, when not nil, is the flow whose step saved it; places
// names the places (nil leaves their codes).
func Display(f *Flow, key, v string, places Places) string {
	kind := ""
	var from *Step
	if f != nil {
		for _, st := range f.Steps {
			if st.Save == key && st.Waits() {
				kind, from = st.ParseKind(), st
				break
			}
		}
	}
	if kind == "" {
		kind = map[string]string{"jurisdiction": "place", "level": "level", "working": "yesno"}[key]
	}
	if from != nil {
		if c := choiceByValue(from, v); c != nil && kind != "level" {
			return c.Label
		}
	}
	switch kind {
	case "place":
		if p, ok := placeOf(places, v); ok {
			return p.Name
		}
	case "level":
		if n, ok := LevelNames[v]; ok {
			return n
		}
	case "yesno":
		return map[string]string{"yes": "是", "no": "否"}[v]
	case "date":
		parts := strings.SplitN(v, "-", 2)
		if len(parts) == 2 {
			y, _ := strconv.Atoi(parts[0])
			m, _ := strconv.Atoi(parts[1])
			if m == 0 {
				return parts[0] + "年"
			}
			return strconv.Itoa(y) + "年" + strconv.Itoa(m) + "月"
		}
	}
	return v
}

// result renders a step that shows information: its text with the numbered
// items and extras that apply, the note, and the citations.
func (t *turn) result(f *Flow, st *Step, answers map[string]string) (string, []kuaiji.Source) {
	var b strings.Builder
	b.WriteString(t.render(f, st.Say, answers))
	var items []string
	for _, it := range st.Items {
		if it.If == nil || t.holds(it.If, answers) {
			items = append(items, t.render(f, it.Text, answers))
		}
	}
	for _, ex := range st.Extras {
		for _, it := range ex.Items[t.lookup(answers, ex.Key)] {
			if it.If == nil || t.holds(it.If, answers) {
				items = append(items, t.render(f, it.Text, answers))
			}
		}
	}
	for i, it := range items {
		if b.Len() > 0 || i > 0 {
			b.WriteString("\n")
		}
		if i == 0 && b.Len() > 0 {
			b.WriteString("\n")
		}
		b.WriteString(strconv.Itoa(i+1) + ". " + it)
	}
	if note := t.render(f, st.Note, answers); note != "" {
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(note)
	}
	cites := t.cites(f, st, answers)
	return b.String(), cites
}

// cites resolves a step's citations; templates whose answer is unset are
// dropped.
func (t *turn) cites(f *Flow, st *Step, answers map[string]string) []kuaiji.Source {
	var cites []kuaiji.Source
	seen := map[string]bool{}
	for _, c := range st.Cite {
		id := c
		if strings.Contains(c, "{") {
			id = tmplRe.ReplaceAllStringFunc(c, func(m string) string {
				sub := tmplRe.FindStringSubmatch(m)
				return t.lookup(answers, sub[1])
			})
			if strings.HasSuffix(id, "-") || id == "" {
				continue
			}
		}
		title, ok := f.docs.Title(id)
		if !ok {
			t.e.log.Warn("cited document missing", "flow", f.ID, "step", st.ID, "doc", id)
			continue
		}
		if !seen[id] {
			seen[id] = true
			cites = append(cites, kuaiji.Source{ID: id, Title: title})
		}
	}
	return cites
}

// show says a step that does not wait: information or a result.
func (t *turn) show(f *Flow, st *Step, answers map[string]string) {
	text, cites := t.result(f, st, answers)
	r := kuaiji.Reply{Text: text, Sources: cites, Handoff: st.Handoff}
	var row []kuaiji.Button
	for _, o := range st.Offer {
		data := StartData(o.Start)
		if o.Human {
			data = HumanData
		}
		row = append(row, kuaiji.Button{Label: o.Label, Data: data})
	}
	if st.Export != "" {
		row = append(row, kuaiji.Button{Label: "导出为文本文件", Data: ExportData})
	}
	for len(row) > 0 {
		n := min(2, len(row))
		r.Buttons = append(r.Buttons, row[:n])
		row = row[n:]
	}
	if text == "" && len(r.Buttons) == 0 && len(cites) == 0 {
		return
	}
	t.say(r)
}

// export renders the last finished result that allows export as a file.
func (t *turn) export() {
	last := t.sess().Last
	var f *Flow
	var st *Step
	if last != nil {
		if f = t.e.flows[last.Flow]; f != nil {
			st = f.Steps[last.Step]
		}
	}
	if st == nil || st.Export == "" {
		t.say(kuaiji.Reply{Text: "目前还没有可以导出的清单。请先发送 /materials 生成材料清单，完成后即可导出。"})
		return
	}
	text, cites := t.result(f, st, last.Answers)
	var b strings.Builder
	b.WriteString(f.Title + "\n\n" + text + "\n")
	if len(cites) > 0 {
		b.WriteString("\n依据：\n")
		for _, c := range cites {
			b.WriteString("- " + c.Title + "\n")
		}
	}
	b.WriteString("\n以上内容仅供参考，具体要求以当地财政部门最新通知为准。\n")
	name := t.render(f, st.Export, last.Answers)
	if !strings.HasSuffix(name, ".txt") {
		name += ".txt"
	}
	t.say(kuaiji.Reply{Text: "已为您导出「" + f.Title + "」：" + name, Document: &kuaiji.Document{Name: name, Data: []byte(b.String())}})
}
