package flows_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji/flows"
	"github.com/kuaiji/kuaiji/flows/redisstore"
)

func contains(t *testing.T, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("lacks %q:\n%s", w, got)
		}
	}
}

func TestDigressionReasksStep(t *testing.T) {
	r := newRig(t)
	r.send(t, 1, "/province 深圳")
	r.send(t, 1, "/check")
	got := joined(r.send(t, 1, "继续教育每年要多少学分？"))
	contains(t, got, "【答】继续教育每年要多少学分？", "我们继续刚才的问题", "职称")
	if len(r.asked) != 1 || r.asked[0].Jurisdiction != "shenzhen" {
		t.Fatalf("asked = %+v, want one question with jurisdiction shenzhen", r.asked)
	}
	// The flow goes on from the same step.
	contains(t, joined(r.send(t, 1, "中级")), "从事会计工作")
}

func TestQuestionsOutsideFlowsKeepHistory(t *testing.T) {
	r := newRig(t)
	r.send(t, 1, "广东继续教育要多少学分？")
	r.send(t, 1, "那深圳呢？")
	r.send(t, 1, "公需课在哪学")
	last := r.asked[len(r.asked)-1]
	if len(last.History) != 4 || !last.History[2].User || last.History[2].Text != "那深圳呢？" {
		t.Fatalf("history = %+v", last.History)
	}
}

func TestBackAndCancel(t *testing.T) {
	r := newRig(t)
	r.send(t, 1, "/check")
	r.send(t, 1, "中级")
	got := joined(r.send(t, 1, "/back"))
	contains(t, got, "回到上一步", "什么级别")
	got = joined(r.send(t, 1, "/cancel"))
	contains(t, got, "已退出「是否需要信息采集」")
	contains(t, joined(r.send(t, 1, "/cancel")), "当前没有进行中的流程")
}

func TestButtons(t *testing.T) {
	r := newRig(t)
	out := r.send(t, 1, "/check")
	btns := lastButtons(out)
	if len(btns) != 5 || btns[2].Label != "中级" || btns[2].Data != "v1|check|level|2" {
		t.Fatalf("buttons = %+v", btns)
	}
	contains(t, joined(r.send(t, 1, "#"+btns[2].Data)), "从事会计工作")
	// Pressing it again is stale: the question was answered.
	contains(t, joined(r.send(t, 1, "#"+btns[2].Data)), "已经回答过或已过期", "从事会计工作")
	contains(t, joined(r.send(t, 1, "#v0|check|level|2")), "旧版本")
	contains(t, joined(r.send(t, 1, "#v1|go|transfer")), "已结束「是否需要信息采集」", "调出地")
	contains(t, joined(r.send(t, 1, "#v1|menu")), "[材料清单]")
}

func TestMissesOfferMenuOrHuman(t *testing.T) {
	r := newRig(t)
	r.send(t, 1, "/check")
	contains(t, joined(r.send(t, 1, "啊")), "抱歉，没能理解", "初级、中级", "[中级]")
	r.send(t, 1, "嗯哼")
	stuck := r.send(t, 1, "随便")
	got := joined(stuck)
	contains(t, got, "还是没能理解", "[返回菜单][人工服务]", "[退出流程]")
	// Who answers 人工服务 is decided once, by the router
	// (bot.TestMissesHandOffThroughRouter); the engine offers it.
	var human bool
	for _, b := range lastButtons(stuck) {
		human = human || b.Label == "人工服务" && b.Data == flows.HumanData
	}
	if !human {
		t.Error("人工服务 is not offered with the hand-off data")
	}
}

func TestPlaceSuggestion(t *testing.T) {
	r := newRig(t)
	r.send(t, 1, "/transfer")
	out := r.send(t, 1, "广冬")
	var data string
	for _, b := range lastButtons(out) {
		if b.Label == "广东省" {
			data = b.Data
		}
	}
	if data != "v1|transfer|from|=guangdong" {
		t.Fatalf("no suggestion button for 广东: %s", joined(out))
	}
	contains(t, joined(r.send(t, 1, "#"+data)), "调入地")
}

func TestResumeAfterPause(t *testing.T) {
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	r := newRig(t, flows.WithClock(func() time.Time { return now }))
	r.send(t, 1, "/materials")
	r.send(t, 1, "广东")
	now = now.Add(3 * time.Hour)
	got := joined(r.send(t, 1, "你好"))
	contains(t, got, "继续上次的「材料清单」", "上次停在：您要办理哪一项业务", "[继续][重新开始][结束]")
	contains(t, joined(r.send(t, 1, "#v1|resume|go")), "接着办理「材料清单」", "[首次采集]")
	now = now.Add(3 * time.Hour)
	contains(t, joined(r.send(t, 1, "/start")), "继续上次的「材料清单」")
	contains(t, joined(r.send(t, 1, "#v1|resume|restart")), "已按您资料中的所在地区：广东省", "您要办理哪一项业务")
}

func TestRestartResumesSameStep(t *testing.T) {
	r := newRig(t)
	r.send(t, 1, "/check")
	r.send(t, 1, "中级")
	// A new process: new client, new engine, same Redis.
	rdb := redis.NewClient(&redis.Options{Addr: r.mr.Addr()})
	defer rdb.Close()
	eng := flows.New(redisstore.New(rdb), loadFlows(t), newFakePlaces())
	out, err := eng.Handle(context.Background(), flows.Input{Chat: 1, User: 1, Text: "是"}, r.qa)
	if err != nil {
		t.Fatal(err)
	}
	contains(t, joined(out), "劳务派遣")
}

func TestTTLExpiry(t *testing.T) {
	r := newRig(t)
	r.send(t, 1, "/check")
	r.mr.FastForward(redisstore.DefaultTTL + time.Minute)
	got := joined(r.send(t, 1, "中级"))
	contains(t, got, "【答】中级") // no flow any more: a question
	contains(t, joined(r.send(t, 1, "#v1|check|level|2")), "已经回答过或已过期", "[材料清单]")
}

func TestCorruptAndOldSessionsReset(t *testing.T) {
	for _, tt := range []struct{ name, stored, want string }{
		{"corrupt", "{not json", "无法读取"},
		{"old schema", `{"sv":99,"f":"check","s":"level"}`, "系统已经升级"},
		{"old flow version", `{"sv":1,"f":"check","fv":0,"s":"level"}`, "内容已经更新"},
		{"removed step", `{"sv":1,"f":"check","fv":1,"s":"gone"}`, "内容已经更新"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			r.mr.HSet("kuaiji:chat:1", "v", "3", "s", tt.stored)
			got := joined(r.send(t, 1, "/check"))
			contains(t, got, tt.want, "什么级别")
			contains(t, joined(r.send(t, 1, "中级")), "从事会计工作")
		})
	}
	t.Run("corrupt profile", func(t *testing.T) {
		r := newRig(t)
		r.mr.Set("kuaiji:user:1", "[[[")
		contains(t, joined(r.send(t, 1, "/profile")), "无法读取", "没有记住")
	})
}

func TestPrivacyNeverStored(t *testing.T) {
	r := newRig(t)
	got := joined(r.send(t, 1, "我的手机13812345678，身份证11010519900307123X，怎么采集？"))
	contains(t, got, "温馨提示", "138****5678", "110105********123X")
	if q := r.asked[0].Text; strings.Contains(q, "13812345678") {
		t.Fatalf("answerer saw %q", q)
	}
	for _, k := range r.mr.Keys() {
		v := r.mr.HGet(k, "s")
		if strings.Contains(v, "13812345678") || strings.Contains(v, "19900307") {
			t.Fatalf("%s stores %q", k, v)
		}
	}
}

func TestProfileAndForget(t *testing.T) {
	r := newRig(t)
	contains(t, joined(r.send(t, 1, "/profile")), "没有记住")
	contains(t, joined(r.send(t, 1, "/province 粤")), "已记住您的地区：广东省")
	contains(t, joined(r.send(t, 1, "/province")), "请告诉我您所在的地区") // asks again
	r.send(t, 1, "深圳")
	contains(t, joined(r.send(t, 1, "/profile")), "所在地区：深圳市")
	contains(t, joined(r.send(t, 1, "/forget")), "已清除")
	contains(t, joined(r.send(t, 1, "/profile")), "没有记住")
	if r.mr.Exists("kuaiji:user:1") {
		t.Fatal("profile still stored")
	}
}

func TestExport(t *testing.T) {
	r := newRig(t)
	contains(t, joined(r.send(t, 1, "/export")), "还没有可以导出")
	for _, l := range []string{"/materials", "厦门", "首次采集", "中级", "是"} {
		r.send(t, 1, l)
	}
	for _, in := range []string{"/export", "#v1|export"} {
		out := r.send(t, 1, in)
		if len(out) != 1 || out[0].Document == nil {
			t.Fatalf("%s: no document: %+v", in, out)
		}
		doc := out[0].Document
		if doc.Name != "材料清单-厦门市.txt" {
			t.Errorf("name = %q", doc.Name)
		}
		contains(t, string(doc.Data), "材料清单", "1. 近期标准证件照", "厦门：身份证正反两面", "依据：", "以当地财政部门最新通知为准")
	}
}

func TestUnknownCommandAndHelp(t *testing.T) {
	r := newRig(t)
	contains(t, joined(r.send(t, 1, "/foo")), "没有 /foo 这个命令", "/check", "/materials", "/province")
	contains(t, joined(r.send(t, 1, "/start")), "您好", "[是否需要信息采集]")
}

// failingStore fails every call, as Redis does when it is down.
type failingStore struct{}

func (failingStore) Load(context.Context, int64, int64) (flows.Snapshot, error) {
	return flows.Snapshot{}, flows.ErrUnavailable
}
func (failingStore) Save(context.Context, int64, int64, flows.Snapshot) error {
	return flows.ErrUnavailable
}

func TestUnavailableStore(t *testing.T) {
	eng := flows.New(failingStore{}, loadFlows(t), newFakePlaces())
	_, err := eng.Handle(context.Background(), flows.Input{Chat: 1, Command: "check"}, nil)
	if !errors.Is(err, flows.ErrUnavailable) {
		t.Fatalf("err = %v", err)
	}
}
