package flows_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji/flows"
	"github.com/kuaiji/kuaiji/flows/redisstore"
)

// A stored session that names steps the loaded flow does not have (a
// deployment renamed a step without bumping the flow version) is reset with
// a message; /back must not follow the trail into a missing step.
func TestStoredStateNamesMissingSteps(t *testing.T) {
	for _, tt := range []struct{ name, stored string }{
		{"trail names a renamed step", `{"sv":1,"f":"check","fv":1,"s":"working","t":["old_level"]}`},
		{"trail names an empty step", `{"sv":1,"f":"check","fv":1,"s":"working","t":["level",""]}`},
		{"trail names a result", `{"sv":1,"f":"check","fv":1,"s":"working","t":["no_need"]}`},
		{"step is a result", `{"sv":1,"f":"check","fv":1,"s":"no_need"}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			r.mr.HSet("kuaiji:chat:1", "v", "3", "s", tt.stored)
			got := joined(r.send(t, 1, "/back"))
			contains(t, got, "内容已经更新", "已为您重置")
			// The chat works afterwards.
			contains(t, joined(r.send(t, 1, "/check")), "什么级别")
			contains(t, joined(r.send(t, 1, "中级")), "从事会计工作")
			contains(t, joined(r.send(t, 1, "/back")), "回到上一步", "什么级别")
		})
	}
}

// A session whose version field is not a number, or whose key has another
// Redis type, is reset once and the user told so; the following messages,
// questions included, are answered normally. Runs on real Redis when
// KUAIJI_TEST_REDIS_URL is set.
func TestBrokenSessionKeyResetOnce(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name  string
		store func(c redis.Cmdable, key string) error
	}{
		{"version abc", func(c redis.Cmdable, k string) error { return c.HSet(ctx, k, "v", "abc").Err() }},
		{"string key", func(c redis.Cmdable, k string) error { return c.Set(ctx, k, "garbage", 0).Err() }},
		{"set key", func(c redis.Cmdable, k string) error { return c.SAdd(ctx, k, "a").Err() }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := redisClients(t, 1)[0]
			prefix := fmt.Sprintf("kbs%d:", time.Now().UnixNano())
			key := prefix + "chat:801"
			t.Cleanup(func() { c.Del(ctx, key, prefix+"user:801") })
			if err := tt.store(c, key); err != nil {
				t.Fatal(err)
			}
			r := newRig(t)
			eng := flows.New(redisstore.New(c, redisstore.WithPrefix(prefix)), loadFlows(t), newFakePlaces(),
				flows.WithRetries(3))
			send := func(in flows.Input) string {
				t.Helper()
				in.Chat, in.User = 801, 801
				out, err := eng.Handle(ctx, in, r.qa)
				if err != nil {
					t.Fatalf("handle %+v: %v", in, err)
				}
				return joined(out)
			}
			got := send(flows.Input{Text: "继续教育每年多少学分？"})
			contains(t, got, "无法读取，已为您重置", "【答】继续教育每年多少学分")
			got = send(flows.Input{Command: "check"})
			if strings.Contains(got, "重置") {
				t.Fatalf("reset twice: %s", got)
			}
			contains(t, got, "什么级别")
			contains(t, send(flows.Input{Text: "中级"}), "从事会计工作")
		})
	}
}
