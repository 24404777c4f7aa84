package bot_test

import (
	"reflect"
	"testing"

	"github.com/kuaiji/kuaiji"
	"github.com/kuaiji/kuaiji/bot"
	"github.com/kuaiji/kuaiji/flows"
)

func TestHandoffButtons(t *testing.T) {
	cite := []kuaiji.Source{{ID: "cpe-rules", Title: "会计专业技术人员继续教育规定"}}
	tests := []struct {
		name string
		r    kuaiji.Reply
		want [][]kuaiji.Button
	}{
		{"sure answer", kuaiji.Reply{Text: "90学分。", Sources: cite}, [][]kuaiji.Button{}},
		{"unsure answer", kuaiji.Reply{Text: "把握不大。", Sources: cite, Handoff: true},
			[][]kuaiji.Button{{{Label: "转人工", Data: "v1|human|low"}}}},
		{"flow result for a person", kuaiji.Reply{Text: "请咨询。", Handoff: true, Buttons: [][]kuaiji.Button{{{Label: "人工服务", Data: "v1|human"}}}},
			[][]kuaiji.Button{{{Label: "人工服务", Data: "v1|human|flow"}}}},
		{"stuck in a flow", kuaiji.Reply{Text: "没听懂。", Buttons: [][]kuaiji.Button{{{Label: "人工服务", Data: "v1|human"}, {Label: "退出", Data: "v1|exit"}}}},
			[][]kuaiji.Button{{{Label: "人工服务", Data: "v1|human|stuck"}, {Label: "退出", Data: "v1|exit"}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := bot.HandoffButtons(tc.r); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("HandoffButtons = %v, want %v", got, tc.want)
			}
		})
	}
	if !bot.IsMenu(kuaiji.Reply{Buttons: [][]kuaiji.Button{{{Label: "是否需要采集", Data: "v1|go|check"}}}}) || bot.IsMenu(kuaiji.Reply{Buttons: bot.Menu(flows.Surface{Menu: []kuaiji.Button{{Label: "是否需要采集", Data: "v1|go|check"}}})}) {
		t.Error("IsMenu must match the engine's flow menu and not the full menu")
	}
}
