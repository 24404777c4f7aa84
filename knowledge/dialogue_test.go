package knowledge

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"
)

// chat plays the user's messages in turn, each with the history before it
// as a chat adapter keeps it (the start of each reply only), and returns
// the answers.
func chat(t *testing.T, place string, msgs ...string) []Answer {
	t.Helper()
	var h []Turn
	var out []Answer
	for _, m := range msgs {
		a := ask(t, Question{Text: m, Jurisdiction: place, History: h})
		out = append(out, a)
		kept := a.Text
		if r := []rune(kept); len(r) > 60 {
			kept = string(r[:60]) + "…"
		}
		h = append(h, Turn{User: true, Text: m}, Turn{Text: kept})
	}
	return out
}

// TestFollowUpAsksAboutWhatItNames: a follow-up naming another thing of
// the same kind (another way to earn credits, another procedure) is
// answered about that thing, not with the previous answer again.
func TestFollowUpAsksAboutWhatItNames(t *testing.T) {
	tests := []struct {
		msgs      []string
		want, not string
	}{
		{[]string{"在期刊上发表会计论文能算几个学分", "那参加研讨会呢"}, "10学分", "30学分"},
		{[]string{"出版会计类书籍能算多少学分", "课题结项呢"}, "主持人", "书籍"},
		{[]string{"专业会议一天折多少学分", "那写论文呢"}, "30学分", "每天"},
	}
	for _, tt := range tests {
		as := chat(t, "", tt.msgs...)
		last := as[len(as)-1]
		if !strings.Contains(last.Text, tt.want) || strings.Contains(leadSentence(last.Text), tt.not) {
			t.Errorf("%v: want %q and no %q first:\n%s", tt.msgs, tt.want, tt.not, last.Text)
		}
	}
}

// TestFollowUpNeverRepeatsTheAnswer: whatever the follow-up, its reply
// does not open with the words the previous reply opened with.
func TestFollowUpNeverRepeatsTheAnswer(t *testing.T) {
	for _, msgs := range [][]string{
		{"在期刊上发表会计论文能算几个学分", "那参加研讨会呢"},
		{"做出纳的需要信息采集吗", "那继续教育也要做吗"},
		{"信息采集时照片有什么要求", "照片具体要多大"},
		{"我在重庆，继续教育每年要多少学分", "网校交多少钱"},
		{"内蒙古调入需要什么材料", "要是没有工作单位呢"},
		{"会计证什么时候取消的", "是哪一年"},
	} {
		as := chat(t, "", msgs...)
		prev, last := []rune(as[0].Text), []rune(as[1].Text)
		n := min(len(prev), len(last), 40)
		if n >= 24 && string(prev[:n]) == string(last[:n]) {
			t.Errorf("%v: the follow-up repeats the answer:\n%s", msgs, as[1].Text)
		}
		if as[1].Declined {
			t.Errorf("%v: the follow-up was declined:\n%s", msgs, as[1].Text)
		}
	}
}

// TestRepeatedAnswerPointsBack: when the previous reply already answered
// the follow-up, the reply says so and quotes only the part that answers.
func TestRepeatedAnswerPointsBack(t *testing.T) {
	as := chat(t, "", "会计从业资格证是不是取消了", "哪一年的事")
	if a := as[1]; !strings.Contains(a.Text, "2017") || utf8.RuneCountInString(a.Text) >= utf8.RuneCountInString(as[0].Text) {
		t.Errorf("follow-up answered by the previous reply:\n%s\nthen:\n%s", as[0].Text, a.Text)
	}
}

// TestFollowUpSwitchingProcedureKeepsTheAsker: "在哪采集" after a question
// on continuing education asks about collection, for the same person.
func TestFollowUpSwitchingProcedureKeepsTheAsker(t *testing.T) {
	as := chat(t, "", "我是出纳，继续教育从哪年开始", "那信息采集去哪个平台办")
	a := as[1]
	if !strings.Contains(leadSentence(a.Text), "采集") || strings.Contains(leadSentence(a.Text), "次年") {
		t.Errorf("follow-up answered about the previous procedure:\n%s", a.Text)
	}
	if !strings.Contains(a.Text, "ausm.mof.gov.cn") && !strings.Contains(a.Text, "统一服务管理平台") {
		t.Errorf("collection platform missing:\n%s", a.Text)
	}
}

// TestNewQuestionStartsFresh: a whole question of its own after an answer
// is not read with the previous subject.
func TestNewQuestionStartsFresh(t *testing.T) {
	as := chat(t, "", "做出纳的需要信息采集吗", "调转要去哪个平台办理")
	if a := as[1]; !strings.Contains(a.Text, "调转") || strings.Contains(a.Text, "出纳") {
		t.Errorf("new question read with the old subject:\n%s", a.Text)
	}
}

// TestSmallTalkAfterAnAnswer: greetings, thanks, a bare no and "who are
// you" after an answer get a short reply of their own, never the answer
// again nor a policy text.
func TestSmallTalkAfterAnAnswer(t *testing.T) {
	for _, msg := range []string{"您是哪位", "嗨", "thanks", "ok 谢啦", "好嘞 收到", "否", "不是"} {
		as := chat(t, "", "做出纳的需要信息采集吗", msg)
		a := as[1]
		if !a.Declined || len(a.Sources) != 0 || utf8.RuneCountInString(a.Text) > 160 || strings.Contains(a.Text, "出纳") {
			t.Errorf("%q after an answer: %+v", msg, a)
		}
		if thanked := strings.Contains(msg, "谢") || strings.Contains(msg, "thank"); thanked != strings.Contains(a.Text, "不客气") {
			t.Errorf("%q answered %q", msg, a.Text)
		}
	}
}

// TestOffDomainAfterDomainIsDeclined: a message about another subject is
// declined on its own merits, whatever was asked before.
func TestOffDomainAfterDomainIsDeclined(t *testing.T) {
	for _, msg := range []string{"增值税怎么申报", "帮我写一份年终总结", "周末天气怎么样"} {
		as := chat(t, "深圳", "继续教育每年要多少学分", msg)
		a := as[1]
		if !a.Declined || len(a.Sources) != 0 || strings.Contains(a.Text, "学分") && !strings.Contains(a.Text, Capabilities) {
			t.Errorf("%q after a question on credits: %+v", msg, a)
		}
		if strings.Contains(a.Text, "90") || strings.Contains(a.Text, "深圳") {
			t.Errorf("%q answered with the previous subject:\n%s", msg, a.Text)
		}
	}
}

// TestFollowUpKeepsNoPlaceNotNamed: an asker who named no place gets no
// place's rule for a follow-up either.
func TestFollowUpKeepsNoPlaceNotNamed(t *testing.T) {
	as := chat(t, "", "继续教育去哪里学", "学之前先要办什么")
	if a := as[1]; a.Jurisdiction != "" {
		t.Errorf("follow-up answered for %q:\n%s", a.Jurisdiction, a.Text)
	}
}

func TestDialogueRepeats(t *testing.T) {
	long := "会计人员每年参加继续教育取得的学分不少于90学分，其中专业科目一般不少于三分之二。"
	tests := []struct {
		kept, answer string
		want         bool
	}{
		{long, long, true},
		{string([]rune(long)[:30]) + "…", long + "另外还有一句。", true},
		{long, "广东的会计继续教育要求公需科目不少于30学分、专业科目不少于60学分。", false},
		// The opening every unsure answer shares is not a repeat.
		{unsureOpening + "审核时间各地不同。", unsureOpening + "照片须为jpg格式，不小于10KB，像素不低于295×413。", false},
		// Too short to tell.
		{"好的。", "好的。", false},
	}
	for _, tt := range tests {
		if got := (dialogue{answer: tt.kept}).repeats(tt.answer); got != tt.want {
			t.Errorf("repeats(%q after %q) = %v", tt.answer, tt.kept, got)
		}
	}
}

func TestDialogueNewPart(t *testing.T) {
	prev := "全国平台上的证件照须为jpg格式。戴眼镜的照片不予通过。"
	d := dialogue{answer: prev}
	if got := d.newPart(prev + "深圳的会计人员还要到综合平台确认。"); got != "深圳的会计人员还要到综合平台确认。" {
		t.Errorf("newPart = %q", got)
	}
	if got := d.newPart(prev + "以当地财政部门最新通知为准。"); got != "" {
		t.Errorf("a deferral counted as new: %q", got)
	}
	if got := (dialogue{answer: "全国平台上的证件照须为jpg…"}).newPart(prev + "另一句新的话。"); got != "" {
		t.Errorf("a cut reply cannot tell what is new: %q", got)
	}
}

// BenchmarkFollowUp times a follow-up that resolves plainly and one whose
// answer would repeat the previous reply (one retrieval more at most):
//
//	go test -run '^$' -bench FollowUp -cpu 1 ./knowledge
func BenchmarkFollowUp(b *testing.B) {
	for _, bc := range []struct{ name, first, next string }{
		{"plain", "在期刊上发表会计论文能算几个学分", "那参加研讨会呢"},
		{"repeat", "会计从业资格证是不是取消了", "哪一年的事"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			ix, ctx := builtin(b), context.Background()
			first, err := ix.Answer(ctx, Question{Text: bc.first})
			if err != nil {
				b.Fatal(err)
			}
			q := Question{Text: bc.next, History: []Turn{{User: true, Text: bc.first}, {Text: first.Text}}}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := ix.Answer(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestPlaceHoldsWhileTopicHolds: a place the user says they are in holds
// for what follows; a place a question was about holds only while the
// conversation stays on that question's procedure.
func TestPlaceHoldsWhileTopicHolds(t *testing.T) {
	tests := []struct {
		msgs []string
		want string
	}{
		{[]string{"广东继续教育要多少学分", "谢谢", "怎么查信息采集的审核进度"}, ""},
		{[]string{"我在广东上班，继续教育要多少学分", "信息采集去哪个平台办"}, "guangdong"},
		{[]string{"广东继续教育要多少学分", "网校学完学分怎么登记"}, "guangdong"},
	}
	for _, tt := range tests {
		as := chat(t, "", tt.msgs...)
		if got := as[len(as)-1].Jurisdiction; got != tt.want {
			t.Errorf("%v: answered for %q, want %q", tt.msgs, got, tt.want)
		}
	}
}

// TestFollowUpAfterThanks: thanks between a question and its follow-up
// do not break the thread.
func TestFollowUpAfterThanks(t *testing.T) {
	as := chat(t, "", "广东继续教育公需课要多少学分", "好的谢谢", "那深圳呢")
	if a := as[2]; a.Jurisdiction != "shenzhen" || !strings.Contains(a.Text, "公需") {
		t.Errorf("follow-up after thanks answered for %q:\n%s", a.Jurisdiction, a.Text)
	}
}

// TestFollowUpAsksAnewWhatTheLastOneAsked: what the previous question asked
// for (a website) is not the follow-up's subject when it asks something
// else (a number).
func TestFollowUpAsksAnewWhatTheLastOneAsked(t *testing.T) {
	t.Parallel()
	a := chat(t, "", "深圳继续教育在哪个网站学", "一年一共要学多少分")
	if last := a[len(a)-1]; !strings.Contains(leadSentence(last.Text), "学分") || strings.Contains(last.Standalone, "网站") {
		t.Errorf("follow-up read as %q, answered %q", last.Standalone, last.Text)
	}
}
