package extract

import (
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// cjkEmphasis parses * and _ emphasis as CommonMark does, except that
// full-width punctuation next to a delimiter counts as a letter. CommonMark's
// flanking rules otherwise leave the asterisks of "**注意：**请于年底前完成"
// in the text, since the closing run follows "：" and precedes "请"; Chinese
// authors write that constantly, and every Chinese Markdown editor renders it
// bold.
type cjkEmphasis struct{}

func (cjkEmphasis) Trigger() []byte { return []byte{'*', '_'} }

func (cjkEmphasis) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	before := asLetter(block.PrecendingCharacter())
	line, segment := block.PeekLine()
	run := 0
	for run < len(line) && line[run] == line[0] {
		run++
	}
	probe := line
	if r, _ := utf8.DecodeRune(line[run:]); run < len(line) && asLetter(r) != r {
		// ScanDelimiter reads the rune after the run from the line itself.
		probe = append(append([]byte{}, line[:run]...), 'a')
	}
	d := parser.ScanDelimiter(probe, before, 1, emphasisProcessor{})
	if d == nil {
		return nil
	}
	d.Segment = segment.WithStop(segment.Start + d.OriginalLength)
	block.Advance(d.OriginalLength)
	pc.PushDelimiter(d)
	return d
}

// asLetter maps full-width and CJK punctuation to a letter, for the
// flanking rules only.
func asLetter(r rune) rune {
	if r > 0x2000 && isCJK(r) && !unicode.IsLetter(r) {
		return 'a'
	}
	return r
}

type emphasisProcessor struct{}

func (emphasisProcessor) IsDelimiter(b byte) bool { return b == '*' || b == '_' }

func (emphasisProcessor) CanOpenCloser(opener, closer *parser.Delimiter) bool {
	return opener.Char == closer.Char
}

func (emphasisProcessor) OnMatch(consumes int) ast.Node { return ast.NewEmphasis(consumes) }

// inlineParsers are goldmark's defaults with emphasis replaced by
// [cjkEmphasis].
func inlineParsers() []util.PrioritizedValue {
	var ps []util.PrioritizedValue
	for _, p := range parser.DefaultInlineParsers() {
		if p.Value == parser.NewEmphasisParser() {
			p.Value = cjkEmphasis{}
		}
		ps = append(ps, p)
	}
	return ps
}
