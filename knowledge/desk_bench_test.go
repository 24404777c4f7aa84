package knowledge

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// deskEntries makes n distinct help-desk entries about the domain's
// subjects, each with one paraphrase.
func deskEntries(n int) []DeskFAQ {
	subjects := []string{"继续教育", "信息采集", "跨地区调转", "信息变更", "学分登记", "继教证书", "培训发票", "平台账号", "证件照片", "单位信息"}
	asks := []string{"怎么办理", "审核要多久", "要准备什么材料", "在哪里查询", "提交后能撤回吗", "丢了能补办吗", "要收费吗", "必须本人办理吗", "有截止时间吗", "填错了怎么改"}
	who := []string{"在职会计", "退休人员", "外籍人员", "学生", "新入职人员", "代理记账人员", "出纳", "财务经理", "兼职会计", "事业单位会计"}
	var out []DeskFAQ
	for i := 0; len(out) < n; i++ {
		s, a, w := subjects[i%10], asks[i/10%10], who[i/100%10]
		out = append(out, DeskFAQ{
			FAQ: FAQ{ID: fmt.Sprintf("desk-%d", i+1), Question: w + "的" + s + a + "？", Variants: []string{w + s + a},
				Answer: fmt.Sprintf("%s的%s%s，请按当地财政部门的最新通知办理（第%d条）。", w, s, a, i+1)},
			Reviewed: time.Now(), Expires: time.Now().Add(24 * time.Hour),
		})
	}
	return out
}

// BenchmarkAnswerWith1000DeskEntries is the cost of an answer with 1,000
// published help-desk entries matched next to the built-in FAQ (and with
// none, to compare), on the held-out questions, which none of the entries
// answers: the matching is all overhead. Run on one core:
//
//	go test -run '^$' -bench AnswerWith1000DeskEntries -cpu 1 -benchtime 2000x ./knowledge/
func BenchmarkAnswerWith1000DeskEntries(b *testing.B) {
	for _, n := range []int{0, 1000} {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			ix := ownIndex(b)
			ix.SetDeskFAQ(deskEntries(n))
			benchAnswers(b, ix)
		})
	}
}

func TestThousandDeskEntriesStillAnswerTheirOwn(t *testing.T) {
	t.Parallel()
	ix := ownIndex(t)
	ix.SetDeskFAQ(deskEntries(1000))
	a, _ := ix.Answer(context.Background(), Question{Text: "外籍人员的信息采集审核要多久？"})
	if !strings.HasPrefix(a.Text, "外籍人员的信息采集审核要多久，请按") || a.Sources[0].ID != "desk-212" {
		t.Errorf("answer = %q %v", a.Text, sourceIDs(a))
	}
	if b, _ := ix.Answer(context.Background(), Question{Text: "继教一年要学满多少分啊"}); !strings.Contains(b.Text, "90学分") {
		t.Errorf("built-in question answered %q", b.Text)
	}
}
