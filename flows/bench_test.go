package flows_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji/flows"
	"github.com/kuaiji/kuaiji/flows/redisstore"
)

// countHook counts round trips: each command or pipeline sent is one.
type countHook struct{ n atomic.Int64 }

func (h *countHook) DialHook(next redis.DialHook) redis.DialHook { return next }
func (h *countHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		h.n.Add(1)
		return next(ctx, cmd)
	}
}
func (h *countHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		h.n.Add(1)
		return next(ctx, cmds)
	}
}

func benchRedis(b *testing.B) *redis.Client {
	u := os.Getenv("KUAIJI_TEST_REDIS_URL")
	if u == "" {
		b.Skip("KUAIJI_TEST_REDIS_URL not set")
	}
	opt, err := redis.ParseURL(u)
	if err != nil {
		b.Fatal(err)
	}
	c := redis.NewClient(opt)
	b.Cleanup(func() { c.Close() })
	return c
}

var benchScript = []string{"/check", "中级", "是", "否", "2023年5月", "广东"}

// BenchmarkTurn runs the check flow against real Redis and reports round
// trips per turn and turns per second.
func BenchmarkTurn(b *testing.B) {
	c := benchRedis(b)
	hook := &countHook{}
	c.AddHook(hook)
	prefix := fmt.Sprintf("kb%d:", time.Now().UnixNano())
	eng := flows.New(redisstore.New(c, redisstore.WithPrefix(prefix)), loadFlows(b), newFakePlaces())
	ctx := context.Background()
	// Load the script once so EVALSHA does not fall back inside the timing.
	if _, err := eng.Handle(ctx, flows.Input{Chat: -1, User: -1, Command: "check"}, nil); err != nil {
		b.Fatal(err)
	}
	hook.n.Store(0)
	b.ResetTimer()
	start := time.Now()
	for i := 0; b.Loop(); i++ {
		chat := int64(i / len(benchScript) % 1000)
		line := benchScript[i%len(benchScript)]
		in := flows.Input{Chat: chat, User: chat, Text: line}
		if strings.HasPrefix(line, "/") {
			in = flows.Input{Chat: chat, User: chat, Command: line[1:]}
		}
		if _, err := eng.Handle(ctx, in, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(hook.n.Load())/float64(b.N), "roundtrips/turn")
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "turns/s")
}

// BenchmarkSessionMemory reports MEMORY USAGE of a session mid-flow, of a
// session holding a full question history, and of a profile.
func BenchmarkSessionMemory(b *testing.B) {
	c := benchRedis(b)
	prefix := fmt.Sprintf("km%d:", time.Now().UnixNano())
	eng := flows.New(redisstore.New(c, redisstore.WithPrefix(prefix)), loadFlows(b), newFakePlaces())
	ctx := context.Background()
	qa := func(_ context.Context, q flows.Query) (flows.Answer, error) {
		return flows.Answer{Text: strings.Repeat("继续教育每年不少于90学分，", 20)}, nil
	}
	send := func(chat int64, lines ...string) {
		for _, l := range lines {
			in := flows.Input{Chat: chat, User: chat, Text: l}
			if strings.HasPrefix(l, "/") {
				in = flows.Input{Chat: chat, User: chat, Command: l[1:]}
			}
			if _, err := eng.Handle(ctx, in, qa); err != nil {
				b.Fatal(err)
			}
		}
	}
	long := strings.Repeat("请问广东省会计人员继续教育公需科目和专业科目分别在哪里学习？", 3)
	for b.Loop() {
		send(1, "/materials", "广东", "首次采集", "中级")
		send(2, long, long+"？", long+"吗", "/transfer", "深圳", "广东")
		send(3, "/check", "中级", "是", "否", "2023年5月", "广东")
	}
	usage := func(key string) float64 {
		n, err := c.MemoryUsage(ctx, key).Result()
		if err != nil {
			b.Fatal(err)
		}
		return float64(n)
	}
	b.ReportMetric(usage(prefix+"chat:1"), "B/session-midflow")
	b.ReportMetric(usage(prefix+"chat:2"), "B/session-history")
	b.ReportMetric(usage(prefix+"chat:3"), "B/session-finished")
	b.ReportMetric(usage(prefix+"user:1"), "B/profile")
}

// BenchmarkTurnParallel runs the check flow on many chats at once, the way
// the bot's handlers do, and reports turns per second across all cores:
//
//	./scripts/with-redis.sh go test -run '^$' -bench TurnParallel -cpu 2 ./flows
func BenchmarkTurnParallel(b *testing.B) {
	c := benchRedis(b)
	prefix := fmt.Sprintf("kp%d:", time.Now().UnixNano())
	eng := flows.New(redisstore.New(c, redisstore.WithPrefix(prefix)), loadFlows(b), newFakePlaces())
	ctx := context.Background()
	if _, err := eng.Handle(ctx, flows.Input{Chat: -1, User: -1, Command: "check"}, nil); err != nil {
		b.Fatal(err)
	}
	var next atomic.Int64
	start := time.Now()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		base := next.Add(1) * 1_000_000
		for i := 0; pb.Next(); i++ {
			chat := base + int64(i/len(benchScript)%1000)
			line := benchScript[i%len(benchScript)]
			in := flows.Input{Chat: chat, User: chat, Text: line}
			if strings.HasPrefix(line, "/") {
				in = flows.Input{Chat: chat, User: chat, Command: line[1:]}
			}
			if _, err := eng.Handle(ctx, in, nil); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "turns/s")
}
