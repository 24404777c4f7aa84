// Package telegram is the go-telegram/bot adapter of [bot.Router]: it
// renders replies as HTML messages with inline keyboards, splits long
// texts, keeps outbound traffic under Telegram's limits with retries,
// processes each update once and in order per chat, and relays hand-offs
// between users and the help-desk staff chat (see bot/handoff).
//
// It and its chatqueue (which stores updates as models.Update) are the
// only packages that import go-telegram/bot.
package telegram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji"
	"github.com/kuaiji/kuaiji/bot"
	"github.com/kuaiji/kuaiji/bot/handoff"
	"github.com/kuaiji/kuaiji/bot/telegram/chatqueue"
	"github.com/kuaiji/kuaiji/flows"
	"github.com/kuaiji/kuaiji/privacy"
	"github.com/kuaiji/kuaiji/uploadcheck"
)

// Router is what the adapter drives; *bot.Router implements it.
type Router interface {
	Handle(ctx context.Context, m bot.Message) ([]kuaiji.Reply, error)
	// Surface is the flows' menu, commands and deep links.
	Surface() flows.Surface
}

// Describer puts a chat's flow state in words for ticket cards;
// *handoff.Describer implements it.
type Describer interface {
	Describe(ctx context.Context, chat, user int64) (handoff.State, error)
}

// Adapter runs one bot. Create it with [New], then call [Adapter.Run]
// (long polling) or [Adapter.RunWebhook].
type Adapter struct {
	b       *tg.Bot
	token   string
	apiURL  string
	router  Router
	tickets *handoff.Store
	rdb     redis.UniversalClient
	log     *slog.Logger
	me      *models.User

	staffChat  int64
	staff      map[int64]bool
	staffForum bool
	describe   Describer
	channels   map[string]Channel // channel.go: users of tickets not on Telegram
	desk       FAQDesk            // faqdesk.go: answered tickets become FAQ drafts
	publishers map[int64]bool
	deskPlace  func(code string) string

	out         *sender
	queue       *chatqueue.Queue // each chat's updates once and in order
	limits      Limits
	pollTimeout time.Duration
	turnTimeout time.Duration
	drain       time.Duration
	draftEvery  time.Duration
	dedupeTTL   time.Duration
	lease       time.Duration // a replica's hold on a chat (chatqueue)
	sweepEvery  time.Duration
	retention   time.Duration // of closed tickets; 0 keeps handoff's default
	httpClient  *http.Client
	prefix      string
	uploads     uploadRules // photo.go; nil declines images
	photoGate   *uploadcheck.Gate
	hooks       Hooks
}

// Hooks are told about events worth counting; cmd/kuaiji points them at
// its metrics. Nil fields are skipped, and hooks must not block.
type Hooks struct {
	// Update is called once per update processed, with its kind: message,
	// command, callback, media, staff or duplicate.
	Update func(kind string)
	// APIError is called for every failed Bot API attempt, with the
	// error's code ("429", "400", … or "network").
	APIError func(method, code string)
	// Handoff is called when a ticket is opened, claimed or closed.
	Handoff func(event string)
	// FirstStaffReply is called with the wait from opening a ticket to
	// the first staff message relayed to the user.
	FirstStaffReply func(wait time.Duration)
}

// Option configures an [Adapter].
type Option func(*Adapter)

// WithServerURL sets the Bot API base URL, without a trailing slash
// (default https://api.telegram.org).
func WithServerURL(u string) Option {
	return func(a *Adapter) { a.apiURL = strings.TrimRight(u, "/") }
}

// WithLogger sets the logger.
func WithLogger(l *slog.Logger) Option { return func(a *Adapter) { a.log = l } }

// WithStaff sets the staff chat that receives ticket cards and the users
// allowed to claim, answer and close tickets. Without it, users asking for
// a person are told how to reach their local finance bureau.
func WithStaff(chat int64, users map[int64]bool) Option {
	return func(a *Adapter) { a.staffChat, a.staff = chat, users }
}

// WithHooks sets the hooks told about updates, API errors and hand-offs.
func WithHooks(h Hooks) Option { return func(a *Adapter) { a.hooks = h } }

// WithDescriber sets how ticket cards learn the flow state in words.
func WithDescriber(d Describer) Option { return func(a *Adapter) { a.describe = d } }

// WithLimits sets the outbound rate limits (default [DefaultLimits]).
func WithLimits(l Limits) Option { return func(a *Adapter) { a.limits = l } }

// WithPollTimeout sets the long-polling timeout (default 50 s).
func WithPollTimeout(d time.Duration) Option { return func(a *Adapter) { a.pollTimeout = d } }

// WithDraftInterval sets how often a streamed answer's draft is updated
// (default once a second, as edits are rate-limited).
func WithDraftInterval(d time.Duration) Option { return func(a *Adapter) { a.draftEvery = d } }

// WithDrainTimeout sets how long shutdown waits for updates in flight
// (default 20 s).
func WithDrainTimeout(d time.Duration) Option { return func(a *Adapter) { a.drain = d } }

// WithKeyPrefix sets the Redis key prefix for dedupe and tickets (default
// "kuaiji:"); tests use it to share one Redis.
func WithKeyPrefix(p string) Option { return func(a *Adapter) { a.prefix = p } }

// WithChatLease sets how long a replica's hold on a chat lasts without
// renewal (default 15 s: how long a chat waits after its replica died) and
// how often each replica looks for such chats (default 5 s).
func WithChatLease(lease, sweep time.Duration) Option {
	return func(a *Adapter) { a.lease, a.sweepEvery = lease, sweep }
}

// WithRetention sets how long closed tickets are kept (KUAIJI_RETENTION).
func WithRetention(d time.Duration) Option { return func(a *Adapter) { a.retention = d } }

// New connects to the Bot API with token (getMe) and returns the adapter.
// rdb holds the dedupe marks and the tickets. The error says which URL
// and what failed, never the token.
func New(ctx context.Context, token string, router Router, rdb redis.UniversalClient, opts ...Option) (*Adapter, error) {
	a := &Adapter{
		token: token, apiURL: "https://api.telegram.org", router: router, rdb: rdb,
		log: slog.New(slog.DiscardHandler), limits: DefaultLimits,
		pollTimeout: 50 * time.Second, turnTimeout: 2 * time.Minute, drain: 20 * time.Second, draftEvery: time.Second,
		dedupeTTL: chatqueue.DefaultTTL, prefix: "kuaiji:", lease: chatqueue.DefaultLease, sweepEvery: chatqueue.DefaultSweep,
	}
	for _, o := range opts {
		o(a)
	}
	if strings.TrimSpace(token) == "" {
		return nil, errors.New("telegram: no bot token (set TELEGRAM_BOT_TOKEN)")
	}
	a.tickets = handoff.New(rdb, handoff.WithPrefix(a.prefix+"handoff:"), handoff.WithRetention(a.retention))
	a.httpClient = &http.Client{Timeout: a.pollTimeout + 10*time.Second}
	b, err := tg.New(token,
		tg.WithSkipGetMe(),
		tg.WithServerURL(a.apiURL),
		tg.WithHTTPClient(a.pollTimeout, a.httpClient),
		tg.WithNotAsyncHandlers(),
		tg.WithUpdatesChannelCap(0),
		tg.WithAllowedUpdates(tg.AllowedUpdates{models.AllowedUpdateMessage, models.AllowedUpdateCallbackQuery}),
		tg.WithDefaultHandler(a.enqueue),
		tg.WithErrorsHandler(func(err error) {
			a.apiError("getUpdates", err)
			a.log.Error("telegram", "err", a.redact(err))
		}),
	)
	if err != nil {
		return nil, fmt.Errorf("telegram: %s", a.redact(err))
	}
	a.b = b
	a.queue = chatqueue.New(rdb, chatqueue.Config{
		Prefix: a.prefix + "tg:" + strconv.FormatInt(b.ID(), 10) + ":",
		Lease:  a.lease, Sweep: a.sweepEvery, DedupeTTL: a.dedupeTTL,
		Handle: a.handleOne, Duplicate: func() { a.count("duplicate") }, Log: a.log,
	})
	a.out = newSender(b, a.limits, a.log)
	a.out.onError = a.apiError
	cctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	me, err := b.GetMe(cctx)
	if err != nil {
		what := a.redact(err)
		if errors.Is(err, tg.ErrorUnauthorized) || errors.Is(err, tg.ErrorNotFound) {
			what = "the token was rejected (" + what + ")"
		}
		return nil, fmt.Errorf("telegram: getMe at %s failed: %s", a.apiURL, what)
	}
	a.me = me
	return a, nil
}

// CheckAPI asks the Bot API who the bot is (getMe), for readiness
// checks; the error names the URL, never the token.
func (a *Adapter) CheckAPI(ctx context.Context) error {
	if _, err := a.b.GetMe(ctx); err != nil {
		a.apiError("getMe", err)
		return fmt.Errorf("telegram: getMe at %s: %s", a.apiURL, a.redact(err))
	}
	return nil
}

// Username is the bot's @username without the @.
func (a *Adapter) Username() string { return a.me.Username }

// redact removes the token from an error text and masks personal
// identifiers: the library puts raw response bodies (user messages) into
// some errors.
func (a *Adapter) redact(err error) string {
	if err == nil {
		return ""
	}
	s := err.Error()
	if a.token != "" {
		s = strings.ReplaceAll(s, a.token, "***")
	}
	return privacy.Mask(s)
}

// apiError tells the hooks about a failed Bot API call; a cancelled
// context is shutdown, not an error of Telegram's.
func (a *Adapter) apiError(method string, err error) {
	if a.hooks.APIError != nil && !errors.Is(err, context.Canceled) {
		a.hooks.APIError(method, errorCode(err))
	}
}

// count tells the hooks about an update of kind.
func (a *Adapter) count(kind string) {
	if a.hooks.Update != nil {
		a.hooks.Update(kind)
	}
}

// kind names an update for metrics and logs.
func (a *Adapter) kind(u *models.Update) string {
	switch {
	case a.staffChat != 0 && chatKey(u) == a.staffChat:
		return "staff"
	case u.CallbackQuery != nil:
		return "callback"
	case u.Message != nil && strings.HasPrefix(u.Message.Text, "/"):
		return "command"
	case u.Message != nil && u.Message.Text != "":
		return "message"
	case u.Message != nil:
		return "media"
	}
	return "other"
}

// setup announces the flows' commands and learns whether the staff chat is a
// forum. Failures are logged: the bot still works without them.
func (a *Adapter) setup(ctx context.Context) {
	var commands []models.BotCommand
	for _, c := range a.router.Surface().Commands {
		commands = append(commands, models.BotCommand{Command: c.Name, Description: c.Description})
	}
	_, err := a.b.SetMyCommands(ctx, &tg.SetMyCommandsParams{Commands: commands})
	if err != nil {
		a.log.Warn("setMyCommands failed", "err", a.redact(err))
	}
	if a.staffChat == 0 {
		a.log.Warn("KUAIJI_STAFF_CHAT_ID not set: hand-off tells users to contact their finance bureau")
		return
	}
	c, err := a.b.GetChat(ctx, &tg.GetChatParams{ChatID: a.staffChat})
	if err != nil {
		a.log.Error("staff chat unreachable; tickets are posted there anyway", "chat_id", a.staffChat, "err", a.redact(err))
		return
	}
	a.staffForum = c.IsForum
}

// Run polls for updates until ctx ends, then stops taking updates and
// waits for those in flight.
func (a *Adapter) Run(ctx context.Context) error {
	if _, err := a.b.DeleteWebhook(ctx, &tg.DeleteWebhookParams{}); err != nil {
		a.log.Warn("deleteWebhook failed", "err", a.redact(err))
	}
	a.setup(ctx)
	a.log.Info("telegram polling", "bot", a.me.Username, "api", a.apiURL)
	sweepDone := make(chan struct{})
	go func() { a.queue.Sweep(ctx); close(sweepDone) }()
	a.b.Start(ctx)
	<-sweepDone
	return a.shutdown()
}

// shutdown waits for the updates in flight.
func (a *Adapter) shutdown() error {
	if !a.queue.Stop(a.drain) {
		return fmt.Errorf("telegram: updates still in flight after %s", a.drain)
	}
	a.log.Info("telegram stopped")
	return nil
}
