package bot_test

import (
	"reflect"
	"testing"

	"github.com/kuaiji/kuaiji/bot"
	"github.com/kuaiji/kuaiji/knowledge"
)

func TestHandoffButtons(t *testing.T) {
	cite := []knowledge.Source{{ID: "cpe-rules", Title: "会计专业技术人员继续教育规定"}}
	tests := []struct {
		name string
		r    bot.Reply
		want [][]bot.Button
	}{
		{"sure answer", bot.Reply{Text: "90学分。", Sources: cite}, [][]bot.Button{}},
		{"unsure answer", bot.Reply{Text: "把握不大。", Sources: cite, Handoff: true},
			[][]bot.Button{{{Label: "转人工", Data: "v1|human|low"}}}},
		{"flow result for a person", bot.Reply{Text: "请咨询。", Handoff: true, Buttons: [][]bot.Button{{{Label: "人工服务", Data: "v1|human"}}}},
			[][]bot.Button{{{Label: "人工服务", Data: "v1|human|flow"}}}},
		{"stuck in a flow", bot.Reply{Text: "没听懂。", Buttons: [][]bot.Button{{{Label: "人工服务", Data: "v1|human"}, {Label: "退出", Data: "v1|exit"}}}},
			[][]bot.Button{{{Label: "人工服务", Data: "v1|human|stuck"}, {Label: "退出", Data: "v1|exit"}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := bot.HandoffButtons(tc.r); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("HandoffButtons = %v, want %v", got, tc.want)
			}
		})
	}
	if !bot.IsMenu(bot.Reply{Buttons: [][]bot.Button{{{Label: "是否需要采集", Data: "v1|go|check"}}}}) || bot.IsMenu(bot.Reply{Buttons: bot.Menu()}) {
		t.Error("IsMenu must match the engine's flow menu and not the full menu")
	}
}
