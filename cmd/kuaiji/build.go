package main

import (
	"context"
	"fmt"
	"log/slog"
	"sync"

	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji/bot"
	"github.com/kuaiji/kuaiji/bot/handoff"
	"github.com/kuaiji/kuaiji/deskfaq"
	"github.com/kuaiji/kuaiji/events"
	"github.com/kuaiji/kuaiji/flows"
	"github.com/kuaiji/kuaiji/flows/redisstore"
	"github.com/kuaiji/kuaiji/internal/wire"
	"github.com/kuaiji/kuaiji/knowledge"
	"github.com/kuaiji/kuaiji/knowledge/llm"
)

const inProcessNotice = "提示：未设置 REDIS_URL，会话状态保存在本进程内，退出后不会保留。"

// app is what every conversational command runs on (chat, web, serve and
// so demo), built once by [build]: index → flows → store → router →
// describer, over one Redis client.
type app struct {
	ix *knowledge.Index
	// rdb is the one client to REDIS_URL: flow state, Q&A events, and
	// for serve and web the tickets, dedupe marks and page history. nil
	// without REDIS_URL (chat keeps state in an in-process store).
	rdb       redis.UniversalClient
	router    *bot.Router
	describer *handoff.Describer
	// desk is the help-desk FAQ store (desk.go); nil without Redis.
	desk *deskfaq.Store
	// notice is what the user should be told about where state lives.
	notice string
	close  func()

	cfg config
	log *slog.Logger
	obs *observers
}

// build connects and builds: [connect], then [app.build].
func build(ctx context.Context, cfg config, log *slog.Logger, obs *observers) (*app, error) {
	a, err := connect(ctx, cfg, log, obs)
	if err != nil {
		return nil, err
	}
	if err := a.build(ctx); err != nil {
		a.close()
		return nil, err
	}
	return a, nil
}

// connect opens the one Redis client to REDIS_URL (none without it). What
// is built logs to log; obs, serve's metrics, instruments it (nil
// elsewhere). The client fails fast while Redis is down: flows say they
// are paused and questions are still answered, and Telegram updates are
// handled without dedupe, instead of every turn waiting. serve connects
// before it opens the index, so that /readyz can tell about Redis
// meanwhile.
func connect(ctx context.Context, cfg config, log *slog.Logger, obs *observers) (*app, error) {
	a := &app{cfg: cfg, log: log, obs: obs, close: func() {}}
	if cfg.redisURL == "" {
		return a, nil
	}
	rdb, err := newRedis(cfg.redisURL, true) // redisurl.go: one node, Sentinel or Cluster
	if err != nil {
		return nil, fmt.Errorf("REDIS_URL: %w", err)
	}
	if obs != nil {
		rdb.AddHook(obs.redisHook())
	}
	if err := rdb.Ping(ctx).Err(); err != nil {
		log.Warn("redis unreachable at start; guided flows paused until it is back", "err", err)
	}
	a.rdb, a.close = rdb, func() { rdb.Close() }
	return a, nil
}

// build opens the index and assembles the rest in one order
// (internal/wire): flows → store → router → describer.
func (a *app) build(ctx context.Context) error {
	cfg, log, obs := a.cfg, a.log, a.obs
	ix, err := openIndex(ctx, cfg, log)
	if err != nil {
		return err
	}
	a.ix = ix
	// The watchers below log; they end before close returns, so that
	// nothing is logged by a command that has returned (its caller may
	// be reading the log already).
	wctx, stop := context.WithCancel(ctx)
	var watchers sync.WaitGroup
	defer func() {
		closeFn := a.close
		a.close = func() { stop(); watchers.Wait(); closeFn() }
	}()
	storeOpts := []redisstore.Option{redisstore.WithTTL(cfg.stateTTL)}
	var store *redisstore.Store
	var ropts []bot.Option
	var desk *deskOverlay
	forget := flows.WithForget(nil)
	if a.rdb == nil {
		var closeFn func()
		if store, closeFn, err = redisstore.NewInProcess(storeOpts...); err != nil {
			return err
		}
		a.notice, a.close = inProcessNotice, closeFn
	} else {
		store = redisstore.New(a.rdb, append(storeOpts, redisstore.WithPrefix(keyPrefix(cfg.redisURL)))...)
		// Published help-desk answers answer within seconds of
		// publishing (desk.go), and count their hits.
		desk = newDeskOverlay(newDeskStore(cfg, a.rdb, nil), log)
		desk.setIndex(ix)
		desk.start(wctx, &watchers)
		a.desk = desk.store
		rec := qaRecorder{events.New(a.rdb, events.WithPrefix(keyPrefix(cfg.redisURL)), events.WithRetention(cfg.retention)), desk.store}
		ropts, forget = recording(cfg, obs, a.rdb, rec) // feedback.go
	}
	var llmOpts []llm.Option
	if obs != nil {
		llmOpts = append(llmOpts, obs.llmOption())
	}
	ans, swap := live(newAnswerer(cfg, log, ix, llmOpts...))
	if cfg.dataDir != "" {
		// Documents ingested while this process runs are answered
		// from within seconds (reload.go); without Redis the index file
		// itself is watched.
		watchers.Add(1)
		go func() {
			defer watchers.Done()
			watchIndex(wctx, cfg, log, a.rdb, func(ix *knowledge.Index) {
				if desk != nil {
					desk.setIndex(ix)
				}
				swap.swap(newAnswerer(cfg, log, ix, llmOpts...))
			})
		}()
	}
	fopts := []flows.Option{flows.WithLogger(log), forget}
	if obs != nil {
		fopts, ans = append(fopts, obs.flowOption()), obs.answerer(ans)
	}
	parts, err := wire.Build(ix, store, wire.Options{Answerer: ans, Engine: fopts,
		Router: append(ropts, bot.WithLogger(log))})
	if err != nil {
		return err
	}
	a.router, a.describer = parts.Router, parts.Describer
	return nil
}
