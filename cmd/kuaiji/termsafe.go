package main

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// termSafe wraps an operator's terminal: user text in the output (a
// question in kuaiji gaps, a transcript in kuaiji tickets show, an
// ingested title) can carry escape sequences that retitle the window,
// recolour it or hide lines, so every control character but the newline
// and tab the command writes itself, and every direction override, is
// shown as a \uXXXX escape instead. The escapes are also valid inside
// JSON strings, so --json output stays parseable.
func termSafe(w io.Writer) io.Writer { return termWriter{w} }

type termWriter struct{ w io.Writer }

func (t termWriter) Write(p []byte) (int, error) {
	if !needsEscape(p) {
		return t.w.Write(p)
	}
	var b strings.Builder
	total := len(p)
	for len(p) > 0 {
		r, n := utf8.DecodeRune(p)
		switch {
		case r == utf8.RuneError && n == 1:
			b.WriteRune(utf8.RuneError)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.Write(p[:n])
		}
		p = p[n:]
	}
	if _, err := io.WriteString(t.w, b.String()); err != nil {
		return 0, err
	}
	return total, nil
}

func needsEscape(p []byte) bool {
	for len(p) > 0 {
		r, n := utf8.DecodeRune(p)
		if r == utf8.RuneError && n == 1 || unsafeRune(r) {
			return true
		}
		p = p[n:]
	}
	return false
}

// unsafeRune reports whether a terminal may act on r rather than show it.
func unsafeRune(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return false
	case r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f:
		return true
	case r == '\u200e' || r == '\u200f' || r >= '\u202a' && r <= '\u202e' || r >= '\u2066' && r <= '\u2069':
		return true
	}
	return false
}

// oneLine is user text for one line of operator output: its own line
// breaks are shown as ⏎, so it cannot forge the lines after it.
func oneLine(s string) string {
	return strings.NewReplacer("\r\n", " ⏎ ", "\n", " ⏎ ", "\r", " ⏎ ").Replace(s)
}
