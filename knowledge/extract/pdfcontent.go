package extract

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"sort"
	"unicode/utf8"

	"github.com/ledongthuc/pdf"
)

// The library's own text walkers lose positions (Page.GetPlainText), ignore
// Td moves (GetTextByRow) or give CJK glyphs no width (Content), and its
// lexer can spin on malformed streams, so we run our own small interpreter
// (on our own lexer, see psLexer) over the content stream. It tracks just enough
// of the graphics and text state to place each shown string: where it
// starts, where it ends and how large it is.

// matrix is a PDF transformation matrix [a b c d e f].
type matrix [6]float64

var identity = matrix{1, 0, 0, 1, 0, 0}

// mul returns m×n in PDF's row-vector convention (apply m, then n).
func (m matrix) mul(n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[1]*n[2],
		m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2],
		m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4],
		m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

func (m matrix) apply(x, y float64) (float64, float64) {
	return x*m[0] + y*m[2] + m[4], x*m[1] + y*m[3] + m[5]
}

func translate(x, y float64) matrix { return matrix{1, 0, 0, 1, x, y} }

// pdfItem is one shown string in page space.
type pdfItem struct {
	x0, x1, y, size float64
	s               string
}

// textState is the part of the graphics state that places text.
type textState struct {
	ctm, tm, tlm       matrix
	font               *pdfFont
	fs, tc, tw, th, tl float64
	rise               float64
}

// pageInterp runs one page's content streams.
type pageInterp struct {
	left  *int64 // decompressed content bytes the whole file may still use
	forms int    // form XObjects run so far, against maxForms
	items []pdfItem
	fonts map[string]*pdfFont
	st    textState
	stack []textState
}

// maxContentBytes caps the decompressed content of one page (and of each
// form it draws), so that a compression bomb fails instead of filling memory;
// maxPDFContent caps the sum over all pages, since pages can share a stream.
const maxContentBytes = 8 << 20

// pageItems returns the strings shown on a page, converting a panic inside
// the library into an error so that one bad page names itself.
func pageItems(page pdf.Value, left *int64) (items []pdfItem, err error) {
	defer func() {
		if p := recover(); p != nil {
			items, err = nil, fmt.Errorf("%v", p)
		}
	}()
	in := &pageInterp{left: left, st: textState{ctm: identity, tm: identity, tlm: identity, th: 1}}
	if err := in.run(page.Key("Contents"), inherited(page, "Resources"), 0); err != nil {
		return nil, err
	}
	return in.items, nil
}

// streamData returns the decoded bytes of a content stream, or of an array
// of streams that together form one.
func (in *pageInterp) streamData(strm pdf.Value) ([]byte, error) {
	parts := []pdf.Value{strm}
	if strm.Kind() == pdf.Array {
		parts = parts[:0]
		for i := 0; i < strm.Len() && i < 10000; i++ {
			parts = append(parts, strm.Index(i))
		}
	}
	var buf bytes.Buffer
	for _, p := range parts {
		if p.Kind() != pdf.Stream {
			continue
		}
		rc := p.Reader()
		_, err := io.Copy(&buf, io.LimitReader(rc, maxContentBytes+1-int64(buf.Len())))
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("decode content stream: %w", err)
		}
		if buf.Len() > maxContentBytes {
			return nil, limitErr(fmt.Sprintf("page content is larger than %d MB", maxContentBytes>>20),
				fmt.Sprintf("一页的内容解压后超过 %d MB，文件可能有问题，不予导入。", maxContentBytes>>20))
		}
		buf.WriteByte('\n')
	}
	if *in.left -= int64(buf.Len()); *in.left < 0 {
		return nil, limitErr(fmt.Sprintf("content of all pages is larger than %d MB", maxPDFContent>>20),
			fmt.Sprintf("全部页面的内容解压后超过 %d MB，文件可能有问题（例如多页重复引用同一段压缩数据），不予导入。", maxPDFContent>>20))
	}
	return buf.Bytes(), nil
}

func (in *pageInterp) run(strm, res pdf.Value, depth int) error {
	data, err := in.streamData(strm)
	if err != nil {
		return err
	}
	fonts := map[string]*pdfFont{}
	lex := psLexer{b: data}
	var args []psTok
	for {
		t, ok := lex.next()
		if !ok {
			return nil
		}
		if t.kind != psOp {
			if len(args) < 64 { // no operator takes more; the rest is junk
				args = append(args, t)
			}
			continue
		}
		if t.s == "ID" {
			lex.skipInlineImage()
		}
		if err := in.do(t.s, args, res, fonts, depth); err != nil {
			return err
		}
		args = args[:0]
	}
}

// do runs one operator. Operators with the wrong operands are ignored, as
// viewers do.
func (in *pageInterp) do(op string, args []psTok, res pdf.Value, fonts map[string]*pdfFont, depth int) error {
	num := func(i int) float64 {
		if i < len(args) && args[i].kind == psNum {
			return args[i].num
		}
		return 0
	}
	mat := func() matrix {
		return matrix{num(0), num(1), num(2), num(3), num(4), num(5)}
	}
	str := func(i int) string {
		if i < len(args) && args[i].kind == psStr {
			return args[i].s
		}
		return ""
	}
	st := &in.st
	switch op {
	case "q":
		if len(in.stack) < 256 {
			in.stack = append(in.stack, *st)
		}
	case "Q":
		if k := len(in.stack); k > 0 {
			*st = in.stack[k-1]
			in.stack = in.stack[:k-1]
		}
	case "cm":
		if len(args) == 6 {
			st.ctm = mat().mul(st.ctm)
		}
	case "BT":
		st.tm, st.tlm = identity, identity
	case "Tf":
		if len(args) == 2 && args[0].kind == psName {
			name := args[0].s
			f, ok := fonts[name]
			if !ok {
				f = loadFont(res.Key("Font").Key(name))
				fonts[name] = f
			}
			st.font, st.fs = f, num(1)
		}
	case "Tc":
		st.tc = num(0)
	case "Tw":
		st.tw = num(0)
	case "Tz":
		st.th = num(0) / 100
	case "TL":
		st.tl = num(0)
	case "Ts":
		st.rise = num(0)
	case "TD":
		st.tl = -num(1)
		fallthrough
	case "Td":
		st.tlm = translate(num(0), num(1)).mul(st.tlm)
		st.tm = st.tlm
	case "Tm":
		if len(args) == 6 {
			st.tm, st.tlm = mat(), mat()
		}
	case "T*":
		in.nextLine()
	case "Tj":
		in.show(str(0))
	case "'":
		in.nextLine()
		in.show(str(0))
	case "\"":
		if len(args) == 3 {
			st.tw, st.tc = num(0), num(1)
			in.nextLine()
			in.show(str(2))
		}
	case "TJ":
		if len(args) != 1 || args[0].kind != psArray {
			return nil
		}
		for _, x := range args[0].arr {
			switch x.kind {
			case psStr:
				in.show(x.s)
			case psNum:
				st.tm = translate(-x.num/1000*st.fs*st.th, 0).mul(st.tm)
			}
		}
	case "Do":
		return in.form(args, res, depth)
	}
	return nil
}

// form runs a form XObject, which can hold text (letterheads, stamped
// pages); images are skipped.
func (in *pageInterp) form(args []psTok, res pdf.Value, depth int) error {
	if len(args) != 1 || args[0].kind != psName || depth >= maxFormDepth || in.forms >= maxForms {
		return nil
	}
	in.forms++
	xo := res.Key("XObject").Key(args[0].s)
	if xo.Kind() != pdf.Stream || xo.Key("Subtype").Name() != "Form" {
		return nil
	}
	saved := in.st
	if m := xo.Key("Matrix"); m.Len() == 6 {
		var fm matrix
		for i := range fm {
			fm[i] = m.Index(i).Float64()
		}
		in.st.ctm = fm.mul(in.st.ctm)
	}
	xres := xo.Key("Resources")
	if xres.IsNull() {
		xres = res
	}
	err := in.run(xo, xres, depth+1)
	in.st = saved
	return err
}

func (in *pageInterp) nextLine() {
	st := &in.st
	st.tlm = translate(0, -st.tl).mul(st.tlm)
	st.tm = st.tlm
}

// show places one string and advances the text matrix past it.
func (in *pageInterp) show(raw string) {
	st := &in.st
	f := st.font
	if f == nil || raw == "" {
		return
	}
	text, codes := f.decode(raw)

	// Advance per code; if the font gives no widths, estimate from the
	// decoded text so that positions still move forward.
	var adv float64
	known := true
	for _, code := range codes {
		w, ok := f.width(code)
		if !ok {
			known = false
			break
		}
		tx := w/1000*st.fs + st.tc
		if code == ' ' && !f.composite {
			tx += st.tw
		}
		adv += tx * st.th
	}
	if !known {
		adv = 0
		for _, r := range text {
			adv += (estimateWidth(r)*st.fs + st.tc) * st.th
		}
	}

	trm := matrix{st.fs * st.th, 0, 0, st.fs, 0, st.rise}.mul(st.tm).mul(st.ctm)
	x0, y := trm.apply(0, 0)
	end := translate(adv, 0).mul(st.tm).mul(st.ctm)
	x1, _ := end.apply(0, st.rise)
	size := math.Hypot(trm[2], trm[3])
	in.items = append(in.items, pdfItem{x0: x0, x1: math.Max(x0, x1), y: y, size: size, s: text})
	st.tm = translate(adv, 0).mul(st.tm)
}

// estimateWidth guesses a glyph's advance in em when the font has no widths.
func estimateWidth(r rune) float64 {
	switch {
	case r == ' ':
		return 0.25
	case isCJK(r) || r >= 0x1100 && utf8.RuneLen(r) >= 3:
		return 1
	}
	return 0.5
}

// pdfLine is a line of text on a page.
type pdfLine struct {
	page            int
	x0, x1, y, size float64
	text            string // collapsed, not yet CJK-joined
}

// groupLines puts a page's strings into lines: a string joins one of the
// last few lines when it sits at the same height, so a word drawn out of
// order (bold, a footnote mark) still lands in its line.
func groupLines(items []pdfItem, page int) []pdfLine {
	type group struct {
		y, size float64
		items   []pdfItem
	}
	var groups []*group
	for _, it := range items {
		if collapse(it.s) == "" && it.s != " " {
			continue
		}
		var g *group
		for k := len(groups) - 1; k >= 0 && k >= len(groups)-4; k-- {
			tol := 0.5 * math.Max(math.Max(groups[k].size, it.size), 1)
			if math.Abs(groups[k].y-it.y) <= tol {
				g = groups[k]
				break
			}
		}
		if g == nil {
			g = &group{y: it.y, size: it.size}
			groups = append(groups, g)
		}
		g.items = append(g.items, it)
	}

	var lines []pdfLine
	for _, g := range groups {
		sort.SliceStable(g.items, func(i, j int) bool { return g.items[i].x0 < g.items[j].x0 })
		l := pdfLine{page: page, y: g.y, x0: g.items[0].x0}
		var text []byte
		var prev *pdfItem
		best := 0
		for i := range g.items {
			it := &g.items[i]
			if prev != nil && it.s == prev.s && math.Abs(it.x0-prev.x0) < 0.2*it.size {
				continue // drawn twice to fake bold
			}
			if prev != nil && it.x0-prev.x1 > 0.2*math.Max(it.size, prev.size) {
				text = append(text, ' ')
			}
			text = append(text, it.s...)
			if n := utf8.RuneCountInString(it.s); n > best {
				best, l.size = n, it.size
			}
			l.x1 = math.Max(l.x1, it.x1)
			prev = it
		}
		l.text = collapse(string(text))
		if l.text != "" {
			lines = append(lines, l)
		}
	}
	return lines
}
