package extract

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ledongthuc/pdf"
)

// Limits on PDF structure, so that a hostile or broken page tree cannot make
// us loop for ever or hold millions of pages.
const (
	maxPDFPages    = 10000
	maxPDFTreeNode = 50000
	maxPDFDepth    = 64
	maxFormDepth   = 4
	maxForms       = 1000 // per page: a form drawing itself many times must not explode
)

var (
	errNoTextLayer = errors.New("no text layer (a scanned image?); run OCR on it first")
	errUndecodable = errors.New("text layer cannot be decoded (fonts without a Unicode map)")
)

// PDF extracts the text layer, page by page, joining lines into paragraphs;
// Chinese outline lines become headings as in [Text].
//
// Lines are rebuilt from glyph positions, so words split across text objects
// are joined and letter-spaced text loses its spaces. A new paragraph starts
// at a wider line gap, an indented line, a change of font size, or after a
// short line that ends a sentence. Short lines set clearly larger than the
// body text become headings (the largest size level 1, the next level 2).
// Page numbers and running headers or footers repeated on most pages are
// dropped. The title comes from the document information dictionary, else
// the first level-1 heading.
//
// A PDF without a text layer, one whose text cannot be decoded, and a
// broken, truncated or password-protected one all return an error that says
// so; the underlying library's panics on malformed input are recovered. Files
// over 50 MB are refused.
//
// PDF runs in the calling goroutine and cannot be interrupted: [File]
// runs it in a child process that is killed at a time or memory limit.
func PDF(r io.ReaderAt, size int64) (Doc, error) {
	return extractPDF(r, size)
}

func extractPDF(r io.ReaderAt, size int64) (doc Doc, err error) {
	if size > maxFileSize {
		return Doc{}, fmt.Errorf("read pdf: %w", errTooLarge)
	}
	if size <= 0 {
		return Doc{}, errors.New("read pdf: file is empty")
	}
	defer func() {
		if p := recover(); p != nil {
			doc, err = Doc{}, fmt.Errorf("read pdf: broken or unsupported file: %v", p)
		}
	}()

	// Read the file once: the guards scan it, and the library, which
	// re-reads objects on every access, then works from memory.
	data := make([]byte, size)
	if n, err := r.ReadAt(data, 0); int64(n) != size {
		if err == nil {
			err = io.ErrUnexpectedEOF
		}
		return Doc{}, fmt.Errorf("read pdf: %w", err)
	}
	if err := checkXrefSizes(data); err != nil {
		return Doc{}, err
	}
	patchPDF2Header(data)
	budget := &readBudget{r: bytes.NewReader(data), left: readBudgetFactor*size + readBudgetBase}
	rd, err := pdf.NewReader(budget, size)
	if err != nil {
		return Doc{}, openError(err)
	}
	pages, err := pdfPages(rd)
	if err != nil {
		return Doc{}, err
	}
	var lines []pdfLine
	left, shown := int64(maxPDFContent), 0
	for i, pg := range pages {
		items, err := pageItems(pg, &left)
		if errors.Is(err, ErrLimit) {
			return Doc{}, fmt.Errorf("read pdf page %d: %w", i+1, err)
		}
		if err != nil {
			return Doc{}, fmt.Errorf("read pdf page %d: broken content: %w", i+1, err)
		}
		// Stop at the text cap as the pages come, not after holding all
		// of their text.
		for _, it := range items {
			if shown += utf8.RuneCountInString(it.s); shown > MaxTextRunes {
				return Doc{}, fmt.Errorf("read pdf page %d: %w", i+1, errTooMuchText)
			}
		}
		lines = append(lines, groupLines(items, i)...)
	}
	if err := checkTextLayer(lines); err != nil {
		return Doc{}, err
	}
	lines = dropFurniture(lines, len(pages))
	blocks := pdfBlocks(lines)

	doc = Doc{Title: infoTitle(rd), Blocks: blocks}
	if doc.Title == "" {
		doc.Title = titleFrom(blocks, false)
	}
	return doc, nil
}

// openError explains why the library refused the file.
func openError(err error) error {
	msg := err.Error()
	switch {
	case errors.Is(err, pdf.ErrInvalidPassword):
		return fmt.Errorf("read pdf: file is encrypted with a password: %w", err)
	case strings.Contains(msg, "encrypt"):
		return fmt.Errorf("read pdf: file is encrypted in a way we cannot read: %w", err)
	default:
		return fmt.Errorf("read pdf: broken or truncated file: %w", err)
	}
}

// pdfPages lists the page dictionaries in order. We walk the page tree
// ourselves, within limits, because the library's Page(n) follows Kids
// without guarding against cycles.
func pdfPages(rd *pdf.Reader) ([]pdf.Value, error) {
	var (
		pages  []pdf.Value
		budget = maxPDFTreeNode
		seen   = map[string]bool{}
		walk   func(v pdf.Value, depth int)
	)
	walk = func(v pdf.Value, depth int) {
		if budget <= 0 || depth > maxPDFDepth || len(pages) > maxPDFPages {
			return
		}
		budget--
		// A node's printed form lists its keys with unresolved references
		// ("/Kids [3 0 R 1 0 R]"), so it identifies the node well enough
		// to break cycles; the library does not expose object numbers.
		id := v.String()
		if seen[id] {
			return
		}
		seen[id] = true
		kids := v.Key("Kids")
		if v.Key("Type").Name() == "Page" || kids.Kind() != pdf.Array {
			if v.Kind() == pdf.Dict {
				pages = append(pages, v)
			}
			return
		}
		for i := 0; i < kids.Len(); i++ {
			walk(kids.Index(i), depth+1)
		}
	}
	walk(rd.Trailer().Key("Root").Key("Pages"), 0)
	switch {
	case len(pages) > maxPDFPages:
		return nil, fmt.Errorf("read pdf: more than %d pages", maxPDFPages)
	case len(pages) == 0:
		return nil, errors.New("read pdf: broken file: no pages found")
	}
	return pages, nil
}

// inherited looks a page attribute up the Parent chain, within limits.
func inherited(v pdf.Value, key string) pdf.Value {
	for range maxPDFDepth {
		if v.IsNull() {
			break
		}
		if r := v.Key(key); !r.IsNull() {
			return r
		}
		v = v.Key("Parent")
	}
	return pdf.Value{}
}

// infoTitle returns the Title of the document information dictionary,
// without the "Microsoft Word - x.doc" that printing to PDF leaves there.
func infoTitle(rd *pdf.Reader) string {
	t := normalize(rd.Trailer().Key("Info").Key("Title").Text())
	t = strings.TrimPrefix(t, "Microsoft Word - ")
	for _, ext := range []string{".docx", ".doc", ".wps", ".pdf"} {
		if strings.HasSuffix(strings.ToLower(t), ext) {
			t = t[:len(t)-len(ext)]
		}
	}
	if strings.EqualFold(t, "untitled") {
		return ""
	}
	return strings.TrimSpace(t)
}

// checkTextLayer fails when the pages carry no usable text: none at all (a
// scan), or mostly code points that no font maps to Unicode.
func checkTextLayer(lines []pdfLine) error {
	var good, bad int
	for _, l := range lines {
		for _, r := range l.text {
			switch {
			case r == unicode.ReplacementChar || unicode.Is(unicode.Co, r) || unicode.IsControl(r):
				bad++
			case unicode.IsLetter(r) || unicode.IsDigit(r):
				good++
			}
		}
	}
	switch {
	case good == 0 && bad == 0:
		return fmt.Errorf("read pdf: %w", errNoTextLayer)
	case bad > good:
		return fmt.Errorf("read pdf: %w", errUndecodable)
	}
	return nil
}

var pageNumRe = regexp.MustCompile(`(?i)^(?:[-—–]?\s*\d{1,4}\s*[-—–]?|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|page\s+\d+(?:\s+of\s+\d+)?)$`)

// dropFurniture removes page numbers and running headers and footers: the
// two highest and two lowest lines of a page when they are a page number, or
// when the same text sits at the same height on at least half of the pages
// (and at least three).
func dropFurniture(lines []pdfLine, pages int) []pdfLine {
	ys := map[int][]float64{}
	for _, l := range lines {
		ys[l.page] = append(ys[l.page], l.y)
	}
	for _, y := range ys {
		sort.Float64s(y)
	}
	edge := make([]bool, len(lines))
	for i, l := range lines {
		y := ys[l.page]
		n := len(y)
		edge[i] = l.y <= y[min(1, n-1)] || l.y >= y[max(n-2, 0)]
	}
	type key struct {
		text string
		y    int
	}
	seen := map[key]map[int]bool{}
	for i, l := range lines {
		if edge[i] {
			k := key{l.text, int(l.y + 0.5)}
			if seen[k] == nil {
				seen[k] = map[int]bool{}
			}
			seen[k][l.page] = true
		}
	}
	out := lines[:0:0]
	for i, l := range lines {
		if edge[i] {
			if pageNumRe.MatchString(l.text) {
				continue
			}
			if n := len(seen[key{l.text, int(l.y + 0.5)}]); pages >= 3 && n >= 3 && 2*n >= pages {
				continue
			}
		}
		out = append(out, l)
	}
	return out
}
