package extract

import (
	"fmt"
	"os"
	"testing"
)

func TestDump(t *testing.T) {
	for _, f := range []string{"text", "chinese", "scanned", "encrypted", "truncated", "cycle", "badstream", "fpdf_zh", "fpdf_en"} {
		doc, err := File("testdata/" + f + ".pdf")
		fmt.Printf("== %s: title=%q err=%v\n", f, doc.Title, err)
		for _, b := range doc.Blocks {
			fmt.Printf("  %d %s\n", b.Level, b.Text)
		}
	}
	_ = os.Stdout
}
