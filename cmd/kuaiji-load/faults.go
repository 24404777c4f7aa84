package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji/bot/handoff"
	"github.com/kuaiji/kuaiji/internal/tgfake"
)

// faultSet is what goes wrong during a run (-faults).
type faultSet struct {
	telegram bool // one sendMessage in ten answers 5xx or 429 (retry_after 1 s)
	bot      bool // the bot is stopped and a new instance started mid-flow
	redis    bool // Redis is killed (SIGKILL) and restarted from its AOF
	server   *redisProc
}

func parseFaults(s string) (faultSet, error) {
	var f faultSet
	for _, name := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		switch name {
		case "telegram":
			f.telegram = true
		case "bot":
			f.bot = true
		case "redis":
			f.redis = true
		default:
			return f, fmt.Errorf("-faults: unknown fault %q (telegram, bot, redis)", name)
		}
	}
	return f, nil
}

// faultTurn is the turn before which the bot and Redis faults strike: in
// the middle of the check flow (level answered, work question pending).
const faultTurn = 5

// start begins the faults. barrier is called by every chat before each
// turn (turn -1: the chat gave up); done is closed when the faults stop.
func (f faultSet) start(ctx context.Context, api *tgfake.Server, b *botRunner, chats, turns int, out io.Writer) (barrier func(round, turn int), done chan struct{}) {
	done = make(chan struct{})
	var wg sync.WaitGroup
	if f.telegram {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := time.NewTicker(20 * time.Millisecond)
			defer t.Stop()
			injected := 0
			for {
				select {
				case <-ctx.Done():
					return
				case <-t.C:
				}
				// About one message in ten fails (failures queue up per
				// method, so they follow the traffic rather than the clock):
				// mostly 5xx, every fifth a 429 with retry_after 1 s.
				delivered := 0
				for c := range chats {
					delivered += api.Count(int64(1000 + c))
				}
				if injected*10 >= delivered {
					continue
				}
				switch injected++; {
				case injected%5 == 0:
					api.Fail("sendMessage", 429, 1)
				case injected%2 == 0:
					api.Fail("sendMessage", 502, 0)
				default:
					api.Fail("sendMessage", 500, 0)
				}
			}
		}()
	}
	var arrived atomic.Int64
	release := make(chan struct{})
	var once sync.Once
	strike := func() {
		once.Do(func() {
			go func() {
				defer close(release)
				if f.redis {
					// Every chat waits between two turns: a turn in flight
					// while Redis is down is answered "flows paused", by
					// design, which would differ from the reference.
					deadline := time.Now().Add(30 * time.Second)
					for arrived.Load() < int64(chats) && time.Now().Before(deadline) {
						time.Sleep(10 * time.Millisecond)
					}
					t0 := time.Now()
					if err := f.server.restart(); err != nil {
						fmt.Fprintln(out, "redis restart failed:", err)
						return
					}
					fmt.Fprintf(out, "fault: Redis killed and restarted from its AOF in %v\n", time.Since(t0).Round(time.Millisecond))
				}
				if f.bot {
					// Turns are in flight: the old instance drains them, the
					// new one gets what arrives meanwhile (and redeliveries,
					// which dedupe drops).
					t0 := time.Now()
					b.stop()
					if err := b.start(ctx); err != nil {
						fmt.Fprintln(out, "bot restart failed:", err)
						return
					}
					fmt.Fprintf(out, "fault: bot stopped and a new instance started in %v\n", time.Since(t0).Round(time.Millisecond))
				}
			}()
		})
	}
	barrier = func(round, turn int) {
		if round != 0 || !(f.redis || f.bot) {
			return
		}
		if turn != faultTurn && turn != -1 {
			return
		}
		n := arrived.Add(1)
		if f.bot && !f.redis {
			// The bot restarts once half the chats are mid-flow; nobody waits.
			if n >= int64(max(1, chats/2)) {
				strike()
			}
			return
		}
		strike()
		if turn != -1 {
			<-release
		}
	}
	go func() { wg.Wait(); close(done) }()
	return barrier, done
}

// check looks at what the run left in Redis: every ticket opened was
// closed (none lost with its chat in a restart).
func (f faultSet) check(ctx context.Context, rdb redis.UniversalClient, prefix string, o options) error {
	if !o.handoff {
		return nil
	}
	tickets := handoff.New(rdb, handoff.WithPrefix(prefix+"handoff:"))
	all, err := tickets.List(ctx, handoff.ListOptions{Limit: 1 << 30})
	if err != nil {
		return err
	}
	open := 0
	for _, t := range all {
		if t.Active() {
			open++
		}
	}
	want := o.chats*o.rounds + 1 // and the reference chat's
	if len(all) != want || open != 0 {
		return fmt.Errorf("tickets: %d kept (want %d), %d still open", len(all), want, open)
	}
	return nil
}

// redisProc is a redis-server of the run's own, with the AOF on, that can
// be killed and restarted on the same port and files.
type redisProc struct {
	bin, dir string
	port     int
	cmd      *exec.Cmd
}

func startRedis(bin string) (*redisProc, error) {
	dir, err := os.MkdirTemp("", "kuaiji-load-redis")
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	p := &redisProc{bin: bin, dir: dir, port: port}
	return p, p.launch()
}

func (p *redisProc) url() string { return "redis://127.0.0.1:" + strconv.Itoa(p.port) + "/0" }

func (p *redisProc) launch() error {
	// appendfsync always: each write is on disk before Redis answers, so
	// a SIGKILL loses nothing that was acknowledged.
	p.cmd = exec.Command(p.bin, "--port", strconv.Itoa(p.port), "--bind", "127.0.0.1", "--dir", p.dir,
		"--appendonly", "yes", "--appendfsync", "always", "--save", "", "--logfile", filepath.Join(p.dir, "redis.log"))
	if err := p.cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", p.bin, err)
	}
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:" + strconv.Itoa(p.port)})
	defer c.Close()
	for range 100 {
		if c.Ping(context.Background()).Err() == nil {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("redis-server on port %d did not answer", p.port)
}

// restart kills Redis without warning and starts it again.
func (p *redisProc) restart() error {
	p.cmd.Process.Signal(syscall.SIGKILL)
	p.cmd.Wait()
	return p.launch()
}

func (p *redisProc) stop() {
	if p.cmd != nil && p.cmd.Process != nil {
		p.cmd.Process.Signal(syscall.SIGKILL)
		p.cmd.Wait()
	}
	os.RemoveAll(p.dir)
}

// memWatch samples the Go heap during the run; RSS comes from the
// kernel's high-water mark.
type memWatch struct {
	stop     chan struct{}
	done     chan struct{}
	peakHeap atomic.Uint64
}

func watchMemory() *memWatch {
	w := &memWatch{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(w.done)
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > w.peakHeap.Load() {
				w.peakHeap.Store(ms.HeapInuse)
			}
			select {
			case <-w.stop:
				return
			case <-t.C:
			}
		}
	}()
	return w
}

func (w *memWatch) report(out io.Writer) {
	close(w.stop)
	<-w.done
	const mib = 1 << 20
	fmt.Fprintf(out, "memory (bot, fake API and driver in one process): heap in use peak %.0f MiB", float64(w.peakHeap.Load())/mib)
	if hwm, rss := procStatus("VmHWM"), procStatus("VmRSS"); hwm > 0 {
		fmt.Fprintf(out, "; RSS peak %.0f MiB, now %.0f MiB", float64(hwm)/1024, float64(rss)/1024)
	}
	fmt.Fprintln(out)
}

// procStatus reads a kB figure from /proc/self/status (0 elsewhere).
func procStatus(field string) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

// redisCommands is the server's total_commands_processed (0 if unknown).
func redisCommands(ctx context.Context, rdb redis.UniversalClient) int64 {
	info, err := rdb.Info(ctx, "stats").Result()
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(info, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "total_commands_processed:"); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	return 0
}
