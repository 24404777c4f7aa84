package extract

import (
	"fmt"
	"os"
	"testing"

	"github.com/ledongthuc/pdf"
)

func TestDump2(t *testing.T) {
	f, _ := os.Open("testdata/fpdf_zh.pdf")
	fi, _ := f.Stat()
	rd, err := pdf.NewReader(f, fi.Size())
	if err != nil {
		t.Fatal(err)
	}
	pages, _ := pdfPages(rd)
	items, err := pageItems(pages[0])
	for _, it := range items {
		fmt.Printf("%.1f-%.1f y=%.1f s=%.1f %q\n", it.x0, it.x1, it.y, it.size, it.s)
	}
}
