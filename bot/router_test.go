package bot_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/kuaiji/kuaiji"
	"github.com/kuaiji/kuaiji/bot"
	"github.com/kuaiji/kuaiji/flows"
	"github.com/kuaiji/kuaiji/knowledge"
)

func handle(t *testing.T, r *bot.Router, m bot.Message) []kuaiji.Reply {
	t.Helper()
	if m.ChatID == 0 {
		m.ChatID, m.UserID = 5, 5
	}
	out, err := r.Handle(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRouterQuestionUsesProfileAndHistory(t *testing.T) {
	r, fa, _ := newRouter(t)
	handle(t, r, bot.Message{Text: "/province 深圳"})
	out := handle(t, r, bot.Message{Text: "继续教育要多少学分？"})
	if len(out) != 1 || out[0].Text != "答：继续教育要多少学分？" || out[0].Sources[0].Section != "第十二条" {
		t.Fatalf("out = %+v", out)
	}
	handle(t, r, bot.Message{Text: "那公需课呢？"})
	q := fa.asked[1]
	if q.Jurisdiction != "shenzhen" || len(q.History) != 2 || !q.History[0].User {
		t.Fatalf("question = %+v", q)
	}
}

func TestRouterButtonsAndCommands(t *testing.T) {
	r, _, _ := newRouter(t)
	out := handle(t, r, bot.Message{Text: "/check@kuaiji_bot"})
	last := out[len(out)-1]
	if len(last.Buttons) == 0 {
		t.Fatalf("no buttons: %+v", out)
	}
	for _, row := range last.Buttons {
		for _, b := range row {
			if len(b.Data) > 64 || !strings.HasPrefix(b.Data, "v1|") {
				t.Fatalf("bad button %+v", b)
			}
		}
	}
	out = handle(t, r, bot.Message{Callback: last.Buttons[0][0].Data})
	if !strings.Contains(out[0].Text, "从事会计工作") {
		t.Fatalf("out = %+v", out)
	}
}

func TestRouterHuman(t *testing.T) {
	r, _, _ := newRouter(t)
	for _, m := range []bot.Message{{Text: "/human"}, {Callback: "v1|human"}} {
		out := handle(t, r, m)
		if len(out) != 1 || !out[0].Handoff || !strings.Contains(out[0].Text, "Telegram") || !strings.Contains(out[0].Text, "属地财政部门") {
			t.Fatalf("%+v: %+v", m, out)
		}
	}
}

// After answers it cannot read, a flow offers 人工服务; pressing it
// reaches the router's hand-off, which names the local finance bureau.
func TestMissesHandOffThroughRouter(t *testing.T) {
	r, _, _ := newRouter(t)
	handle(t, r, bot.Message{Text: "/check"})
	var out []kuaiji.Reply
	for _, s := range []string{"啊", "嗯哼", "随便"} {
		out = handle(t, r, bot.Message{Text: s})
	}
	data := ""
	for _, row := range out[len(out)-1].Buttons {
		for _, b := range row {
			if b.Label == "人工服务" {
				data = b.Data
			}
		}
	}
	if data == "" {
		t.Fatalf("no 人工服务 after three misses: %+v", out)
	}
	out = handle(t, r, bot.Message{Callback: data})
	if len(out) != 1 || !out[0].Handoff || !strings.Contains(out[0].Text, "属地财政部门") {
		t.Fatalf("人工服务 pressed: %+v", out)
	}
}

func TestRouterRedisDown(t *testing.T) {
	r, fa, mr := newRouter(t)
	mr.Close()
	out := handle(t, r, bot.Message{Text: "/check"})
	if len(out) != 1 || out[0].Text != bot.PausedText {
		t.Fatalf("command: %+v", out)
	}
	out = handle(t, r, bot.Message{Text: "广东继续教育几学分？手机13812345678"})
	if len(out) != 2 || !strings.HasPrefix(out[0].Text, "答：") || out[1].Text != bot.PausedText {
		t.Fatalf("question: %+v", out)
	}
	if strings.Contains(fa.asked[0].Text, "13812345678") {
		t.Fatal("phone number passed on")
	}
}

// TestRealJurisdictions loads policies/jurisdictions.yaml when it exists and
// checks the place questions understand it.
func TestRealJurisdictions(t *testing.T) {
	fsys := os.DirFS("../policies")
	if _, err := os.Stat("../policies/jurisdictions.yaml"); err != nil {
		t.Skip("policies/jurisdictions.yaml not written yet")
	}
	js, err := knowledge.LoadJurisdictions(fsys, "jurisdictions.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p := bot.PlacesFrom(js)
	for in, want := range map[string]string{"广东": "guangdong", "粤": "guangdong", "广东省": "guangdong", "深圳": "shenzhen",
		"我在深圳": "shenzhen", "内蒙古": "neimenggu", "厦门": "xiamen"} {
		if pl, ok := flows.ParsePlace(p, in); !ok || pl.Code != want {
			t.Errorf("ParsePlace(%q) = %+v, %v; want %s", in, pl, ok, want)
		}
	}
	if pl, _ := p.Resolve("shenzhen"); pl.Parent != "guangdong" {
		t.Errorf("shenzhen parent = %q", pl.Parent)
	}
	if _, err := flows.Load(fsys, "flows", Docs(js)); err != nil {
		t.Fatal(err)
	}
}
