package extract

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"
)

// buildDOCX zips the given parts into a DOCX. [Content_Types].xml is added
// for realism; the reader does not need it.
func buildDOCX(t testing.TB, parts map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	if _, ok := parts["[Content_Types].xml"]; !ok {
		parts["[Content_Types].xml"] = `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`
	}
	for name, body := range parts {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const docxNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ` +
	`xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" ` +
	`xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"`

// document wraps body XML in a w:document.
func document(body string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ` + docxNS + `><w:body>` + body + `<w:sectPr/></w:body></w:document>`
}

func styles(s string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><w:styles ` + docxNS + `>` + s + `</w:styles>`
}

// para is a paragraph with an optional style id and runs of text.
func para(style string, runs ...string) string {
	var b strings.Builder
	b.WriteString("<w:p>")
	if style != "" {
		b.WriteString(`<w:pPr><w:pStyle w:val="` + style + `"/></w:pPr>`)
	}
	for _, r := range runs {
		b.WriteString(`<w:r><w:t xml:space="preserve">` + r + `</w:t></w:r>`)
	}
	b.WriteString("</w:p>")
	return b.String()
}

func row(cells ...string) string {
	var b strings.Builder
	b.WriteString("<w:tr>")
	for _, c := range cells {
		b.WriteString("<w:tc><w:tcPr/>" + c + "</w:tc>")
	}
	b.WriteString("</w:tr>")
	return b.String()
}

func docxDoc(t *testing.T, parts map[string]string) (Doc, error) {
	data := buildDOCX(t, parts)
	return DOCX(bytes.NewReader(data), int64(len(data)))
}

func TestDOCX(t *testing.T) {
	// Chinese Word names heading styles "1", "2" and keeps the English
	// built-in name; WPS may write "标题 1"; custom styles inherit.
	chineseStyles := styles(`
		<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/></w:style>
		<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:basedOn w:val="a"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
		<w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 2"/><w:basedOn w:val="a"/></w:style>
		<w:style w:type="paragraph" w:styleId="30"><w:name w:val="标题 3"/></w:style>
		<w:style w:type="paragraph" w:styleId="a5"><w:name w:val="Title"/></w:style>
		<w:style w:type="paragraph" w:styleId="MyChapter"><w:name w:val="My Chapter"/><w:basedOn w:val="2"/></w:style>
		<w:style w:type="paragraph" w:styleId="Outline"><w:name w:val="Custom"/><w:pPr><w:outlineLvl w:val="3"/></w:pPr></w:style>
		<w:style w:type="paragraph" w:styleId="Loop1"><w:name w:val="loop one"/><w:basedOn w:val="Loop2"/></w:style>
		<w:style w:type="paragraph" w:styleId="Loop2"><w:name w:val="loop two"/><w:basedOn w:val="Loop1"/></w:style>
		<w:style w:type="paragraph" w:styleId="11"><w:name w:val="toc 1"/></w:style>
		<w:style w:type="character" w:styleId="1Char"><w:name w:val="heading 1 Char"/></w:style>`)

	tests := []struct {
		name   string
		parts  map[string]string
		title  string
		blocks []Block
	}{
		{
			name: "english style ids",
			parts: map[string]string{"word/document.xml": document(
				para("Heading1", "Expense ", "Policy") +
					para("", "Claims are paid ", "monthly.") +
					para("Heading2", "Scope") +
					para("Heading6", "Deep") +
					para("", "   ") + // empty paragraphs vanish
					para("ListParagraph", "An item"))},
			title: "Expense Policy",
			blocks: []Block{
				h(1, "Expense Policy"), p("Claims are paid monthly."), h(2, "Scope"), h(6, "Deep"), p("An item"),
			},
		},
		{
			name: "styles resolved through styles.xml",
			parts: map[string]string{
				"word/styles.xml": chineseStyles,
				"word/document.xml": document(
					para("11", "第一章 总则 1") + // table of contents entry: dropped
						para("a5", "会计人员管理办法") +
						para("1", "第一章 总则") +
						para("2", "一般规定") +
						para("30", "细则") +
						para("MyChapter", "继承的标题") +
						para("Outline", "大纲级别") +
						para("Loop1", "循环样式") +
						para("a", "正文。")),
			},
			title: "会计人员管理办法",
			blocks: []Block{
				h(1, "会计人员管理办法"), h(1, "第一章 总则"), h(2, "一般规定"), h(3, "细则"),
				h(2, "继承的标题"), h(4, "大纲级别"), p("循环样式"), p("正文。"),
			},
		},
		{
			name: "direct outline level and body level 9",
			parts: map[string]string{"word/document.xml": document(
				`<w:p><w:pPr><w:outlineLvl w:val="1"/></w:pPr><w:r><w:t>Level two</w:t></w:r></w:p>` +
					`<w:p><w:pPr><w:pStyle w:val="Heading1"/><w:outlineLvl w:val="9"/></w:pPr><w:r><w:t>Body after all</w:t></w:r></w:p>`)},
			title:  "Level two",
			blocks: []Block{h(2, "Level two"), p("Body after all")},
		},
		{
			name: "chinese outline text without styles",
			parts: map[string]string{"word/document.xml": document(
				para("", "第一章　总则") +
					para("", "第一条　为了规范会计工作，制定本办法。") +
					para("", "一、总体要求") +
					para("", "（一）基本原则。各单位应当依法办事。"))},
			title: "",
			blocks: []Block{
				h(2, "第一章 总则"), h(4, "第一条"), p("为了规范会计工作，制定本办法。"),
				h(2, "一、总体要求"), h(3, "（一）基本原则"), p("各单位应当依法办事。"),
			},
		},
		{
			name: "tables",
			parts: map[string]string{"word/document.xml": document(
				para("", "Before") +
					`<w:tbl><w:tblPr/>` +
					row(para("", "项目"), para("", "金额"), para("", "备注")) +
					row(para("", "差旅费"), para("", "1,000"), para("")) + // empty cell left out
					row(para("", "第一条 not a heading"), para("", "line one")+para("", "line two")) +
					row(`<w:tbl>`+row(para("", "inner a"), para("", "inner b"))+`</w:tbl>`, para("", "outer")) +
					`</w:tbl>` +
					para("", "After"))},
			title: "",
			blocks: []Block{
				p("Before"), p("项目 | 金额 | 备注"), p("差旅费 | 1,000"),
				p("第一条 not a heading | line one line two"),
				p("inner a | inner b | outer"),
				p("After"),
			},
		},
		{
			name: "runs, tabs, breaks, tracked changes, fields, text boxes",
			parts: map[string]string{"word/document.xml": document(
				`<w:p><w:r><w:t>Tab</w:t></w:r><w:r><w:tab/><w:t>bed</w:t><w:br/><w:t>broken</w:t></w:r>` +
					`<w:del><w:r><w:delText>deleted</w:delText></w:r></w:del>` +
					`<w:ins><w:r><w:t xml:space="preserve"> inserted</w:t></w:r></w:ins>` +
					`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t xml:space="preserve"> 7</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>` +
					`<w:hyperlink><w:r><w:t xml:space="preserve"> link</w:t></w:r></w:hyperlink>` +
					`<w:r><w:t xml:space="preserve"> co</w:t><w:noBreakHyphen/><w:t>op</w:t></w:r></w:p>` +
					`<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>` +
					para("", "In a text box") +
					`</w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent>` +
					para("", "In a text box") +
					`</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>Anchor paragraph</w:t></w:r></w:p>`)},
			blocks: []Block{
				p("Tab bed broken inserted 7 link co-op"),
				p("In a text box"),
				p("Anchor paragraph"),
			},
		},
		{
			name: "title from core properties",
			parts: map[string]string{
				"word/document.xml": document(para("Heading1", "First heading")),
				"docProps/core.xml": `<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>报销制度</dc:title></cp:coreProperties>`,
			},
			title:  "报销制度",
			blocks: []Block{h(1, "First heading")},
		},
		{
			name: "main part found through relationships",
			parts: map[string]string{
				"_rels/.rels":        `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/word/document2.xml"/></Relationships>`,
				"word/document2.xml": document(para("Heading1", "Second part")),
			},
			title:  "Second part",
			blocks: []Block{h(1, "Second part")},
		},
		{
			name: "strict OOXML namespace",
			parts: map[string]string{"word/document.xml": `<w:document xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"><w:body>` +
				para("Heading1", "Strict") + `</w:body></w:document>`},
			title:  "Strict",
			blocks: []Block{h(1, "Strict")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := docxDoc(t, tt.parts)
			if err != nil {
				t.Fatal(err)
			}
			checkDoc(t, doc, tt.title, tt.blocks)
		})
	}
}

func TestDOCXErrors(t *testing.T) {
	ole := append([]byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}, make([]byte, 504)...)
	valid := buildDOCX(t, map[string]string{"word/document.xml": document(para("", "x"))})
	tests := []struct {
		name string
		data []byte
		size int64 // 0: len(data)
		msg  string
	}{
		{"not a zip", []byte("plain text, not a zip"), 0, "not a valid zip"},
		{"ole container", ole, 0, "OLE compound document"},
		{"no document part", buildDOCX(t, map[string]string{"other.xml": "<a/>"}), 0, "word/document.xml not found"},
		{"malformed xml", buildDOCX(t, map[string]string{"word/document.xml": `<w:document ` + docxNS + `><w:body><w:p><w:r><w:t>unclosed`}), 0, "parse xml"},
		{"malformed styles", buildDOCX(t, map[string]string{"word/document.xml": document(""), "word/styles.xml": "<w:styles"}), 0, "styles.xml"},
		{"truncated zip", valid[:len(valid)/2], 0, "not a valid zip"},
		{"too large", valid, maxFileSize + 1, "50 MB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			size := tt.size
			if size == 0 {
				size = int64(len(tt.data))
			}
			_, err := DOCX(bytes.NewReader(tt.data), size)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q does not mention %q", err, tt.msg)
			}
		})
	}
}

// TestDOCXZipBomb checks that the decompressed size is capped even when the
// archive is small.
func TestDOCXZipBomb(t *testing.T) {
	defer func(n int64) { maxXMLSize = n }(maxXMLSize)
	maxXMLSize = 1 << 20

	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(`<w:document ` + docxNS + `><w:body><w:p><w:r><w:t>`))
	w.Write(bytes.Repeat([]byte("a"), 2<<20))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if buf.Len() > 64<<10 {
		t.Fatalf("archive is %d bytes; the point is a small archive", buf.Len())
	}
	_, err = DOCX(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err == nil || !strings.Contains(err.Error(), "uncompressed") {
		t.Errorf("err = %v, want the uncompressed size limit", err)
	}
}

func FuzzDOCX(f *testing.F) {
	f.Add(buildDOCX(f, map[string]string{"word/document.xml": document(para("Heading1", "T") + `<w:tbl>` + row(para("", "a")) + `</w:tbl>`)}))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = DOCX(bytes.NewReader(b), int64(len(b)))
	})
}
