package extract

import (
	"strings"
	"unicode/utf8"
)

// maxTitleLine is the longest (in runes) first line that Text and PDF take
// as the document's title.
const maxTitleLine = 40

// Text parses plain text: paragraphs separated by blank lines; Chinese outline
// lines such as "第三章 ……", "第十三条 ……", "一、……", "（一）……" become
// headings (章 level 2, 节 3, 条 4, 一、 2, （一） 3).
//
// Lines inside a paragraph are joined (without a space between Chinese
// characters). An outline line starts a new block even without a blank line
// before it, as regulations are usually typed one article per line; an
// article's text after "第X条" becomes a body block of its own. A first
// paragraph that is a single short line not ending a sentence, followed by
// more text, is taken as the title and becomes a level-1 heading. Invalid
// UTF-8 is decoded as GB18030 (GBK), and UTF-16 with a BOM is honoured.
func Text(src []byte) Doc {
	var (
		blocks  []Block
		para    []string
		prev    string // previous non-blank line, collapsed
		prevHdr bool   // previous line was a heading
		first   = true // still before the first block
		single  bool   // the first paragraph is a single line
	)
	flush := func() {
		if len(para) == 0 {
			return
		}
		if first {
			single = len(para) == 1
		}
		blocks = appendBlock(blocks, 0, strings.Join(para, " "))
		first = first && len(blocks) == 0
		para = para[:0]
	}
	for _, raw := range splitLines(decodeText(src)) {
		line := collapse(raw)
		if line == "" {
			flush()
			prev, prevHdr = "", false
			continue
		}
		start := prev == "" || prevHdr || endsSentence(prev)
		if o, ok := parseOutline(line, start); ok {
			flush()
			first = false
			blocks = appendOutline(blocks, outline{level: o.level, head: o.head})
			if o.rest != "" {
				para = append(para, o.rest)
			}
			prev, prevHdr = line, o.rest == ""
			continue
		}
		para = append(para, line)
		prev, prevHdr = line, false
	}
	flush()

	doc := Doc{Blocks: blocks}
	if single && len(blocks) > 1 && blocks[0].Level == 0 && looksLikeTitle(blocks[0].Text) {
		blocks[0].Level = 1
		doc.Title = blocks[0].Text
	}
	return doc
}

// looksLikeTitle reports whether a lone first line reads like a document
// title rather than the first sentence of the body.
func looksLikeTitle(s string) bool {
	return utf8.RuneCountInString(s) <= maxTitleLine && !endsSentence(s) &&
		!strings.ContainsAny(s, "。，；,;")
}
