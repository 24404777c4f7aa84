package tgfake

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
)

// MaxMessageLength is the Bot API limit on a message's text after entity
// parsing, in UTF-16 code units.
const MaxMessageLength = 4096

// allowedTags are the tags Telegram's HTML parse mode accepts.
var allowedTags = map[string]bool{
	"b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true,
	"s": true, "strike": true, "del": true, "span": true, "tg-spoiler": true,
	"a": true, "code": true, "pre": true, "blockquote": true, "tg-emoji": true,
}

// ParseHTML checks s as Telegram parses parse_mode=HTML and returns the
// visible text. Like the real API it rejects unknown or unbalanced tags and
// a bare "&" that starts no entity, with a "can't parse entities" message.
func ParseHTML(s string) (string, error) {
	var out strings.Builder
	var stack []string
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			j := strings.IndexByte(s[i:], '>')
			if j < 0 {
				return "", fmt.Errorf("can't parse entities: unclosed start tag at byte offset %d", i)
			}
			tag := s[i+1 : i+j]
			i += j + 1
			if end, ok := strings.CutPrefix(tag, "/"); ok {
				name := strings.ToLower(strings.TrimSpace(end))
				if len(stack) == 0 || stack[len(stack)-1] != name {
					return "", fmt.Errorf("can't parse entities: unexpected end tag </%s>", name)
				}
				stack = stack[:len(stack)-1]
				continue
			}
			name := strings.ToLower(strings.Fields(tag + " ")[0])
			if !allowedTags[name] {
				return "", fmt.Errorf("can't parse entities: unsupported start tag %q", name)
			}
			stack = append(stack, name)
		case '&':
			j := strings.IndexByte(s[i:], ';')
			if j < 0 {
				return "", fmt.Errorf("can't parse entities: bare '&' at byte offset %d", i)
			}
			r, ok := entity(s[i+1 : i+j])
			if !ok {
				return "", fmt.Errorf("can't parse entities: unknown entity %q", s[i:i+j+1])
			}
			out.WriteString(r)
			i += j + 1
		case '>':
			// Telegram tolerates a bare '>'; kuaiji escapes it anyway.
			out.WriteByte('>')
			i++
		default:
			out.WriteByte(s[i])
			i++
		}
	}
	if len(stack) > 0 {
		return "", fmt.Errorf("can't parse entities: can't find end tag corresponding to start tag <%s>", stack[len(stack)-1])
	}
	return out.String(), nil
}

func entity(name string) (string, bool) {
	switch name {
	case "lt":
		return "<", true
	case "gt":
		return ">", true
	case "amp":
		return "&", true
	case "quot":
		return `"`, true
	}
	if n, ok := strings.CutPrefix(name, "#"); ok {
		base := 10
		if h, ok := strings.CutPrefix(strings.ToLower(n), "x"); ok {
			n, base = h, 16
		}
		v, err := strconv.ParseInt(n, base, 32)
		if err != nil || v <= 0 {
			return "", false
		}
		return string(rune(v)), true
	}
	return "", false
}

// Length is the length Telegram checks: UTF-16 code units.
func Length(s string) int { return len(utf16.Encode([]rune(s))) }
