package terminal

import (
	"strings"

	"github.com/kuaiji/kuaiji"
	"github.com/kuaiji/kuaiji/bot"
)

// Rating in a terminal: there is nothing to tap, so after an answer that
// can be rated the user may type + (有帮助), - (没帮助), /good, or /bad
// with a reason on the same line. What to type is said once per session,
// under the first answer, so it does not crowd every answer.

// RateHint is printed under the first answer that can be rated.
const RateHint = "（觉得这个回答有帮助吗？可以输入 + 或 -，也可以输入“/bad 原因”；不评价也没关系。）"

// NothingToRateText answers + or - when no answer waits for a rating.
const NothingToRateText = "目前没有可以评价的回答。"

// rater remembers the last answer that can be rated.
type rater struct {
	token  string
	hinted bool
}

// seen notes the rateable answer among replies and returns the hint to
// print under it, once.
func (r *rater) seen(rep kuaiji.Reply) string {
	if rep.Rate == "" {
		return ""
	}
	r.token = rep.Rate
	if r.hinted {
		return ""
	}
	r.hinted = true
	return RateHint
}

// parse reads a rating line: the messages to send for it, in order; ok is
// false when the line is no rating. A rating with no answer to rate is
// ok with no messages.
func (r *rater) parse(line string, chat int64) (msgs []bot.Message, ok bool) {
	vote, reason := "", ""
	switch low := strings.ToLower(line); {
	case line == "+" || low == "/good":
		vote = "up"
	case line == "-" || low == "/bad":
		vote = "down"
	case strings.HasPrefix(low, "/bad "):
		vote, reason = "down", strings.TrimSpace(line[len("/bad "):])
	default:
		return nil, false
	}
	if r.token == "" {
		return nil, true
	}
	data := bot.DataRate + r.token + "|"
	msgs = append(msgs, bot.Message{ChatID: chat, UserID: chat, Callback: data + vote})
	if reason != "" {
		m := bot.Message{ChatID: chat, UserID: chat, Callback: data + "other", Text: reason}
		for _, rs := range bot.Reasons {
			if reason == rs.Label {
				m.Callback, m.Text = data+rs.Code, ""
			}
		}
		msgs = append(msgs, m)
	}
	r.token = "" // never asked twice for one answer
	return msgs, true
}
