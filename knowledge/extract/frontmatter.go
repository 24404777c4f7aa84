package extract

import "bytes"

// SplitFrontMatter splits a leading YAML front matter block, delimited by
// lines consisting of "---", from a Markdown file. Both \n and \r\n line
// endings are accepted, as is a UTF-8 byte order mark before the first
// delimiter.
//
// fm is the text between the delimiters (without them), body is everything
// after the closing delimiter line, and bodyLine is the 1-based line number in
// src at which body starts, so that callers can report errors as file:line.
// The front matter itself always starts on line 2. When src has no complete
// front matter block, ok is false, fm is nil, body is src without any BOM and
// bodyLine is 1.
func SplitFrontMatter(src []byte) (fm []byte, body []byte, bodyLine int, ok bool) {
	src = bytes.TrimPrefix(src, []byte{0xef, 0xbb, 0xbf})
	first, rest, found := cutLine(src)
	if !found || !isDelimiter(first) {
		return nil, src, 1, false
	}
	line := 2 // line number of the first line of rest
	fmStart := len(src) - len(rest)
	for pos := fmStart; pos < len(src); {
		l, next, hadNL := cutLine(src[pos:])
		if isDelimiter(l) {
			body = src[len(src)-len(next):]
			if !hadNL {
				body = src[len(src):]
			}
			return src[fmStart:pos], body, line + 1, true
		}
		if !hadNL {
			break
		}
		pos = len(src) - len(next)
		line++
	}
	return nil, src, 1, false
}

// cutLine returns the first line of b without its line ending, the rest after
// the line ending, and whether a line ending was found.
func cutLine(b []byte) (line, rest []byte, nl bool) {
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		return b, nil, false
	}
	return bytes.TrimSuffix(b[:i], []byte("\r")), b[i+1:], true
}

// isDelimiter accepts "---" with trailing blanks, which editors leave behind
// and YAML tools accept.
func isDelimiter(line []byte) bool {
	return string(bytes.TrimRight(line, " \t")) == "---"
}
