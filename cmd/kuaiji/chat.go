package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/mattn/go-isatty"
	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji/bot"
	"github.com/kuaiji/kuaiji/bot/terminal"
	"github.com/kuaiji/kuaiji/events"
	"github.com/kuaiji/kuaiji/flows"
	"github.com/kuaiji/kuaiji/flows/redisstore"
	"github.com/kuaiji/kuaiji/knowledge"
	"github.com/kuaiji/kuaiji/policies"
)

const inProcessNotice = "提示：未设置 REDIS_URL，会话状态保存在本进程内，退出后不会保留。"

func runChat(ctx context.Context, cfg config, args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("chat", flag.ContinueOnError)
	fs.SetOutput(cfg.stderr)
	user := fs.Int64("user", 1, "模拟的用户编号（不同编号互不影响）")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ix, err := openIndex(ctx, cfg)
	if err != nil {
		return err
	}
	router, notice, closeStore, err := newRouter(ctx, cfg, ix)
	if err != nil {
		return err
	}
	defer closeStore()
	interactive := false
	if f, ok := stdin.(*os.File); ok {
		interactive = isatty.IsTerminal(f.Fd())
	}
	return terminal.Run(ctx, router, stdin, stdout, terminal.Options{
		UserID:      *user,
		Interactive: interactive,
		Notice:      notice,
	})
}

// newRouter builds the flows engine on Redis (REDIS_URL, or an in-process
// one) and the router over it and the index. notice is what the user should
// be told about where state lives.
func newRouter(ctx context.Context, cfg config, ix *knowledge.Index) (r *bot.Router, notice string, closeFn func(), err error) {
	docs := flows.DocSet{}
	for _, d := range ix.Corpus().Docs {
		docs[d.ID] = d.Title
	}
	list, err := flows.Load(policies.FS, "flows", docs)
	if err != nil {
		return nil, "", nil, fmt.Errorf("load flows: %w", err)
	}
	opts := []redisstore.Option{redisstore.WithTTL(cfg.stateTTL)}
	var recOpts []bot.Option
	forget := flows.WithForget(nil)
	var store *redisstore.Store
	var watchRDB redis.UniversalClient // nil: watch the index file itself (reload.go)
	var desk *deskOverlay
	if cfg.redisURL == "" {
		store, closeFn, err = redisstore.NewInProcess(opts...)
		if err != nil {
			return nil, "", nil, err
		}
		notice = inProcessNotice
	} else {
		// Fail fast while Redis is down: flows say they are paused and
		// questions are still answered, instead of every turn waiting.
		rdb, err := newRedis(cfg.redisURL, true)
		if err != nil {
			return nil, "", nil, fmt.Errorf("REDIS_URL: %w", err)
		}
		if cfg.obs != nil {
			rdb.AddHook(cfg.obs.redisHook())
		}
		if err := rdb.Ping(ctx).Err(); err != nil {
			cfg.logger.Warn("redis unreachable at start; guided flows paused until it is back", "err", err)
		}
		store, closeFn = redisstore.New(rdb, append(opts, redisstore.WithPrefix(keyPrefix(cfg.redisURL)))...), func() { rdb.Close() }
		watchRDB = rdb
		// Answered questions go to the events stream (kuaiji gaps);
		// /forget deletes them.
		// Published help-desk answers answer from within seconds of
		// publishing (desk.go), and count their hits.
		desk = newDeskOverlay(newDeskStore(cfg, rdb, nil), cfg.logger)
		desk.setIndex(ix)
		desk.start(ctx)
		rec := qaRecorder{events.New(rdb, events.WithPrefix(keyPrefix(cfg.redisURL)), events.WithRetention(cfg.retention)), desk.store}
		recOpts = append(recOpts, bot.WithRecorder(rec))
		forget = flows.WithForget(rec.forget)
	}
	ans, swap := live(newAnswerer(cfg, ix))
	if cfg.dataDir != "" {
		// Documents ingested while this process runs are answered
		// from within seconds (reload.go).
		go watchIndex(ctx, cfg, watchRDB, func(ix *knowledge.Index) {
			if desk != nil {
				desk.setIndex(ix)
			}
			swap.swap(newAnswerer(cfg, ix))
		})
	}
	fopts := []flows.Option{flows.WithLogger(cfg.logger), forget}
	if cfg.obs != nil {
		fopts, ans = append(fopts, cfg.obs.flowOption()), cfg.obs.answerer(ans)
	}
	eng := flows.New(store, list, bot.PlacesFrom(ix.Places()), fopts...)
	return bot.NewRouter(eng, ans, append(recOpts, bot.WithLogger(cfg.logger))...), notice, closeFn, nil
}
