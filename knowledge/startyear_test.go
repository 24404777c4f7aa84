package knowledge

import "testing"

// The first year of continuing education, worked out by hand for each
// asker's years.
func TestStartYearForTheAskersYears(t *testing.T) {
	hainan, beijing := scope{places: []string{"hainan"}}, scope{places: []string{"beijing"}}
	for _, tt := range []struct {
		q    string
		sc   scope
		want string // the year in the lead, or "" for no lead
	}{
		{"海南这边，2021年开始做会计，2023年才考下初级，继续教育从哪年开始算？", hainan, "2022年"},
		{"2019年开始做会计的，2021年考过初级，继教从哪一年算起", hainan, "2020年"},
		{"2024年考过初级，继续教育从哪年开始", beijing, "2025年"},
		{"2023年7月入职做会计，没有职称，继续教育哪年开始", scope{}, "2024年"},
		// A month after a year named before is of that year; both in one
		// year give the next, wherever the asker is.
		{"我2022年7月毕业，9月考过初级，10月入职当会计，继续教育从哪年开始", beijing, "2023年"},
		// Both years outside 海南: no rule for the pair is known.
		{"2021年开始做会计，2023年考下初级，继续教育从哪年开始", beijing, ""},
		// The old 会计证 is no title; a student's first year differs by place.
		{"我2015年考过会计证，继续教育从哪年开始", scope{}, ""},
		{"在校期间2023年考过初级，继续教育从哪年开始", scope{}, ""},
		// The earliest title decides; a title's year is the year of a
		// title, not of a degree, another qualification or an exam not
		// passed; years of work said as a length may be the earlier.
		{"2015年考过初级，2020年考过中级，继续教育从哪年开始", beijing, "2016年"},
		{"初级2018年过的，中级2023年通过，继续教育从哪年开始", beijing, "2019年"},
		{"2018年开始做会计，没有职称，2022年换了工作，继续教育从哪年开始", scope{}, "2019年"},
		{"2022年拿到本科毕业证，没有职称，继续教育从哪年开始", scope{}, ""},
		{"2020年考过注册会计师，继续教育从哪年开始", scope{}, ""},
		{"我2021年拿到从业证，一直在公司做会计，继续教育从哪年开始", scope{}, ""},
		{"2024年考了初级还没出成绩，继续教育从哪年开始", scope{}, ""},
		{"2022年考初级没考过，2023年入职做会计，继续教育从哪年开始", hainan, ""},
		{"做了五年会计，2024年考过初级，继续教育从哪年开始", scope{}, ""},
		// No year of the asker's own, or not asking for the first year.
		{"继续教育从哪年开始", scope{}, ""},
		{"2024年考过初级，继续教育要多少学分", scope{}, ""},
	} {
		t.Run(tt.q, func(t *testing.T) {
			got := startYearLead(Normalize(tt.q), tt.sc)
			switch {
			case tt.want == "" && got != "":
				t.Errorf("lead %q, want none", got)
			case tt.want != "" && !containsAny(got, []string{"从" + tt.want + "开始"}):
				t.Errorf("lead %q, want it to start in %s", got, tt.want)
			}
		})
	}
}

// The asker's own year leads the answer, the rule follows.
func TestStartYearLeadsTheAnswer(t *testing.T) {
	t.Parallel()
	a := ask(t, Question{Text: "2020年开始做会计，2022年才考下初级，继续教育从哪年开始算", Jurisdiction: "海南"})
	if lead := leadSentence(a.Text); !containsAny(lead, []string{"2021年"}) || !containsAny(a.Text, []string{"孰早"}) {
		t.Errorf("answer: %s", a.Text)
	}
}
