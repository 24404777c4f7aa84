package extract

import (
	"regexp"
	"strings"
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
// heading, skipping Chinese outline headings ("第一章 总则"). This is a
// pragmatic subset of CommonMark and GFM, enough for hand-written policy
// notes, not a full implementation.
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
