package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/kuaiji/kuaiji"
	"github.com/kuaiji/kuaiji/flows"
	"github.com/kuaiji/kuaiji/knowledge"
	"github.com/kuaiji/kuaiji/privacy"
)

// DefaultHumanText is the reply to /human where no person can take over
// (the terminal).
const DefaultHumanText = "终端对话里无法转接人工。人工服务可以在 kuaiji 的 Telegram 机器人中使用（发送 /human）；" +
	"您也可以直接联系属地财政部门（会计管理机构）咨询。"

// PausedText tells the user that guided flows are paused because their
// state cannot be reached, while questions are still answered.
const PausedText = "引导流程暂时暂停：会话记录服务暂时无法连接。您仍然可以直接输入问题，我会照常回答；请稍后再使用 /check、/materials 等引导服务。"

// Router is the one entry point that adapters drive.
type Router struct {
	eng     *flows.Engine
	ans     Answerer
	log     *slog.Logger
	human   string
	rec     Recorder
	ratings Ratings
}

// Option configures a [Router].
type Option func(*Router)

// WithLogger sets the logger for errors hidden from users.
func WithLogger(l *slog.Logger) Option { return func(r *Router) { r.log = l } }

// WithHumanText sets the reply to /human and the 人工服务 button.
func WithHumanText(s string) Option { return func(r *Router) { r.human = s } }

// NewRouter returns a router over the flows engine and the answerer.
func NewRouter(eng *flows.Engine, ans Answerer, opts ...Option) *Router {
	r := &Router{eng: eng, ans: ans, log: slog.New(slog.DiscardHandler), human: DefaultHumanText}
	for _, o := range opts {
		o(r)
	}
	return r
}

// Surface is what a channel shows of the flows before any message: their
// menu, commands and deep links, from their YAML.
func (r *Router) Surface() flows.Surface { return r.eng.Surface() }

// FailedText is the reply when a turn failed for a reason the user cannot
// change (a bug, a panic, a store that kept failing).
const FailedText = "抱歉，系统出了点问题，请稍后再试。"

// Handle answers one message. Failures, panics included, are logged and
// turned into a friendly reply, so one bad turn never ends the process or
// the chat; the error is non-nil only when ctx ends.
func (r *Router) Handle(ctx context.Context, m Message) (out []kuaiji.Reply, err error) {
	defer func() {
		if p := recover(); p != nil {
			r.log.Error("panic while handling message", "chat_id", m.ChatID,
				"err", privacy.Mask(fmt.Sprint(p)), "stack", string(debug.Stack()))
			out, err = []kuaiji.Reply{{Text: FailedText}}, nil
		}
	}()
	return r.handle(ctx, m)
}

func (r *Router) handle(ctx context.Context, m Message) ([]kuaiji.Reply, error) {
	if _, ok := AsksForPerson(m); ok {
		return []kuaiji.Reply{{Text: r.human, Handoff: true}}, nil
	}
	in := flows.Input{Chat: m.ChatID, User: m.UserID}
	// The one conversion of a message to simplified script: flow answers
	// typed in traditional script (中級, 廣東) parse too, and the knowledge
	// core gets the text (and the history the engine keeps of it) already
	// converted.
	text := strings.TrimSpace(knowledge.Simplify(m.Text))
	switch {
	case m.Callback != "":
		in.Data = m.Callback
	case strings.HasPrefix(text, "/"):
		in.Command, in.Arg = ParseCommand(text)
	default:
		in.Text = text
		in.Start = r.requestedFlow(text)
	}
	if strings.HasPrefix(in.Data, DataRate) {
		return r.rate(ctx, m), nil
	}
	if in.Text != "" {
		if rs, ok := r.awaitedReason(ctx, m, in.Text); ok {
			return rs, nil
		}
	}
	var made []answered
	answer := r.answerer(m, &made)
	out, err := r.eng.Handle(ctx, in, answer)
	if err == nil {
		return r.settle(ctx, m, r.withOffers(out), made), nil
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	r.log.Error("handle message", "chat_id", m.ChatID, "err", err)
	if !errors.Is(err, flows.ErrUnavailable) {
		return []kuaiji.Reply{{Text: FailedText}}, nil
	}
	if in.Text == "" || looksLikeAnswer(in.Text) {
		return []kuaiji.Reply{{Text: PausedText}}, nil
	}
	// The answer the failed turn made, if it got that far, is the one
	// shown now: answering again would count the question twice.
	a, err := answer(ctx, flows.Query{Text: privacy.Mask(in.Text)})
	if err != nil {
		r.log.Error("answer question", "chat_id", m.ChatID, "err", err)
		return []kuaiji.Reply{{Text: PausedText}, {Text: "抱歉，暂时无法回答这个问题，请稍后再试。"}}, nil
	}
	return r.settle(ctx, m, []kuaiji.Reply{{Text: a.Text, Sources: a.Sources, Handoff: a.Handoff}, {Text: PausedText}}, made), nil
}

// looksLikeAnswer reports whether a text is more likely an answer to a
// flow question (是, 中级, 2) than a policy question.
func looksLikeAnswer(s string) bool {
	if _, ok := flows.ParseYesNo(s); ok {
		return true
	}
	if _, ok := flows.ParseLevel(s); ok {
		return true
	}
	_, err := strconv.Atoi(s)
	return err == nil
}

// answerer adapts the [Answerer] to the engine's [flows.AnswerFunc]. With
// draft set and a [StreamAnswerer], the answer is shown while it is written.
// The answers it makes are added to made, and a question asked again in
// the same turn gets the answer made for it.
func (r *Router) answerer(m Message, made *[]answered) flows.AnswerFunc {
	return func(ctx context.Context, q flows.Query) (flows.Answer, error) {
		for _, a := range *made {
			if a.query == q.Text {
				return a.ans, nil
			}
		}
		a, qa, err := r.answer(ctx, q, m)
		if err == nil {
			*made = append(*made, answered{query: q.Text, qa: qa, ans: a})
		}
		return a, err
	}
}

func (r *Router) answer(ctx context.Context, q flows.Query, m Message) (flows.Answer, QA, error) {
	draft := m.Draft
	question := knowledge.Question{Text: q.Text, Jurisdiction: q.Jurisdiction, History: q.History, Simplified: true}
	var a knowledge.Answer
	var err error
	if sa, ok := r.ans.(StreamAnswerer); ok && draft != nil {
		var so strings.Builder
		a, err = sa.AnswerStream(ctx, question, func(delta string) {
			so.WriteString(delta)
			draft(so.String())
		})
	} else {
		a, err = r.ans.Answer(ctx, question)
	}
	if err != nil {
		return flows.Answer{}, QA{}, err
	}
	qa := qaOf(q.Text, a)
	text := a.Text
	if len(a.Suggestions) > 0 {
		text += "\n\n您还可以问："
		for i, s := range a.Suggestions {
			if i == 3 {
				break
			}
			text += "\n- " + s
		}
	}
	if f := r.offerFor(q.Text); f != nil && q.Flow == "" && !a.Declined {
		text += "\n\n" + f.Suggest.Text
	}
	return flows.Answer{Text: text, Sources: a.Sources, Handoff: a.Handoff}, qa, nil
}
