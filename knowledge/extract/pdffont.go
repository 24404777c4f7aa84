package extract

import (
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
		f.lib = simpleEncoding(v)
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

// simpleEncoding returns the library's decoder for a simple font's named or
// differences encoding. For a font without /Encoding the library would parse
// the ToUnicode map with its own lexer, which can hang on malformed input;
// we read that map ourselves, so the fallback here is plain Latin-1, which
// standard and PDFDoc encoding match for ASCII.
func simpleEncoding(v pdf.Value) pdf.TextEncoding {
	switch enc := v.Key("Encoding"); {
	case enc.Kind() == pdf.Dict,
		enc.Kind() == pdf.Name && enc.Name() != "Identity-H" && enc.Name() != "Identity-V":
		pf := pdf.Font{V: v}
		return pf.Encoder()
	}
	return latin1{}
}

type latin1 struct{}

func (latin1) Decode(raw string) string {
	r := make([]rune, len(raw))
	for i := 0; i < len(raw); i++ {
		r[i] = rune(raw[i])
	}
	return string(r)
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
