package telegram

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxText is Telegram's limit on a message's visible text, in UTF-16 code
// units after entity parsing. Escaping does not count against it.
const MaxText = 4096

// length is the length Telegram counts: UTF-16 code units.
func length(s string) int { return len(utf16.Encode([]rune(s))) }

// split cuts plain text into parts of at most max UTF-16 units: at
// paragraph boundaries ("\n\n") where possible, then at line ends, then
// after sentence punctuation, and only as a last resort inside a sentence.
func split(s string, max int) []string {
	s = strings.TrimSpace(s)
	if length(s) <= max {
		if s == "" {
			return nil
		}
		return []string{s}
	}
	var parts []string
	for _, sep := range []string{"\n\n", "\n"} {
		if strings.Contains(s, sep) {
			return pack(strings.Split(s, sep), sep, max)
		}
	}
	for _, piece := range sentences(s) {
		if length(piece) > max {
			parts = append(parts, hardCut(piece, max)...)
			continue
		}
		parts = append(parts, piece)
	}
	return pack(parts, "", max)
}

// pack joins pieces with sep into parts of at most max, splitting any
// piece that alone is too long.
func pack(pieces []string, sep string, max int) []string {
	var out []string
	var cur strings.Builder
	curLen := 0
	flush := func() {
		if t := strings.TrimSpace(cur.String()); t != "" {
			out = append(out, t)
		}
		cur.Reset()
		curLen = 0
	}
	for _, p := range pieces {
		pl := length(p)
		if pl > max {
			flush()
			out = append(out, split(p, max)...)
			continue
		}
		if curLen > 0 && curLen+length(sep)+pl > max {
			flush()
		}
		if curLen > 0 {
			cur.WriteString(sep)
			curLen += length(sep)
		}
		cur.WriteString(p)
		curLen += pl
	}
	flush()
	return out
}

// sentences splits after 。！？；.!? keeping the punctuation.
func sentences(s string) []string {
	var out []string
	start := 0
	for i, r := range s {
		switch r {
		case '。', '！', '？', '；', '.', '!', '?', ';':
			end := i + utf8.RuneLen(r)
			out = append(out, s[start:end])
			start = end
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// hardCut cuts s into parts of at most max UTF-16 units, between runes.
func hardCut(s string, max int) []string {
	var out []string
	var cur []rune
	n := 0
	for _, r := range s {
		w := 1
		if r >= 0x10000 {
			w = 2
		}
		if n+w > max {
			out = append(out, string(cur))
			cur, n = nil, 0
		}
		cur = append(cur, r)
		n += w
	}
	if len(cur) > 0 {
		out = append(out, string(cur))
	}
	return out
}
