//go:build ignore

// mkfpdf writes fpdf_zh.pdf and fpdf_en.pdf, fixtures made by a real PDF
// generator (compressed streams, an embedded font subset, fpdf's one-range
// ToUnicode map). kuaiji does not depend on fpdf, so run it from a scratch
// module:
//
//	mkdir /tmp/mkfpdf && cd /tmp/mkfpdf && go mod init mkfpdf
//	go get github.com/go-pdf/fpdf@v0.9.0
//	cp $KUAIJI/knowledge/extract/testdata/mkfpdf.go main.go
//	go run . -out $KUAIJI/knowledge/extract/testdata
//
// The Chinese font is Droid Sans Fallback (Debian: fonts-droid-fallback).
package main

import (
	"flag"
	"fmt"
	"log"
	"path/filepath"

	"github.com/go-pdf/fpdf"
)

var out = flag.String("out", "testdata", "directory to write the fixtures to")

func main() {
	flag.Parse()
	zh()
	en()
}

func zh() {
	pdf := fpdf.New("P", "mm", "A4", "/usr/share/fonts/truetype/droid")
	pdf.AddUTF8Font("droid", "", "DroidSansFallbackFull.ttf")
	pdf.SetTitle("会计人员继续教育规定", true)
	pdf.SetFooterFunc(func() {
		pdf.SetY(-15)
		pdf.SetFont("droid", "", 9)
		pdf.CellFormat(0, 10, fmt.Sprintf("第 %d 页", pdf.PageNo()), "", 0, "C", false, 0, "")
	})
	pdf.AddPage()
	pdf.SetFont("droid", "", 18)
	pdf.CellFormat(0, 12, "会计人员继续教育规定", "", 1, "C", false, 0, "")
	pdf.Ln(4)
	pdf.SetFont("droid", "", 12)
	pdf.CellFormat(0, 8, "第一章　总则", "", 1, "C", false, 0, "")
	// Wrap by hand: fpdf's MultiCell drops a character where it breaks
	// lines of Chinese text.
	para := func(s string) {
		r := []rune(s)
		for len(r) > 0 {
			n := min(40, len(r))
			pdf.CellFormat(0, 7, string(r[:n]), "", 1, "L", false, 0, "")
			r = r[n:]
		}
		pdf.Ln(3)
	}
	para("　　第一条　为了规范会计专业技术人员继续教育，保障会计专业技术人员合法权益，不断提高会计专业技术人员素质，根据《中华人民共和国会计法》和《专业技术人员继续教育规定》，制定本规定。")
	para("　　第二条　国家机关、企业、事业单位以及社会团体等组织具有会计专业技术资格的人员，或不具有会计专业技术资格但从事会计工作的人员继续教育，适用本规定。")
	pdf.CellFormat(0, 8, "第二章　管理体制", "", 1, "C", false, 0, "")
	para("　　一、继续教育内容")
	para("　　（一）公需科目。包括专业技术人员应当普遍掌握的法律法规、理论政策、职业道德、技术信息等基本知识。")
	pdf.AddPage()
	para("　　第三条　会计专业技术人员参加继续教育取得的学分，在全国范围内当年度有效，不得结转以后年度。")
	if err := pdf.OutputFileAndClose(filepath.Join(*out, "fpdf_zh.pdf")); err != nil {
		log.Fatal(err)
	}
}

func en() {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetTitle("Expense Policy", false)
	pdf.AddPage()
	pdf.SetFont("Helvetica", "B", 18)
	pdf.CellFormat(0, 12, "Expense Policy", "", 1, "L", false, 0, "")
	pdf.SetFont("Helvetica", "", 11)
	pdf.MultiCell(0, 6, "Employees may claim reasonable travel expenses incurred on company business. Claims must be submitted within thirty days of the trip, together with original receipts, and approved by the line manager before payment.", "", "L", false)
	pdf.Ln(4)
	pdf.SetFont("Helvetica", "B", 14)
	pdf.CellFormat(0, 9, "Meals", "", 1, "L", false, 0, "")
	pdf.SetFont("Helvetica", "", 11)
	pdf.MultiCell(0, 6, "Meals are reimbursed up to the daily limit.", "", "L", false)
	if err := pdf.OutputFileAndClose(filepath.Join(*out, "fpdf_en.pdf")); err != nil {
		log.Fatal(err)
	}
}
