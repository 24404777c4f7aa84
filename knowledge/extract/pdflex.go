package extract

import (
	"bytes"
	"strconv"
)

// We tokenise content streams and CMaps ourselves: the library's lexer spins
// for ever on a hex string left open at the end of a stream (it reads
// endless newlines past EOF), and its PostScript interpreter cannot run a
// CMap's "findresource … begin". This lexer only ever moves forward.

type psKind int

const (
	psNum psKind = iota
	psStr
	psName
	psArray
	psDict
	psOp
)

// psTok is one operand or operator.
type psTok struct {
	kind psKind
	num  float64
	s    string  // string bytes, name, or operator
	arr  []psTok // array elements
}

const maxPSDepth = 32 // nesting of arrays and dictionaries

type psLexer struct {
	b   []byte
	pos int
}

// next returns the next token, or false at the end of input.
func (l *psLexer) next() (psTok, bool) {
	return l.token(0)
}

func (l *psLexer) token(depth int) (psTok, bool) {
	for {
		l.skipSpace()
		if l.pos >= len(l.b) {
			return psTok{}, false
		}
		c := l.b[l.pos]
		switch {
		case c == '%':
			for l.pos < len(l.b) && l.b[l.pos] != '\n' && l.b[l.pos] != '\r' {
				l.pos++
			}
		case c == '(':
			return psTok{kind: psStr, s: l.literal()}, true
		case c == '<' && l.peek(1) == '<':
			l.pos += 2
			return l.collect(depth, psDict, ">>"), true
		case c == '<':
			return psTok{kind: psStr, s: l.hex()}, true
		case c == '[':
			l.pos++
			return l.collect(depth, psArray, "]"), true
		case c == '/':
			l.pos++
			return psTok{kind: psName, s: l.word()}, true
		case c == ']' || c == '>' || c == ')' || c == '{' || c == '}':
			l.pos++ // stray delimiter: skip
		default:
			w := l.word()
			if w == "" {
				l.pos++
				continue
			}
			if n, err := strconv.ParseFloat(w, 64); err == nil && isNumberWord(w) {
				return psTok{kind: psNum, num: n}, true
			}
			return psTok{kind: psOp, s: w}, true
		}
	}
}

// collect reads tokens up to the closing delimiter into an array or a
// dictionary (whose contents we never need beyond skipping them).
func (l *psLexer) collect(depth int, kind psKind, end string) psTok {
	t := psTok{kind: kind}
	for {
		l.skipSpace()
		if l.pos >= len(l.b) {
			return t
		}
		if bytes.HasPrefix(l.b[l.pos:], []byte(end)) {
			l.pos += len(end)
			return t
		}
		if depth >= maxPSDepth {
			l.pos++
			continue
		}
		e, ok := l.token(depth + 1)
		if !ok {
			return t
		}
		if kind == psArray {
			t.arr = append(t.arr, e)
		}
	}
}

func (l *psLexer) peek(off int) byte {
	if l.pos+off < len(l.b) {
		return l.b[l.pos+off]
	}
	return 0
}

func (l *psLexer) skipSpace() {
	for l.pos < len(l.b) && isPDFSpace(l.b[l.pos]) {
		l.pos++
	}
}

// word reads a run of regular characters.
func (l *psLexer) word() string {
	start := l.pos
	for l.pos < len(l.b) && !isPDFSpace(l.b[l.pos]) && !isPDFDelim(l.b[l.pos]) {
		l.pos++
	}
	return string(l.b[start:l.pos])
}

func isPDFDelim(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

func isNumberWord(w string) bool {
	for i := 0; i < len(w); i++ {
		c := w[i]
		if !(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+') {
			return false
		}
	}
	return true
}

// hex reads a <hex string>; an odd final digit counts as followed by 0, and
// an unterminated string ends at the end of input.
func (l *psLexer) hex() string {
	l.pos++
	var out []byte
	var hi byte
	odd := false
	for l.pos < len(l.b) {
		c := l.b[l.pos]
		l.pos++
		if c == '>' {
			break
		}
		v, ok := unhex(c)
		if !ok {
			continue
		}
		if odd {
			out = append(out, hi<<4|v)
		} else {
			hi = v
		}
		odd = !odd
	}
	if odd {
		out = append(out, hi<<4)
	}
	return string(out)
}

// literal reads a (literal string) with escapes and balanced parentheses.
func (l *psLexer) literal() string {
	var out []byte
	depth := 0
	for l.pos++; l.pos < len(l.b); l.pos++ {
		c := l.b[l.pos]
		switch c {
		case '(':
			depth++
		case ')':
			if depth == 0 {
				l.pos++
				return string(out)
			}
			depth--
		case '\\':
			l.pos++
			if l.pos >= len(l.b) {
				return string(out)
			}
			switch e := l.b[l.pos]; e {
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
			case '\r', '\n':
				// A line continuation.
				if e == '\r' && l.peek(1) == '\n' {
					l.pos++
				}
				continue
			case '0', '1', '2', '3', '4', '5', '6', '7':
				v := 0
				for k := 0; k < 3 && l.pos < len(l.b) && l.b[l.pos] >= '0' && l.b[l.pos] <= '7'; k++ {
					v = v*8 + int(l.b[l.pos]-'0')
					l.pos++
				}
				l.pos--
				c = byte(v)
			default:
				c = e
			}
		}
		out = append(out, c)
	}
	return string(out)
}

// skipInlineImage moves past the binary data of an inline image, which
// follows the ID operator and ends with EI between whitespace.
func (l *psLexer) skipInlineImage() {
	l.pos++ // the single whitespace after ID
	for l.pos < len(l.b) {
		i := bytes.Index(l.b[l.pos:], []byte("EI"))
		if i < 0 {
			l.pos = len(l.b)
			return
		}
		at := l.pos + i
		l.pos = at + 2
		if at > 0 && isPDFSpace(l.b[at-1]) && (l.pos >= len(l.b) || isPDFSpace(l.b[l.pos])) {
			return
		}
	}
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
