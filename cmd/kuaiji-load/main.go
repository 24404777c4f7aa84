// Command kuaiji-load puts the Telegram adapter under load: many chats at
// once asking questions and walking flows through the fake Bot API
// (internal/tgfake), with the real knowledge index, the real flows and a
// real Redis. It reports per-turn latency (p50/p90/p99/max) and checks
// that every chat got exactly the replies a lone chat gets: none lost,
// none duplicated.
//
//	./scripts/with-redis.sh go run ./cmd/kuaiji-load -chats 200
//
// A turn's latency runs from the update being queued at the fake API to
// the turn's last message arriving there; it includes long-poll pick-up,
// dedupe, Redis round trips, answering and sending. Telegram's rate
// limits are off by default (-telegram-limits turns them on): they would
// measure Telegram's pacing, not the bot.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/signal"
	"runtime/pprof"
	"slices"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/time/rate"

	"github.com/kuaiji/kuaiji/bot"
	"github.com/kuaiji/kuaiji/bot/handoff"
	"github.com/kuaiji/kuaiji/bot/telegram"
	"github.com/kuaiji/kuaiji/flows/redisstore"
	"github.com/kuaiji/kuaiji/internal/tgfake"
	"github.com/kuaiji/kuaiji/internal/wire"
	"github.com/kuaiji/kuaiji/knowledge"
	"github.com/kuaiji/kuaiji/policies"
)

const token = "4242:load-test"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "kuaiji-load:", err)
		os.Exit(1)
	}
}

type options struct {
	chats      int
	rounds     int
	redisURL   string
	redisBin   string
	limits     bool
	timeout    time.Duration
	think      time.Duration
	verbose    bool
	cpuprofile string
	handoff    bool
	faults     faultSet
}

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("kuaiji-load", flag.ContinueOnError)
	var o options
	var faults string
	fs.IntVar(&o.chats, "chats", 200, "concurrent chats")
	fs.IntVar(&o.rounds, "rounds", 1, "times each chat runs the script")
	fs.StringVar(&o.redisURL, "redis", firstSet(os.Getenv("KUAIJI_TEST_REDIS_URL"), os.Getenv("REDIS_URL")), "Redis URL (default $KUAIJI_TEST_REDIS_URL, then $REDIS_URL)")
	fs.StringVar(&o.redisBin, "redis-bin", firstSet(os.Getenv("KUAIJI_TEST_REDIS_BIN"), "redis-server"), "redis-server to start (AOF on) for -faults redis")
	fs.BoolVar(&o.limits, "telegram-limits", false, "apply Telegram's outbound rate limits (30/s overall, 1/s per chat)")
	fs.DurationVar(&o.think, "think", 2*time.Second, "mean pause between a chat's turns (uniform ±50%); 0 fires turns back to back (saturation)")
	fs.DurationVar(&o.timeout, "turn-timeout", 10*time.Second, "a turn without its replies after this long counts as lost")
	fs.BoolVar(&o.verbose, "v", false, "log the adapter's warnings to stderr")
	fs.StringVar(&o.cpuprofile, "cpuprofile", "", "write a CPU profile of the concurrent phase to this file")
	fs.BoolVar(&o.handoff, "handoff", true, "include a hand-off (/human, then /cancel) in the script")
	fs.StringVar(&faults, "faults", "", "comma-separated faults during the load: telegram (429s and 5xx), bot (the bot restarted mid-flow), redis (Redis restarted between two turns of every chat, AOF on)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var err error
	if o.faults, err = parseFaults(faults); err != nil {
		return err
	}
	if o.faults.redis {
		// A Redis of our own, which we may restart.
		srv, err := startRedis(o.redisBin)
		if err != nil {
			return err
		}
		defer srv.stop()
		o.redisURL = srv.url()
		o.faults.server = srv
	}
	if o.redisURL == "" {
		return errors.New("no Redis: pass -redis or run under ./scripts/with-redis.sh")
	}
	ro, err := redis.ParseURL(o.redisURL)
	if err != nil {
		return fmt.Errorf("redis URL: %w", err)
	}
	ro.PoolSize = 4 * o.chats
	rdb := redis.NewClient(ro)
	defer rdb.Close()
	if err := rdb.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("redis at %s: %w", o.redisURL, err)
	}

	start := time.Now()
	prefix := fmt.Sprintf("kload:%d:", time.Now().UnixNano())
	router, describer, err := build(ctx, rdb, prefix)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "index and flows ready in %v\n", time.Since(start).Round(time.Millisecond))

	api := tgfake.New(token)
	defer api.Close()
	api.KeepCalls(false)
	api.SetChat(tgfake.Chat{ID: staffChat, Type: "supergroup", Title: "帮助台"})
	logger := slog.New(slog.DiscardHandler)
	if o.verbose {
		logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	limits := telegram.Limits{Global: rate.Inf, PerChat: rate.Inf, Attempts: 8, Backoff: 50 * time.Millisecond}
	if o.limits {
		limits = telegram.DefaultLimits
		limits.Attempts = 8
	}
	bot := &botRunner{newAdapter: func() (*telegram.Adapter, error) {
		return telegram.New(ctx, token, router, rdb,
			telegram.WithServerURL(api.URL()), telegram.WithLogger(logger), telegram.WithLimits(limits),
			telegram.WithKeyPrefix(prefix), telegram.WithDescriber(describer), telegram.WithPollTimeout(5*time.Second),
			telegram.WithStaff(staffChat, map[int64]bool{staffUser: true}))
	}}
	if err := bot.start(ctx); err != nil {
		return err
	}
	defer bot.stop()

	// A lone chat first: its transcript is what every chat must get.
	turns := steps(o.handoff)
	counts, err := reference(api, 1, turns, o.timeout)
	if err != nil {
		return fmt.Errorf("reference chat: %w", err)
	}
	want := api.Messages(1)
	fmt.Fprintf(out, "reference chat: %d turns, %d messages\n", len(turns), len(want))

	var (
		mu        sync.Mutex
		latencies []time.Duration
		lost      int
		wrong     int
	)
	if o.cpuprofile != "" {
		f, err := os.Create(o.cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	mem := watchMemory()
	faultCtx, stopFaults := context.WithCancel(ctx)
	barrier, faultsDone := o.faults.start(faultCtx, api, bot, o.chats, len(turns), out)
	cmds0 := redisCommands(ctx, rdb)
	begin := time.Now()
	var wg sync.WaitGroup
	for c := range o.chats {
		wg.Add(1)
		go func(chat int64) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(chat), 1))
			think := func() time.Duration {
				if o.think <= 0 {
					return 0
				}
				return o.think/2 + time.Duration(rng.Int64N(int64(o.think)))
			}
			if o.think > 0 { // stagger the start over one pause
				time.Sleep(time.Duration(rng.Int64N(int64(o.think))))
			}
			for round := range o.rounds {
				got, err := drive(api, chat, turns, counts, o.timeout, think, func(turn int) { barrier(round, turn) })
				mu.Lock()
				latencies = append(latencies, got...)
				if err != nil {
					lost++
					if o.verbose {
						fmt.Fprintln(os.Stderr, err)
					}
				}
				mu.Unlock()
				if err != nil {
					barrier(round, -1) // leave the barrier so the others go on
				}
			}
			if !sameTranscript(api.Messages(chat), want, o.rounds) {
				mu.Lock()
				wrong++
				mu.Unlock()
			}
		}(int64(1000 + c))
	}
	wg.Wait()
	elapsed := time.Since(begin)
	stopFaults()
	<-faultsDone
	report(out, o, latencies, lost, wrong, elapsed)
	if n := redisCommands(ctx, rdb) - cmds0; n > 0 && len(latencies) > 0 && !o.faults.redis {
		fmt.Fprintf(out, "Redis commands per turn: %.1f (INFO total_commands_processed)\n", float64(n)/float64(len(latencies)))
	}
	mem.report(out)
	if lost > 0 || wrong > 0 {
		return fmt.Errorf("%d chats lost replies, %d chats got other replies than the reference", lost, wrong)
	}
	if err := o.faults.check(ctx, rdb, prefix, o); err != nil {
		return err
	}
	return nil
}

// The help-desk chat and its one staff member.
const (
	staffChat = -100200300
	staffUser = 42
)

// botRunner runs the adapter and can replace it with a new instance on
// the same Redis, as a restarted process would be.
type botRunner struct {
	newAdapter func() (*telegram.Adapter, error)
	mu         sync.Mutex
	cancel     context.CancelFunc
	done       chan error
}

func (b *botRunner) start(ctx context.Context) error {
	ad, err := b.newAdapter()
	if err != nil {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	cctx, cancel := context.WithCancel(ctx)
	b.cancel, b.done = cancel, make(chan error, 1)
	go func() { b.done <- ad.Run(cctx) }()
	return nil
}

func (b *botRunner) stop() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.cancel == nil {
		return nil
	}
	b.cancel()
	b.cancel = nil
	return <-b.done
}

// build returns the router over the real index, flows and Redis, and the
// describer for ticket cards.
func build(ctx context.Context, rdb redis.UniversalClient, prefix string) (*bot.Router, *handoff.Describer, error) {
	corpus, err := knowledge.LoadCorpus(policies.FS)
	if err != nil {
		return nil, nil, fmt.Errorf("load corpus: %w", err)
	}
	ix, _, err := knowledge.Open(ctx, corpus, knowledge.Options{})
	if err != nil {
		return nil, nil, fmt.Errorf("open index: %w", err)
	}
	store := redisstore.New(rdb, redisstore.WithPrefix(prefix+"flows:"))
	parts, err := wire.Build(ix, store, wire.Options{}) // as every kuaiji command builds
	if err != nil {
		return nil, nil, err
	}
	return parts.Router, parts.Describer, nil
}

func report(out io.Writer, o options, lat []time.Duration, lost, wrong int, elapsed time.Duration) {
	slices.Sort(lat)
	q := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(p*float64(len(lat))))].Round(10 * time.Microsecond)
	}
	fmt.Fprintf(out, "chats %d × rounds %d, think %v: %d turns in %v (%.0f turns/s)\n", o.chats, o.rounds, o.think, len(lat),
		elapsed.Round(time.Millisecond), float64(len(lat))/elapsed.Seconds())
	fmt.Fprintf(out, "per-turn latency: p50 %v  p90 %v  p99 %v  max %v\n", q(0.50), q(0.90), q(0.99), q(1))
	fmt.Fprintf(out, "chats with lost replies: %d; chats whose replies differ from the reference (lost, duplicated or reordered): %d\n", lost, wrong)
	if q(0.99) <= 50*time.Millisecond {
		fmt.Fprintln(out, "p99 target (≤ 50 ms): met")
	} else {
		fmt.Fprintln(out, "p99 target (≤ 50 ms): NOT met")
	}
}

func firstSet(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
