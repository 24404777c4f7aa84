package extract

import (
	"os"
	"strings"
	"testing"
)

// TestPDFExports reads PDFs that common tools made from one source text
// (testdata/exports/make.sh) through the reader process, as ingest does:
// every character of the source comes back, in order, and a file whose
// text cannot be read is refused with the reason rather than indexed as
// garbage.
func TestPDFExports(t *testing.T) {
	src, err := os.ReadFile("testdata/exports/source.txt")
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Join(strings.Fields(string(src)), "")
	for _, name := range []string{"browser-type3.pdf", "browser-cid.pdf", "libreoffice.pdf"} {
		t.Run(name, func(t *testing.T) {
			doc, err := File("testdata/exports/" + name)
			if err != nil {
				t.Fatal(err)
			}
			var got strings.Builder
			for _, b := range doc.Blocks {
				got.WriteString(strings.Join(strings.Fields(b.Text), ""))
			}
			if got.String() != want {
				t.Errorf("text\n%s\nwant\n%s", got.String(), want)
			}
		})
	}
	for name, reason := range map[string]string{
		"cid-no-tounicode.pdf": "cannot be decoded",
		"aes256-owner.pdf":     "encrypted",
	} {
		t.Run(name, func(t *testing.T) {
			doc, err := File("testdata/exports/" + name)
			if err == nil || !strings.Contains(err.Error(), reason) {
				t.Errorf("got %d blocks, err %v; want an error saying %q", len(doc.Blocks), err, reason)
			}
		})
	}
}
