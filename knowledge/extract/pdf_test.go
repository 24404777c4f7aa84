package extract

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
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
		{"forged xref subsection", bytes.Replace(text, []byte("xref\n0 5\n"), []byte("xref\n0 999999999\n"), 1), nil, "more than"},
		{"forged size", bytes.Replace(text, []byte("/Size 5"), []byte("/Size 2000000000"), 1), nil, "more than"},
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
