package extract

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// h and p build expected blocks tersely: h(2, "…") is a level-2 heading,
// p("…") body text.
func h(level int, text string) Block { return Block{Level: level, Text: text} }
func p(text string) Block            { return Block{Text: text} }

// checkDoc compares a document with the expected title and blocks, printing
// both block lists in full on a mismatch so that the difference is easy to
// see.
func checkDoc(t *testing.T, got Doc, title string, blocks []Block) {
	t.Helper()
	if got.Title != title {
		t.Errorf("title = %q, want %q", got.Title, title)
	}
	if !reflect.DeepEqual(got.Blocks, blocks) {
		t.Errorf("blocks:\n%s\nwant:\n%s", formatBlocks(got.Blocks), formatBlocks(blocks))
	}
}

func formatBlocks(bs []Block) string {
	var b strings.Builder
	for _, x := range bs {
		b.WriteString("\t")
		if x.Level > 0 {
			b.WriteString(strings.Repeat("#", x.Level) + " ")
		}
		b.WriteString(x.Text + "\n")
	}
	return b.String()
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestFileDispatch(t *testing.T) {
	dir := t.TempDir()
	pdfBytes, err := os.ReadFile("testdata/text.pdf")
	if err != nil {
		t.Fatal(err)
	}
	docx := buildDOCX(t, map[string]string{
		"word/document.xml": document(`<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Word</w:t></w:r></w:p>`),
	})
	tests := []struct {
		name string
		data []byte
		want Block
	}{
		{"a.md", []byte("# Markdown\n"), h(1, "Markdown")},
		{"b.MARKDOWN", []byte("Setext\n===\n"), h(1, "Setext")},
		{"c.txt", []byte("第一章 总则\n"), h(2, "第一章 总则")},
		{"d.html", []byte("<h2>HTML</h2>"), h(2, "HTML")},
		{"e.HTM", []byte("<p>htm</p>"), p("htm")},
		{"f.Pdf", pdfBytes, h(1, "Staff Accounting Rules")},
		{"g.docx", docx, h(1, "Word")},
		// File does not strip front matter (that is the caller's job), so
		// it reads as a thematic break and a setext heading.
		{"h.md", []byte("---\ntitle: x\n---\n"), h(2, "title: x")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := File(writeFile(t, dir, tt.name, tt.data))
			if err != nil {
				t.Fatal(err)
			}
			if len(doc.Blocks) == 0 || doc.Blocks[0] != tt.want {
				t.Errorf("blocks = %v, want first %v", doc.Blocks, tt.want)
			}
		})
	}
}

func TestFileErrors(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.txt")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	// Sparse: takes no disk space.
	if err := f.Truncate(maxFileSize + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()

	tests := []struct {
		name        string
		path        string
		unsupported bool
		msg         string
	}{
		{"doc", writeFile(t, dir, "old.doc", []byte("x")), true, `".doc"`},
		{"xlsx", writeFile(t, dir, "sheet.XLSX", []byte("x")), true, `".xlsx"`},
		{"pptx", filepath.Join(dir, "missing.pptx"), true, `".pptx"`},
		{"no extension", writeFile(t, dir, "README", []byte("x")), true, "no extension"},
		{"missing", filepath.Join(dir, "missing.md"), false, "no such file"},
		{"directory", mkdir(t, dir, "dir.md"), false, "directory"},
		{"too large", big, false, "50 MB"},
		{"broken pdf", "testdata/truncated.pdf", false, "truncated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := File(tt.path)
			if err == nil {
				t.Fatal("no error")
			}
			if got := errors.Is(err, ErrUnsupported); got != tt.unsupported {
				t.Errorf("errors.Is(%v, ErrUnsupported) = %v, want %v", err, got, tt.unsupported)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q does not mention %q", err, tt.msg)
			}
		})
	}
}

func mkdir(t *testing.T, dir, name string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.Mkdir(path, 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}
