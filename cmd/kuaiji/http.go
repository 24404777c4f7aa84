package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji/metrics"
)

// health is what /readyz checks. serve fills it in as it starts, so the
// HTTP server can answer /healthz while the index is still loading.
type health struct {
	rdb     redis.UniversalClient
	indexed atomic.Bool
	// draining is set when shutdown begins: a balancer in front of the
	// webhook stops sending while updates in flight finish.
	draining atomic.Bool
	tg       atomic.Pointer[func(context.Context) error]
	// ttl is how long a getMe result is reused: readiness probes every
	// few seconds from several places must not become Bot API traffic.
	ttl time.Duration

	mu      sync.Mutex
	tgAt    time.Time
	tgErr   error
	tgValid bool
}

func newHealth(rdb redis.UniversalClient) *health { return &health{rdb: rdb, ttl: 5 * time.Second} }

// setTelegram sets how the Bot API is checked, once the adapter exists.
func (h *health) setTelegram(check func(context.Context) error) { h.tg.Store(&check) }

// telegram checks the Bot API, reusing a result younger than ttl.
func (h *health) telegram(ctx context.Context) error {
	check := h.tg.Load()
	if check == nil {
		return errors.New("not connected yet")
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.tgValid && time.Since(h.tgAt) < h.ttl {
		return h.tgErr
	}
	h.tgErr, h.tgAt, h.tgValid = (*check)(ctx), time.Now(), true
	return h.tgErr
}

// ready runs every check and returns each one's result, "ok" or why not.
func (h *health) ready(ctx context.Context) (map[string]string, bool) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	res, ok := map[string]string{}, true
	note := func(name string, err error) {
		if err != nil {
			res[name], ok = err.Error(), false
		} else {
			res[name] = "ok"
		}
	}
	note("redis", h.rdb.Ping(ctx).Err())
	var idx error
	if !h.indexed.Load() {
		idx = errors.New("still loading")
	}
	note("index", idx)
	note("telegram", h.telegram(ctx))
	if h.draining.Load() {
		note("shutdown", errors.New("draining"))
	}
	return res, ok
}

// httpHandler serves /healthz (the process answers), /readyz (Redis,
// index and Bot API reachable: 503 otherwise, with the reasons) and
// /metrics.
func httpHandler(h *health, m *metrics.Set) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		res, ok := h.ready(r.Context())
		w.Header().Set("Content-Type", "application/json")
		if !ok {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		json.NewEncoder(w).Encode(res)
	})
	mux.Handle("GET /metrics", m.Handler())
	return mux
}

// startHTTP listens on addr at once (so a taken port fails the start) and
// serves handler until the returned stop, which waits up to five seconds
// for requests in flight.
func startHTTP(addr string, handler http.Handler, log *slog.Logger) (stop func(), bound string, err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, "", fmt.Errorf("listen on HTTP_ADDR %s: %w", addr, err)
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 5 * time.Second, WriteTimeout: 30 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			log.Error("http server stopped", "err", err)
		}
	}()
	log.Info("http serving /healthz /readyz /metrics", "listen", ln.Addr().String())
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			log.Warn("http server shutdown", "err", err)
		}
		<-done
	}, ln.Addr().String(), nil
}

// runHealthcheck asks the local /healthz (HTTP_ADDR's port on loopback),
// for the container HEALTHCHECK: the image has no curl.
func runHealthcheck(ctx context.Context, cfg config, stdout io.Writer) error {
	_, port, err := net.SplitHostPort(cfg.httpAddr)
	if err != nil {
		return fmt.Errorf("healthcheck: HTTP_ADDR %q: %w", cfg.httpAddr, err)
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	url := "http://" + net.JoinHostPort("127.0.0.1", port) + "/healthz"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: %s answered %s", url, resp.Status)
	}
	fmt.Fprintln(stdout, "ok")
	return nil
}
