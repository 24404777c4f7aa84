package extract

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// inline reduces Markdown inline markup to plain text.
func inline(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]):
			b.WriteByte(s[i+1])
			i += 2
		case c == '`':
			n := runLen(s, i, '`')
			if end := closingTicks(s, i+n, n); end >= 0 {
				b.WriteString(strings.TrimSpace(s[i+n : end]))
				i = end + n
			} else {
				b.WriteString(s[i : i+n])
				i += n
			}
		case c == '!' && i+1 < len(s) && s[i+1] == '[':
			if text, next, ok := link(s, i+1); ok {
				b.WriteString(inline(text))
				i = next
			} else {
				b.WriteByte(c)
				i++
			}
		case c == '[':
			if text, next, ok := link(s, i); ok {
				b.WriteString(inline(text))
				i = next
			} else {
				b.WriteByte(c)
				i++
			}
		case c == '<':
			if m := autolinkRe.FindStringSubmatch(s[i:]); m != nil {
				b.WriteString(m[1])
				i += len(m[0])
			} else if m := htmlTagRe.FindString(s[i:]); m != "" {
				b.WriteByte(' ')
				i += len(m)
			} else {
				b.WriteByte(c)
				i++
			}
		case c == '&':
			if m := entityRe.FindString(s[i:]); m != "" {
				b.WriteString(unescapeEntity(m))
				i += len(m)
			} else {
				b.WriteByte(c)
				i++
			}
		case c == '*' || c == '_' || c == '~':
			n := runLen(s, i, c)
			if !isDelimiterRun(s, i, n, c) {
				b.WriteString(s[i : i+n])
			}
			i += n
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

// isDelimiterRun decides whether a run of *, _ or ~ is emphasis markup (to be
// dropped) or literal text. It follows CommonMark's flanking rules loosely:
// "2 * 3" and snake_case stay, "**注意**" and "_word_" go, and only ~~ is
// strikethrough.
func isDelimiterRun(s string, i, n int, c byte) bool {
	before, after := rune(' '), rune(' ')
	if i > 0 {
		before = lastRune(s[:i])
	}
	if i+n < len(s) {
		after = firstRune(s[i+n:])
	}
	flanking := !isSpaceRune(before) || !isSpaceRune(after)
	switch c {
	case '~':
		return n == 2 && flanking
	case '_':
		return flanking && !(isWordRune(before) && isWordRune(after))
	}
	return flanking
}

// link parses "[text](dest)", "[text][ref]" or "[text][]" starting at s[i]
// == '[' and returns the text and the index after the link.
func link(s string, i int) (text string, next int, ok bool) {
	end := matching(s, i, '[', ']')
	if end < 0 || end+1 >= len(s) {
		return "", 0, false
	}
	switch s[end+1] {
	case '(':
		if close := matching(s, end+1, '(', ')'); close >= 0 {
			return s[i+1 : end], close + 1, true
		}
	case '[':
		if close := matching(s, end+1, '[', ']'); close >= 0 {
			return s[i+1 : end], close + 1, true
		}
	}
	return "", 0, false
}

// matching returns the index of the bracket closing the one at s[i], skipping
// escaped brackets, or -1.
func matching(s string, i int, open, close byte) int {
	depth := 0
	for j := i; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case open:
			depth++
		case close:
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return -1
}

// closingTicks finds a run of exactly n backticks at or after i, or -1.
func closingTicks(s string, i, n int) int {
	for i < len(s) {
		j := strings.IndexByte(s[i:], '`')
		if j < 0 {
			return -1
		}
		j += i
		m := runLen(s, j, '`')
		if m == n {
			return j
		}
		i = j + m
	}
	return -1
}

func runLen(s string, i int, c byte) int {
	n := 0
	for i+n < len(s) && s[i+n] == c {
		n++
	}
	return n
}

func isASCIIPunct(c byte) bool {
	return strings.IndexByte("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", c) >= 0
}

// unescapeEntity decodes one HTML entity; Markdown allows them in text.
func unescapeEntity(e string) string {
	return html.UnescapeString(e)
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

func isSpaceRune(r rune) bool { return unicode.IsSpace(r) }

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
