// Package web is the browser adapter of [bot.Router]: a chat page in
// Chinese (HTML, CSS and a small script embedded with go:embed), its JSON
// and server-sent-event API, anonymous sessions in a cookie with their
// history in Redis, an embeddable widget, and the hand-off to help-desk
// staff through a [Staff] desk (the Telegram staff chat).
package web

import (
	"context"
	"crypto/rand"
	"embed"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji"
	"github.com/kuaiji/kuaiji/bot"
	"github.com/kuaiji/kuaiji/bot/handoff"
	"github.com/kuaiji/kuaiji/flows"
)

//go:embed assets
var assets embed.FS

// Channel is the name tickets carry for users of this channel
// ([handoff.Ticket] Channel).
const Channel = "web"

// MaxText is the longest message a user may send, in characters. Longer
// ones are refused with a message and stay in the input box.
const MaxText = 2000

// Router is what the server drives; *bot.Router implements it.
type Router interface {
	Handle(ctx context.Context, m bot.Message) ([]kuaiji.Reply, error)
	// Surface is the flows' menu, commands and deep links.
	Surface() flows.Surface
}

// Staff is the help desk a web user can be handed to; the Telegram
// adapter implements it with the same ticket cards as for its own users.
type Staff interface {
	// Tickets is the store the desk keeps tickets in.
	Tickets() *handoff.Store
	// OpenTicket opens t and tells staff; why is the reason a 转人工
	// button carries ("low", "flow", "menu", "cmd", "stuck" or ""). It
	// returns [handoff.ErrOpen] with the chat's ticket when one is open.
	OpenTicket(ctx context.Context, t handoff.Ticket, why string) (handoff.Ticket, error)
	// Relay passes a user's message on to the staff handling t.
	Relay(ctx context.Context, t handoff.Ticket, text string) error
	// CloseTicket closes t on the user's wish, tells staff and the user.
	CloseTicket(ctx context.Context, t handoff.Ticket, by string)
}

// DocInfo tells the date and status of a cited document, for the sources
// under an answer; "" when unknown.
type DocInfo func(id string) (date, status string)

// Server serves the page, the widget and the API. Create it with [New].
type Server struct {
	router  Router
	rdb     redis.UniversalClient
	log     *slog.Logger
	prefix  string
	ttl     time.Duration
	origins map[string]bool // allowed embedding origins, "https://a.example"
	docInfo DocInfo
	staff   Staff
	tickets *handoff.Store // staff's store, or nil without a desk

	csrfKey  []byte
	limits   *limits
	hub      *hub
	locks    keyedMutex
	turnTime time.Duration
	now      func() time.Time

	subscribed atomic.Bool // Subscribe is receiving
}

// Option configures a [Server].
type Option func(*Server)

// WithLogger sets the logger.
func WithLogger(l *slog.Logger) Option { return func(s *Server) { s.log = l } }

// WithKeyPrefix sets the Redis key prefix (default "kuaiji:"), as the
// other adapters use it.
func WithKeyPrefix(p string) Option { return func(s *Server) { s.prefix = p } }

// WithTTL sets how long an idle session and its history are kept (the
// store's KUAIJI_STATE_TTL; default 7 days).
func WithTTL(d time.Duration) Option { return func(s *Server) { s.ttl = d } }

// WithOrigins sets the origins ("https://www.example.com") whose pages may
// embed the chat; every other site is refused.
func WithOrigins(origins []string) Option {
	return func(s *Server) {
		for _, o := range origins {
			if o = strings.TrimRight(strings.TrimSpace(o), "/"); o != "" {
				s.origins[o] = true
			}
		}
	}
}

// WithDocInfo sets where the date and status of a cited document come from.
func WithDocInfo(f DocInfo) Option { return func(s *Server) { s.docInfo = f } }

// WithStaff sets the help desk for 转人工. Without it users are told to
// contact their local finance bureau.
func WithStaff(st Staff) Option { return func(s *Server) { s.staff = st } }

// SetStaff sets the help desk after [New], for a desk that needs the
// server first (the Telegram adapter delivers to it). Call it before the
// server handles requests.
func (s *Server) SetStaff(st Staff) {
	s.staff = st
	s.tickets = st.Tickets()
}

// WithLimits sets the rate limits (default [DefaultLimits]).
func WithLimits(l Limits) Option { return func(s *Server) { s.limits = newLimits(l) } }

// New returns a server over router that keeps sessions in rdb. It reads
// (or creates) the key that signs CSRF tokens in Redis, so that replicas
// and restarts accept each other's pages.
func New(ctx context.Context, router Router, rdb redis.UniversalClient, opts ...Option) (*Server, error) {
	s := &Server{router: router, rdb: rdb, log: slog.New(slog.DiscardHandler), prefix: "kuaiji:",
		ttl: 7 * 24 * time.Hour, origins: map[string]bool{}, limits: newLimits(DefaultLimits),
		turnTime: 2 * time.Minute, now: time.Now}
	for _, o := range opts {
		o(s)
	}
	if s.staff != nil {
		s.tickets = s.staff.Tickets()
	}
	s.hub = newHub()
	key, err := s.loadKey(ctx)
	if err != nil {
		return nil, err
	}
	s.csrfKey = key
	return s, nil
}

func (s *Server) key(parts ...string) string { return s.prefix + "web:" + strings.Join(parts, ":") }

// loadKey returns the shared CSRF signing key, creating it once.
func (s *Server) loadKey(ctx context.Context) ([]byte, error) {
	k := make([]byte, 32)
	rand.Read(k)
	if err := s.rdb.SetNX(ctx, s.key("csrfkey"), k, 0).Err(); err != nil {
		return nil, fmt.Errorf("web: store csrf key: %w", err)
	}
	b, err := s.rdb.Get(ctx, s.key("csrfkey")).Bytes()
	if err != nil {
		return nil, fmt.Errorf("web: load csrf key: %w", err)
	}
	return b, nil
}

// Serve answers on ln until ctx ends, then drains open requests for a
// few seconds (open event streams are ended first). It also relays staff
// messages published by any replica to the pages open here.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go s.Subscribe(ctx)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("web: serve on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	s.hub.closeAll()
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("web: shut down: %w", err)
	}
	return nil
}

// Handler is the server's routes: the page at / and /embed/, the widget
// script, static assets, and the API under both.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.page(false))
	mux.HandleFunc("GET /embed/{$}", s.page(true))
	mux.HandleFunc("GET /widget.js", s.widget)
	mux.HandleFunc("GET /static/{file}", s.static)
	for _, base := range []string{"/api/", "/embed/api/"} {
		mux.HandleFunc("GET "+base+"history", s.api(s.history))
		mux.HandleFunc("POST "+base+"send", s.api(s.send))
		mux.HandleFunc("GET "+base+"events", s.api(s.events))
		mux.HandleFunc("GET "+base+"file/{id}", s.api(s.file))
	}
	return s.guard(mux)
}
