package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji/bot/telegram"
	"github.com/kuaiji/kuaiji/bot/web"
	"github.com/kuaiji/kuaiji/knowledge"
)

// runWeb serves the chat page until ctx ends: offline like chat, with the
// embedded corpus and an in-process Redis (and a notice) unless REDIS_URL
// is set. No help desk is attached: 转人工 tells users whom to contact;
// serve with WEB_ADDR hands web users to the Telegram staff chat.
func runWeb(ctx context.Context, cfg config, log *slog.Logger, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("web", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "监听地址（对外提供时写成 :8080，并在前面加 HTTPS 反向代理）")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if cfg.redisURL == "" {
		// The router's store and the page's history share one Redis, so
		// an in-process one is started that both reach by URL.
		mr, err := miniredis.Run()
		if err != nil {
			return fmt.Errorf("web: start in-process redis: %w", err)
		}
		defer mr.Close()
		cfg.redisURL = "redis://" + mr.Addr()
		fmt.Fprintln(stdout, inProcessNotice)
	}
	app, err := build(ctx, cfg, log, nil) // build.go: the page's history shares the one Redis client
	if err != nil {
		return err
	}
	defer app.close()
	srv, err := newWebServer(ctx, cfg, log, app.ix, app.router, app.rdb)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("web: listen on %s: %w", *addr, err)
	}
	fmt.Fprintf(stdout, "网页对话已启动：http://%s（Ctrl-C 结束）\n", displayAddr(ln.Addr().String(), *addr))
	return srv.Serve(ctx, ln)
}

// newWebServer builds the web channel over the router, with citations
// dated from the index's documents, logging to log. serve and web both use
// it.
func newWebServer(ctx context.Context, cfg config, log *slog.Logger, ix *knowledge.Index, router web.Router, rdb redis.UniversalClient) (*web.Server, error) {
	srv, err := web.New(ctx, router, rdb,
		web.WithLogger(log),
		web.WithKeyPrefix(keyPrefix(cfg.redisURL)),
		web.WithTTL(cfg.stateTTL),
		web.WithOrigins(cfg.webOrigins),
		web.WithDocInfo(web.CorpusDocInfo(ix.Corpus())),
	)
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	return srv, nil
}

// displayAddr is the address to open: asked is what --addr said, bound
// what the listener got (a port for ":0", 127.0.0.1 for ":8080").
func displayAddr(bound, asked string) string {
	host, port, err := net.SplitHostPort(bound)
	if err != nil {
		return asked
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

// webChannel is serve's web chat, nil without WEB_ADDR (its methods then
// do nothing).
type webChannel struct {
	srv *web.Server
	log *slog.Logger
}

func newWebChannel(ctx context.Context, cfg config, log *slog.Logger, ix *knowledge.Index, router web.Router, rdb redis.UniversalClient) (*webChannel, error) {
	if cfg.webAddr == "" {
		return nil, nil
	}
	srv, err := newWebServer(ctx, cfg, log, ix, router, rdb)
	if err != nil {
		return nil, err
	}
	return &webChannel{srv: srv, log: log}, nil
}

// telegramOption lets staff replies to web users' tickets reach the page.
func (w *webChannel) telegramOption() telegram.Option {
	if w == nil {
		return func(*telegram.Adapter) {}
	}
	return telegram.WithChannel(web.Channel, w.srv)
}

// start listens on WEB_ADDR and serves until ctx ends, with the Telegram
// staff chat as the help desk when one is configured; stop waits for the
// server to finish.
func (w *webChannel) start(ctx context.Context, cfg config, ad *telegram.Adapter) (stop func(), err error) {
	if w == nil {
		return func() {}, nil
	}
	if cfg.staffChatID != 0 {
		w.srv.SetStaff(ad)
	}
	ln, err := net.Listen("tcp", cfg.webAddr)
	if err != nil {
		return nil, fmt.Errorf("serve: WEB_ADDR: listen on %s: %w", cfg.webAddr, err)
	}
	done := make(chan error, 1)
	go func() { done <- w.srv.Serve(ctx, ln) }()
	return func() {
		if err := <-done; err != nil {
			w.log.Error("web chat stopped", "err", err)
		}
	}, nil
}
