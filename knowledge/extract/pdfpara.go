package extract

import (
	"math"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Thresholds for rebuilding paragraphs from lines, in units of the font size
// or of the usual line spacing. They are loose on purpose: a missed break
// only merges two paragraphs of one section, which the chunker tolerates
// better than prose split mid-sentence.
const (
	headingScale = 1.2  // a line this much larger than body text may be a heading
	maxHeadRunes = 50   // longer "large" lines are body text set large
	paraGapScale = 1.45 // a gap this much above the usual spacing ends a paragraph
	indentEm     = 0.8  // a line starting this much further right is indented
	shortLineEm  = 2.0  // a line ending this far before the right edge is short
	maxLineGapEm = 2.5  // no paragraph spaces its lines further apart (double spacing is 2)
)

// pdfLayout holds document-wide measures of the body text.
type pdfLayout struct {
	bodySize float64
	right    float64 // usual right edge of body lines
	lineGap  float64 // usual baseline distance of body lines, 0 if unknown
	headSize []float64
}

func measure(lines []pdfLine) pdfLayout {
	var lay pdfLayout
	weight := map[float64]int{}
	for _, l := range lines {
		weight[math.Round(l.size*2)/2] += utf8.RuneCountInString(l.text)
	}
	best := -1
	for s, w := range weight {
		if w > best || w == best && s < lay.bodySize {
			lay.bodySize, best = s, w
		}
	}

	var rights, gaps []float64
	for i, l := range lines {
		if !lay.isBody(l) {
			continue
		}
		rights = append(rights, l.x1)
		if i > 0 && lines[i-1].page == l.page && lay.isBody(lines[i-1]) {
			if g := lines[i-1].y - l.y; g > 0 && g < 3*l.size {
				gaps = append(gaps, g)
			}
		}
	}
	lay.right = quantile(rights, 0.9)
	lay.lineGap = quantile(gaps, 0.3) // low: short paragraphs make many gaps paragraph gaps

	seen := map[float64]bool{}
	for _, l := range lines {
		if lay.isLarge(l) {
			s := math.Round(l.size)
			if !seen[s] {
				seen[s] = true
				lay.headSize = append(lay.headSize, s)
			}
		}
	}
	sort.Sort(sort.Reverse(sort.Float64Slice(lay.headSize)))
	return lay
}

func (lay pdfLayout) isBody(l pdfLine) bool { return math.Abs(l.size-lay.bodySize) < 0.6 }

func (lay pdfLayout) isLarge(l pdfLine) bool {
	return l.size >= lay.bodySize*headingScale && utf8.RuneCountInString(l.text) <= maxHeadRunes
}

// largeLevel ranks a large line's size: the largest size is level 1, the
// next level 2, anything smaller level 3.
func (lay pdfLayout) largeLevel(l pdfLine) int {
	s := math.Round(l.size)
	for i, h := range lay.headSize {
		if s >= h {
			return min(i+1, 3)
		}
	}
	return 3
}

func quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s[int(q*float64(len(s)-1))]
}

// pdfBlocks turns lines into headings and paragraphs.
func pdfBlocks(lines []pdfLine) []Block {
	lay := measure(lines)
	var (
		blocks []Block
		para   []string
		prev   *pdfLine
		prevHd bool // prev was (part of) a heading
		head   []string
		headLv int
	)
	flushPara := func() {
		if len(para) > 0 {
			blocks = appendBlock(blocks, 0, joinLines(para))
			para = para[:0]
		}
	}
	flushHead := func() {
		if len(head) > 0 {
			blocks = appendBlock(blocks, headLv, joinLines(head))
			head = head[:0]
		}
	}
	for i := range lines {
		l := &lines[i]
		brk := prev == nil || prevHd || lay.layoutBreak(*prev, *l)
		start := brk || endsSentence(prev.text)

		if o, ok := parseOutline(l.text, start); ok {
			flushHead()
			flushPara()
			blocks = appendOutline(blocks, outline{level: o.level, head: o.head})
			if o.rest != "" {
				para = append(para, o.rest)
			}
			prev, prevHd = l, o.rest == ""
			continue
		}
		if lay.isLarge(*l) {
			lv := lay.largeLevel(*l)
			// A title wrapped over lines continues at the same size.
			if !(len(head) > 0 && lv == headLv && prev != nil && prev.page == l.page &&
				prev.y-l.y > 0 && prev.y-l.y < 2.5*l.size) {
				flushHead()
			}
			flushPara()
			head, headLv = append(head, l.text), lv
			prev, prevHd = l, true
			continue
		}
		flushHead()
		if brk || endsSentence(prev.text) && prev.x1 < lay.right-shortLineEm*prev.size {
			flushPara()
		}
		para = append(para, l.text)
		prev, prevHd = l, false
	}
	flushHead()
	flushPara()
	return blocks
}

// layoutBreak reports whether the position of l says it starts a paragraph
// after p: a clearly wider gap than usual or than any line spacing, a jump
// upwards (a new column), a change of size, or an indent relative to p.
func (lay pdfLayout) layoutBreak(p, l pdfLine) bool {
	if math.Abs(p.size-l.size) > 1 {
		return true
	}
	if l.x0 > p.x0+indentEm*l.size {
		return true
	}
	if p.page != l.page {
		return false
	}
	gap := p.y - l.y
	if gap < -0.5*l.size || gap > maxLineGapEm*l.size {
		return true
	}
	return lay.lineGap > 0 && gap > paraGapScale*lay.lineGap
}

// joinLines joins the lines of a paragraph. Spaces between CJK characters go
// later in normalize; here a word hyphenated across lines is rejoined.
func joinLines(lines []string) string {
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			prev := b.String()
			if strings.HasSuffix(prev, "-") && len(prev) > 1 {
				before, _ := utf8.DecodeLastRuneInString(prev[:len(prev)-1])
				after, _ := utf8.DecodeRuneInString(l)
				if unicode.IsLetter(before) && unicode.IsLower(after) {
					b.Reset()
					b.WriteString(prev[:len(prev)-1])
					b.WriteString(l)
					continue
				}
			}
			b.WriteByte(' ')
		}
		b.WriteString(l)
	}
	return b.String()
}
