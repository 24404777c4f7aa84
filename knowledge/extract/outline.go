package extract

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Chinese regulations and notices mark their structure in the text itself
// rather than with styles: "第三章 会计人员" (chapter), "第二节" (section),
// "第十三条 ……" (article), "一、……" and "（一）……" (enumerations). These
// regexps run on collapsed but not yet CJK-joined text, so the space after the
// marker is still visible. Spaces inside the marker ("第 十 三 条") come from
// letter-spaced PDFs.
const cnNum = `[零〇一二三四五六七八九十百千两0-9０-９]`

var (
	articleRe = regexp.MustCompile(`^(第 ?` + cnNum + `(?: ?` + cnNum + `)* ?([章节条]))(.*)$`)
	enumRe    = regexp.MustCompile(`^([零〇一二三四五六七八九十百]+ ?[、．])(.*)$`)
	parenRe   = regexp.MustCompile(`^([（(] ?[零〇一二三四五六七八九十百]+ ?[）)])(.*)$`)
)

// maxOutlineHeading is the longest (in runes) that a 一、/（一） line may be and
// still be a heading as a whole; longer ones are list items whose sentence
// happens to be numbered, and stay body text.
const maxOutlineHeading = 60

// outline is a Chinese outline line split into its heading and the body text
// that followed it on the same line.
type outline struct {
	level int
	head  string // normalised
	rest  string // collapsed, not yet normalised
}

// parseOutline recognises a Chinese outline line (see the regexps above) in a
// collapsed line of text. paraStart says whether the line begins a new
// paragraph (the previous line ended a sentence, was a heading, or layout says
// so); without it, "第X条" and a long "第X章…" need a separator after the
// marker, so that a wrapped line beginning "第三条规定的……" stays body text.
//
// Levels: 章 2, 节 3, 条 4, 一、 2, （一） 3. An article keeps only "第X条" as
// its heading, with the article's text as rest; a 一、/（一） line that holds a
// short title followed by a sentence ("（一）基本原则。各单位应当……") is split
// after the title.
func parseOutline(line string, paraStart bool) (outline, bool) {
	if m := articleRe.FindStringSubmatch(line); m != nil {
		marker := strings.ReplaceAll(m[1], " ", "")
		rest, sep := trimSeparator(m[3])
		level := map[string]int{"章": 2, "节": 3, "条": 4}[m[2]]
		if level == 4 {
			if !sep && !paraStart {
				return outline{}, false
			}
			return outline{level: 4, head: normalize(marker), rest: rest}, true
		}
		if !sep && !isShortTitle(rest) {
			return outline{}, false
		}
		// Keep the space after the marker ("第一章 总则") that normalize
		// would otherwise remove between two Chinese characters.
		head := marker
		if rest = normalize(rest); rest != "" {
			head += " " + rest
		}
		return outline{level: level, head: head}, true
	}
	level := 2
	m := enumRe.FindStringSubmatch(line)
	if m == nil {
		level = 3
		m = parenRe.FindStringSubmatch(line)
	}
	if m == nil {
		return outline{}, false
	}
	marker := strings.ReplaceAll(m[1], " ", "")
	text := strings.TrimSpace(m[2])
	if i := firstTerminator(text); i >= 0 {
		// "（一）基本原则。各单位应当……": title, then body.
		_, size := utf8.DecodeRuneInString(text[i:])
		head, rest := strings.TrimSpace(text[:i]), strings.TrimSpace(text[i+size:])
		if rest != "" && utf8.RuneCountInString(head) <= maxOutlineHeading/2 {
			return outline{level: level, head: normalize(marker + head), rest: rest}, true
		}
	}
	if utf8.RuneCountInString(text) > maxOutlineHeading {
		return outline{}, false
	}
	return outline{level: level, head: normalize(marker + text)}, true
}

// appendOutline appends an outline heading, whose text is already
// normalised, and the body text that followed it on its line.
func appendOutline(blocks []Block, o outline) []Block {
	if o.head != "" {
		blocks = append(blocks, Block{Level: o.level, Text: o.head})
	}
	return appendBlock(blocks, 0, o.rest)
}

// trimSeparator strips the space or colon between an outline marker and its
// text and reports whether there was one.
func trimSeparator(s string) (string, bool) {
	t := strings.TrimLeft(s, " ：:、．.")
	return strings.TrimSpace(t), t != s || s == ""
}

// isShortTitle reports whether s looks like a chapter title glued to its
// marker ("第一章总则") rather than running prose.
func isShortTitle(s string) bool {
	return utf8.RuneCountInString(s) <= 20 && !strings.ContainsAny(s, "。，；！？,;")
}

// firstTerminator returns the byte index of the first sentence-ending mark
// in s that ends a title, or -1.
func firstTerminator(s string) int {
	return strings.IndexAny(s, "。！？；")
}
