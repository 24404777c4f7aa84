package policies_test

import (
	"context"
	"strings"
	"testing"

	"github.com/kuaiji/kuaiji/bot"
	"github.com/kuaiji/kuaiji/flows"
	"github.com/kuaiji/kuaiji/flows/redisstore"
	"github.com/kuaiji/kuaiji/policies"
)

// chat runs the built-in flows on an in-process store.
type chat struct {
	t    *testing.T
	eng  *flows.Engine
	next int64
}

func newChat(t *testing.T, co *corpus) *chat {
	t.Helper()
	docs := flows.DocSet{}
	for _, d := range co.c.Docs {
		docs[d.ID] = d.Title
	}
	list, err := flows.Load(policies.FS, "flows", docs)
	if err != nil {
		t.Fatal(err)
	}
	store, closeFn, err := redisstore.NewInProcess()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(closeFn)
	return &chat{t: t, eng: flows.New(store, list, bot.PlacesFrom(co.c.Places))}
}

// result types lines into a fresh chat and returns the last replies' text.
func (c *chat) result(lines ...string) string {
	c.t.Helper()
	c.next++
	var out string
	for _, l := range lines {
		in := flows.Input{Chat: c.next, User: c.next, Text: l}
		if strings.HasPrefix(l, "/") {
			in = flows.Input{Chat: c.next, User: c.next, Command: l[1:]}
		}
		rs, err := c.eng.Handle(context.Background(), in, nil)
		if err != nil {
			c.t.Fatalf("%q: %v", l, err)
		}
		out = ""
		for _, r := range rs {
			out += r.Text + "\n"
		}
	}
	return out
}

func faqAnswer(t *testing.T, co *corpus, id string) string {
	t.Helper()
	for _, f := range co.c.FAQ {
		if f.ID == id {
			return f.Answer
		}
	}
	t.Fatalf("FAQ entry %s is gone; point this test at the entry that now answers the question", id)
	return ""
}

// TestFlowsAndFAQAgree: where a flow's verdict and a FAQ answer speak to
// the same case, they must say the same thing. Each case lists what both
// must state and what neither may state, from facts.md.
func TestFlowsAndFAQAgree(t *testing.T) {
	co := loadCorpus(t, policies.FS)
	c := newChat(t, co)
	for _, tc := range []struct {
		name    string
		script  []string
		faq     []string
		both    []string
		neither []string
	}{
		{
			// No national rule for retirees; 第2条 still covers title
			// holders; only 国管局's own units may take part voluntarily.
			name:    "retirees",
			script:  []string{"/check", "中级", "否", "否", "是"},
			faq:     []string{"eligibility-retirees"},
			both:    []string{"没有查到针对退休人员的专门规定", "第二条", "国管局管理的", "只适用于", "以当地财政部门最新通知为准"},
			neither: []string{"可自愿登记", "可以自愿登记", "自愿采集", "无需采集", "不需要采集"},
		},
		{
			// Doing accounting work means registering; only where is unclear.
			name:    "劳务派遣",
			script:  []string{"/check", "无职称", "是", "是"},
			faq:     []string{"eligibility-dispatched-workers"},
			both:    []string{"需要", "采集地点", "派遣单位", "用工单位", "以当地财政部门最新通知为准"},
			neither: []string{"是否需要采集", "是否需要信息采集", "暂时无法确定", "无需采集"},
		},
		{
			// 第6条 for someone without a qualification.
			name:   "start year without a qualification",
			script: []string{"/check", "无职称", "是", "否", "2019年"},
			faq:    []string{"cpe-start-year", "eligibility-cashier"},
			both:   []string{"开始从事会计工作的次年开始"},
		},
		{
			// 海南's 孰早, with the worked example the FAQ gives: began
			// work in 2020, qualified in 2023, so from 2021.
			name:   "海南 start year",
			script: []string{"/check", "初级", "是", "否", "2023年", "海南", "2020年"},
			faq:    []string{"hainan-start-year"},
			both:   []string{"孰早", "较早", "次年开始", "2021年开始"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			texts := map[string]string{"flow": c.result(tc.script...)}
			for _, id := range tc.faq {
				texts["faq "+id] = faqAnswer(t, co, id)
			}
			for who, txt := range texts {
				for _, w := range tc.both {
					if !strings.Contains(txt, w) {
						t.Errorf("%s lacks %q:\n%s", who, w, txt)
					}
				}
				for _, w := range tc.neither {
					if strings.Contains(txt, w) {
						t.Errorf("%s says %q:\n%s", who, w, txt)
					}
				}
			}
		})
	}
}
