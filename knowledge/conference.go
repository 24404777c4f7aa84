package knowledge

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// conferenceDays finds the days of an accounting conference the asker
// attended ("参加了三天会计类的专业会议", "开了2天研讨会"); 年会 in 今年会计
// is no meeting.
var conferenceDays = regexp.MustCompile(`(^|[^0-9第月])([0-9]{1,2}|[一二两三四五六七八九十]{1,2})\s*天[^。？?]{0,12}(会议|研讨会|论坛|年会(?:[^计]|$))|(会议|研讨会|论坛|年会(?:[^计]|$))[^。？?]{0,12}?([^0-9第月]|^)([0-9]{1,2}|[一二两三四五六七八九十]{1,2})\s*天`)

// severalMeetings says the days given are per meeting or that several
// meetings were attended: their total is not the number the question gives.
var severalMeetings = regexp.MustCompile(`[0-9一二两三四五六七八九十几]\s*(次|场|个会)|每次|每场|分别`)

// conferenceDaysLead applies the conversion of a conference's days (10
// credits a day, 第十三条) to the days the asker gives, when the answer
// rests on that rule: "参加了三天会议能抵多少学分" is answered with 30, not
// with the rule and another number's example.
func conferenceDaysLead(q, answer string) string {
	if !strings.Contains(answer, "专业会议") || !strings.Contains(answer, "10学分") {
		return ""
	}
	m := conferenceDays.FindStringSubmatch(q)
	if m == nil || severalMeetings.MatchString(q) {
		return ""
	}
	n := hanNumber(m[2] + m[6])
	if n <= 1 || n > 30 {
		// One day is how the rule itself is asked for ("会议一天算几分").
		return ""
	}
	return fmt.Sprintf("参加会计类专业会议%d天，可折算%d学分（每天10学分）。", n, 10*n)
}

// hanNumber reads 1–99 written in digits or in Chinese numerals, or 0.
func hanNumber(s string) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	digit := map[rune]int{'一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	r := []rune(s)
	switch {
	case len(r) == 1 && r[0] == '十':
		return 10
	case len(r) == 1:
		return digit[r[0]]
	case len(r) == 2 && r[0] == '十':
		return 10 + digit[r[1]]
	case len(r) == 2 && r[1] == '十':
		return digit[r[0]] * 10
	}
	return 0
}
