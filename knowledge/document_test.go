package knowledge

import (
	"errors"
	"strings"
	"testing"
)

func TestParseMarkdownFrontMatter(t *testing.T) {
	src := "---\nid: demo\ntitle: 示例\njurisdiction: guangdong\ndoc_number: 财会〔2018〕10号\nstatus: in_force\nreviewed: 2026-11-27\n---\n# 示例\n\n## 第一章 总则\n\n### 第二条 适用对象\n\n正文。\n"
	doc, err := ParseMarkdown("demo.md", []byte(src), false)
	if err != nil {
		t.Fatal(err)
	}
	if doc.ID != "demo" || doc.DocNumber != "财会〔2018〕10号" || doc.Jurisdiction != "guangdong" {
		t.Errorf("parsed %+v", doc)
	}
	chunks := ChunkDocument(doc)
	if len(chunks) != 1 || chunks[0].Section != "第一章 总则 > 第二条适用对象" || chunks[0].ID != "demo#0" {
		t.Errorf("chunks = %+v", chunks)
	}
}

func TestFrontMatterErrorsNameFileAndLine(t *testing.T) {
	tests := []struct {
		name, src string
		line      int
		msg       string
	}{
		{"missing id", "---\ntitle: x\n---\nbody", 2, "id is required"},
		{"bad status", "---\nid: a\ntitle: x\nstatus: old\n---\nbody", 4, "status"},
		{"bad date", "---\nid: a\ntitle: x\nreviewed: 27/11/2026\n---\nbody", 4, "reviewed"},
		{"unknown key", "---\nid: a\ntitle: x\nauthour: 财政部\n---\nbody", 4, "authour"},
		{"broken yaml", "---\nid: a\ntitle: 示例: 第二版\n---\nbody", 3, "mapping values"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseMarkdown("p/doc.md", []byte(tt.src), false)
			var fe *FrontMatterError
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v, want *FrontMatterError", err)
			}
			if fe.Path != "p/doc.md" || !strings.Contains(fe.Msg, tt.msg) {
				t.Errorf("err = %v, want p/doc.md and %q", err, tt.msg)
			}
			if fe.Line != tt.line {
				t.Errorf("line = %d, want %d (%v)", fe.Line, tt.line, err)
			}
		})
	}
}

func TestChunkSizeLimitAndDeterminism(t *testing.T) {
	long := strings.Repeat("会计人员每年参加继续教育取得的学分不少于90学分。", 60)
	doc, err := ParseMarkdown("x.md", []byte("---\nid: x\ntitle: 长文\n---\n# 长文\n## 第十二条\n"+long+"\n"), false)
	if err != nil {
		t.Fatal(err)
	}
	a, b := ChunkDocument(doc), ChunkDocument(doc)
	if len(a) < 3 {
		t.Fatalf("%d chunks, want the long article split", len(a))
	}
	for i := range a {
		if runeLen(a[i].Text) > maxChunkRunes {
			t.Errorf("chunk %d has %d runes", i, runeLen(a[i].Text))
		}
		if a[i].Section != "第十二条" {
			t.Errorf("chunk %d section %q", i, a[i].Section)
		}
		if a[i].ID != b[i].ID || a[i].Hash != b[i].Hash {
			t.Error("chunking is not deterministic")
		}
	}
}
