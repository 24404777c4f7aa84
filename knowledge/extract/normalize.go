package extract

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/unicode/norm"
)

// normalize collapses whitespace and then removes the spaces between two CJK
// characters that PDF extraction and hand-typed text often contain
// ("会 计 人 员" → "会计人员"). Chinese does not separate words with spaces,
// so such a space is never meaningful, while it does break search.
func normalize(s string) string {
	return joinCJK(collapse(s))
}

// collapse turns every run of whitespace and control characters into one
// space and trims the ends. Zero-width characters and soft hyphens are
// dropped, as they are invisible in the source but would split words, and
// look-alike ideographs become the ones people type (see isLookAlike).
func collapse(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case isInvisible(r):
			continue
		case unicode.IsSpace(r) || unicode.IsControl(r):
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		if isLookAlike(r) {
			if u, ok := radicalIdeograph[r]; ok {
				b.WriteRune(u)
			} else {
				b.WriteString(norm.NFKC.String(string(r)))
			}
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isLookAlike reports whether r is a Kangxi radical, a CJK radical or a
// compatibility ideograph: characters that look like ordinary ideographs
// but are different code points. PDFs printed from browsers and Office
// with Source Han or Noto fonts often map glyphs to them ("⼈员" for
// "人员", "⻔" for "门"), and copied text carries them into other formats;
// a search for what the user typed would then miss. NFKC folds Kangxi
// radicals and compatibility ideographs, radicalIdeograph the CJK radicals;
// NFKC is applied to these blocks only, since it would also turn full-width
// punctuation into ASCII.
func isLookAlike(r rune) bool {
	return r >= 0x2e80 && r <= 0x2fdf || r >= 0xf900 && r <= 0xfaff || r >= 0x2f800 && r <= 0x2fa1f
}

func isInvisible(r rune) bool {
	switch r {
	case '\u00ad', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff':
		return true
	}
	return false
}

// joinCJK removes single spaces whose neighbours are both CJK characters.
// It expects collapsed input.
func joinCJK(s string) string {
	if !strings.Contains(s, " ") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	var prev rune = -1
	for i, r := range s {
		if r == ' ' && isCJK(prev) {
			next, _ := utf8.DecodeRuneInString(s[i+1:])
			if isCJK(next) {
				continue
			}
		}
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

// isCJK reports whether r belongs to scripts or punctuation that are written
// without spaces between them: Han, kana, CJK and full-width punctuation, and
// the general punctuation Chinese text shares with Western text. Hangul is
// deliberately absent because Korean separates words with spaces.
func isCJK(r rune) bool {
	switch {
	case r < 0x2000:
		return r == '·'
	case r >= 0x3000 && r <= 0x303f, // CJK symbols and punctuation
		r >= 0xff00 && r <= 0xffef: // full-width and half-width forms
		return true
	}
	switch r {
	case '—', '…', '“', '”', '‘', '’':
		return true
	}
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana)
}

// endsSentence reports whether s ends with sentence-final punctuation, which
// tells us that the next line starts a new paragraph or outline item.
func endsSentence(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(strings.TrimRight(s, " ”’\"')）"))
	switch r {
	case '。', '！', '？', '；', '：', '.', '!', '?', ';', ':':
		return true
	}
	return false
}

// decodeText turns the bytes of a text or Markdown file into a string. Files
// saved by Windows tools are often UTF-16 with a BOM or GBK, so we honour a
// BOM and fall back to GB18030 (a superset of GBK) when the bytes are not
// valid UTF-8; GB18030 decodes any byte string, so nothing is lost.
func decodeText(src []byte) string {
	switch {
	case bytes.HasPrefix(src, []byte{0xef, 0xbb, 0xbf}):
		return string(src[3:])
	case bytes.HasPrefix(src, []byte{0xff, 0xfe}), bytes.HasPrefix(src, []byte{0xfe, 0xff}):
		dec := xunicode.UTF16(xunicode.BigEndian, xunicode.ExpectBOM).NewDecoder()
		if out, err := dec.Bytes(src); err == nil {
			return string(out)
		}
	case utf8.Valid(src):
		return string(src)
	}
	if out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(src); err == nil {
		return string(out)
	}
	return string(src)
}

// splitLines splits s into lines, accepting \n, \r\n and a lone \r.
func splitLines(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Split(s, "\n")
}
