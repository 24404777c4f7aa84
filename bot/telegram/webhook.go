package telegram

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// MaxUpdateBytes bounds a webhook request body; updates are a few KB.
const MaxUpdateBytes = 1 << 20

// WebhookHandler is the webhook endpoint, in place of the library's own
// (which answers 200 to a wrong secret and reads unbounded bodies): a request without
// the right X-Telegram-Bot-Api-Secret-Token (compared in constant time) is
// answered 401, bodies are limited to [MaxUpdateBytes], and only POST is
// accepted. secret must not be empty.
func (a *Adapter) WebhookHandler(secret string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		got := r.Header.Get("X-Telegram-Bot-Api-Secret-Token")
		if secret == "" || subtle.ConstantTimeCompare([]byte(got), []byte(secret)) != 1 {
			a.log.Warn("webhook request with a wrong secret token rejected", "remote", r.RemoteAddr)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxUpdateBytes))
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
				return
			}
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		var u models.Update
		if err := json.Unmarshal(body, &u); err != nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		// The update is in Redis before Telegram hears 200: a replica
		// that dies now loses nothing, and the chat's next update, sent to
		// any replica, queues behind it.
		a.queue.Accept(r.Context(), chatKey(&u), &u)
		w.WriteHeader(http.StatusOK)
	})
}

// RunWebhook registers webhookURL with Telegram (with secret) and serves
// updates on addr at the URL's path until ctx ends; then it stops taking
// requests, lets those in flight finish and drains the chats' queues.
func (a *Adapter) RunWebhook(ctx context.Context, addr, webhookURL, secret string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("telegram: listen on %s for the webhook: %w", addr, err)
	}
	return a.ServeWebhook(ctx, ln, webhookURL, secret)
}

// ServeWebhook is [Adapter.RunWebhook] on a listener; it closes ln.
func (a *Adapter) ServeWebhook(ctx context.Context, ln net.Listener, webhookURL, secret string) error {
	defer ln.Close()
	if secret == "" {
		return errors.New("telegram: webhook mode needs a secret token (set WEBHOOK_SECRET)")
	}
	u, err := url.Parse(webhookURL)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return fmt.Errorf("telegram: WEBHOOK_URL %q is not an absolute URL", webhookURL)
	}
	path := u.Path
	if path == "" {
		path = "/"
	}
	mux := http.NewServeMux()
	mux.Handle("POST "+path, a.WebhookHandler(secret))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second}
	sweepCtx, stopSweep := context.WithCancel(ctx)
	defer stopSweep()
	sweepDone := make(chan struct{})
	go func() { a.queue.Sweep(sweepCtx); close(sweepDone) }()
	// Updates go from WebhookHandler straight to accept: the library's
	// StartWebhook workers would wait on a channel nothing feeds.
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()

	a.setup(ctx)
	_, err = a.b.SetWebhook(ctx, &tg.SetWebhookParams{URL: webhookURL, SecretToken: secret,
		AllowedUpdates: []string{models.AllowedUpdateMessage, models.AllowedUpdateCallbackQuery}})
	if err != nil && ctx.Err() == nil {
		srv.Close()
		return fmt.Errorf("telegram: setWebhook at %s failed: %s", a.apiURL, a.redact(err))
	}
	// A stop while setWebhook was under way is a stop like any other: the
	// updates already taken are still answered and drained below.
	if err == nil {
		a.log.Info("telegram webhook", "bot", a.me.Username, "listen", ln.Addr().String(), "path", path)
	}

	select {
	case <-ctx.Done():
	case err := <-serveErr:
		if !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("telegram: webhook server: %w", err)
		}
	}
	sctx, cancel := context.WithTimeout(context.Background(), a.drain)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		a.log.Warn("webhook server shutdown", "err", err)
	}
	stopSweep()
	<-sweepDone
	return a.shutdown()
}
