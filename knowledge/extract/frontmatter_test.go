package extract

import "testing"

func TestSplitFrontMatter(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		fm       string
		body     string
		bodyLine int
		ok       bool
	}{
		{"basic", "---\ntitle: 办法\nid: kj\n---\n# Body\n", "title: 办法\nid: kj\n", "# Body\n", 5, true},
		{"crlf", "---\r\ntitle: x\r\n---\r\nbody\r\n", "title: x\r\n", "body\r\n", 4, true},
		{"bom", "\ufeff---\ntitle: x\n---\nbody", "title: x\n", "body", 4, true},
		{"empty front matter", "---\n---\nbody\n", "", "body\n", 3, true},
		{"blank lines before body", "---\na: 1\n---\n\n\nbody\n", "a: 1\n", "\n\nbody\n", 4, true},
		{"closing at end of file", "---\na: 1\n---", "a: 1\n", "", 4, true},
		{"trailing blanks on delimiters", "--- \na: 1\n---\t\nbody", "a: 1\n", "body", 4, true},
		{"dashes inside values", "---\na: ----\nb: --- x\n---\nbody", "a: ----\nb: --- x\n", "body", 5, true},
		{"no front matter", "# Title\n---\n", "", "# Title\n---\n", 1, false},
		{"unclosed", "---\na: 1\nbody\n", "", "---\na: 1\nbody\n", 1, false},
		{"four dashes", "----\na: 1\n----\n", "", "----\na: 1\n----\n", 1, false},
		{"not at start", "\n---\na: 1\n---\n", "", "\n---\na: 1\n---\n", 1, false},
		{"delimiter only", "---", "", "---", 1, false},
		{"bom without front matter", "\ufeffbody", "", "body", 1, false},
		{"empty", "", "", "", 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fm, body, line, ok := SplitFrontMatter([]byte(tt.src))
			if string(fm) != tt.fm || string(body) != tt.body || line != tt.bodyLine || ok != tt.ok {
				t.Errorf("SplitFrontMatter(%q) = %q, %q, %d, %v; want %q, %q, %d, %v",
					tt.src, fm, body, line, ok, tt.fm, tt.body, tt.bodyLine, tt.ok)
			}
			if !ok && fm != nil {
				t.Errorf("fm = %q, want nil when not ok", fm)
			}
		})
	}
}
