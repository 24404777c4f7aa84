package extract

import (
	"io"
	"strings"
	"unicode/utf16"

	"github.com/ledongthuc/pdf"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// pdfFont is what we need of a font: how to turn its codes into text and
// how wide its glyphs are.
//
// We read ToUnicode maps ourselves: the library's reader adds a range offset
// to the last byte only, so a range like "<0000> <FFFF> <0000>" (what fpdf
// and other generators write for Unicode-keyed fonts) decodes to garbage
// beyond the first 256 codes.
type pdfFont struct {
	composite bool                // Type0: multi-byte codes
	identity  bool                // Identity-H/V: code == CID, so W applies
	cmap      *toUnicode          // nil without a usable ToUnicode map
	lib       pdf.TextEncoding    // the library's decoder for simple fonts
	conv      func(string) string // for composite fonts with a predefined Chinese CMap
	first     int                 // simple font: FirstChar
	widths    []float64           // simple font: Widths
	cidW      map[int]float64     // composite font: W, in glyph units
	dw        float64             // composite font: DW
}

func loadFont(v pdf.Value) *pdfFont {
	f := &pdfFont{composite: v.Key("Subtype").Name() == "Type0"}
	if tu := v.Key("ToUnicode"); tu.Kind() == pdf.Stream {
		f.cmap = readToUnicode(tu)
	}
	if !f.composite {
		pf := pdf.Font{V: v}
		f.lib = pf.Encoder()
		f.first = int(v.Key("FirstChar").Int64())
		ws := v.Key("Widths")
		for i := 0; i < ws.Len() && i < 256; i++ {
			f.widths = append(f.widths, ws.Index(i).Float64())
		}
		return f
	}

	enc := v.Key("Encoding").Name()
	f.identity = enc == "Identity-H" || enc == "Identity-V"
	if f.cmap == nil {
		switch {
		case strings.Contains(enc, "UCS2") || strings.Contains(enc, "UTF16"):
			f.conv = utf16BE
		case strings.HasPrefix(enc, "GB"):
			f.conv = decodeWith(simplifiedchinese.GB18030.NewDecoder().String)
		case strings.HasPrefix(enc, "B5") || strings.HasPrefix(enc, "ETen") || strings.HasPrefix(enc, "HKscs"):
			f.conv = decodeWith(traditionalchinese.Big5.NewDecoder().String)
		}
	}
	d := v.Key("DescendantFonts").Index(0)
	f.dw = 1000
	if dw := d.Key("DW"); !dw.IsNull() {
		f.dw = dw.Float64()
	}
	f.cidW = map[int]float64{}
	// W is a list of "c [w1 w2 …]" and "cfirst clast w" entries.
	w := d.Key("W")
	for i := 0; i < w.Len() && len(f.cidW) < 1<<16; {
		c := int(w.Index(i).Int64())
		next := w.Index(i + 1)
		if next.Kind() == pdf.Array {
			for j := 0; j < next.Len() && len(f.cidW) < 1<<16; j++ {
				f.cidW[c+j] = next.Index(j).Float64()
			}
			i += 2
			continue
		}
		last := int(next.Int64())
		width := w.Index(i + 2).Float64()
		for cid := c; cid <= last && len(f.cidW) < 1<<16; cid++ {
			f.cidW[cid] = width
		}
		i += 3
	}
	return f
}

func decodeWith(dec func(string) (string, error)) func(string) string {
	return func(s string) string {
		out, err := dec(s)
		if err != nil {
			return strings.Repeat("\ufffd", len(s)/2)
		}
		return out
	}
}

// decode splits raw into character codes and returns the text they stand
// for. Codes that no map covers become U+FFFD, so that a font we cannot
// decode shows up as such instead of as plausible Latin-1 letters.
func (f *pdfFont) decode(raw string) (string, []int) {
	codes, lens := f.split(raw)
	switch {
	case f.cmap != nil:
		var b strings.Builder
		for i, c := range codes {
			if s, ok := f.cmap.lookup(c, lens[i]); ok {
				b.WriteString(s)
			} else if !f.composite && f.lib != nil {
				b.WriteString(f.lib.Decode(string([]byte{byte(c)})))
			} else {
				b.WriteRune('\ufffd')
			}
		}
		return b.String(), codes
	case f.composite && f.conv != nil:
		return f.conv(raw), codes
	case f.composite:
		return strings.Repeat("\ufffd", len(codes)), codes
	default:
		return f.lib.Decode(raw), codes
	}
}

// split cuts raw into codes and their byte lengths (<00> and <0000> are
// different codes): by the ToUnicode codespace ranges when there are any,
// else two bytes for composite fonts and one for simple ones.
func (f *pdfFont) split(raw string) (codes, lens []int) {
	for i := 0; i < len(raw); {
		n := 1
		if f.cmap != nil {
			n = f.cmap.codeLen(raw[i:], f.composite)
		} else if f.composite {
			n = 2
		}
		n = min(n, len(raw)-i)
		codes = append(codes, beInt(raw[i:i+n]))
		lens = append(lens, n)
		i += n
	}
	return codes, lens
}

// width returns the advance of code in glyph units (1/1000 em), and false
// when the font does not say.
func (f *pdfFont) width(code int) (float64, bool) {
	if f.composite {
		if !f.identity {
			return 0, false
		}
		if w, ok := f.cidW[code]; ok {
			return w, true
		}
		return f.dw, true
	}
	if i := code - f.first; i >= 0 && i < len(f.widths) && f.widths[i] > 0 {
		return f.widths[i], true
	}
	return 0, code == ' ' && len(f.widths) > 0
}

// toUnicode is a parsed ToUnicode CMap.
type toUnicode struct {
	spaces [4][][2]int // codespace ranges by code length - 1
	chars  map[[2]int]string
	ranges []cmapRange
}

type cmapRange struct {
	n, lo, hi int
	dst       string   // UTF-16BE of the first code, incremented along the range
	arr       []string // or one UTF-16BE string per code
}

const (
	maxCMapEntries = 1 << 17
	maxCMapBytes   = 8 << 20
)

// readToUnicode parses a ToUnicode CMap. We tokenise it ourselves rather
// than use the library's PostScript interpreter, which cannot be given the
// dictionary that "findresource" must leave for "begin".
func readToUnicode(strm pdf.Value) *toUnicode {
	rc := strm.Reader()
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, maxCMapBytes))
	if err != nil && len(data) == 0 {
		return nil
	}
	m := &toUnicode{chars: map[[2]int]string{}}
	var ops []cmapTok
	for _, t := range cmapTokens(data) {
		if t.kind != tokKeyword {
			ops = append(ops, t)
			continue
		}
		switch t.s {
		case "endcodespacerange":
			for i := 0; i+1 < len(ops); i += 2 {
				lo, hi := ops[i].s, ops[i+1].s
				if n := len(lo); n >= 1 && n <= 4 && len(hi) == n {
					m.spaces[n-1] = append(m.spaces[n-1], [2]int{beInt(lo), beInt(hi)})
				}
			}
		case "endbfchar":
			for i := 0; i+1 < len(ops) && len(m.chars) < maxCMapEntries; i += 2 {
				if src := ops[i].s; len(src) >= 1 && len(src) <= 4 {
					m.chars[[2]int{len(src), beInt(src)}] = ops[i+1].s
				}
			}
		case "endbfrange":
			for i := 0; i+2 < len(ops) && len(m.ranges) < maxCMapEntries; i += 3 {
				lo, hi, dst := ops[i].s, ops[i+1].s, ops[i+2]
				if len(lo) < 1 || len(lo) > 4 || len(hi) != len(lo) {
					continue
				}
				r := cmapRange{n: len(lo), lo: beInt(lo), hi: beInt(hi), dst: dst.s}
				if dst.kind == tokArray {
					r.arr = dst.arr
				}
				m.ranges = append(m.ranges, r)
			}
		}
		ops = ops[:0]
	}
	if len(m.chars) == 0 && len(m.ranges) == 0 {
		return nil
	}
	return m
}

type tokKind int

const (
	tokString tokKind = iota // hex or literal string; also numbers and names, which we never need
	tokArray
	tokKeyword
)

type cmapTok struct {
	kind tokKind
	s    string
	arr  []string
}

// cmapTokens splits CMap source into the tokens readToUnicode needs:
// strings, arrays of strings, and operator keywords. Dictionaries and
// comments are skipped.
func cmapTokens(b []byte) []cmapTok {
	var (
		toks  []cmapTok
		arr   []string
		inArr bool
	)
	emit := func(t cmapTok) {
		if inArr && t.kind == tokString {
			arr = append(arr, t.s)
			return
		}
		toks = append(toks, t)
	}
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == 0:
			i++
		case c == '%':
			for i < len(b) && b[i] != '\n' && b[i] != '\r' {
				i++
			}
		case c == '<' && i+1 < len(b) && b[i+1] == '<', c == '>' && i+1 < len(b) && b[i+1] == '>':
			i += 2
		case c == '<':
			j := i + 1
			var hex []byte
			for ; j < len(b) && b[j] != '>'; j++ {
				if v, ok := unhex(b[j]); ok {
					hex = append(hex, v)
				}
			}
			if len(hex)%2 == 1 {
				hex = append(hex, 0)
			}
			s := make([]byte, len(hex)/2)
			for k := range s {
				s[k] = hex[2*k]<<4 | hex[2*k+1]
			}
			emit(cmapTok{kind: tokString, s: string(s)})
			i = j + 1
		case c == '(':
			s, next := literalString(b, i)
			emit(cmapTok{kind: tokString, s: s})
			i = next
		case c == '[':
			inArr, arr = true, nil
			i++
		case c == ']':
			if inArr {
				toks = append(toks, cmapTok{kind: tokArray, arr: arr})
				inArr = false
			}
			i++
		default:
			j := i + 1
			for j < len(b) && !strings.ContainsRune(" \t\r\n\f\x00()<>[]{}/%", rune(b[j])) {
				j++
			}
			word := string(b[i:j])
			if c == '/' || c == '-' || c == '+' || c == '.' || c >= '0' && c <= '9' {
				emit(cmapTok{kind: tokString}) // a name or number: keep operand positions
			} else {
				toks = append(toks, cmapTok{kind: tokKeyword, s: word})
			}
			i = j
		}
	}
	return toks
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// literalString reads a PostScript (string) starting at b[i] == '(' and
// returns it with the index after it.
func literalString(b []byte, i int) (string, int) {
	var out []byte
	depth := 0
	for i++; i < len(b); i++ {
		c := b[i]
		switch c {
		case '(':
			depth++
		case ')':
			if depth == 0 {
				return string(out), i + 1
			}
			depth--
		case '\\':
			i++
			if i >= len(b) {
				break
			}
			switch e := b[i]; e {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case '0', '1', '2', '3', '4', '5', '6', '7':
				v := 0
				for k := 0; k < 3 && i < len(b) && b[i] >= '0' && b[i] <= '7'; k++ {
					v = v*8 + int(b[i]-'0')
					i++
				}
				i--
				c = byte(v)
			default:
				c = e
			}
		}
		out = append(out, c)
	}
	return string(out), len(b)
}

// codeLen returns the length of the code at the start of b per the
// codespace ranges; without ranges, composite fonts use two bytes.
func (m *toUnicode) codeLen(b string, composite bool) int {
	for n := 1; n <= 4 && n <= len(b); n++ {
		c := beInt(b[:n])
		for _, r := range m.spaces[n-1] {
			if c >= r[0] && c <= r[1] {
				return n
			}
		}
	}
	if composite {
		return 2
	}
	return 1
}

func (m *toUnicode) lookup(code, n int) (string, bool) {
	if s, ok := m.chars[[2]int{n, code}]; ok {
		return utf16BE(s), true
	}
	for _, r := range m.ranges {
		if r.n != n || code < r.lo || code > r.hi {
			continue
		}
		off := code - r.lo
		if r.arr != nil {
			if off < len(r.arr) {
				return utf16BE(r.arr[off]), true
			}
			return "", false
		}
		return utf16BE(addToLast(r.dst, off)), true
	}
	return "", false
}

// addToLast adds off to the last UTF-16 code unit of a big-endian string,
// carrying into the byte before it, as a bfrange destination is incremented.
func addToLast(s string, off int) string {
	if len(s) < 2 {
		return s
	}
	b := []byte(s)
	v := int(b[len(b)-2])<<8 | int(b[len(b)-1]) + off
	b[len(b)-2], b[len(b)-1] = byte(v>>8), byte(v)
	return string(b)
}

func beInt(s string) int {
	c := 0
	for i := 0; i < len(s); i++ {
		c = c<<8 | int(s[i])
	}
	return c
}

// utf16BE decodes big-endian UTF-16, tolerating an odd trailing byte.
func utf16BE(s string) string {
	u := make([]uint16, 0, len(s)/2)
	for i := 0; i+1 < len(s); i += 2 {
		u = append(u, uint16(s[i])<<8|uint16(s[i+1]))
	}
	return string(utf16.Decode(u))
}
