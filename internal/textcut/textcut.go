// Package textcut shortens text for previews, histories and cards: the
// start of a text cut at a character count, or its first line. Text that
// may hold what a user typed goes through privacy.Cut instead, which masks
// before it cuts.
package textcut

import (
	"strings"
	"unicode/utf8"
)

// Ellipsis marks a text that was cut.
const Ellipsis = "…"

// Runes returns s when it has at most n characters (runes), else its first
// n characters followed by [Ellipsis]. A cut never splits a character.
func Runes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + Ellipsis
}

// FirstLine returns s up to its first line break, without the break.
func FirstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
