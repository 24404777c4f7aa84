package main

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji/bot/handoff"
)

func TestTicketsListAndShow(t *testing.T) {
	mr := miniredis.RunT(t)
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	defer rdb.Close()
	// The keys kuaiji serve writes (prefix "kuaiji:" + "handoff:").
	store := handoff.New(rdb, handoff.WithPrefix("kuaiji:handoff:"))
	ctx := context.Background()
	a, _ := store.Open(ctx, handoff.Ticket{ChatID: 1, UserID: 1, UserName: "张会计", Reason: "用户发送了 /human",
		Jurisdiction: "广东省", Turns: []handoff.Turn{{User: true, Text: "我的手机13812345678收不到验证码"}, {Text: "抱歉，这个问题我没有十足把握。"}}})
	b, _ := store.Open(ctx, handoff.Ticket{ChatID: 2, UserID: 2, UserName: "李会计", Reason: "用户点击了转人工按钮"})
	store.Close(ctx, b.ID, "王客服")
	env := map[string]string{"REDIS_URL": "redis://" + mr.Addr()}

	out, errOut, err := runEnv(t, env, "", "tickets")
	if err != nil || !strings.Contains(out, "#1 待认领 · 张会计 · 广东省") || strings.Contains(out, "李会计") {
		t.Errorf("active tickets: %v %s\n%s", err, errOut, out)
	}
	out, _, _ = runEnv(t, env, "", "tickets", "--status", "all")
	if !strings.HasPrefix(out, "#2 已关闭 · 李会计") || !strings.Contains(out, "#1 ") {
		t.Errorf("all tickets, newest first:\n%s", out)
	}
	out, _, _ = runEnv(t, env, "", "tickets", "--status", "closed", "--json")
	var closed []handoff.Ticket
	if err := json.Unmarshal([]byte(out), &closed); err != nil || len(closed) != 1 || closed[0].ClosedBy != "王客服" {
		t.Errorf("closed as JSON: %v\n%s", err, out)
	}
	out, _, err = runEnv(t, env, "", "tickets", "show", "#1")
	for _, want := range []string{"工单 #1 · 待认领", "用户发送了 /human", "用户：我的手机138****5678", "机器人：抱歉"} {
		if err != nil || !strings.Contains(out, want) {
			t.Errorf("show lacks %q: %v\n%s", want, err, out)
		}
	}
	if strings.Contains(out, "13812345678") {
		t.Errorf("phone number shown:\n%s", out)
	}
	if _, _, err := runEnv(t, env, "", "tickets", "show", "#"+strconv.FormatInt(a.ID+10, 10)); err == nil || !strings.Contains(err.Error(), "号工单") || !strings.Contains(err.Error(), "180 天") {
		t.Errorf("missing ticket: %v", err)
	}
	if _, _, err := runEnv(t, env, "", "tickets", "--status", "lost"); err == nil {
		t.Error("bad status accepted")
	}
}
