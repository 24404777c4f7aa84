package knowledge

import (
	"strings"
	"testing"
)

// TestConferenceDaysAreCounted: the asker's own days of a conference are
// converted, beside the rule.
func TestConferenceDaysAreCounted(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ q, want string }{
		{"上个月去开了四天会计类专业会议，能折多少学分", "40学分"},
		{"参加了2天的会计研讨会，继续教育算几分", "20学分"},
	} {
		a := ask(t, Question{Text: tt.q})
		if !strings.Contains(leadSentence(a.Text), tt.want) {
			t.Errorf("%q: want %q in the lead, got: %s", tt.q, tt.want, a.Text)
		}
	}
	// The rule itself, other conversions, dates, a meeting's second day
	// and several meetings get no count of days.
	for _, q := range []string{
		"专业会议一天算多少学分", "发表一篇会计论文算多少学分",
		"11月20日开的会计研讨会算几个学分", "今年参加了3次专业会议，每次2天，能折多少学分",
		"会议第二天请假了，学分还算吗", "今年会计继续教育的年会，开了3次",
	} {
		if a := ask(t, Question{Text: q}); strings.Contains(leadSentence(a.Text), "天，可折算") {
			t.Errorf("%q: a count of days the asker did not give: %s", q, a.Text)
		}
	}
}

// TestConferenceDaysPattern: the days are read from a meeting's words, and
// 今年会计 holds no 年会.
func TestConferenceDaysPattern(t *testing.T) {
	t.Parallel()
	for q, want := range map[string]bool{
		"参加了3天年会，能折多少学分": true,
		"去开了两天会计研讨会":     true,
		"今年会计继续教育3天能学完吗": false,
		"今年会计人员要学满3天吗":   false,
		"11月20日开的会计研讨会":  false,
	} {
		if got := conferenceDays.MatchString(q); got != want {
			t.Errorf("conferenceDays(%q) = %v, want %v", q, got, want)
		}
	}
}

func TestHanNumber(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]int{"3": 3, "三": 3, "两": 2, "十": 10, "十二": 12, "二十": 20, "12": 12, "百": 0} {
		if got := hanNumber(s); got != want {
			t.Errorf("hanNumber(%q) = %d, want %d", s, got, want)
		}
	}
}
