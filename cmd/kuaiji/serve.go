package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/alicebob/miniredis/v2"

	"github.com/kuaiji/kuaiji/bot/telegram"
	"github.com/kuaiji/kuaiji/metrics"
)

// runServe runs the Telegram bot: long polling, or a webhook when
// WEBHOOK_URL is set. It returns when ctx ends (SIGTERM), after the
// updates in flight are finished. Its logs go to stderr.
func runServe(ctx context.Context, cfg config, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if cfg.telegramToken == "" {
		return errors.New("serve: TELEGRAM_BOT_TOKEN is not set (the token @BotFather gave the bot)")
	}
	if cfg.webhookURL != "" && cfg.webhookSecret == "" {
		return errors.New("serve: WEBHOOK_URL is set but WEBHOOK_SECRET is not; every webhook request must carry the secret")
	}
	// JSON logs unless KUAIJI_LOG_FORMAT says otherwise: serve runs under
	// a supervisor that collects them. Metrics reach the packages through
	// their hooks (observe.go).
	log := newLogger(cfg, stderr, "json")
	routeRedisLogs(log)
	obs := newObservers(metrics.New(), log)
	if cfg.redisURL == "" {
		// Tickets, dedupe marks and flows share one Redis; without
		// REDIS_URL that is an in-process one, lost on exit.
		mr, err := miniredis.Run()
		if err != nil {
			return fmt.Errorf("serve: start in-process redis: %w", err)
		}
		defer mr.Close()
		cfg.redisURL = "redis://" + mr.Addr()
		log.Warn("REDIS_URL not set: flows and tickets live in this process and are lost on exit")
	}
	// The one Redis client (build.go) exists before the index opens, so
	// that /readyz can tell about both meanwhile.
	app, err := connect(ctx, cfg, log, obs)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	defer func() { app.close() }()
	health := newHealth(app.rdb)
	stopDraining := context.AfterFunc(ctx, func() { health.draining.Store(true) })
	defer stopDraining()
	if cfg.httpAddr != "off" {
		stopHTTP, _, err := startHTTP(cfg.httpAddr, httpHandler(health, obs.m), log)
		if err != nil {
			return fmt.Errorf("serve: %w", err)
		}
		defer stopHTTP()
	}
	if err := app.build(ctx); err != nil { // flows loaded once
		return err
	}
	health.indexed.Store(true)
	rdb, router := app.rdb, app.router
	photoCheck, err := uploadCheckOption() // checkphoto.go
	if err != nil {
		return err
	}
	// The web channel when WEB_ADDR is set: its own listener, the same
	// router and Redis, and its users' tickets in the same staff chat.
	webChat, err := newWebChannel(ctx, cfg, log, app.ix, router, rdb) // web.go
	if err != nil {
		return err
	}
	ad, err := telegram.New(ctx, cfg.telegramToken, router, rdb,
		telegram.WithServerURL(cfg.telegramAPIURL),
		webChat.telegramOption(),
		photoCheck,
		telegram.WithLogger(log),
		telegram.WithStaff(cfg.staffChatID, cfg.staffUserIDs),
		// Answered tickets become FAQ drafts in the staff chat (desk.go).
		telegram.WithFAQDesk(newDeskStore(cfg, rdb, app.ix), cfg.faqPublisherIDs, placeName),
		telegram.WithDescriber(app.describer),
		telegram.WithKeyPrefix(keyPrefix(cfg.redisURL)),
		telegram.WithRetention(cfg.retention),
		telegram.WithHooks(obs.telegramHooks()),
	)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	health.setTelegram(ad.CheckAPI)
	stopWeb, err := webChat.start(ctx, cfg, ad)
	if err != nil {
		return err
	}
	defer stopWeb()
	if cfg.webhookURL != "" {
		return ad.RunWebhook(ctx, cfg.webhookAddr, cfg.webhookURL, cfg.webhookSecret)
	}
	return ad.Run(ctx)
}
