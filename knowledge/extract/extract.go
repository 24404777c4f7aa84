// Package extract turns policy documents (Markdown, plain text, HTML, PDF and
// DOCX) into plain-text blocks in reading order, so that the chunker can split
// them by heading without knowing any file format.
package extract

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Block is one structural piece of a document in reading order.
type Block struct {
	Level int    // 1..6 for a heading of that depth, 0 for body text (a paragraph, list item, table row)
	Text  string // plain text, whitespace collapsed, no markup
}

// Doc is the extracted text of one file.
type Doc struct {
	Title  string // from <title>/first heading/docx title/PDF metadata; "" if none
	Blocks []Block
}

// ErrUnsupported is returned (wrapped) for file kinds we do not read.
var ErrUnsupported = errors.New("unsupported file type")

// maxFileSize caps the input we accept. Policy documents are a few MB at most;
// anything larger is more likely a scanned archive or a mistake, and the PDF
// and zip readers hold whole structures in memory.
const maxFileSize = 50 << 20

// maxXMLSize caps how much decompressed XML we read out of one part of a
// DOCX, so a zip bomb cannot exhaust memory even though the archive itself
// is under maxFileSize: the document.xml of a 300-page report is a few MB.
// It is a variable so that tests need not inflate 32 MB.
var maxXMLSize int64 = 32 << 20

var errTooLarge = fmt.Errorf("file is larger than the %d MB limit", maxFileSize>>20)

// File reads the file at path and extracts it according to its extension
// (.md .markdown .txt .html .htm .pdf .docx, case-insensitive).
//
// Any other extension, e.g. .doc or .xlsx, gives an error wrapping
// [ErrUnsupported] that names the extension. Files over 50 MB are refused,
// and so is one exceeding the limits of limits.go, with a [*LimitError].
// PDFs are read in a child process (see [ServeChild]), stopped after 15
// seconds plus 2 per MB (two minutes at most) or at 1 GB.
// Markdown is passed to [Markdown] as is: File does not strip YAML front
// matter, so callers that allow it should read the file themselves and use
// [SplitFrontMatter] first.
func File(path string) (Doc, error) {
	ext := strings.ToLower(filepath.Ext(path))
	switch ext {
	case ".md", ".markdown", ".txt", ".html", ".htm", ".pdf", ".docx":
	case "":
		return Doc{}, fmt.Errorf("extract %s: %w (no extension)", path, ErrUnsupported)
	default:
		return Doc{}, fmt.Errorf("extract %s: %w %q", path, ErrUnsupported, ext)
	}

	f, err := os.Open(path)
	if err != nil {
		return Doc{}, fmt.Errorf("extract: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return Doc{}, fmt.Errorf("extract: %w", err)
	}
	if fi.IsDir() {
		return Doc{}, fmt.Errorf("extract %s: is a directory", path)
	}
	if fi.Size() > maxFileSize {
		return Doc{}, fmt.Errorf("extract %s: %w (%d bytes)", path, errTooLarge, fi.Size())
	}

	var doc Doc
	switch ext {
	case ".pdf":
		f.Close()
		if doc, err = pdfInChild(context.Background(), path, fi.Size()); err != nil {
			return Doc{}, fmt.Errorf("extract %s: %w", path, err)
		}
		return doc, nil
	case ".docx":
		doc, err = DOCX(f, fi.Size())
	case ".html", ".htm":
		doc, err = HTML(f)
	default:
		var src []byte
		src, err = readAllLimited(f)
		if err != nil {
			break
		}
		if ext == ".txt" {
			doc = Text(src)
		} else {
			doc = Markdown(src)
		}
	}
	if err == nil {
		err = checkText(doc)
	}
	if err != nil {
		return Doc{}, fmt.Errorf("extract %s: %w", path, err)
	}
	return doc, nil
}

// readAllLimited reads r to the end, failing with errTooLarge rather than
// growing past maxFileSize; File checks the size up front, but a reader passed
// to HTML may be a stream of unknown length.
func readAllLimited(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxFileSize {
		return nil, errTooLarge
	}
	return b, nil
}

// titleFrom picks a document title from its blocks: the first level-1
// heading, else (if anyLevel) the first heading of any level. Chinese outline
// headings ("第一章 总则", "一、……") are never titles.
func titleFrom(blocks []Block, anyLevel bool) string {
	first := ""
	for _, b := range blocks {
		if b.Level == 0 {
			continue
		}
		if _, ok := parseOutline(b.Text, true); ok {
			continue
		}
		if b.Level == 1 {
			return b.Text
		}
		if b.Level > 0 && first == "" {
			first = b.Text
		}
	}
	if anyLevel {
		return first
	}
	return ""
}

// appendBlock appends a normalised block, dropping it if nothing is left, so
// that no extractor emits empty blocks. A heading that is a Chinese chapter
// or section title keeps the space after its marker ("第一章 总则") whatever
// format it came from.
func appendBlock(blocks []Block, level int, text string) []Block {
	if level > 0 {
		if o, ok := parseOutline(collapse(text), true); ok && o.rest == "" {
			return append(blocks, Block{Level: level, Text: o.head})
		}
	}
	text = normalize(text)
	if text == "" {
		return blocks
	}
	return append(blocks, Block{Level: level, Text: text})
}
