package flows

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"reflect"
	"sort"
	"time"

	"github.com/kuaiji/kuaiji"
	"github.com/kuaiji/kuaiji/privacy"
)

// Input is one user action in a chat: a text, a button press (Data) or a
// command such as "check" with its argument ("/province 深圳" → Command
// "province", Arg "深圳").
type Input struct {
	Chat, User int64
	Text       string
	Data       string
	Command    string
	Arg        string
	// Start, set by the router for a text that asks for a flow, names it;
	// the answers the text holds are read into it.
	Start string
}

// Query is a policy question the engine passes to an [AnswerFunc].
type Query struct {
	Text string
	// Jurisdiction is the code known for the user, "" if none.
	Jurisdiction string
	History      []kuaiji.Turn
	// Flow is the flow the chat is in when the question digresses from it.
	Flow string
}

// Answer is what an [AnswerFunc] returns.
type Answer struct {
	Text    string
	Sources []kuaiji.Source
	Handoff bool
}

// AnswerFunc answers free-text policy questions, both outside flows and as
// digressions inside them. The bot package adapts the knowledge core to it.
type AnswerFunc func(ctx context.Context, q Query) (Answer, error)

// Engine runs flows for any number of chats. It keeps no chat state in
// memory: every input loads the chat from the [Store], applies the input and
// saves with an optimistic version check, so several processes can serve
// the same chats and a restart loses nothing. The version check is what
// keeps a chat's state whole when two turns meet; it takes no lock. The
// adapters order a chat's messages before they reach it (bot/telegram's
// chatqueue, the web page's per-session mutex; a terminal has one user),
// so a retry is rare: flows/concurrency_test.go races 100 turns of one
// chat over four engines without any lock.
type Engine struct {
	store   Store
	flows   map[string]*Flow
	byCmd   map[string]*Flow
	menu    []*Flow
	places  Places
	now     func() time.Time
	resume  time.Duration
	misses  int
	history int
	retries int
	log     *slog.Logger
	forget  ForgetFunc
	onStep  func(Transition)
	surface Surface
}

// Option configures an [Engine].
type Option func(*Engine)

// WithClock sets the clock (tests).
func WithClock(now func() time.Time) Option { return func(e *Engine) { e.now = now } }

// WithResumeAfter sets the pause after which a returning user is asked
// "继续上次的…？" (default 30 minutes).
func WithResumeAfter(d time.Duration) Option { return func(e *Engine) { e.resume = d } }

// WithMaxMisses sets how many unparseable answers in a row lead to the
// offer of the menu or a person (default 3).
func WithMaxMisses(n int) Option { return func(e *Engine) { e.misses = n } }

// WithLogger sets the logger for reset sessions and dropped citations.
func WithLogger(l *slog.Logger) Option { return func(e *Engine) { e.log = l } }

// Transition is a change of a chat's flow that a saved turn made: Event is
// "started", "completed" or "abandoned" (cancelled, replaced by another
// flow, or reset), at Step.
type Transition struct {
	Chat       int64
	Flow, Step string
	Event      string
}

// WithTransitions sets a function told about each [Transition] once the
// turn is saved (for metrics); it must not block.
func WithTransitions(f func(Transition)) Option { return func(e *Engine) { e.onStep = f } }

// transitions compares a chat's session before and after a saved turn.
// Restarting the flow one is in is not seen.
func transitions(chat int64, before, after Session) []Transition {
	var out []Transition
	done := after.Last != nil && !reflect.DeepEqual(before.Last, after.Last)
	if before.Flow != "" && before.Flow != after.Flow && !(done && after.Last.Flow == before.Flow) {
		out = append(out, Transition{chat, before.Flow, before.Step, "abandoned"})
	}
	if after.Flow != "" && after.Flow != before.Flow || done && after.Last.Flow != before.Flow {
		f, st := after.Flow, after.Step
		if f == "" {
			f, st = after.Last.Flow, "" // started and finished in one turn
		}
		out = append(out, Transition{chat, f, st, "started"})
	}
	if done {
		out = append(out, Transition{chat, after.Last.Flow, after.Last.Step, "completed"})
	}
	return out
}

// WithRetries sets how often a save that lost a race is retried (default 50).
func WithRetries(n int) Option { return func(e *Engine) { e.retries = n } }

// New returns an engine over the loaded flows.
func New(store Store, list []*Flow, places Places, opts ...Option) *Engine {
	e := &Engine{
		store: store, flows: map[string]*Flow{}, byCmd: map[string]*Flow{}, places: places,
		now: time.Now, resume: 30 * time.Minute, misses: 3, history: 4, retries: 50,
		log: slog.New(slog.DiscardHandler),
	}
	for _, f := range list {
		e.flows[f.ID] = f
		if f.Command != "" {
			e.byCmd[f.Command] = f
		}
		if f.Menu > 0 {
			e.menu = append(e.menu, f)
		}
	}
	sort.SliceStable(e.menu, func(a, b int) bool { return e.menu[a].Menu < e.menu[b].Menu })
	e.surface = e.buildSurface()
	for _, o := range opts {
		o(e)
	}
	return e
}

// Flows returns the flows in the menu, in menu order.
func (e *Engine) Flows() []*Flow { return e.menu }

// Handle applies one input to its chat and returns the replies. Errors wrap
// [ErrUnavailable] when the store cannot be reached (the caller should say
// that guided flows are paused and still answer questions), or
// [ErrConflict] when the chat kept changing under every retry.
func (e *Engine) Handle(ctx context.Context, in Input, qa AnswerFunc) ([]kuaiji.Reply, error) {
	var warn []kuaiji.Reply
	if privacy.Contains(in.Text) || privacy.Contains(in.Arg) {
		in.Text, in.Arg = privacy.Mask(in.Text), privacy.Mask(in.Arg)
		shown := in.Text
		if shown == "" {
			shown = in.Arg
		}
		warn = append(warn, kuaiji.Reply{Text: "温馨提示：为保护您的隐私，请不要在对话中发送身份证号、手机号、邮箱或银行卡号。" +
			"我们不会保存这些信息，下面按遮盖后的内容处理：" + shown})
	}
	qa = memo(qa)
	for attempt := 0; ; attempt++ {
		snap, err := e.store.Load(ctx, in.Chat, in.User)
		var notes []kuaiji.Reply
		if errors.Is(err, ErrCorrupt) {
			e.log.Warn("corrupt session reset", "chat_id", in.Chat, "err", err)
			snap.Session = Session{}
			notes = append(notes, kuaiji.Reply{Text: "抱歉，您之前的会话记录无法读取，已为您重置。给您带来不便，敬请谅解。"})
		} else if err != nil {
			return nil, fmt.Errorf("handle chat %d: %w", in.Chat, err)
		}
		if sv := snap.Session.Schema; sv != 0 && sv != SchemaVersion {
			e.log.Warn("old-schema session reset", "chat_id", in.Chat, "schema", sv)
			snap.Session = Session{}
			notes = append(notes, kuaiji.Reply{Text: "抱歉，系统已经升级，您之前的进度无法继续，已为您重置。请重新选择要办理的事项。"})
		}
		before := cloneSession(snap.Session)
		t := &turn{e: e, ctx: ctx, in: in, qa: qa, snap: &snap, now: e.now()}
		t.run()
		out := append(append(warn, notes...), t.out()...)
		if reflect.DeepEqual(before, snap.Session) && !snap.ProfileChanged && len(notes) == 0 {
			return out, nil
		}
		snap.Session.Schema = SchemaVersion
		snap.Session.Turn++
		snap.Session.Updated = t.now.Unix()
		err = e.store.Save(ctx, in.Chat, in.User, snap)
		if err == nil {
			if t.forgot {
				out = e.afterForget(ctx, in, out)
			}
			if e.onStep != nil {
				for _, tr := range transitions(in.Chat, before, snap.Session) {
					e.onStep(tr)
				}
			}
			return out, nil
		}
		if !errors.Is(err, ErrConflict) {
			return nil, fmt.Errorf("handle chat %d: %w", in.Chat, err)
		}
		if attempt >= e.retries {
			return nil, fmt.Errorf("handle chat %d after %d tries: %w", in.Chat, attempt+1, err)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(time.Duration(rand.IntN(1+min(attempt, 10)*2)) * time.Millisecond):
		}
	}
}

// memo makes a retried turn reuse the answer it already got.
func memo(qa AnswerFunc) AnswerFunc {
	if qa == nil {
		return nil
	}
	seen := map[string]Answer{}
	return func(ctx context.Context, q Query) (Answer, error) {
		if a, ok := seen[q.Text]; ok {
			return a, nil
		}
		a, err := qa(ctx, q)
		if err == nil {
			seen[q.Text] = a
		}
		return a, err
	}
}

func cloneSession(s Session) Session {
	c := s
	if s.Answers != nil {
		c.Answers = make(map[string]string, len(s.Answers))
		for k, v := range s.Answers {
			c.Answers[k] = v
		}
	}
	c.Trail = append([]string(nil), s.Trail...)
	c.History = append([]kuaiji.Turn(nil), s.History...)
	if s.Last != nil {
		l := *s.Last
		c.Last = &l
	}
	return c
}
