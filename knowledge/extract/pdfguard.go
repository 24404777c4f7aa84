package extract

// Guards around the PDF library for input it would choke on: reference loops
// that never end, forged sizes that allocate without bound, and PDF 2.0
// headers it refuses.

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// The library re-reads objects from the file on every access and follows
// /Prev and /Extends chains without checking for cycles, so a malformed file
// can make it loop for ever. Every such loop reads the file, so capping the
// bytes read turns a hang into an error. Each access reads up to 4 KB, and
// normal extraction reads each object a few times, hence the generous
// factor; a loop in a small file still fails within a second or two.
const readBudgetFactor = 512

// readBudgetBase is a variable so that tests can hit the cap quickly.
var readBudgetBase int64 = 64 << 20

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

// patchPDF2Header presents a PDF 2.0 header as 1.7, in our own copy of the
// file: the library refuses any version but 1.x, although 2.0 files that
// carry text read the same way.
func patchPDF2Header(data []byte) {
	if bytes.HasPrefix(data, []byte("%PDF-2.0")) {
		copy(data, "%PDF-1.7")
	}
}

// maxXrefEntries bounds the object numbers a cross-reference section may
// declare. The library allocates its table from these numbers before
// reading any entry, so one forged "0 999999999" subsection or /Size would
// allocate tens of gigabytes and crash the process, which recover cannot
// catch. Even 50 MB of minimal objects stays far below this.
const maxXrefEntries = 1 << 22

// checkXrefSizes scans the file for xref subsection headers, /Size values and
// xref stream /Index arrays that declare more objects than maxXrefEntries.
func checkXrefSizes(data []byte) error {
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
				if !sc.subsections(0) {
					return tooMany
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
		if !sc.subsections(3) {
			return tooMany
		}
		i = max(sc.pos, i+j+4)
	}
	return nil
}

// subsections reads "start count" pairs, each followed by count entries of
// tokensPerEntry tokens (0 in an /Index array, 3 in an xref table), until
// something else comes, and reports false as soon as one pair declares
// object numbers beyond maxXrefEntries.
func (s *pdfScanner) subsections(tokensPerEntry int) bool {
	for {
		start, ok1 := s.int()
		n, ok2 := s.int()
		if !ok1 || !ok2 {
			return true
		}
		if start+n > maxXrefEntries {
			return false
		}
		for k := 0; k < tokensPerEntry*n && s.token(); k++ {
		}
	}
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
