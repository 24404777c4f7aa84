package extract

import (
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func TestText(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		title  string
		blocks []Block
	}{
		{
			name: "regulation",
			src: "会计人员管理办法\n\n第一章　总则\n第一条　为了加强会计人员管理，规范会计人员行为，根据\n有关法律法规，制定本办法。\n第二条 本办法适用于会计人员。\n\n" +
				"第二节 会计机构\n第三条规定的人员除外，这一行不是标题。\n第十三条\n单位应当配备会计人员。\n" +
				"一、总体要求\n（一）基本原则。各单位应当依法配备会计人员。\n(二) 半角括号\n二、工作目标\n",
			title: "会计人员管理办法",
			blocks: []Block{
				h(1, "会计人员管理办法"),
				h(2, "第一章 总则"),
				h(4, "第一条"), p("为了加强会计人员管理，规范会计人员行为，根据有关法律法规，制定本办法。"),
				h(4, "第二条"), p("本办法适用于会计人员。"),
				h(3, "第二节 会计机构"),
				h(4, "第三条"), p("规定的人员除外，这一行不是标题。"),
				h(4, "第十三条"), p("单位应当配备会计人员。"),
				h(2, "一、总体要求"),
				h(3, "（一）基本原则"), p("各单位应当依法配备会计人员。"),
				h(3, "(二)半角括号"),
				h(2, "二、工作目标"),
			},
		},
		{
			// A wrapped line that starts with "第三条" mid-sentence stays
			// text: the line before did not end a sentence and there is no
			// space after the marker.
			name: "wrapped article reference",
			src:  "依照本办法\n第三条规定的程序办理\n",
			blocks: []Block{
				p("依照本办法第三条规定的程序办理"),
			},
		},
		{
			name: "paragraphs and whitespace",
			src:  "  First paragraph\twith   tabs\nand a second line.  \n\n\n会 计 人 员\n",
			blocks: []Block{
				p("First paragraph with tabs and a second line."),
				p("会计人员"),
			},
		},
		{
			name:   "single paragraph is not a title",
			src:    "Just one line",
			blocks: []Block{p("Just one line")},
		},
		{
			name:   "first line ending a sentence is not a title",
			src:    "This is a sentence.\n\nMore.",
			blocks: []Block{p("This is a sentence."), p("More.")},
		},
		{
			name:   "CRLF and BOM",
			src:    "\ufeffTitle line\r\n\r\nBody\r\n",
			title:  "Title line",
			blocks: []Block{h(1, "Title line"), p("Body")},
		},
		{name: "empty", src: "", blocks: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkDoc(t, Text([]byte(tt.src)), tt.title, tt.blocks)
		})
	}
}

func TestTextEncodings(t *testing.T) {
	const src = "会计制度\n\n第一条 内容。\n"
	want := []Block{h(1, "会计制度"), h(4, "第一条"), p("内容。")}
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(src)
	if err != nil {
		t.Fatal(err)
	}
	utf16le := []byte{0xff, 0xfe}
	for _, r := range src {
		utf16le = append(utf16le, byte(r), byte(r>>8))
	}
	for name, b := range map[string][]byte{"gbk": []byte(gbk), "utf-16le bom": utf16le} {
		t.Run(name, func(t *testing.T) {
			checkDoc(t, Text(b), "会计制度", want)
		})
	}
}

func TestParseOutline(t *testing.T) {
	tests := []struct {
		line      string
		paraStart bool
		ok        bool
		want      outline
	}{
		{"第三章 会计人员", false, true, outline{level: 2, head: "第三章 会计人员"}},
		{"第三章会计人员", false, true, outline{level: 2, head: "第三章 会计人员"}},
		{"第 十 三 章 附 则", false, true, outline{level: 2, head: "第十三章 附则"}},
		{"第二节 会计机构", false, true, outline{level: 3, head: "第二节 会计机构"}},
		{"第十三条 会计人员应当……", false, true, outline{level: 4, head: "第十三条", rest: "会计人员应当……"}},
		{"第一百零一条：附则", false, true, outline{level: 4, head: "第一百零一条", rest: "附则"}},
		{"第3条 数字编号", false, true, outline{level: 4, head: "第3条", rest: "数字编号"}},
		{"第十三条", false, true, outline{level: 4, head: "第十三条"}},
		{"第三条规定的情形", true, true, outline{level: 4, head: "第三条", rest: "规定的情形"}},
		{"第三条规定的情形", false, false, outline{}},
		{"第三章规定的内容，应当遵守。", false, false, outline{}},
		{"一、总体要求", false, true, outline{level: 2, head: "一、总体要求"}},
		{"十二、其他", false, true, outline{level: 2, head: "十二、其他"}},
		{"（一）基本原则", false, true, outline{level: 3, head: "（一）基本原则"}},
		{"(三) 半角", false, true, outline{level: 3, head: "(三)半角"}},
		{"（一）基本原则。各单位应当依法办事。", false, true, outline{level: 3, head: "（一）基本原则", rest: "各单位应当依法办事。"}},
		{"（二）各单位应当依法配备会计人员。", false, true, outline{level: 3, head: "（二）各单位应当依法配备会计人员。"}},
		{"（三）" + repeatRune('长', 70), false, false, outline{}},
		{"一般规定", false, false, outline{}},
		{"1. Arabic list", false, false, outline{}},
		{"第一季度报表", false, false, outline{}},
		{"", false, false, outline{}},
	}
	for _, tt := range tests {
		got, ok := parseOutline(tt.line, tt.paraStart)
		if ok != tt.ok || got != tt.want {
			t.Errorf("parseOutline(%q, %v) = %+v, %v; want %+v, %v", tt.line, tt.paraStart, got, ok, tt.want, tt.ok)
		}
	}
}

func repeatRune(r rune, n int) string {
	b := make([]rune, n)
	for i := range b {
		b[i] = r
	}
	return string(b)
}

func FuzzText(f *testing.F) {
	f.Add([]byte("标题\n\n第一章 总则\n第一条 内容。\n（一）x。y\n"))
	f.Add([]byte{0xff, 0xfe, 0x00})
	f.Fuzz(func(t *testing.T, b []byte) {
		_ = Text(b)
	})
}
