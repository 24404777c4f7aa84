package extract

import (
	"io"

	"github.com/ledongthuc/pdf"
)

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

// readToUnicode parses a ToUnicode CMap with our own lexer (see psLexer):
// the library's PostScript interpreter cannot be given the dictionary that
// "findresource" must leave for "begin".
func readToUnicode(strm pdf.Value) *toUnicode {
	rc := strm.Reader()
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, maxCMapBytes))
	if err != nil && len(data) == 0 {
		return nil
	}
	m := &toUnicode{chars: map[[2]int]string{}}
	var ops []psTok
	lex := psLexer{b: data}
	for {
		t, ok := lex.next()
		if !ok {
			break
		}
		if t.kind != psOp {
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
				if dst.kind == psArray {
					for _, e := range dst.arr {
						r.arr = append(r.arr, e.s)
					}
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
