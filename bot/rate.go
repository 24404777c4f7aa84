package bot

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/kuaiji/kuaiji"
	"github.com/kuaiji/kuaiji/flows"
)

// Rating an answer: every knowledge answer that was not declined carries a
// token ([Reply.Rate]) that channels turn into 👍 / 👎 buttons
// ([RateButtons]). A press comes back as callback data
// "v1|rate|<token>|<what>" — what is up, down, a reason code from
// [Reasons], or done (the thank-you left in place of the buttons) — and
// the router answers it here, channel-neutrally.
//
// A 👎 asks once for an optional reason. The next free text is the reason
// only when the user chose 其他 (the router waits for it, [Ratings.Await])
// or, in Telegram, replied to the prompt; any other text is a new
// question. People who tap 👎 mostly ask again in other words, and
// swallowing that question as a complaint would fail them twice.

// DataRate prefixes the callback data of rating buttons.
const DataRate = "v1|rate|"

// Reason is a reason a 👎 can give, with its stored code.
type Reason struct{ Code, Label string }

// Reasons are offered after a 👎, in this order.
var Reasons = []Reason{
	{"wrong", "答非所问"}, {"outdated", "信息过时"}, {"incomplete", "不完整"}, {"unclear", "看不懂"}, {"other", "其他"},
}

// ReasonLabel is the label of a reason code (the code if unknown).
func ReasonLabel(code string) string {
	for _, r := range Reasons {
		if r.Code == code {
			return r.Label
		}
	}
	return code
}

// What people read about ratings.
const (
	RateThanksText  = "谢谢您的反馈！"
	RatedBeforeText = "您已经评价过这个回答，谢谢！"
	RateGoneText    = "这个回答时间较久，已无法评价。谢谢您的关注！"
	RateFailText    = "抱歉，评价暂时未能记录，请稍后再试。"
	ReasonPrompt    = "抱歉这个回答没能帮到您。方便告诉我们原因吗？（可选，选一项即可）"
	OtherPrompt     = "请用一条消息写下原因（可选）。这条消息只作为意见记录，不会当作新问题回答；" +
		"身份证号、手机号等个人信息会被遮盖。"
	ReasonThanksText = "谢谢，您的意见已记录，我们会据此改进回答。"
	ReasonBeforeText = "您已经告诉过我们原因了，谢谢！"
)

// ErrRatingGone is what [Ratings] errors wrap when an answer can no
// longer be rated (too old, or forgotten).
var ErrRatingGone = errors.New("the answer can no longer be rated")

// Ratings keeps ratings of answers; cmd adapts package feedback to it.
type Ratings interface {
	// Offer keeps what a rating of the answer needs and returns the token
	// its buttons carry (at most 16 bytes, no "|").
	Offer(ctx context.Context, user int64, qa QA) (token string, err error)
	// Rate records a 👍 (up) or 👎; counted is false when the answer was
	// rated before. Errors wrap [ErrRatingGone].
	Rate(ctx context.Context, user int64, token string, up bool) (counted bool, err error)
	// Reason adds a reason to the answer's 👎; counted is false when it
	// had one. Errors wrap [ErrRatingGone] (also when it was no 👎).
	Reason(ctx context.Context, user int64, token, code, text string) (counted bool, err error)
	// Await makes the user's next free text in chat the reason for token.
	Await(ctx context.Context, chat, user int64, token string) error
	// Awaited returns and clears the awaited token, "" for none.
	Awaited(ctx context.Context, chat, user int64) (string, error)
}

// WithRatings offers 👍 / 👎 under every knowledge answer.
func WithRatings(rt Ratings) Option { return func(r *Router) { r.ratings = rt } }

// RateButtons is the row of buttons under an answer with token.
func RateButtons(token string) []kuaiji.Button {
	return []kuaiji.Button{{Label: "👍 有帮助", Data: DataRate + token + "|up"}, {Label: "👎 没帮助", Data: DataRate + token + "|down"}}
}

// ReplyButtons is every row a channel shows under r: its choices with the
// hand-off button where one is offered ([HandoffButtons]), then 👍 / 👎
// when it can be rated.
func ReplyButtons(r kuaiji.Reply) [][]kuaiji.Button {
	rows := HandoffButtons(r)
	if r.Rate != "" {
		rows = append(rows, RateButtons(r.Rate))
	}
	return rows
}

// RatedButtons is the thank-you row left in place of [RateButtons] after
// the press of data.
func RatedButtons(data string) []kuaiji.Button {
	tok, what, _ := ParseRate(data)
	label := "✅ 谢谢您的反馈"
	switch what {
	case "up":
		label = "👍 谢谢您的反馈"
	case "down":
		label = "👎 谢谢您的反馈"
	}
	return []kuaiji.Button{{Label: label, Data: DataRate + tok + "|done"}}
}

// ParseRate splits rating data into the answer's token and what was
// pressed; ok is false for any other data.
func ParseRate(data string) (token, what string, ok bool) {
	rest, ok := strings.CutPrefix(data, DataRate)
	if !ok {
		return "", "", false
	}
	token, what, ok = strings.Cut(rest, "|")
	return token, what, ok && token != "" && what != ""
}

// reasonButtons ask for the reason of a 👎 of token.
func reasonButtons(token string) [][]kuaiji.Button {
	var rows [][]kuaiji.Button
	for i, r := range Reasons {
		if i%2 == 0 {
			rows = append(rows, nil)
		}
		rows[len(rows)-1] = append(rows[len(rows)-1], kuaiji.Button{Label: r.Label, Data: DataRate + token + "|" + r.Code})
	}
	return rows
}

// answered is an answer made in a turn: the question it was made for,
// what is recorded of it, and what the engine shows.
type answered struct {
	query string
	qa    QA
	ans   flows.Answer
}

// settle counts the answers of a turn that finished: each is recorded
// (the events stream, and a hit of the help-desk entry it came from) and
// offered for rating, once, and the reply that shows it gets its token.
// Nothing is counted before: a turn that fails after answering (a store
// that could not save it) shows its answer once, or not at all.
func (r *Router) settle(ctx context.Context, m Message, rs []kuaiji.Reply, made []answered) []kuaiji.Reply {
	for _, a := range made {
		r.record(ctx, m, a.qa)
		tok := r.offer(ctx, m, a.qa, a.ans.Text)
		if tok == "" {
			continue
		}
		for i := range rs {
			if rs[i].Rate == "" && rs[i].Text == a.ans.Text {
				rs[i].Rate = tok
				break
			}
		}
	}
	return rs
}

// offer keeps a rating offer for an answer and returns its token, "" when
// it cannot be rated; a failure only means that, so it is logged.
func (r *Router) offer(ctx context.Context, m Message, qa QA, text string) string {
	if r.ratings == nil || qa.Declined || text == "" {
		return ""
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	tok, err := r.ratings.Offer(ctx, m.UserID, qa)
	if err != nil {
		r.log.Warn("answer offered without rating buttons", "chat_id", m.ChatID, "err", err)
		return ""
	}
	return tok
}

// rate answers a press of a rating button. Short acknowledgements are
// Notice replies; a press that no longer applies is Stale.
func (r *Router) rate(ctx context.Context, m Message) []kuaiji.Reply {
	tok, what, ok := ParseRate(m.Callback)
	if !ok || r.ratings == nil {
		return []kuaiji.Reply{{Text: RateGoneText, Notice: true, Stale: true}}
	}
	var counted bool
	var err error
	switch what {
	case "done":
		return []kuaiji.Reply{{Text: RatedBeforeText, Notice: true}}
	case "up", "down":
		counted, err = r.ratings.Rate(ctx, m.UserID, tok, what == "up")
	default:
		if ReasonLabel(what) == what {
			return []kuaiji.Reply{{Text: RateGoneText, Notice: true, Stale: true}}
		}
		if what == "other" && strings.TrimSpace(m.Text) == "" {
			if err := r.ratings.Await(ctx, m.ChatID, m.UserID, tok); err != nil {
				r.log.Error("rating reason not awaited", "chat_id", m.ChatID, "err", err)
				return []kuaiji.Reply{{Text: RateFailText, Notice: true}}
			}
			return []kuaiji.Reply{{Text: OtherPrompt}}
		}
		counted, err = r.ratings.Reason(ctx, m.UserID, tok, what, strings.TrimSpace(m.Text))
	}
	switch {
	case errors.Is(err, ErrRatingGone):
		return []kuaiji.Reply{{Text: RateGoneText, Notice: true, Stale: true}}
	case err != nil:
		r.log.Error("rating not recorded", "chat_id", m.ChatID, "err", err)
		return []kuaiji.Reply{{Text: RateFailText, Notice: true}}
	case what != "up" && what != "down" && !counted:
		return []kuaiji.Reply{{Text: ReasonBeforeText, Notice: true}}
	case what != "up" && what != "down":
		return []kuaiji.Reply{{Text: ReasonThanksText, Notice: true}}
	case !counted:
		return []kuaiji.Reply{{Text: RatedBeforeText, Notice: true}}
	case what == "down":
		return []kuaiji.Reply{{Text: RateThanksText, Notice: true}, {Text: ReasonPrompt, Buttons: reasonButtons(tok)}}
	}
	return []kuaiji.Reply{{Text: RateThanksText, Notice: true}}
}

// awaitedReason takes a free text as the reason the user was asked for
// after choosing 其他; ok is false when none was awaited (the text is a
// question). Failing to read the wait answers the text as a question.
func (r *Router) awaitedReason(ctx context.Context, m Message, text string) ([]kuaiji.Reply, bool) {
	if r.ratings == nil {
		return nil, false
	}
	tok, err := r.ratings.Awaited(ctx, m.ChatID, m.UserID)
	if err != nil {
		r.log.Warn("awaited rating reason not read; the text is answered", "chat_id", m.ChatID, "err", err)
		return nil, false
	}
	if tok == "" {
		return nil, false
	}
	rs := r.rate(ctx, Message{ChatID: m.ChatID, UserID: m.UserID, Callback: DataRate + tok + "|other", Text: text})
	for i := range rs {
		rs[i].Notice = false // it answers a message, not a press
	}
	return rs, true
}
