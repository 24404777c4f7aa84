package extract

import (
	"html"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

var (
	atxRe       = regexp.MustCompile(`^(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$`)
	fenceRe     = regexp.MustCompile("^(`{3,}|~{3,})")
	breakRe     = regexp.MustCompile(`^(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$`)
	setext1Re   = regexp.MustCompile(`^=+[ \t]*$`)
	setext2Re   = regexp.MustCompile(`^-+[ \t]*$`)
	listRe      = regexp.MustCompile(`^(?:[-*+]|[0-9]{1,9}[.)])(?:[ \t]+|$)`)
	taskRe      = regexp.MustCompile(`^\[[ xX]\][ \t]+`)
	linkDefRe   = regexp.MustCompile(`^\[[^\]]+\]:[ \t]*\S`)
	tableSepRe  = regexp.MustCompile(`^\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$`)
	htmlTagRe   = regexp.MustCompile(`^</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>`)
	autolinkRe  = regexp.MustCompile(`^<((?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*)|(?:[^<>\s@]+@[^<>\s@]+))>`)
	entityRe    = regexp.MustCompile(`^&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});`)
	htmlComment = "<!--"
)

// Markdown parses Markdown body text (front matter already removed by the
// caller; see [SplitFrontMatter]).
//
// ATX and setext headings become headings; paragraphs, list items (one block
// each), block quotes and code blocks become body blocks; each table row
// becomes one block with its non-empty cells joined by " | ". Inline markup
// (emphasis, code spans, links, images, HTML tags, escapes, entities) is
// reduced to its text. The title is the first level-1 heading, else the first
// heading. This is a pragmatic subset of CommonMark and GFM, enough for
// hand-written policy notes, not a full implementation.
func Markdown(src []byte) Doc {
	p := mdParser{lines: splitLines(decodeText(src))}
	p.parse()
	return Doc{Title: titleFrom(p.blocks, true), Blocks: p.blocks}
}

type mdKind int

const (
	mdPara mdKind = iota
	mdList
	mdCode
)

type mdParser struct {
	lines  []string
	blocks []Block
	para   []string
	kind   mdKind
	inList bool // a list is open, so indented lines continue or nest in it
}

func (p *mdParser) flush() {
	if len(p.para) == 0 {
		return
	}
	text := strings.Join(p.para, " ")
	if p.kind == mdCode {
		text = strings.Join(p.para, "\n")
	} else {
		text = inline(text)
	}
	p.blocks = appendBlock(p.blocks, 0, text)
	p.para = p.para[:0]
}

func (p *mdParser) parse() {
	for i := 0; i < len(p.lines); i++ {
		line := strings.TrimRight(p.lines[i], " \t")
		if strings.TrimSpace(line) == "" {
			p.flush()
			continue
		}
		indent := indentWidth(line)
		t := strings.TrimLeft(line, " \t")

		// Indented code: only where it cannot be a paragraph continuation
		// or a nested list item.
		if indent >= 4 && (len(p.para) == 0 || p.kind == mdCode) && !p.inList {
			if p.kind != mdCode {
				p.flush()
				p.kind = mdCode
			}
			p.para = append(p.para, t)
			continue
		}
		if p.kind == mdCode {
			p.flush()
		}

		// Block quotes: strip the markers and parse what is inside as
		// ordinary lines.
		quoted := false
		for strings.HasPrefix(t, ">") {
			t = strings.TrimLeft(t[1:], " \t")
			quoted = true
		}
		if quoted && t == "" {
			p.flush()
			continue
		}

		switch {
		case strings.HasPrefix(t, htmlComment):
			p.flush()
			i = p.skipComment(i, t)
		case fenceRe.MatchString(t):
			p.flush()
			i = p.fenced(i, t, indent)
		case atxRe.MatchString(t):
			p.flush()
			p.inList = false
			m := atxRe.FindStringSubmatch(t)
			p.blocks = appendBlock(p.blocks, len(m[1]), inline(m[2]))
		case len(p.para) > 0 && p.kind == mdPara && !quoted && setext1Re.MatchString(t):
			p.heading(1)
		case len(p.para) > 0 && p.kind == mdPara && !quoted && setext2Re.MatchString(t):
			p.heading(2)
		case breakRe.MatchString(t):
			p.flush()
			p.inList = false
		case listRe.MatchString(t):
			p.flush()
			p.kind, p.inList = mdList, true
			item := strings.TrimLeft(listRe.ReplaceAllString(t, ""), " \t")
			p.para = append(p.para, taskRe.ReplaceAllString(item, ""))
		case strings.Contains(t, "|") && i+1 < len(p.lines) && tableSepRe.MatchString(strings.TrimSpace(p.lines[i+1])):
			p.flush()
			i = p.table(i)
		case len(p.para) == 0 && linkDefRe.MatchString(t):
			// Link reference definitions are not text.
		default:
			if len(p.para) == 0 {
				p.kind = mdPara
				if indent == 0 {
					p.inList = false
				}
			}
			p.para = append(p.para, t)
		}
	}
	p.flush()
}

// heading turns the open paragraph into a setext heading.
func (p *mdParser) heading(level int) {
	text := inline(strings.Join(p.para, " "))
	p.para = p.para[:0]
	p.blocks = appendBlock(p.blocks, level, text)
	p.inList = false
}

// fenced consumes a fenced code block opened on line i and returns the index
// of its last line. An unclosed fence runs to the end of the input, as in
// CommonMark.
func (p *mdParser) fenced(i int, open string, indent int) int {
	fence := fenceRe.FindString(open)
	var code []string
	j := i + 1
	for ; j < len(p.lines); j++ {
		l := strings.TrimSpace(p.lines[j])
		if strings.HasPrefix(l, fence[:1]) && strings.Trim(l, fence[:1]) == "" && len(l) >= len(fence) && indentWidth(p.lines[j]) < 4 {
			break
		}
		code = append(code, p.lines[j])
	}
	p.blocks = appendBlock(p.blocks, 0, strings.Join(code, "\n"))
	if j >= len(p.lines) {
		return len(p.lines) - 1
	}
	return j
}

// skipComment skips an HTML comment starting on line i and returns the index
// of the line where it ends; text after the comment on that line is lost,
// which is rare enough in policy notes not to matter.
func (p *mdParser) skipComment(i int, t string) int {
	for j := i; j < len(p.lines); j++ {
		l := p.lines[j]
		if j == i {
			l = t[len(htmlComment):]
		}
		if strings.Contains(l, "-->") {
			return j
		}
	}
	return len(p.lines) - 1
}

// table consumes a GFM table whose header is on line i (the delimiter row is
// on i+1) and returns the index of its last line.
func (p *mdParser) table(i int) int {
	p.blocks = appendBlock(p.blocks, 0, tableRow(p.lines[i]))
	j := i + 2
	for ; j < len(p.lines); j++ {
		l := strings.TrimSpace(p.lines[j])
		if l == "" || !strings.Contains(l, "|") {
			break
		}
		p.blocks = appendBlock(p.blocks, 0, tableRow(l))
	}
	return j - 1
}

// tableRow joins the non-empty cells of a Markdown table row with " | ".
func tableRow(line string) string {
	line = strings.TrimSpace(line)
	line = strings.TrimPrefix(line, "|")
	if strings.HasSuffix(line, "|") && !strings.HasSuffix(line, `\|`) {
		line = line[:len(line)-1]
	}
	var cells []string
	var cell strings.Builder
	add := func() {
		if c := normalize(inline(cell.String())); c != "" {
			cells = append(cells, c)
		}
		cell.Reset()
	}
	for i := 0; i < len(line); i++ {
		switch {
		case line[i] == '\\' && i+1 < len(line) && line[i+1] == '|':
			cell.WriteByte('|')
			i++
		case line[i] == '|':
			add()
		default:
			cell.WriteByte(line[i])
		}
	}
	add()
	return strings.Join(cells, " | ")
}

// indentWidth measures leading whitespace, counting a tab as four columns.
func indentWidth(s string) int {
	n := 0
	for _, r := range s {
		switch r {
		case ' ':
			n++
		case '\t':
			n += 4 - n%4
		default:
			return n
		}
	}
	return n
}

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
