package telegram

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
)

// The functions in this file answer what an operator needs to know before
// `kuaiji serve` can work: is the token valid, which group is the staff
// chat, may the bot post and open topics there, who are the staff. They
// are used by `kuaiji setup` and `kuaiji doctor`, and open no Redis.

// BotInfo is what getMe says about the bot.
type BotInfo struct {
	ID       int64
	Username string
	// ReadsAllGroupMessages is false while privacy mode is on (the
	// default): then, in groups where it is no admin, the bot sees only
	// commands, mentions and replies to its own messages.
	ReadsAllGroupMessages bool
}

// StaffChatCheck is what the Bot API says about a staff chat and the
// bot's rights in it. Problems is empty when the chat can take tickets;
// otherwise each entry says, in Chinese, what to fix.
type StaffChatCheck struct {
	ID       int64
	Title    string
	Type     string // group, supergroup, channel or private
	IsForum  bool
	Status   string // the bot's membership: administrator, member, restricted, left…
	IsAdmin  bool
	CanTopic bool // may create forum topics (one per ticket)
	Problems []string
}

// SeenChat is a group the bot heard from while [Discover] ran, with the
// people who wrote there.
type SeenChat struct {
	ID      int64
	Title   string
	Type    string
	IsForum bool
	Senders []SeenUser
}

// SeenUser is someone who wrote in a [SeenChat].
type SeenUser struct {
	ID       int64
	Name     string
	Username string
}

// ErrBadToken is returned when the Bot API refuses the token.
var ErrBadToken = errors.New("telegram refused the bot token")

// probeClient talks to the Bot API at apiURL with token; poll is the long
// poll duration for [Discover].
func probeClient(apiURL, token string, poll time.Duration, opts ...tg.Option) (*tg.Bot, error) {
	if poll <= 0 {
		poll = 10 * time.Second
	}
	opts = append([]tg.Option{
		tg.WithServerURL(strings.TrimRight(apiURL, "/")),
		tg.WithSkipGetMe(),
		tg.WithHTTPClient(poll, &http.Client{Timeout: poll + 10*time.Second}),
	}, opts...)
	b, err := tg.New(token, opts...)
	if err != nil {
		return nil, fmt.Errorf("telegram client: %w", err)
	}
	return b, nil
}

// CheckToken calls getMe. A refused token wraps [ErrBadToken].
func CheckToken(ctx context.Context, apiURL, token string) (BotInfo, error) {
	if token == "" {
		return BotInfo{}, fmt.Errorf("%w: empty", ErrBadToken)
	}
	b, err := probeClient(apiURL, token, 0)
	if err != nil {
		return BotInfo{}, err
	}
	me, err := b.GetMe(ctx)
	if errors.Is(err, tg.ErrorUnauthorized) || errors.Is(err, tg.ErrorNotFound) {
		return BotInfo{}, fmt.Errorf("%w (getMe at %s)", ErrBadToken, apiURL)
	}
	if err != nil {
		return BotInfo{}, fmt.Errorf("getMe at %s: %w", apiURL, err)
	}
	return BotInfo{ID: me.ID, Username: me.Username, ReadsAllGroupMessages: me.CanReadAllGroupMessages}, nil
}

// CheckStaffChat asks getChat and getChatMember about chat and the bot
// (botID) in it. An error means the chat could not be read at all (the
// bot is not in it, or the id is wrong); rights that are missing are
// Problems, not errors.
func CheckStaffChat(ctx context.Context, apiURL, token string, botID, chat int64) (StaffChatCheck, error) {
	c := StaffChatCheck{ID: chat}
	b, err := probeClient(apiURL, token, 0)
	if err != nil {
		return c, err
	}
	info, err := b.GetChat(ctx, &tg.GetChatParams{ChatID: chat})
	if err != nil {
		return c, fmt.Errorf("getChat %d: %w", chat, err)
	}
	c.Title, c.Type, c.IsForum = info.Title, string(info.Type), info.IsForum
	m, err := b.GetChatMember(ctx, &tg.GetChatMemberParams{ChatID: chat, UserID: botID})
	if err != nil {
		return c, fmt.Errorf("getChatMember %d: %w", chat, err)
	}
	c.Status = string(m.Type)
	canSend := true
	switch m.Type {
	case models.ChatMemberTypeOwner:
		c.IsAdmin, c.CanTopic = true, true
	case models.ChatMemberTypeAdministrator:
		c.IsAdmin = true
		c.CanTopic = m.Administrator != nil && m.Administrator.CanManageTopics
	case models.ChatMemberTypeRestricted:
		canSend = m.Restricted != nil && m.Restricted.CanSendMessages
	case models.ChatMemberTypeLeft, models.ChatMemberTypeBanned:
		canSend = false
	}
	switch {
	case c.Type == string(models.ChatTypePrivate) || c.Type == string(models.ChatTypeChannel):
		c.Problems = append(c.Problems, "这不是群组：人工客服需要一个群组（建议开启“话题”的超级群组），请把机器人加入该群后重新设置。")
	case !canSend:
		c.Problems = append(c.Problems, "机器人不在这个群里，或被禁止发言：请把机器人加入群组并允许它发送消息。")
	case !c.IsAdmin:
		c.Problems = append(c.Problems, "机器人还不是群管理员：请在群设置里把它设为管理员，否则隐私模式下它收不到客服的普通回复。")
	}
	if c.IsForum && c.IsAdmin && !c.CanTopic {
		c.Problems = append(c.Problems, "这个群开启了话题，但机器人没有“管理话题”权限：请在管理员权限里打开它，每张工单才能有自己的话题。")
	}
	return c, nil
}

// WebhookURL returns the webhook the bot is registered with ("" for long
// polling). While one is set, getUpdates is refused.
func WebhookURL(ctx context.Context, apiURL, token string) (string, error) {
	b, err := probeClient(apiURL, token, 0)
	if err != nil {
		return "", err
	}
	info, err := b.GetWebhookInfo(ctx)
	if err != nil {
		return "", fmt.Errorf("getWebhookInfo: %w", err)
	}
	return info.URL, nil
}

// DeleteWebhook switches the bot to long polling; `kuaiji serve` sets the
// webhook again at start when WEBHOOK_URL is configured.
func DeleteWebhook(ctx context.Context, apiURL, token string) error {
	b, err := probeClient(apiURL, token, 0)
	if err != nil {
		return err
	}
	if _, err := b.DeleteWebhook(ctx, &tg.DeleteWebhookParams{}); err != nil {
		return fmt.Errorf("deleteWebhook: %w", err)
	}
	return nil
}

// Discover long-polls getUpdates and collects the groups the bot is added
// to or hears from, with their (human) senders. It returns when done
// reports true for what was seen so far, or when ctx ends (then with what
// was seen and no error). Updates read here are confirmed to Telegram:
// run it only while `kuaiji serve` is not running.
func Discover(ctx context.Context, apiURL, token string, poll time.Duration, done func([]SeenChat) bool) ([]SeenChat, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu    sync.Mutex
		seen  []SeenChat
		fatal error
	)
	note := func(chat models.Chat, from *models.User) {
		if chat.Type != models.ChatTypeGroup && chat.Type != models.ChatTypeSupergroup {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		i := slices.IndexFunc(seen, func(c SeenChat) bool { return c.ID == chat.ID })
		if i < 0 {
			seen = append(seen, SeenChat{ID: chat.ID})
			i = len(seen) - 1
		}
		c := &seen[i]
		c.Title, c.Type, c.IsForum = chat.Title, string(chat.Type), chat.IsForum
		if from != nil && !from.IsBot && !slices.ContainsFunc(c.Senders, func(u SeenUser) bool { return u.ID == from.ID }) {
			c.Senders = append(c.Senders, SeenUser{ID: from.ID, Name: strings.TrimSpace(from.FirstName + " " + from.LastName), Username: from.Username})
		}
		if done(slices.Clone(seen)) {
			cancel()
		}
	}
	handler := func(_ context.Context, _ *tg.Bot, u *models.Update) {
		switch {
		case u.Message != nil:
			note(u.Message.Chat, u.Message.From)
		case u.MyChatMember != nil:
			note(u.MyChatMember.Chat, nil)
		}
	}
	b, err := probeClient(apiURL, token, poll,
		tg.WithDefaultHandler(handler),
		tg.WithNotAsyncHandlers(),
		tg.WithAllowedUpdates(tg.AllowedUpdates{"message", "my_chat_member"}),
		tg.WithErrorsHandler(func(err error) {
			// A webhook or a second poller makes getUpdates fail for
			// good (409): stop instead of retrying until ctx ends.
			if errors.Is(err, tg.ErrorConflict) {
				mu.Lock()
				fatal = fmt.Errorf("getUpdates: %w", err)
				mu.Unlock()
				cancel()
			}
		}))
	if err != nil {
		return nil, err
	}
	b.Start(ctx)
	mu.Lock()
	defer mu.Unlock()
	return seen, fatal
}
