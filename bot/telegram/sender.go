package telegram

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"regexp"
	"sync"
	"time"

	tg "github.com/go-telegram/bot"
	"golang.org/x/time/rate"
)

// Limits are the outbound rates. Telegram allows about 30 messages a
// second overall and about one a second per chat (bursts are tolerated).
type Limits struct {
	Global       rate.Limit
	GlobalBurst  int
	PerChat      rate.Limit
	PerChatBurst int
	// Attempts is how often a call is tried before giving up (429, 5xx and
	// network errors are retried).
	Attempts int
	// Backoff is the first wait after a 5xx or network error; it doubles.
	Backoff time.Duration
}

// DefaultLimits keep a bot under Telegram's documented limits.
var DefaultLimits = Limits{Global: 30, GlobalBurst: 30, PerChat: 1, PerChatBurst: 4, Attempts: 6, Backoff: 300 * time.Millisecond}

// sender runs Bot API calls under the limits, waiting out 429s and
// retrying transient failures.
type sender struct {
	b      *tg.Bot
	l      Limits
	log    *slog.Logger
	global *rate.Limiter

	mu    sync.Mutex
	chats map[int64]*chatLimiter
	calls int

	// onError is told about every failed attempt; nil for none.
	onError func(method string, err error)
}

type chatLimiter struct {
	lim  *rate.Limiter
	last time.Time
}

func newSender(b *tg.Bot, l Limits, log *slog.Logger) *sender {
	if l.Attempts <= 0 {
		l.Attempts = 1
	}
	if l.Backoff <= 0 {
		l.Backoff = 100 * time.Millisecond
	}
	return &sender{b: b, l: l, log: log, global: rate.NewLimiter(l.Global, max(1, l.GlobalBurst)), chats: map[int64]*chatLimiter{}}
}

// limiter returns the chat's limiter, forgetting chats idle for a minute.
func (s *sender) limiter(chat int64) *rate.Limiter {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	s.calls++
	if s.calls%1000 == 0 {
		for id, c := range s.chats {
			if now.Sub(c.last) > time.Minute {
				delete(s.chats, id)
			}
		}
	}
	c := s.chats[chat]
	if c == nil {
		c = &chatLimiter{lim: rate.NewLimiter(s.l.PerChat, max(1, s.l.PerChatBurst))}
		s.chats[chat] = c
	}
	c.last = now
	return c.lim
}

// do runs call for method. A non-zero chat counts against that chat's
// limit (messages; not chat actions or callback answers).
func (s *sender) do(ctx context.Context, method string, chat int64, call func(context.Context) error) error {
	for attempt := 1; ; attempt++ {
		if chat != 0 {
			if err := s.limiter(chat).Wait(ctx); err != nil {
				return err
			}
		}
		if err := s.global.Wait(ctx); err != nil {
			return err
		}
		err := call(ctx)
		if err == nil {
			return nil
		}
		if s.onError != nil {
			s.onError(method, err)
		}
		var wait time.Duration
		var tooMany *tg.TooManyRequestsError
		switch {
		case ctx.Err() != nil:
			return err
		case errors.As(err, &tooMany):
			wait = time.Duration(max(1, tooMany.RetryAfter)) * time.Second
		case permanent(err):
			return err
		default:
			wait = s.l.Backoff << (attempt - 1)
			wait = min(wait, 10*time.Second) + time.Duration(rand.Int64N(int64(wait)/4+1))
		}
		if attempt >= s.l.Attempts {
			return err
		}
		s.log.Warn("telegram call failed; retrying", "method", method, "chat_id", chat, "attempt", attempt, "wait", wait, "err", err)
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
	}
}

// errorCode is the Bot API error code of err for metrics: "429", "400",
// "401", "403", "404", "409", another status Telegram sent, or "network"
// when no answer came.
func errorCode(err error) string {
	var tooMany *tg.TooManyRequestsError
	var migrate *tg.MigrateError
	switch {
	case errors.As(err, &tooMany):
		return "429"
	case errors.As(err, &migrate), errors.Is(err, tg.ErrorBadRequest):
		return "400"
	case errors.Is(err, tg.ErrorUnauthorized):
		return "401"
	case errors.Is(err, tg.ErrorForbidden):
		return "403"
	case errors.Is(err, tg.ErrorNotFound):
		return "404"
	case errors.Is(err, tg.ErrorConflict):
		return "409"
	}
	// The library words other statuses as "error response from telegram
	// for method m, 502 Bad Gateway".
	if m := statusRe.FindStringSubmatch(err.Error()); m != nil {
		return m[1]
	}
	return "network"
}

var statusRe = regexp.MustCompile(`error response from telegram for method \w+, (\d{3}) `)

// permanent reports whether retrying cannot help: the request itself is
// wrong or the bot may not act.
func permanent(err error) bool {
	var migrate *tg.MigrateError
	return errors.Is(err, tg.ErrorBadRequest) || errors.Is(err, tg.ErrorForbidden) ||
		errors.Is(err, tg.ErrorUnauthorized) || errors.Is(err, tg.ErrorNotFound) ||
		errors.Is(err, tg.ErrorConflict) || errors.As(err, &migrate)
}

// try runs call once under the global limit: for best-effort calls such
// as chat actions, which must not hold up the answer.
func (s *sender) try(ctx context.Context, call func(context.Context) error) error {
	if err := s.global.Wait(ctx); err != nil {
		return err
	}
	return call(ctx)
}
