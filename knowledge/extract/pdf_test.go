package extract

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"regexp"
	"strings"
	"testing"
)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func pdfDoc(t testing.TB, data []byte) (Doc, error) {
	return PDF(bytes.NewReader(data), int64(len(data)))
}

// The fixtures come from testdata/mkpdf.go (hand-written PDFs) and
// testdata/mkfpdf.go (made with fpdf).
func TestPDF(t *testing.T) {
	tests := []struct {
		file   string
		title  string
		blocks []Block
	}{
		{
			// Words in separate text objects, a hyphenated line break,
			// kerning inside TJ, sizes for headings, a page-number footer;
			// the title comes from the metadata.
			file:  "text.pdf",
			title: "Staff Rules (metadata)",
			blocks: []Block{
				h(1, "Staff Accounting Rules"),
				p("This first paragraph explains why the rules exist and is wrapped over two lines by the generator."),
				p("A second paragraph tests hyphenation."),
				h(2, "Scope"),
				p("Rules apply to all staff."),
			},
		},
		{
			// A composite font with a ToUnicode map; outline lines;
			// letter-spaced lines (kerning and real spaces); two pages.
			file:  "chinese.pdf",
			title: "会计人员管理办法",
			blocks: []Block{
				h(1, "会计人员管理办法"),
				h(2, "第一章 总则"),
				h(4, "第一条"),
				p("为了加强会计人员管理，规范会计人员行为，根据有关法律法规，制定本办法。"),
				h(4, "第二条"),
				p("本办法所称会计人员，是指根据《中华人民共和国会计法》的规定，在国家机关、社会团体、企业、事业单位和其他组织中从事会计核算工作的人员。"),
				p("会计人员应当遵守职业道德。"),
				p("单位负责人对本单位会计工作负责。"),
				h(2, "第二章 会计人员管理"),
				h(2, "一、总体要求"),
				h(3, "（一）基本原则"),
				p("各单位应当依法配备会计人员，督促会计人员遵守法律法规，加强会计人员管理。"),
				h(4, "第三条"),
				p("会计人员应当具备从事会计工作所需要的专业能力。"),
			},
		},
		{
			// A real generator: compressed streams, a subset TrueType font
			// with a single-range ToUnicode map, ideographic spaces, and
			// "第 1 页" footers.
			file:  "fpdf_zh.pdf",
			title: "会计人员继续教育规定",
			blocks: []Block{
				h(1, "会计人员继续教育规定"),
				h(2, "第一章 总则"),
				h(4, "第一条"),
				p("为了规范会计专业技术人员继续教育，保障会计专业技术人员合法权益，不断提高会计专业技术人员素质，根据《中华人民共和国会计法》和《专业技术人员继续教育规定》，制定本规定。"),
				h(4, "第二条"),
				p("国家机关、企业、事业单位以及社会团体等组织具有会计专业技术资格的人员，或不具有会计专业技术资格但从事会计工作的人员继续教育，适用本规定。"),
				h(2, "第二章 管理体制"),
				h(2, "一、继续教育内容"),
				h(3, "（一）公需科目"),
				p("包括专业技术人员应当普遍掌握的法律法规、理论政策、职业道德、技术信息等基本知识。"),
				h(4, "第三条"),
				p("会计专业技术人员参加继续教育取得的学分，在全国范围内当年度有效，不得结转以后年度。"),
			},
		},
		{
			file:  "fpdf_en.pdf",
			title: "Expense Policy",
			blocks: []Block{
				h(1, "Expense Policy"),
				p("Employees may claim reasonable travel expenses incurred on company business. Claims must be submitted within thirty days of the trip, together with original receipts, and approved by the line manager before payment."),
				h(2, "Meals"),
				p("Meals are reimbursed up to the daily limit."),
			},
		},
		{
			// The page tree lists itself: read once, no endless loop.
			file:   "cycle.pdf",
			blocks: []Block{p("Looped page tree.")},
		},
		{
			// Form XObjects: placed by their matrix; a self-drawing form
			// stops at the depth limit and its copies collapse into one.
			file:   "form.pdf",
			blocks: []Block{p("Page text."), p("Text in a form."), p("Recursive form.")},
		},
		{
			// Garbage operators are ignored; text before them survives.
			file:   "badstream.pdf",
			blocks: []Block{p("Readable text."), p("xy")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			doc, err := pdfDoc(t, readFixture(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			checkDoc(t, doc, tt.title, tt.blocks)
		})
	}
}

func TestPDFErrors(t *testing.T) {
	defer func(n int64) { readBudgetBase = n }(readBudgetBase)
	readBudgetBase = 1 << 20 // so that the /Prev loop fails fast

	text := readFixture(t, "text.pdf")
	tests := []struct {
		name string
		data []byte
		is   error  // if set, errors.Is must hold
		msg  string // the error must contain this
	}{
		{"truncated", readFixture(t, "truncated.pdf"), nil, "broken or truncated"},
		{"scanned", readFixture(t, "scanned.pdf"), errNoTextLayer, "no text layer"},
		{"encrypted", readFixture(t, "encrypted.pdf"), nil, "encrypted"},
		{"not a pdf", []byte("<html>hello</html>"), nil, "not a PDF"},
		{"empty", nil, nil, "empty"},
		{"header only", []byte("%PDF-1.4\n%%EOF\n"), nil, "broken"},
		{"garbage middle", corruptMiddle(text), nil, "pdf"},
		// The library would loop for ever on this /Prev and allocate
		// gigabytes for the forged sizes.
		{"xref prev loop", prevLoop(text), nil, "broken"},
		{"forged xref subsection", regexp.MustCompile(`xref\n0 \d+\n`).ReplaceAll(text, []byte("xref\n0 999999999\n")), nil, "more than"},
		{"forged size", regexp.MustCompile(`/Size \d+`).ReplaceAll(text, []byte("/Size 2000000000")), nil, "more than"},
		{"forged xref stream index", bytes.Replace(text, []byte("trailer\n<< "), []byte("trailer\n<< /Index [0 5 7 999999999] "), 1), nil, "more than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := pdfDoc(t, tt.data)
			if err == nil {
				t.Fatal("no error")
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %v is not %v", err, tt.is)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q does not mention %q", err, tt.msg)
			}
		})
	}

	t.Run("too large", func(t *testing.T) {
		_, err := PDF(bytes.NewReader(text), maxFileSize+1)
		if err == nil || !strings.Contains(err.Error(), "50 MB") {
			t.Errorf("err = %v, want the size limit", err)
		}
	})
}

// corruptMiddle overwrites the object area of a PDF, keeping the header and
// the xref so that the damage is found only while reading objects.
func corruptMiddle(b []byte) []byte {
	out := bytes.Clone(b)
	i := bytes.Index(out, []byte("1 0 obj"))
	j := bytes.LastIndex(out, []byte("xref"))
	for k := i; k < j; k++ {
		out[k] = '#'
	}
	return out
}

// prevLoop points the trailer's /Prev at the file's own xref table.
func prevLoop(b []byte) []byte {
	off := bytes.LastIndex(b, []byte("xref\n0 "))
	return bytes.Replace(b, []byte("trailer\n<< "), []byte(fmt.Sprintf("trailer\n<< /Prev %d ", off)), 1)
}

func TestPDF2Header(t *testing.T) {
	b := bytes.Clone(readFixture(t, "text.pdf"))
	copy(b, "%PDF-2.0")
	doc, err := pdfDoc(t, b)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Blocks) == 0 || doc.Blocks[0].Text != "Staff Accounting Rules" {
		t.Errorf("blocks = %v", doc.Blocks)
	}
}

// TestPDFNoPanic damages the fixtures in many ways (truncation, flipped
// bytes, overwritten runs) and checks that PDF returns rather than panics.
// The PDF library panics on many malformed inputs; PDF must recover.
func TestPDFNoPanic(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, name := range []string{"text.pdf", "chinese.pdf", "fpdf_zh.pdf", "cycle.pdf"} {
		orig := readFixture(t, name)
		for i := 0; i < 300; i++ {
			b := bytes.Clone(orig)
			switch i % 3 {
			case 0: // truncate, then restore the trailer so parsing goes deeper
				cut := rng.IntN(len(b))
				b = append(b[:cut], orig[bytes.LastIndex(orig, []byte("xref")):]...)
			case 1:
				for range 1 + rng.IntN(8) {
					b[rng.IntN(len(b))] = byte(rng.IntN(256))
				}
			case 2:
				at := rng.IntN(len(b))
				for k := at; k < min(len(b), at+1+rng.IntN(64)); k++ {
					b[k] = "0123456789 <>[]()/R\nobj"[rng.IntN(23)]
				}
			}
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Fatalf("%s mutation %d: panic: %v", name, i, p)
					}
				}()
				_, _ = pdfDoc(t, b)
			}()
		}
	}
}

func FuzzPDF(f *testing.F) {
	for _, name := range []string{"text.pdf", "chinese.pdf", "badstream.pdf", "truncated.pdf"} {
		f.Add(readFixture(f, name))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = pdfDoc(t, b)
	})
}

// minimalPDF builds a one-page PDF whose page shows content with two fonts:
// /F1 Helvetica and /F2 a composite font whose ToUnicode map is cmap.
func minimalPDF(content, cmap []byte) []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /FirstChar 32 /LastChar 126 /Widths [278 278] >>",
		"<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-H /DescendantFonts [7 0 R] /ToUnicode 8 0 R >>",
		"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /X /DW 1000 /W [1 [500 600] 3 9 700] >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(cmap), cmap),
	}
	return assemblePDF(objs)
}

// assemblePDF writes objects 1..n (the first the catalog) with a
// cross-reference table and trailer.
func assemblePDF(objs []string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

const testCMap = "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n" +
	"1 begincodespacerange <0000> <FFFF> endcodespacerange\n" +
	"2 beginbfchar <0001> <4F1A> <0002> <8BA1> endbfchar\n" +
	"2 beginbfrange <0003> <0004> <4EBA> <0010> <0011> [<5458> <D835DC00>] endbfrange\n" +
	"endcmap CMapName currentdict /CMap defineresource pop end end"

// TestPDFCMap covers ToUnicode details: bfchar, a bfrange with an
// incremented destination and one with an array (including a surrogate
// pair), and unmapped codes.
func TestPDFCMap(t *testing.T) {
	content := "BT /F2 12 Tf 72 700 Td <0001000200030004> Tj ET\n" +
		"BT /F2 12 Tf 72 650 Td <00100011> Tj ET\n" +
		"BT /F2 12 Tf 72 600 Td <0001FFFF> Tj ET\n"
	doc, err := pdfDoc(t, minimalPDF([]byte(content), []byte(testCMap)))
	if err != nil {
		t.Fatal(err)
	}
	checkDoc(t, doc, "", []Block{p("会计人亻"), p("员𝐀"), p("会\ufffd")})
}

// FuzzPDFContent runs the content stream interpreter and the CMap parser
// on arbitrary input inside a well-formed file, which plain fuzzing of whole
// files rarely reaches.
func FuzzPDFContent(f *testing.F) {
	f.Add([]byte("BT /F1 12 Tf 72 700 Td (Hello) Tj /F2 9 Tf [<0001> -300 <0002>] TJ T* (x) ' 1 2 (y) \" ET"), []byte(testCMap))
	f.Add([]byte("q 1 0 0 1 5 5 cm BT /F2 12 Tf 1 0 0 1 72 700 Tm 2 Tz 3 TL 1 Ts 2 Tc 1 Tw <00100011> Tj ET Q Q Q"), []byte("1 beginbfrange <00> <FF> [<0041>] endbfrange"))
	f.Fuzz(func(t *testing.T, content, cmap []byte) {
		_, _ = pdfDoc(t, minimalPDF(content, cmap))
	})
}

// TestPDFContentStreams covers content-stream details on a minimal file.
func TestPDFContentStreams(t *testing.T) {
	tests := []struct {
		name    string
		content string
		blocks  []Block
	}{
		{
			// The library's lexer spins for ever on this.
			name:    "hex string open at end of stream",
			content: "BT /F1 12 Tf 72 700 Td (Before) Tj <4142",
			blocks:  []Block{p("Before")},
		},
		{
			name:    "inline image data is skipped",
			content: "BT /F1 12 Tf 72 700 Td (Text) Tj ET\nBI /W 4 /H 1 /BPC 8 /CS /G ID \x00BT (junk) Tj ET\xff EI\nBT /F1 12 Tf 72 600 Td (After) Tj ET",
			blocks:  []Block{p("Text"), p("After")},
		},
		{
			name:    "unbalanced state operators and stray delimiters",
			content: "Q Q ] >> ) } BT /F1 12 Tf 72 700 Td (Still read) Tj ET ET q q",
			blocks:  []Block{p("Still read")},
		},
		{
			name:    "escapes in literal strings",
			content: `BT /F1 12 Tf 72 700 Td (a\(b\) \101\102 c\\d\` + "\n" + `e (nested)) Tj ET`,
			blocks:  []Block{p(`a(b) AB c\de (nested)`)},
		},
		{
			name:    "text matrix, rise and scaling still give one line",
			content: "BT /F1 10 Tf 2 0 0 2 72 700 Tm (Big ) Tj 5 Ts (up ) Tj 0 Ts 50 Tz (narrow) Tj ET",
			blocks:  []Block{p("Big up narrow")},
		},
		{
			name:    "T* and ' move down by the leading",
			content: "BT /F1 12 Tf 40 TL 72 700 Td (one) Tj T* (two) Tj (three) ' ET",
			blocks:  []Block{p("one"), p("two"), p("three")},
		},
		{
			name:    "unknown font is read as Latin-1",
			content: "BT /Nope 12 Tf 72 700 Td (caf\351) Tj ET",
			blocks:  []Block{p("café")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := pdfDoc(t, minimalPDF([]byte(tt.content), []byte(testCMap)))
			if err != nil {
				t.Fatal(err)
			}
			checkDoc(t, doc, "", tt.blocks)
		})
	}
}
