package knowledge

import (
	"context"
	"math"
	"strings"
	"testing"
	"testing/fstest"
)

// TestNoiseDoesNotMakeAnAnswerUnsure: greetings, stray Latin words and a
// phone number around a clear question are no reason for doubt.
func TestNoiseDoesNotMakeAnAnswerUnsure(t *testing.T) {
	for _, q := range []string{
		"会计继续教育每年要多少学分",
		"信息采集的证件照有什么要求",
		"会计证是什么时候取消的",
		"跨省调转现在在哪里办理",
	} {
		plain := ask(t, Question{Text: q})
		if plain.Handoff {
			t.Errorf("%q: unsure without noise: %s", q, plain.Text)
			continue
		}
		for _, noisy := range []string{
			"hi ok " + q,
			"老师您好，请问" + q,
			q + "？我电话13812345678",
			"2025 " + q,
		} {
			a := ask(t, Question{Text: noisy})
			if a.Handoff || math.Abs(a.Confidence-plain.Confidence) > 0.1 {
				t.Errorf("%q: confidence %.2f (hand-off %v), without the noise %.2f", noisy, a.Confidence, a.Handoff, plain.Confidence)
			}
		}
	}
}

// TestNoPassageForTheIntentIsUnsure: when nothing retrieved holds what the
// question asks for, the answer says so and offers a human.
func TestNoPassageForTheIntentIsUnsure(t *testing.T) {
	for _, q := range []string{
		"信息采集系统一直白屏转圈怎么办",
		"继续教育网校的视频一直卡住播放不了",
	} {
		if a := ask(t, Question{Text: q}); !a.Handoff && !a.Declined {
			t.Errorf("%q: answered confidently (%.2f): %s", q, a.Confidence, a.Text)
		}
	}
}

func TestDetectIntent(t *testing.T) {
	for _, tt := range []struct {
		q    string
		want intent
	}{
		{"继续教育一年多少学分", intentHowMany},
		{"今年的继续教育截止到什么时候", intentWhen},
		{"多久之内要完成采集", intentWhen},
		{"会计信息采集在哪个网站做", intentWhere},
		{"信息变更现在去哪儿操作", intentWhere},
		{"平台网址是多少", intentWhere},
		{"没有职称要参加继续教育吗", intentWhether},
		{"跨省调转怎么办理", intentHow},
		{"信息采集大概要走哪几步", intentHow},
		{"采集要准备哪些材料", intentMaterials},
		{"继续教育没学完会怎样", intentConsequence},
		{"哪些人需要信息采集", intentWho},
		{"学分结构是怎么样的", intentOther},
		{"采集系统一直转圈", intentTrouble},
	} {
		if got := detectIntent(Normalize(tt.q)); got != tt.want {
			t.Errorf("detectIntent(%q) = %v, want %v", tt.q, got, tt.want)
		}
	}
}

// TestNoUnifiedRuleIsAnAnswer: a how-long question whose honest answer is
// that there is no national time limit is answered, not hedged; with only
// a passage beside the point it still is hedged.
func TestNoUnifiedRuleIsAnAnswer(t *testing.T) {
	open := func(body string) *Index {
		t.Helper()
		fsys := smallCorpusFS()
		fsys["docs/audit.md"] = &fstest.MapFile{Data: []byte("---\nid: audit\ntitle: 采集审核\njurisdiction: \nstatus: in_force\n---\n# 采集审核\n" + body)}
		return openFS(t, fsys)
	}
	const q = "信息采集审核要多久"
	ix := open("## 审核时间\n信息采集的审核时间各地不同，没有查到全国统一的时限。\n## 审核部门\n信息采集由属地财政部门审核。\n")
	if a, err := ix.Answer(context.Background(), Question{Text: q}); err != nil || a.Handoff || !strings.Contains(a.Text, "统一的时限") {
		t.Errorf("no unified time limit: hedged or lost: %+v %v", a, err)
	}
	ix = open("## 审核部门\n信息采集由属地财政部门审核。\n")
	if a, err := ix.Answer(context.Background(), Question{Text: q}); err != nil || !a.Handoff {
		t.Errorf("no time limit said at all, yet answered confidently: %+v %v", a, err)
	}
}
