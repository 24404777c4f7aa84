// Package privacy finds and masks the personal identifiers that users
// sometimes type into a chat: 身份证号, mainland phone numbers, e-mail
// addresses and bank card numbers. kuaiji never stores them: sessions, logs
// and hand-off transcripts keep only the masked form that [Mask] returns,
// and [NewHandler] applies it to every log record.
package privacy

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kuaiji/kuaiji/internal/textcut"
)

// Kind names what a [Match] is.
type Kind string

// The kinds of identifiers [Find] reports.
const (
	IDCard Kind = "id_card" // 居民身份证号码, 18 characters (or the old 15 digits)
	Phone  Kind = "phone"   // mainland mobile number, optionally with +86
	Email  Kind = "email"
	// BankCard is a 16–19 digit card number passing the Luhn check; other
	// long digit runs (order numbers, invoice codes) are left alone.
	BankCard Kind = "bank_card"
)

// Match is one identifier found in a text, as byte offsets into it.
type Match struct {
	Kind       Kind
	Start, End int
	hide       bool // the text could be read more than one way: hide all digits
}

var emailRe = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}`)

const (
	// maxGap is how many separator characters may stand between two
	// pieces of one number ("138 - 1234 - 5678").
	maxGap = 3
	// maxJoined is the most digits an identifier can have: a 19-digit
	// card.
	maxJoined = 19
)

// Find returns the identifiers in s, in order, without overlaps.
//
// A number may be written in pieces: digits separated by spaces, dashes,
// dots, slashes, underscores or brackets, or with invisible
// characters between them; pieces are joined when together they form an
// identifier. Digits glued to letters ("tel13812345678", "ID110105…")
// count, digits glued to more digits do not (a longer number is an order
// or invoice number). Full-width and other Unicode digits count as ASCII.
func Find(s string) []Match {
	if !maybe(s) {
		return nil
	}
	norm, offs := normalize(s)
	var out []Match
	inEmail := make([]bool, len(norm))
	for _, loc := range emailRe.FindAllStringIndex(norm, -1) {
		loc[0] = emailStart(norm, loc[0])
		out = append(out, Match{Kind: Email, Start: offs[loc[0]], End: offs[loc[1]]})
		for i := loc[0]; i < loc[1]; i++ {
			inEmail[i] = true
		}
	}
	segs := segments(norm, inEmail)
	for _, r := range readings(segs) {
		start, end := segs[r.from].start, segs[r.to].end
		if r.x {
			end = segs[r.to].xEnd
		}
		if r.kind == Phone && start > 0 && norm[start-1] == '+' {
			start--
		}
		out = append(out, Match{Kind: r.kind, Start: offs[start], End: offs[end], hide: r.hide})
	}
	sortMatches(out)
	return out
}

// reading is segments from..to read as one identifier.
type reading struct {
	from, to int
	kind     Kind
	x        bool // the last segment's X is the ID's checksum
	// hide is set when readings overlap and none covers them all: the
	// digits are hidden completely.
	hide bool
}

// readings returns where the segments hold identifiers. Pieces of dates
// and amounts joined to an identifier can be read more than one way
// ("2024-01-01 3.2.0.1.0.2…" holds a 15-digit ID from 2024 and an
// 18-digit one from 3): overlapping readings are merged, and where no
// single one covers the lot, all its digits are hidden, since keeping a
// head and tail of the wrong reading would show the right one's digits.
func readings(segs []segment) []reading {
	// All digits in one string, so that a run of segments is a substring.
	var all strings.Builder
	off := make([]int, len(segs)+1)
	for i, sg := range segs {
		off[i] = all.Len()
		all.WriteString(sg.digits)
	}
	off[len(segs)] = all.Len()
	digits := all.String()
	var out []reading
	for k := range segs {
		for j := k; j < len(segs) && (j == k || segs[j].joins); j++ {
			d := digits[off[k]:off[j+1]]
			if len(d) > maxJoined {
				break
			}
			r, ok := reading{from: k, to: j, x: segs[j].x}, false
			if r.kind, ok = classify(d, segs[j].x, j > k); !segs[j].x || !ok {
				r.x = false
				r.kind, ok = classify(d, false, j > k)
			}
			if ok {
				out = merge(out, r)
			}
			if segs[j].x {
				break // an X ends an identifier
			}
		}
	}
	return out
}

// merge adds r to rs (sorted by from, built in that order), joining it
// with the last reading when they overlap.
func merge(rs []reading, r reading) []reading {
	n := len(rs)
	if n == 0 || rs[n-1].to < r.from {
		return append(rs, r)
	}
	last := &rs[n-1]
	switch {
	case r.from == last.from && r.to >= last.to && !last.hide:
		*last = r // the same start, longer: "+86 138…" over "86 138…"
	case r.to <= last.to:
		// inside the last one: that reading stands
	default:
		last.to, last.x, last.hide = r.to, r.x, true
	}
	return rs
}

// emailStart is where the address found at a really begins: digits (and
// an X) at its front that continue a number written in pieces before it
// ("+86 138 1234 5678abc@qq.com") belong to that number, so the number is
// found whole.
func emailStart(norm string, a int) int {
	p := a
	for p < len(norm) && isDigit(norm[p]) {
		p++
	}
	if norm[p] == 'X' || norm[p] == 'x' { // an ID's checksum
		p++
	}
	if p == a || norm[p] == '@' {
		return a
	}
	g := a
	for g > 0 && a-g < maxGap && isSeparator(norm[g-1]) {
		g--
	}
	if g < a && g > 0 && isDigit(norm[g-1]) {
		return p
	}
	return a
}

// segment is a run of ASCII digits in the normalized text, with the X or x
// that may directly follow it (an ID's checksum).
type segment struct {
	start, end int // the digits, as offsets into the normalized text
	digits     string
	x          bool
	xEnd       int // after the X
	// joins is whether only a few separators stand between the previous
	// segment and this one, so that both may be one number.
	joins bool
}

func segments(norm string, inEmail []bool) []segment {
	var out []segment
	for i := 0; i < len(norm); {
		if !isDigit(norm[i]) || inEmail[i] {
			i++
			continue
		}
		j := i
		for j < len(norm) && isDigit(norm[j]) && !inEmail[j] {
			j++
		}
		sg := segment{start: i, end: j, digits: norm[i:j]}
		// An ID's X may follow its digits directly or after separators
		// ("…746 X"); it counts only where the digits and the X make an
		// 18-character ID.
		k := j
		for k < len(norm) && k-j < maxGap && isSeparator(norm[k]) {
			k++
		}
		if k < len(norm) && (norm[k] == 'X' || norm[k] == 'x') && !inEmail[k] {
			sg.x, sg.xEnd = true, k+1
		}
		if n := len(out); n > 0 && !out[n-1].x {
			prev := out[n-1]
			gapEnd := prev.end
			for gapEnd < i && isSeparator(norm[gapEnd]) && !inEmail[gapEnd] {
				gapEnd++
			}
			sg.joins = gapEnd == i && i-prev.end <= maxGap
		}
		out = append(out, sg)
		i = j
		if sg.x {
			i = sg.xEnd
		}
	}
	return out
}

func isSeparator(c byte) bool {
	switch c {
	case ' ', '-', '.', '/', '_', '(', ')', '\t', '\n', '\r':
		return true
	}
	return false
}

// Contains reports whether s holds a 身份证号, phone number, e-mail address
// or bank card number.
func Contains(s string) bool { return len(Find(s)) > 0 }

// Mask returns s with each identifier replaced by a masked form that keeps
// only enough to recognise it: 110105********123X, 138****5678,
// z***@example.com, 6222***********1234.
func Mask(s string) string {
	// Keeping an e-mail's domain can leave text that forms a new address with
	// what follows ("a@b.cc@d.cc"), so mask until nothing is found.
	for range 8 {
		m := maskOnce(s)
		if m == s {
			return s
		}
		s = m
	}
	// Still changing: give up on recognising and hide every digit and
	// address.
	return hideDigits(emailRe.ReplaceAllString(s, "***"))
}

// hideDigits replaces every digit of s, and an ID's X, with '*'.
func hideDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsDigit(r) || r == 'X' || r == 'x' || r == 'Ｘ' || r == 'ｘ' {
			return '*'
		}
		return r
	}, s)
}

func maskOnce(s string) string {
	ms := Find(s)
	if len(ms) == 0 {
		return s
	}
	var b strings.Builder
	last := 0
	for _, m := range ms {
		b.WriteString(s[last:m.Start])
		if m.hide {
			b.WriteString(hideDigits(s[m.Start:m.End]))
		} else {
			b.WriteString(maskOne(m.Kind, s[m.Start:m.End]))
		}
		last = m.End
	}
	b.WriteString(s[last:])
	return b.String()
}

// classify says what the digits d are; x is whether an X follows them (an
// ID's checksum). joined is whether d was written in pieces: then it must
// also look like what it claims (a birth date in an ID, a card network's
// first digit), because pieces of dates and amounts join into numbers of
// every length.
func classify(d string, x, joined bool) (Kind, bool) {
	switch {
	case x:
		if len(d) == 17 && (!joined || plausibleID(d[:6], d[6:14])) {
			return IDCard, true
		}
		return "", false
	case len(d) == 13 && strings.HasPrefix(d, "86") && isMobile(d[2:]),
		len(d) == 15 && strings.HasPrefix(d, "0086") && isMobile(d[4:]),
		len(d) == 12 && d[0] == '0' && isMobile(d[1:]),
		isMobile(d):
		return Phone, true
	case len(d) == 18 && (!joined || plausibleID(d[:6], d[6:14])):
		return IDCard, true
	case len(d) == 15 && (!joined || plausibleID(d[:6], "19"+d[6:12])):
		return IDCard, true
	case len(d) >= 16 && len(d) <= 19 && luhn(d) && (!joined || strings.ContainsRune("345689", rune(d[0]))):
		return BankCard, true
	}
	return "", false
}

func isMobile(d string) bool {
	return len(d) == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9' && allDigits(d)
}

// plausibleID reports whether area and birth (YYYYMMDD) can begin a 身份证号.
func plausibleID(area, birth string) bool {
	if area[0] < '1' || area[0] > '8' {
		return false
	}
	year, month, day := birth[:4], birth[4:6], birth[6:8]
	return year >= "1900" && year <= "2099" && month >= "01" && month <= "12" && day >= "01" && day <= "31"
}

func maskOne(k Kind, raw string) string {
	switch k {
	case Email:
		at := strings.LastIndexByte(raw, '@')
		if at < 0 {
			return "***"
		}
		first, _ := utf8.DecodeRuneInString(raw)
		return string(first) + "***" + raw[at:]
	case Phone, IDCard, BankCard:
		var digits []rune
		for _, r := range raw {
			r = toASCII(r)
			if d, ok := digitOf(r); ok {
				digits = append(digits, d)
			} else if r == 'X' || r == 'x' {
				digits = append(digits, r)
			}
		}
		if k == Phone && len(digits) > 11 {
			digits = digits[len(digits)-11:]
		}
		keepHead, keepTail := 3, 4
		switch k {
		case IDCard:
			keepHead, keepTail = 6, 4
		case BankCard:
			keepHead = 4
		}
		if len(digits) < keepHead+keepTail {
			return strings.Repeat("*", len(digits))
		}
		return string(digits[:keepHead]) + strings.Repeat("*", len(digits)-keepHead-keepTail) + string(digits[len(digits)-keepTail:])
	}
	return "***"
}

// normalize maps full-width ASCII and other digits to ASCII, Unicode
// spaces and dashes to ' ' and '-', drops invisible characters (zero-width
// spaces, joiners, direction marks, combining marks) and returns, for each
// byte of the result, the byte offset in s it came from (plus one entry
// for the end).
func normalize(s string) (string, []int) {
	var b strings.Builder
	offs := make([]int, 0, len(s)+1)
	for i, r := range s {
		if r != utf8.RuneError && invisible(r) {
			continue
		}
		n := toASCII(r)
		if d, ok := digitOf(n); ok {
			n = d
		}
		w := utf8.RuneLen(n)
		if n == utf8.RuneError {
			w = 1
			n = '?'
		}
		b.WriteRune(n)
		for k := 0; k < w; k++ {
			offs = append(offs, i)
		}
	}
	offs = append(offs, len(s))
	return b.String(), offs
}

// invisible reports whether r shows nothing of its own, so that it can sit
// between two digits unseen.
func invisible(r rune) bool {
	return unicode.In(r, unicode.Cf, unicode.Mn, unicode.Me)
}

func toASCII(r rune) rune {
	switch {
	case r >= '！' && r <= '～':
		return r - '！' + '!'
	case r == '\u00a0' || r == '\u3000' || r >= '\u2000' && r <= '\u200a' || r == '\u202f' || r == '\u205f':
		return ' '
	case r >= '\u2010' && r <= '\u2015' || r == '\u2212' || r == '\ufe58' || r == '\ufe63':
		return '-'
	case r == '\u00b7' || r == '\u30fb' || r == '\uff65':
		return '.'
	}
	return r
}

// digitOf returns the ASCII digit for any decimal digit (Arabic-Indic,
// mathematical bold…). Unicode keeps each script's digits as ten
// consecutive code points from zero.
func digitOf(r rune) (rune, bool) {
	if r >= '0' && r <= '9' {
		return r, true
	}
	if r < 0x80 || !unicode.IsDigit(r) {
		return 0, false
	}
	z := r
	for z > 0 && unicode.IsDigit(z-1) {
		z--
	}
	return '0' + (r-z)%10, true
}

// maybe reports whether s could hold an identifier: an @ for an e-mail,
// or at least 11 digits (the shortest, a mobile number). Most log lines
// and messages have neither, and skip the rest.
func maybe(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case r == '@' || r == '＠':
			return true
		case r >= '0' && r <= '9' || r > 0x7f && unicode.IsDigit(r):
			if digits++; digits >= 11 {
				return true
			}
		}
	}
	return false
}

// luhn reports whether the digits d pass the Luhn check that every bank
// card number carries; a random digit run passes one time in ten.
func luhn(d string) bool {
	sum := 0
	for i := 0; i < len(d); i++ {
		n := int(d[len(d)-1-i] - '0')
		if i%2 == 1 {
			n *= 2
			if n > 9 {
				n -= 9
			}
		}
		sum += n
	}
	return sum%10 == 0
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

func sortMatches(ms []Match) {
	for i := 1; i < len(ms); i++ {
		for j := i; j > 0 && ms[j].Start < ms[j-1].Start; j-- {
			ms[j], ms[j-1] = ms[j-1], ms[j]
		}
	}
}

// Cut returns s masked and cut to at most n characters, with "…" when it
// was longer. Masking comes first: an identifier straddling the cut would
// no longer be recognised once cut (17 digits of an 18-character ID are
// not an ID), and the cut text is masked again, because cutting a longer
// number can leave one that looks like an identifier.
func Cut(s string, n int) string {
	s = Mask(s)
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return Mask(textcut.Runes(s, n))
}
