package textcut

import "testing"

func TestRunes(t *testing.T) {
	for _, c := range []struct {
		in   string
		n    int
		want string
	}{
		{"会计人员", 4, "会计人员"},
		{"会计人员继续教育", 4, "会计人员…"},
		{"abc", 0, "…"},
		{"", 3, ""},
		{"a\xffb", 2, "a\ufffd…"}, // an invalid byte is one character, shown as U+FFFD
	} {
		if got := Runes(c.in, c.n); got != c.want {
			t.Errorf("Runes(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
}

func TestFirstLine(t *testing.T) {
	for in, want := range map[string]string{
		"请选择：\n1. 是": "请选择：",
		"一行":         "一行",
		"\n第二行":      "",
		"":           "",
	} {
		if got := FirstLine(in); got != want {
			t.Errorf("FirstLine(%q) = %q, want %q", in, got, want)
		}
	}
}
