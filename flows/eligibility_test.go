package flows_test

import (
	"fmt"
	"strings"
	"testing"
)

// TestEligibilityTable walks every path of the eligibility check. The
// expected verdicts come from ../shared/domain/facts.md, not from the
// flow's text:
//   - 第2条 and 2.1: holders of a qualification and people doing accounting
//     work must register and study (需要采集);
//   - 1.3 (北京市财政局): neither qualified nor working: no need, unless
//     they sit the exam (1.4: register before signing up);
//   - 2.2: working → where the employer is; student → where the school is;
//     others → 户籍地或居住地;
//   - 第6条: start the year after qualifying, or after starting work when
//     unqualified; 海南 (3, S49): the earlier of the two years;
//   - 3 劳务派遣: must register (they do accounting work); only where is
//     unsettled;
//   - 3 退休: no national rule; 国管局's voluntary rule is its own.
func TestEligibilityTable(t *testing.T) {
	const (
		need     = "结论：需要采集"
		noNeed   = "结论：无需采集"
		beforeEx = "需要在报名前完成采集"
		noRule   = "国家层面没有查到针对退休人员的专门规定"
	)
	type row struct {
		name      string
		province  string // set with /province first, "" for none
		level     string
		working   string
		dispatch  string // asked only of workers
		obtained  string // asked only of qualified workers
		place     string // asked only of qualified workers without a province
		began     string // asked of unqualified workers, and in 海南
		student   string // asked only of non-workers
		retired   string // asked only of non-students
		exam      string // asked only of the unqualified
		verdict   string
		where     string // where to register, when facts.md says
		startYear int    // 0 when the flow cannot know it
		also      []string
	}
	rows := []row{
		{name: "qualified worker elsewhere", level: "中级", working: "是", dispatch: "否", obtained: "2023年5月", place: "广东",
			verdict: need, where: "工作单位所在地", startYear: 2024},
		{name: "qualified worker elsewhere starts after qualifying", level: "初级", working: "是", dispatch: "否", obtained: "2023年", place: "广东",
			verdict: need, where: "工作单位所在地", startYear: 2024},
		{name: "qualified worker in 海南 who began work first", level: "初级", working: "是", dispatch: "否", obtained: "2023年", place: "海南", began: "2020年",
			verdict: need, where: "工作单位所在地", startYear: 2021, also: []string{"孰早"}},
		{name: "qualified worker in 海南 who qualified first", level: "中级", working: "是", dispatch: "否", obtained: "2019年6月", place: "海南", began: "2022年",
			verdict: need, where: "工作单位所在地", startYear: 2020, also: []string{"孰早"}},
		{name: "qualified worker in 海南 from the profile", province: "海南", level: "中级", working: "是", dispatch: "否", obtained: "2019年", began: "2016年",
			verdict: need, where: "工作单位所在地", startYear: 2017},
		{name: "unqualified worker", level: "无职称", working: "是", dispatch: "否", began: "2019年",
			verdict: need, where: "工作单位所在地", startYear: 2020},
		{name: "unqualified worker in 海南", province: "海南", level: "无职称", working: "是", dispatch: "否", began: "2019年",
			verdict: need, where: "工作单位所在地", startYear: 2020},
		{name: "qualified 劳务派遣 worker", level: "高级", working: "是", dispatch: "是",
			verdict: need, also: []string{"派遣单位所在地还是用工单位所在地"}},
		{name: "unqualified 劳务派遣 worker", level: "无职称", working: "是", dispatch: "是",
			verdict: need, also: []string{"派遣单位所在地还是用工单位所在地"}},
		{name: "unqualified 劳务派遣 worker in 海南", province: "海南", level: "无职称", working: "是", dispatch: "是",
			verdict: need, also: []string{"派遣单位所在地还是用工单位所在地"}},
		{name: "qualified student", level: "初级", working: "否", student: "是",
			verdict: need, where: "学籍（学校）所在地"},
		{name: "qualified student in 海南", province: "海南", level: "初级", working: "否", student: "是",
			verdict: need, where: "学籍（学校）所在地"},
		{name: "unqualified student sitting the exam", level: "无职称", working: "否", student: "是", exam: "是",
			verdict: beforeEx},
		{name: "unqualified student", level: "无职称", working: "否", student: "是", exam: "否",
			verdict: noNeed},
		{name: "qualified retiree", level: "中级", working: "否", student: "否", retired: "是",
			verdict: noRule, also: []string{"第二条", "只适用于国管局管理的单位", "以当地财政部门最新通知为准"}},
		{name: "qualified retiree in 海南", province: "海南", level: "高级", working: "否", student: "否", retired: "是",
			verdict: noRule, also: []string{"第二条", "只适用于国管局管理的单位"}},
		{name: "unqualified retiree", level: "无职称", working: "否", student: "否", retired: "是",
			verdict: noNeed},
		{name: "qualified, not working", level: "中级", working: "否", student: "否", retired: "否",
			verdict: need, where: "户籍地或居住地"},
		{name: "qualified, not working, in 海南", province: "海南", level: "中级", working: "否", student: "否", retired: "否",
			verdict: need, where: "户籍地或居住地"},
		{name: "neither, sitting the exam", level: "无职称", working: "否", student: "否", retired: "否", exam: "是",
			verdict: beforeEx, where: "户籍地或居住地"},
		{name: "neither", level: "无职称", working: "否", student: "否", retired: "否", exam: "否",
			verdict: noNeed},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			rig := newRig(t)
			var script []string
			if r.province != "" {
				script = append(script, "/province "+r.province)
			}
			script = append(script, "/check")
			for _, a := range []string{r.level, r.working, r.dispatch, r.obtained, r.place, r.began, r.student, r.retired, r.exam} {
				if a != "" {
					script = append(script, a)
				}
			}
			var got string
			for i, line := range script {
				got = joined(rig.send(t, 9, line))
				if i < len(script)-1 && strings.Contains(got, "结论") {
					t.Fatalf("the flow ended after %q, before all answers were given:\n%s", line, got)
				}
			}
			want := append([]string{r.verdict}, r.also...)
			if r.where != "" {
				want = append(want, r.where)
			}
			if r.startYear != 0 {
				want = append(want, fmt.Sprintf("应从%d年开始", r.startYear))
			}
			for _, w := range want {
				if !strings.Contains(got, w) {
					t.Errorf("verdict lacks %q:\n%s", w, got)
				}
			}
			for _, w := range []string{need, noNeed, beforeEx, noRule} {
				if w != r.verdict && strings.Contains(got, w) {
					t.Errorf("verdict also says %q:\n%s", w, got)
				}
			}
		})
	}
}
