//go:build ignore

// mkpdf writes the PDF fixtures of the extract tests by hand, so that we
// control exactly how text is placed (separate text objects per word,
// letter-spaced CJK, a composite font with a ToUnicode map) and need no PDF
// library. Run it from the package directory:
//
//	go run testdata/mkpdf.go
package main

import (
	"fmt"
	"log"
	"os"
	"strings"
)

func main() {
	text := textPDF("")
	write("text.pdf", text)
	write("truncated.pdf", text[:len(text)*3/5])
	write("chinese.pdf", chinesePDF())
	write("scanned.pdf", scannedPDF())
	write("encrypted.pdf", textPDF("/Encrypt 99 0 R"))
	write("cycle.pdf", cyclePDF())
	write("badstream.pdf", badStreamPDF())
	write("form.pdf", formPDF())
}

func write(name string, b []byte) {
	if err := os.WriteFile("testdata/"+name, b, 0o644); err != nil {
		log.Fatal(err)
	}
}

// doc collects numbered objects and serialises them with a correct xref.
type doc struct{ objs []string }

func (d *doc) reserve() int { d.objs = append(d.objs, ""); return len(d.objs) }

func (d *doc) set(id int, body string) { d.objs[id-1] = body }

func (d *doc) add(body string) int { id := d.reserve(); d.set(id, body); return id }

func (d *doc) stream(dict string, data string) int {
	return d.add(fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data))
}

func (d *doc) bytes(trailer string) []byte {
	var b strings.Builder
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offs := make([]int, len(d.objs))
	for i, o := range d.objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(d.objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d %s >>\nstartxref\n%d\n%%%%EOF\n", len(d.objs)+1, trailer, xref)
	return []byte(b.String())
}

// Helvetica advance widths for 32..126, in 1/1000 em.
var helv = []int{
	278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
	556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
	1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
	667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
	333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
	556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
}

func helvWidth(s string, size float64) float64 {
	w := 0
	for _, c := range []byte(s) {
		w += helv[c-32]
	}
	return float64(w) / 1000 * size
}

func helvFont(d *doc) int {
	ws := make([]string, len(helv))
	for i, w := range helv {
		ws[i] = fmt.Sprint(w)
	}
	return d.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding " +
		"/FirstChar 32 /LastChar 126 /Widths [" + strings.Join(ws, " ") + "] >>")
}

func lit(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `(`, `\(`, `)`, `\)`)
	return "(" + r.Replace(s) + ")"
}

// page adds a page with the given content and resources under parent.
func page(d *doc, parent int, content, resources string) int {
	c := d.stream("", content)
	return d.add(fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R /Resources %s >>", parent, c, resources))
}

func catalog(d *doc, pages int, kids []int) int {
	refs := make([]string, len(kids))
	for i, k := range kids {
		refs[i] = fmt.Sprintf("%d 0 R", k)
	}
	d.set(pages, fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(refs, " "), len(kids)))
	return d.add(fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R >>", pages))
}

// textPDF is an English one-pager: a title, a paragraph whose first line is
// drawn one word per text object, a hyphenated paragraph, a subheading, and
// a page-number footer. extraTrailer adds an /Encrypt reference for the
// password-protected variant.
func textPDF(extraTrailer string) []byte {
	d := &doc{}
	pages := d.reserve()
	font := helvFont(d)
	var c strings.Builder
	line := func(size, x, y float64, s string) {
		fmt.Fprintf(&c, "BT /F1 %g Tf %g %g Td %s Tj ET\n", size, x, y, lit(s))
	}
	line(20, 72, 760, "Staff Accounting Rules")
	// One word per text object, as some producers write: spaces come only
	// from the gaps.
	x := 72.0
	for _, w := range strings.Fields("This first paragraph explains why the rules exist and") {
		line(12, x, 720, w)
		x += helvWidth(w+" ", 12)
	}
	line(12, 72, 704, "is wrapped over two lines by the generator.")
	line(12, 72, 680, "A second para-")
	line(12, 72, 664, "graph tests hyphenation.")
	line(16, 72, 630, "Scope")
	// TJ with a kerning adjustment inside a word and a wide one between
	// words.
	fmt.Fprintf(&c, "BT /F1 12 Tf 72 606 Td [(Ru) 20 (les) -300 (apply to all staff.)] TJ ET\n")
	line(10, 280, 40, "Page 1 of 1")
	p := page(d, pages, c.String(), fmt.Sprintf("<< /Font << /F1 %d 0 R >> >>", font))
	root := catalog(d, pages, []int{p})
	info := d.add("<< /Title (Staff Rules \\(metadata\\)) /Producer (mkpdf) >>")
	trailer := fmt.Sprintf("/Root %d 0 R /Info %d 0 R", root, info)
	if extraTrailer != "" {
		// An RC4 (R2) encryption dictionary whose U entry no empty user
		// password matches, i.e. a file that needs a password to open.
		for len(d.objs) < 98 {
			d.add("null")
		}
		pad := strings.Repeat("\\001", 32)
		d.add("<< /Filter /Standard /V 1 /R 2 /Length 40 /P -4 /O (" + pad + ") /U (" + pad + ") >>")
		trailer += " " + extraTrailer + " /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>]"
	}
	return d.bytes(trailer)
}

// cjkFont maps runes to CIDs 1..n for a composite font with a ToUnicode
// CMap, which is how Word and WPS embed Chinese fonts.
type cjkFont struct {
	cid   map[rune]int
	order []rune
}

func (f *cjkFont) hex(s string) string {
	var b strings.Builder
	b.WriteByte('<')
	for _, r := range s {
		id, ok := f.cid[r]
		if !ok {
			f.order = append(f.order, r)
			id = len(f.order)
			f.cid[r] = id
		}
		fmt.Fprintf(&b, "%04X", id)
	}
	b.WriteByte('>')
	return b.String()
}

func (f *cjkFont) objects(d *doc) int {
	var cm strings.Builder
	cm.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n")
	cm.WriteString("/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n")
	cm.WriteString("/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n")
	cm.WriteString("1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	fmt.Fprintf(&cm, "%d beginbfchar\n", len(f.order))
	var ws []string
	for i, r := range f.order {
		fmt.Fprintf(&cm, "<%04X> <%04X>\n", i+1, r)
		w := 1000
		if r < 0x80 {
			w = 500
		}
		ws = append(ws, fmt.Sprint(w))
	}
	cm.WriteString("endbfchar\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend")
	tu := d.stream("", cm.String())
	desc := d.add("<< /Type /FontDescriptor /FontName /SimSun /Flags 4 /FontBBox [0 -141 1000 859] /ItalicAngle 0 /Ascent 859 /Descent -141 /CapHeight 859 /StemV 80 >>")
	cid := d.add(fmt.Sprintf("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R /DW 1000 /W [1 [%s]] >>", desc, strings.Join(ws, " ")))
	return d.add(fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>", cid, tu))
}

// chinesePDF is a two-page regulation: title in a larger size, outline lines
// (第一章, 第一条, 一、, （一）), wrapped paragraphs, letter-spaced lines (by
// kerning and by real space glyphs), and page-number footers.
func chinesePDF() []byte {
	d := &doc{}
	pages := d.reserve()
	helv := helvFont(d)
	f := &cjkFont{cid: map[rune]int{}}
	type ln struct {
		size, x, y float64
		parts      []string // drawn as separate text objects, a 1 em gap apart
	}
	draw := func(lines []ln, footer string) string {
		var c strings.Builder
		for _, l := range lines {
			x := l.x
			for _, p := range l.parts {
				fmt.Fprintf(&c, "BT /F2 %g Tf %g %g Td %s Tj ET\n", l.size, x, l.y, f.hex(p))
				x += float64(len([]rune(p))+1) * l.size
			}
		}
		fmt.Fprintf(&c, "BT /F1 10 Tf 280 40 Td %s Tj ET\n", lit(footer))
		return c.String()
	}
	p1 := draw([]ln{
		{18, 226, 780, []string{"会计人员管理办法"}},
		{12, 72, 740, []string{"第一章", "总则"}},
		{12, 96, 714, []string{"第一条", "为了加强会计人员管理，规范会计人员行为，根据有"}},
		{12, 72, 698, []string{"关法律法规，制定本办法。"}},
		{12, 96, 672, []string{"第二条", "本办法所称会计人员，是指根据《中华人民共和国会"}},
		{12, 72, 656, []string{"计法》的规定，在国家机关、社会团体、企业、事业单位"}},
		{12, 72, 640, []string{"和其他组织中从事会计核算工作的人员。"}},
	}, "- 1 -")
	// Letter-spaced by kerning: a half-em gap after every character.
	var tj strings.Builder
	for _, r := range "会计人员应当遵守职业道德。" {
		fmt.Fprintf(&tj, "%s -500 ", f.hex(string(r)))
	}
	p1 += fmt.Sprintf("BT /F2 12 Tf 96 614 Td [%s] TJ ET\n", tj.String())
	// Letter-spaced with real space glyphs, as some converters write.
	p1 += fmt.Sprintf("BT /F2 12 Tf 96 588 Td %s Tj ET\n", f.hex("单 位 负 责 人 对 本 单 位 会 计 工 作 负 责 。"))

	p2 := draw([]ln{
		{12, 72, 780, []string{"第二章", "会计人员管理"}},
		{12, 96, 754, []string{"一、总体要求"}},
		{12, 96, 728, []string{"（一）基本原则。各单位应当依法配备会计人员，督促"}},
		{12, 72, 712, []string{"会计人员遵守法律法规，加强会计人员管理。"}},
		{12, 96, 686, []string{"第三条", "会计人员应当具备从事会计工作所需要的专业能力。"}},
	}, "- 2 -")

	cjk := f.objects(d)
	res := fmt.Sprintf("<< /Font << /F1 %d 0 R /F2 %d 0 R >> >>", helv, cjk)
	a := page(d, pages, p1, res)
	b := page(d, pages, p2, res)
	root := catalog(d, pages, []int{a, b})
	return d.bytes(fmt.Sprintf("/Root %d 0 R", root))
}

// scannedPDF has a page with only a filled rectangle: no text layer.
func scannedPDF() []byte {
	d := &doc{}
	pages := d.reserve()
	p := page(d, pages, "q 0.5 g 72 72 451 698 re f Q\n", "<< >>")
	root := catalog(d, pages, []int{p})
	return d.bytes(fmt.Sprintf("/Root %d 0 R", root))
}

// cyclePDF's page tree lists itself among its kids.
func cyclePDF() []byte {
	d := &doc{}
	pages := d.reserve()
	font := helvFont(d)
	p := page(d, pages, "BT /F1 12 Tf 72 700 Td (Looped page tree.) Tj ET\n", fmt.Sprintf("<< /Font << /F1 %d 0 R >> >>", font))
	d.set(pages, fmt.Sprintf("<< /Type /Pages /Kids [%d 0 R %d 0 R] /Count 2 >>", p, pages))
	root := d.add(fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R >>", pages))
	return d.bytes(fmt.Sprintf("/Root %d 0 R", root))
}

// badStreamPDF has a well-formed file structure but garbage operators and
// operands in its content stream.
func badStreamPDF() []byte {
	d := &doc{}
	pages := d.reserve()
	font := helvFont(d)
	content := "BT /F1 12 Tf 72 700 Td (Readable text.) Tj ET\nQ Q Q Tf Tj TJ Td 1 2 3 4 5 Tm ] >> BT /Nope 9 Tf (x) Tj [ (y) 1 /Z ] TJ ET\nBT /F1 12 Tf 72 680 Td (unterminated"
	p := page(d, pages, content, fmt.Sprintf("<< /Font << /F1 %d 0 R >> >>", font))
	root := catalog(d, pages, []int{p})
	return d.bytes(fmt.Sprintf("/Root %d 0 R", root))
}

// formPDF draws its text through form XObjects: one placed with a matrix,
// and one that draws itself twice, recursively.
func formPDF() []byte {
	d := &doc{}
	pages := d.reserve()
	font := helvFont(d)
	res := fmt.Sprintf("<< /Font << /F1 %d 0 R >> >>", font)
	x1 := d.stream("/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Matrix [1 0 0 1 0 -100] /Resources "+res,
		"BT /F1 12 Tf 72 700 Td (Text in a form.) Tj ET")
	x2 := d.reserve()
	loop := "BT /F1 12 Tf 72 500 Td (Recursive form.) Tj ET /X2 Do /X2 Do"
	d.set(x2, fmt.Sprintf("<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> /XObject << /X2 %d 0 R >> >> /Length %d >>\nstream\n%s\nendstream", font, x2, len(loop), loop))
	content := "BT /F1 12 Tf 72 700 Td (Page text.) Tj ET\nq /X1 Do Q\n/X2 Do\n"
	p := page(d, pages, content, fmt.Sprintf("<< /Font << /F1 %d 0 R >> /XObject << /X1 %d 0 R /X2 %d 0 R >> >>", font, x1, x2))
	root := catalog(d, pages, []int{p})
	return d.bytes(fmt.Sprintf("/Root %d 0 R", root))
}
