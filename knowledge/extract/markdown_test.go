package extract

import "testing"

func TestMarkdown(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		title  string
		blocks []Block
	}{
		{
			name:  "headings and paragraphs",
			src:   "# 差旅费管理办法 #\n\nIntro line one\nline two.\n\n## 第一章　总则\n\nSetext one\n==========\n\nSetext two\n---\n\n####### not a heading\n\n#hashtag\n",
			title: "差旅费管理办法",
			blocks: []Block{
				h(1, "差旅费管理办法"), p("Intro line one line two."), h(2, "第一章 总则"),
				h(1, "Setext one"), h(2, "Setext two"), p("####### not a heading"), p("#hashtag"),
			},
		},
		{
			name: "lists, quotes, breaks",
			src:  "- item *one*\n- item two\n  continued\n    - nested\n1. first\n2) second\n- [x] done task\n\n***\n\n> quoted **text**\n> more\n>\n> second quote para\n",
			blocks: []Block{
				p("item one"), p("item two continued"), p("nested"), p("first"), p("second"), p("done task"),
				p("quoted text more"), p("second quote para"),
			},
		},
		{
			name: "code",
			src:  "```go\nfunc main() {\n    x := 1\n}\n```\n\n    indented code\n    more\n\n~~~\n# not a heading\n~~~\n\n```\nunclosed fence\n",
			blocks: []Block{
				p("func main() { x := 1 }"), p("indented code more"), p("# not a heading"), p("unclosed fence"),
			},
		},
		{
			name: "tables",
			src:  "| 项目 | 标准 | 备注 |\n|:-----|-----:|------|\n| 住宿费 | 500 元 | |\n| `a\\|b` | **粗** | x \\| y |\n\nafter\n",
			blocks: []Block{
				p("项目 | 标准 | 备注"), p("住宿费 | 500 元"), p("a|b | 粗 | x | y"), p("after"),
			},
		},
		{
			name: "inline markup",
			src: "See [the rules](https://example.com/a_(b) \"t\") and ![a chart](c.png), <https://x.org>, " +
				"[ref link][r], `code *x*`, \\*literal\\*, 2 * 3, snake_case, _emph_, ~~gone~~, " +
				"A&amp;B &copy; &#20250;, <span class=\"x\">span</span>, <br/>, **注意**：x\n\n[r]: https://example.com\n",
			blocks: []Block{
				p("See the rules and a chart, https://x.org, ref link, code *x*, *literal*, 2 * 3, snake_case, emph, gone, A&B © 会, span , , 注意：x"),
			},
		},
		{
			name:   "html comments dropped",
			src:    "<!-- a\ncomment -->\nText\n<!-- one line -->\n",
			blocks: []Block{p("Text")},
		},
		{
			name:   "title from a lower heading",
			src:    "## Only second level\n\ntext\n",
			title:  "Only second level",
			blocks: []Block{h(2, "Only second level"), p("text")},
		},
		{
			name:   "CRLF and BOM",
			src:    "\ufeff# Title\r\n\r\nBody\r\n",
			title:  "Title",
			blocks: []Block{h(1, "Title"), p("Body")},
		},
		{
			name: "emphasis beside Chinese punctuation",
			src:  "**注意：**请于年底前完成。\n\n如“**继续教育**”所述，2 ** 3\n",
			blocks: []Block{
				p("注意：请于年底前完成。"), p("如“继续教育”所述，2 ** 3"),
			},
		},
		{
			name:   "HTML blocks read as HTML",
			src:    "<div>\n<h2>报名条件</h2>\n<p>A &amp; B<script>x()</script></p>\n</div>\n\ntext\n",
			title:  "报名条件",
			blocks: []Block{h(2, "报名条件"), p("A & B"), p("text")},
		},
		{name: "empty", src: "", blocks: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkDoc(t, Markdown([]byte(tt.src)), tt.title, tt.blocks)
		})
	}
}

func FuzzMarkdown(f *testing.F) {
	f.Add("# t\n\n- a\n\n| a | b |\n|---|---|\n| c | d |\n\n```\ncode\n")
	f.Add("[a](b \\` `` <x> &amp; **")
	f.Fuzz(func(t *testing.T, s string) {
		_ = Markdown([]byte(s))
	})
}
