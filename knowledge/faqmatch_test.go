package knowledge

import "testing"

// TestStraddlingFragmentsAreNoWords: of the words the search mode finds in
// a compound, those across the boundary of its parts are no words of the
// question; the parts themselves are.
func TestStraddlingFragmentsAreNoWords(t *testing.T) {
	t.Parallel()
	words := func(ws ...string) []faqWord {
		out := make([]faqWord, len(ws))
		for i, w := range ws {
			out[i] = faqWord{text: w}
		}
		return out
	}
	for _, tt := range []struct {
		words []string
		i     int
		want  bool
	}{
		{[]string{"高级", "级会", "会计师", "高级会计师"}, 1, true},
		{[]string{"会计", "计工", "工作", "会计工作"}, 1, true},
		{[]string{"会计", "信息", "采集", "会计信息采集"}, 1, false},
		{[]string{"会计", "信息", "采集", "会计信息采集"}, 0, false},
		{[]string{"继续", "教育", "继续教育"}, 1, false},
	} {
		if got := straddles(words(tt.words...), tt.i); got != tt.want {
			t.Errorf("straddles(%v, %q) = %v, want %v", tt.words, tt.words[tt.i], got, tt.want)
		}
	}
}
