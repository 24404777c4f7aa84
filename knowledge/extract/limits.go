package extract

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// Limits on what one file may expand to. A small file can inflate: an
// 82 KB DOCX held 20 MB of XML that became 25,796 chunks, and a 6.7 KB PDF
// drew one 1 MB compressed stream on each of its 20 pages. Real policy
// documents stay far below all of these: the longest national rule is
// some 30,000 characters, a provincial notice rarely a tenth of that.
const (
	// MaxTextRunes caps the characters extracted from one file (about
	// 300 pages of Chinese text).
	MaxTextRunes = 500_000
	// maxPDFContent caps the decompressed content streams of a whole PDF;
	// maxContentBytes (pdfcontent.go) caps one page's.
	maxPDFContent = 32 << 20
)

// LimitError is returned (wrapped) when a file exceeds one of the limits
// above, takes too long or needs too much memory to read.
type LimitError struct {
	// Reason says which limit, in Chinese, for the operator.
	Reason string
	why    string
}

func (e *LimitError) Error() string { return e.why }

// ErrLimit matches every [*LimitError] with errors.Is.
var ErrLimit = errors.New("file exceeds a limit")

func (e *LimitError) Is(target error) bool { return target == ErrLimit }

func limitErr(why, reason string) *LimitError { return &LimitError{Reason: reason, why: why} }

// NewLimitError returns a [*LimitError] for a limit kept by a caller: why
// for logs, reason for the operator.
func NewLimitError(why, reason string) *LimitError { return limitErr(why, reason) }

// CheckText refuses, with a [*LimitError], a document holding more than
// MaxTextRunes characters; [File] applies it already.
func CheckText(d Doc) error { return checkText(d) }

var errTooMuchText = limitErr(fmt.Sprintf("more than %d characters of text", MaxTextRunes),
	fmt.Sprintf("提取出的文字超过 %d 万字的上限（政策文件通常不到 3 万字），不予导入；如确为一份文件，请按章节拆分。", MaxTextRunes/10000))

// checkText refuses a document holding more than MaxTextRunes characters.
func checkText(d Doc) error {
	n := utf8.RuneCountInString(d.Title)
	for _, b := range d.Blocks {
		if n += utf8.RuneCountInString(b.Text); n > MaxTextRunes {
			return errTooMuchText
		}
	}
	return nil
}
