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

	"github.com/ledongthuc/pdf"
)

// Limits on PDF structure, so that a hostile or broken page tree cannot make
// us loop for ever or hold millions of pages.
const (
	maxPDFPages    = 10000
	maxPDFTreeNode = 50000
	maxPDFDepth    = 64
	maxFormDepth   = 4
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
func PDF(r io.ReaderAt, size int64) (doc Doc, err error) {
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

	if err := checkXrefSizes(r, size); err != nil {
		return Doc{}, err
	}
	budget := &readBudget{r: pdf2Shim{r}, left: readBudgetFactor*size + readBudgetBase}
	rd, err := pdf.NewReader(budget, size)
	if err != nil {
		return Doc{}, openError(err)
	}
	pages, err := pdfPages(rd)
	if err != nil {
		return Doc{}, err
	}
	var lines []pdfLine
	for i, pg := range pages {
		items, err := pageItems(pg)
		if err != nil {
			return Doc{}, fmt.Errorf("read pdf page %d: broken content: %w", i+1, err)
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

// The library re-reads objects from the file on every access and follows
// /Prev and /Extends chains without checking for cycles, so a malformed file
// can make it loop for ever. Every such loop reads the file, so capping the
// bytes read turns a hang into an error. Normal extraction reads each object
// a few times; the factor leaves ample room.
const (
	readBudgetFactor = 64
	readBudgetBase   = 64 << 20
)

var errReadBudget = errors.New("read far more than the file holds (a reference loop?)")

type readBudget struct {
	r    io.ReaderAt
	left int64
}

func (b *readBudget) ReadAt(p []byte, off int64) (int, error) {
	if b.left <= 0 {
		return 0, errReadBudget
	}
	b.left -= int64(len(p))
	return b.r.ReadAt(p, off)
}

// pdf2Shim presents a PDF 2.0 header as 1.7: the library refuses any
// version but 1.x, although 2.0 files that carry text read the same way.
type pdf2Shim struct{ r io.ReaderAt }

func (s pdf2Shim) ReadAt(p []byte, off int64) (int, error) {
	n, err := s.r.ReadAt(p, off)
	const hdr, repl = "%PDF-2.0", "%PDF-1.7"
	if off < int64(len(hdr)) && n > 0 {
		head := make([]byte, len(hdr))
		if m, _ := s.r.ReadAt(head, 0); m == len(hdr) && string(head) == hdr {
			for i := off; i < int64(len(hdr)) && i-off < int64(n); i++ {
				p[i-off] = repl[i]
			}
		}
	}
	return n, err
}

// maxXrefEntries bounds the object numbers a cross-reference section may
// declare. The library allocates its table from these numbers before
// reading any entry, so one forged "0 999999999" subsection or /Size would
// allocate tens of gigabytes and crash the process, which recover cannot
// catch. Even 50 MB of minimal objects stays far below this.
const maxXrefEntries = 1 << 22

// checkXrefSizes scans the file for xref subsection headers, /Size values and
// xref stream /Index arrays that declare more objects than maxXrefEntries.
func checkXrefSizes(r io.ReaderAt, size int64) error {
	data := make([]byte, size)
	if n, err := r.ReadAt(data, 0); int64(n) != size {
		return fmt.Errorf("read pdf: %w", err)
	}
	tooMany := fmt.Errorf("read pdf: broken file: cross-reference declares more than %d objects", maxXrefEntries)
	sc := pdfScanner{b: data}
	for _, key := range []string{"/Size", "/Index"} {
		for i := 0; ; {
			j := bytes.Index(data[i:], []byte(key))
			if j < 0 {
				break
			}
			sc.pos = i + j + len(key)
			if key == "/Size" {
				if n, ok := sc.int(); ok && n > maxXrefEntries {
					return tooMany
				}
			} else if sc.skipSpace(); sc.pos < len(data) && data[sc.pos] == '[' {
				sc.pos++
				for {
					start, ok1 := sc.int()
					n, ok2 := sc.int()
					if !ok1 || !ok2 {
						break
					}
					if start+n > maxXrefEntries {
						return tooMany
					}
				}
			}
			i = sc.pos
		}
	}
	for i := 0; ; {
		j := bytes.Index(data[i:], []byte("xref"))
		if j < 0 {
			break
		}
		sc.pos = i + j + 4
		// Subsections: "start count" followed by count three-token entries.
		for {
			start, ok1 := sc.int()
			n, ok2 := sc.int()
			if !ok1 || !ok2 {
				break
			}
			if start+n > maxXrefEntries {
				return tooMany
			}
			for k := 0; k < 3*n && sc.token(); k++ {
			}
		}
		i = max(sc.pos, i+j+4)
	}
	return nil
}

// pdfScanner reads whitespace-separated tokens for checkXrefSizes.
type pdfScanner struct {
	b   []byte
	pos int
}

func (s *pdfScanner) skipSpace() {
	for s.pos < len(s.b) && isPDFSpace(s.b[s.pos]) {
		s.pos++
	}
}

// int reads a non-negative integer token; on failure pos is unchanged.
func (s *pdfScanner) int() (int, bool) {
	save := s.pos
	s.skipSpace()
	n, digits := 0, 0
	for s.pos < len(s.b) && s.b[s.pos] >= '0' && s.b[s.pos] <= '9' {
		if n < 1<<40 {
			n = n*10 + int(s.b[s.pos]-'0')
		}
		s.pos++
		digits++
	}
	if digits == 0 || s.pos < len(s.b) && !isPDFSpace(s.b[s.pos]) && !strings.ContainsRune("/[]<>()%", rune(s.b[s.pos])) {
		s.pos = save
		return 0, false
	}
	return n, true
}

// token skips one token and reports whether there was one.
func (s *pdfScanner) token() bool {
	s.skipSpace()
	start := s.pos
	for s.pos < len(s.b) && !isPDFSpace(s.b[s.pos]) {
		s.pos++
	}
	return s.pos > start
}

func isPDFSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
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
