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
}

var (
	// Digits runs, with common separators kept out: the boundary checks
	// below decide what a run is.
	digitsRe = regexp.MustCompile(`(?:\+?86[ -]?)?[0-9][0-9 -]{9,22}[0-9Xx]`)
	emailRe  = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}`)
)

// Find returns the identifiers in s, in order, without overlaps.
// Full-width digits and letters count as their ASCII forms.
func Find(s string) []Match {
	if !maybe(s) {
		return nil
	}
	norm, offs := normalize(s)
	var out []Match
	taken := func(a, b int) bool {
		for _, m := range out {
			if a < m.End && m.Start < b {
				return true
			}
		}
		return false
	}
	for _, loc := range emailRe.FindAllStringIndex(norm, -1) {
		out = append(out, Match{Email, offs[loc[0]], offs[loc[1]]})
	}
	for _, loc := range digitsRe.FindAllStringIndex(norm, -1) {
		a, b := loc[0], loc[1]
		// A run glued to more letters or digits is a part number, an
		// order id or similar, not an identifier.
		if a > 0 && isAlnum(norm[a-1]) || b < len(norm) && isAlnum(norm[b]) {
			continue
		}
		raw := norm[a:b]
		compact := strings.NewReplacer(" ", "", "-", "").Replace(raw)
		k, ok := classify(compact)
		if !ok || taken(offs[a], offs[b]) {
			continue
		}
		out = append(out, Match{k, offs[a], offs[b]})
	}
	sortMatches(out)
	return out
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
	return emailRe.ReplaceAllString(digitsRe.ReplaceAllString(s, "***"), "***")
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
		b.WriteString(maskOne(m.Kind, s[m.Start:m.End]))
		last = m.End
	}
	b.WriteString(s[last:])
	return b.String()
}

func classify(d string) (Kind, bool) {
	if strings.HasPrefix(d, "+86") {
		d = d[3:]
	} else if strings.HasPrefix(d, "86") && len(d) == 13 {
		d = d[2:]
	}
	switch {
	case len(d) == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9' && allDigits(d):
		return Phone, true
	case len(d) == 18 && allDigits(d[:17]) && (isDigit(d[17]) || d[17] == 'X' || d[17] == 'x'):
		return IDCard, true
	case len(d) == 15 && allDigits(d):
		return IDCard, true
	case len(d) >= 16 && len(d) <= 19 && allDigits(d) && luhn(d):
		return BankCard, true
	}
	return "", false
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
			if unicode.IsDigit(r) || r == 'X' || r == 'x' {
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

// normalize maps full-width ASCII to ASCII and returns, for each byte of the
// result, the byte offset in s it came from (plus one entry for the end).
func normalize(s string) (string, []int) {
	var b strings.Builder
	offs := make([]int, 0, len(s)+1)
	for i, r := range s {
		n := toASCII(r)
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

func toASCII(r rune) rune {
	if r >= '！' && r <= '～' {
		return r - '！' + '!'
	}
	if r == '　' {
		return ' '
	}
	return r
}

// maybe reports whether s could hold an identifier: an @ for an e-mail,
// or at least 11 digits (the shortest, a mobile number). Most log lines
// and messages have neither, and skip the regular expressions.
func maybe(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case r == '@' || r == '＠':
			return true
		case r >= '0' && r <= '9' || r >= '０' && r <= '９':
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

func isAlnum(c byte) bool {
	return isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

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
