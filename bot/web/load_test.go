package web_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji/bot/web"
)

// BenchmarkWebTurns runs N concurrent sessions, each asking policy
// questions one after another over HTTP against the real corpus, and
// reports turns/s and the p50/p99 time per turn. Run it on real Redis:
//
//	./scripts/with-redis.sh go test -run '^$' -bench WebTurns -benchtime 2000x ./bot/web
func BenchmarkWebTurns(b *testing.B) {
	questions := []string{"继续教育每年要多少学分", "信息采集需要准备什么材料", "调到外省工作会计信息怎么转", "广东的公需课在哪里学"}
	for _, n := range []int{1, 16, 64} {
		b.Run(fmt.Sprintf("sessions=%d", n), func(b *testing.B) {
			s := newSite(b, web.WithLimits(web.Limits{SessionEvery: time.Nanosecond, SessionBurst: 1 << 20, AddrEvery: time.Nanosecond, AddrBurst: 1 << 20, Streams: 4}))
			var cmds, trips atomic.Int64
			s.rdb.AddHook(countHook{&cmds, &trips})
			clients := make([]*client, n)
			for i := range clients {
				clients[i] = visit(b, s.URL())
			}
			var mu sync.Mutex
			var lat []time.Duration
			work := make(chan int)
			var wg sync.WaitGroup
			b.ResetTimer()
			cmds.Store(0)
			trips.Store(0)
			cpu0 := cpuTime()
			start := time.Now()
			for _, c := range clients {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range work {
						t0 := time.Now()
						c.say(questions[i%len(questions)])
						d := time.Since(t0)
						mu.Lock()
						lat = append(lat, d)
						mu.Unlock()
					}
				}()
			}
			for i := range b.N {
				work <- i
			}
			close(work)
			wg.Wait()
			elapsed := time.Since(start)
			cpu := cpuTime() - cpu0
			b.StopTimer()
			b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/turn")
			b.ReportMetric(float64(cmds.Load())/float64(b.N), "redis-cmds/turn")
			b.ReportMetric(float64(trips.Load())/float64(b.N), "redis-trips/turn")
			slices.Sort(lat)
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "turns/s")
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}

// BenchmarkEventStreamMemory opens b.N event streams (one per session, as
// pages waiting for staff replies) and reports the memory and goroutines
// each costs the process, clients included (each a bare TCP connection).
//
//	./scripts/with-redis.sh go test -run '^$' -bench EventStreamMemory -benchtime 2000x ./bot/web
func BenchmarkEventStreamMemory(b *testing.B) {
	s := newSite(b, web.WithLimits(web.DefaultLimits))
	host := strings.TrimPrefix(s.URL(), "http://")
	conns := make([]net.Conn, 0, b.N)
	defer func() {
		for _, cn := range conns {
			cn.Close()
		}
	}()
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	g0 := runtime.NumGoroutine()
	b.ResetTimer()
	for i := range b.N {
		// A session per stream: the per-session limit allows a few tabs.
		v := visit(b, s.URL())
		ck := v.hc.Jar.Cookies(mustURL(s.URL()))[0]
		cn, err := net.Dial("tcp", host)
		if err != nil {
			b.Fatal(err)
		}
		fmt.Fprintf(cn, "GET /api/events?after=0 HTTP/1.1\r\nHost: %s\r\nCookie: %s=%s\r\n\r\n", host, ck.Name, ck.Value)
		r := bufio.NewReader(cn)
		line, err := r.ReadString('\n')
		if err != nil || !strings.Contains(line, "200") {
			b.Fatalf("stream %d: %q %v", i, line, err)
		}
		conns = append(conns, cn)
	}
	b.StopTimer()
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(int64(after.HeapInuse+after.StackInuse)-int64(before.HeapInuse+before.StackInuse))/float64(b.N)/1024, "KiB/stream")
	b.ReportMetric(float64(runtime.NumGoroutine()-g0)/float64(b.N), "goroutines/stream")
}

// countHook counts Redis commands and round trips (a pipeline is one).
type countHook struct{ cmds, trips *atomic.Int64 }

func (countHook) DialHook(next redis.DialHook) redis.DialHook { return next }

func (h countHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		h.cmds.Add(1)
		h.trips.Add(1)
		return next(ctx, cmd)
	}
}

func (h countHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		h.cmds.Add(int64(len(cmds)))
		h.trips.Add(1)
		return next(ctx, cmds)
	}
}

// cpuTime is the CPU time the process has used (user and system), server
// and clients together.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
