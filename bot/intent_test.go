package bot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/kuaiji/kuaiji"
	"github.com/kuaiji/kuaiji/bot"
)

func say(t *testing.T, r *bot.Router, chat int64, text string) []kuaiji.Reply {
	t.Helper()
	out, err := r.Handle(context.Background(), bot.Message{ChatID: chat, UserID: chat, Text: text})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func flat(rs []kuaiji.Reply) (text string, buttons []kuaiji.Button) {
	var b strings.Builder
	for _, r := range rs {
		b.WriteString(r.Text + "\n")
		for _, row := range r.Buttons {
			buttons = append(buttons, row...)
		}
	}
	return b.String(), buttons
}

// TestRequestsStartFlows: asking to have something done starts the flow
// that does it, and is not answered as a policy question.
func TestRequestsStartFlows(t *testing.T) {
	tests := []struct{ text, want string }{
		{"我要办理信息变更", "您的会计人员信息登记在哪个地区"},
		{"帮我看看要准备什么材料", "您在哪个地区办理"},
		{"我要跨省调转", "调出地"},
		{"帮我判断要不要采集", "会计专业技术资格（职称）是什么级别"},
		{"检查一下我的照片", "请把要上传的证件照或扫描件直接发给我"},
		{"把我的地区设成深圳", "已记住您的地区：深圳市"},
		{"材料清单", "您在哪个地区办理"},
		{"采集流程分步指引", "第1步（共8步）"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			r, fa, _ := newRouter(t)
			got, _ := flat(say(t, r, 1, tt.text))
			if !strings.Contains(got, tt.want) {
				t.Errorf("%q did not start its flow:\n%s", tt.text, got)
			}
			if len(fa.asked) != 0 {
				t.Errorf("%q was also answered as a question: %v", tt.text, fa.asked)
			}
		})
	}
}

// TestAnswersOfferTheirFlow: a question stays a question, and the answer
// about a subject with a flow ends with the offer of it; the button starts it.
func TestAnswersOfferTheirFlow(t *testing.T) {
	r, fa, _ := newRouter(t)
	got, buttons := flat(say(t, r, 2, "我需要做信息采集吗"))
	if len(fa.asked) != 1 || !strings.Contains(got, "答：我需要做信息采集吗") {
		t.Fatalf("question not answered:\n%s", got)
	}
	if !strings.Contains(got, "一步步帮您判断是否需要采集") || len(buttons) == 0 {
		t.Fatalf("no offer of the check:\n%s %v", got, buttons)
	}
	last := buttons[len(buttons)-1]
	out, err := r.Handle(context.Background(), bot.Message{ChatID: 2, UserID: 2, Callback: last.Data})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := flat(out); !strings.Contains(got, "是什么级别") {
		t.Errorf("offer button %q did not start the check:\n%s", last.Data, got)
	}

	got, buttons = flat(say(t, r, 3, "继续教育每年要多少学分"))
	if !strings.Contains(got, "答：") || len(buttons) != 0 || strings.Contains(got, "需要的话") {
		t.Errorf("an answer without a flow offers one:\n%s %v", got, buttons)
	}
}

// TestNoOfferInsideAFlow: a digression inside a flow is answered and the
// flow continues, without offering flows on top.
func TestNoOfferInsideAFlow(t *testing.T) {
	r, _, _ := newRouter(t)
	say(t, r, 4, "/materials")
	got, _ := flat(say(t, r, 4, "照片有什么要求？"))
	if strings.Contains(got, "需要的话") || !strings.Contains(got, "我们继续刚才的问题") {
		t.Errorf("digression offers a flow or loses the step:\n%s", got)
	}
}

// TestSentenceThatSettlesAFlow: a description of one's case that answers
// the whole check gets its result, not a policy answer.
func TestSentenceThatSettlesAFlow(t *testing.T) {
	r, fa, _ := newRouter(t)
	say(t, r, 5, "我需要做信息采集吗")
	got, _ := flat(say(t, r, 5, "我没有职称，也没做会计，就是个在读大学生，暂时不打算考试"))
	if !strings.Contains(got, "结论：无需采集") || len(fa.asked) != 1 {
		t.Errorf("whole case not settled by the check:\n%s", got)
	}
	// Two facts are not a whole case: the sentence is not taken for a request.
	got, _ = flat(say(t, r, 6, "我是初级，在公司做出纳"))
	if strings.Contains(got, "我来问您几个问题") {
		t.Errorf("a partial description started a flow:\n%s", got)
	}
}
