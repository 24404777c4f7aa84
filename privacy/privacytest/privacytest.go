// Package privacytest makes personal identifiers for tests and finds them
// again in whatever a test collects (Redis values, logs, messages).
//
// Its detector is written independently of package privacy and on purpose
// knows nothing about formats: it deletes everything that is not a letter,
// a digit, an ideograph, '*' or '@' and looks for the planted identifier's
// characters. A masker that misses a format leaves the characters in a
// row and is caught; masked characters ('*') break the row.
package privacytest

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kind is what an [ID] is.
type Kind string

// The kinds of identifiers [Gen] makes.
const (
	Phone  Kind = "phone"
	ID18   Kind = "id18"
	ID15   Kind = "id15"
	Card   Kind = "card"
	Email  Kind = "email"
	nKinds      = 5
)

// ID is one identifier: Value is its canonical form (digits, an ID's
// checksum X, or a lower-case address).
type ID struct {
	Kind  Kind
	Value string
}

// Run is how many characters of an identifier in a row count as a leak: a
// masked form keeps at most 6 (an ID's area code), and a prefix or suffix
// of 8 already narrows a person down.
const Run = 8

// Leaks returns a description of each identifier of ids that text still
// shows: Run characters of it in a row (for an e-mail, its local part
// followed by @).
func Leaks(text string, ids []ID) []string {
	flat := Flatten(text)
	var out []string
	for _, id := range ids {
		if piece := leaked(flat, id); piece != "" {
			out = append(out, fmt.Sprintf("%s %s: %q survives", id.Kind, id.Value, piece))
		}
	}
	return out
}

func leaked(flat string, id ID) string {
	if id.Kind == Email {
		local, _, _ := strings.Cut(id.Value, "@")
		want := Flatten(local) + "@"
		if strings.Contains(flat, want) {
			return want
		}
		return ""
	}
	v := strings.ToLower(id.Value)
	for i := 0; i+Run <= len(v); i++ {
		if strings.Contains(flat, v[i:i+Run]) {
			return v[i : i+Run]
		}
	}
	return ""
}

// Flatten is text as the detector reads it: lower case, full-width forms
// as ASCII, and only letters, digits, ideographs, '*' and '@' kept.
func Flatten(text string) string {
	var b strings.Builder
	for _, r := range text {
		if r >= '！' && r <= '～' {
			r = r - '！' + '!'
		}
		if unicode.IsDigit(r) && r > 0x7f {
			z := r
			for unicode.IsDigit(z - 1) {
				z--
			}
			r = '0' + (r-z)%10
		}
		switch {
		case r == '*' || r == '@' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// Gen makes identifiers and writes them in the many ways people do.
type Gen struct{ R *rand.Rand }

// New returns a generator seeded with seed.
func New(seed uint64) Gen { return Gen{rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))} }

func (g Gen) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + g.R.IntN(10))
	}
	return string(b)
}

// Mobile is a mainland mobile number.
func (g Gen) Mobile() ID { return ID{Phone, "1" + string(rune('3'+g.R.IntN(7))) + g.digits(9)} }

var areas = []string{"110105", "440301", "310104", "460100", "510107", "320102", "650102", "230103"}

func (g Gen) birth() (year, rest string) {
	y := 1950 + g.R.IntN(60)
	return fmt.Sprintf("%04d", y), fmt.Sprintf("%02d%02d", 1+g.R.IntN(12), 1+g.R.IntN(28))
}

// IDCard18 is an 18-character 身份证号 with a correct checksum (X for 10).
func (g Gen) IDCard18() ID {
	y, md := g.birth()
	body := areas[g.R.IntN(len(areas))] + y + md + g.digits(3)
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(body[i]-'0') * w
	}
	return ID{ID18, body + string("10X98765432"[sum%11])}
}

// IDCard18X is an 18-character 身份证号 whose checksum is X.
func (g Gen) IDCard18X() ID {
	for {
		if id := g.IDCard18(); strings.HasSuffix(id.Value, "X") {
			return id
		}
	}
}

// IDCard15 is an old 15-digit 身份证号.
func (g Gen) IDCard15() ID {
	y, md := g.birth()
	return ID{ID15, areas[g.R.IntN(len(areas))] + y[2:] + md + g.digits(3)}
}

// BankCard is a 16–19 digit card number with a correct Luhn digit.
func (g Gen) BankCard() ID {
	prefix := []string{"62", "4", "5", "6"}[g.R.IntN(4)]
	n := 16 + g.R.IntN(4)
	body := prefix + g.digits(n-1-len(prefix))
	sum := 0
	for i := 0; i < len(body); i++ {
		d := int(body[len(body)-1-i] - '0')
		if i%2 == 0 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return ID{Card, body + string(rune('0'+(10-sum%10)%10))}
}

// EmailAddr is an e-mail address.
func (g Gen) EmailAddr() ID {
	const letters = "abcdefghijklmnopqrstuvwxyz"
	local := []byte{letters[g.R.IntN(26)]}
	for range 3 + g.R.IntN(8) {
		local = append(local, (letters + "0123456789")[g.R.IntN(36)])
	}
	if g.R.IntN(3) == 0 {
		local = append(local, '.')
		local = append(local, letters[g.R.IntN(26)], letters[g.R.IntN(26)], letters[g.R.IntN(26)])
	}
	domains := []string{"qq.com", "163.com", "example.com", "sina.com.cn", "foxmail.com"}
	return ID{Email, string(local) + "@" + domains[g.R.IntN(len(domains))]}
}

// Any is an identifier of a random kind.
func (g Gen) Any() ID {
	switch g.R.IntN(nKinds + 1) {
	case 0:
		return g.Mobile()
	case 1:
		return g.IDCard18()
	case 2:
		return g.IDCard18X()
	case 3:
		return g.IDCard15()
	case 4:
		return g.BankCard()
	}
	return g.EmailAddr()
}

var seps = []string{" ", "-", ".", "/", "_", "  ", " - ", "\u200b", "\u200c\u200d", "\u2060", "\ufeff", "\u00a0", "－", "\u3000"}

// Write is id written one of many ways: grouped with separators, with
// invisible characters between digits, in full-width digits, with +86,
// glued to letters.
func (g Gen) Write(id ID) string {
	v := id.Value
	if id.Kind == Email {
		switch g.R.IntN(4) {
		case 0:
			return strings.ToUpper(v[:1]) + v[1:]
		case 1:
			return strings.Replace(v, "@", "＠", 1)
		case 2:
			return v[:1] + "\u200b" + v[1:]
		}
		return v
	}
	sep := seps[g.R.IntN(len(seps))]
	var s string
	switch g.R.IntN(8) {
	case 0:
		s = v
	case 1: // every character apart
		s = strings.Join(strings.Split(v, ""), sep)
	case 2: // full width
		s = strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' || r == 'X' {
				return r - '!' + '！'
			}
			return r
		}, v)
	case 3, 4, 5:
		s = strings.Join(groups(v, id.Kind, g.R.IntN(2)), sep)
	case 6:
		if id.Kind == Phone {
			s = []string{"(" + v[:3] + ")" + v[3:7] + "-" + v[7:], "（" + v[:3] + "）" + v[3:7] + "-" + v[7:]}[g.R.IntN(2)]
		} else {
			s = strings.Join(groups(v, id.Kind, 0), sep)
		}
	case 7:
		s = strings.Join(groups(v, id.Kind, 1), string(rune(0x200b+g.R.IntN(3))))
	}
	if id.Kind == Phone && g.R.IntN(4) == 0 {
		s = []string{"+86 ", "+86-", "+86", "0086 ", "86-"}[g.R.IntN(5)] + s
	}
	return s
}

// groups cuts v as people group it when they write it.
func groups(v string, k Kind, style int) []string {
	var sizes []int
	switch {
	case k == Phone && style == 0:
		sizes = []int{3, 4, 4}
	case k == Phone:
		sizes = []int{3, 3, 5}
	case k == ID18 && style == 0:
		sizes = []int{6, 8, 4}
	case k == ID18:
		sizes = []int{6, 4, 4, 4}
	case k == ID15:
		sizes = []int{6, 6, 3}
	default: // card
		for n := len(v); n > 0; n -= 4 {
			sizes = append(sizes, min(4, n))
		}
	}
	var out []string
	for _, n := range sizes {
		out = append(out, v[:n])
		v = v[n:]
	}
	return out
}

// Glue is what stands right before or after an identifier in a text; the
// first few glue it to letters.
var Glue = []string{"ID", "tel", "wx", "?id=", "&phone=", "手机", "电话：", "身份证号", "卡号:", "邮箱 ", " ", "，", "。", "（", "）", "\n", "“", "”", "号", "abc", ""}

// Text is a chat message with ids written into it, one after another or
// amid other numbers people type (dates, amounts), as Write and Glue do.
// An identifier never touches another digit directly: that would make it
// part of a longer number, which is not an identifier.
func (g Gen) Text(ids []ID) string {
	var b strings.Builder
	put := func(piece string) {
		first, _ := utf8.DecodeRuneInString(piece)
		last, _ := utf8.DecodeLastRuneInString(b.String())
		if b.Len() > 0 && unicode.IsDigit(first) && (unicode.IsDigit(last) || last == 'X' || last == 'x') {
			b.WriteString("，")
		}
		b.WriteString(piece)
	}
	fillers := []string{"我的", "请帮我查一下", "2024-01-01 注册", "第3次", "共120学分", "2023年5月", "谢谢", " ", "，", "订单 2024"}
	for i, id := range ids {
		if g.R.IntN(2) == 0 {
			put(fillers[g.R.IntN(len(fillers))])
		}
		put(Glue[g.R.IntN(len(Glue))])
		put(g.Write(id))
		if i == len(ids)-1 || g.R.IntN(2) == 0 {
			put(Glue[g.R.IntN(len(Glue))])
		} else {
			put(seps[g.R.IntN(4)]) // two numbers side by side
		}
	}
	if g.R.IntN(2) == 0 {
		put(fillers[g.R.IntN(len(fillers))])
	}
	return b.String()
}
