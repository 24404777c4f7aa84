package knowledge

import (
	"context"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzAnswer: whatever a user types, with or without a place and a previous
// turn, the answer is a non-empty reply with a confidence in 0..1, at most
// three suggestions and sources that name a document; a question that is
// not declined cites something.
func FuzzAnswer(f *testing.F) {
	for _, s := range []string{"继续教育每年要多少学分", "那深圳呢？", "會計繼續教育", "豫 继续教育在哪学", "好的谢谢",
		"jxjy 学份 信息菜集", "", "？？？", strings.Repeat("学分", 1200), "\x00\xff", "双色球"} {
		f.Add(s, "", "")
		f.Add(s, "广东", "继续教育在哪学")
	}
	f.Fuzz(func(t *testing.T, text, place, prev string) {
		if !utf8.ValidString(text) || !utf8.ValidString(place) || !utf8.ValidString(prev) {
			t.Skip("the adapters only pass valid UTF-8")
		}
		q := Question{Text: text, Jurisdiction: place}
		if prev != "" {
			q.History = []Turn{{User: true, Text: prev}, {Text: "上一条回答。"}}
		}
		a, err := builtin(t).Answer(context.Background(), q)
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		if strings.TrimSpace(a.Text) == "" || a.Confidence < 0 || a.Confidence > 1 || len(a.Suggestions) > 3 {
			t.Fatalf("%q: %+v", text, a)
		}
		for _, s := range a.Sources {
			if s.ID == "" || s.Title == "" {
				t.Fatalf("%q: source %+v", text, s)
			}
		}
		if !a.Declined && !a.Handoff && len(a.Sources) == 0 && !strings.Contains(a.Text, "哪方面") {
			t.Fatalf("%q: a confident answer without sources: %+v", text, a)
		}
	})
}

// FuzzFrontMatter: a document file of any content is parsed or refused
// with an error that names the file, and a front-matter error its line.
func FuzzFrontMatter(f *testing.F) {
	f.Add("---\nid: a\ntitle: 标题\n---\n# 标题\n\n正文。\n")
	f.Add("---\nid: a\ntitle: 坏: 文件\n---\n正文\n")
	f.Add("---\n---\n")
	f.Add("---\nid: [\n")
	f.Add("正文，没有前言。")
	f.Fuzz(func(t *testing.T, src string) {
		d, err := ParseMarkdown("docs/x.md", []byte(src), false)
		if err != nil {
			var fm *FrontMatterError
			if errors.As(err, &fm) && (fm.Line < 1 || fm.Path != "docs/x.md") {
				t.Fatalf("front matter error without a place: %+v", fm)
			}
			if !strings.Contains(err.Error(), "docs/x.md") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if d == nil {
			t.Fatal("no document and no error")
		}
	})
}
