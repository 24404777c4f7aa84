package flows

import (
	"context"

	"github.com/kuaiji/kuaiji"
)

// ForgetFunc deletes what other parts of kuaiji keep about a user (such as
// the recorded questions) when the user sends /forget; the engine itself
// clears the profile and the chat's session.
type ForgetFunc func(ctx context.Context, chat, user int64) error

// WithForget sets what else /forget deletes. It runs after the profile
// and session are cleared; if it fails, the user is told to try again.
func WithForget(f ForgetFunc) Option { return func(e *Engine) { e.forget = f } }

// afterForget runs the forget hook after a successful /forget.
func (e *Engine) afterForget(ctx context.Context, in Input, out []kuaiji.Reply) []kuaiji.Reply {
	if e.forget == nil {
		return out
	}
	if err := e.forget(ctx, in.Chat, in.User); err != nil {
		e.log.Error("forget hook failed", "chat_id", in.Chat, "err", err)
		return append(out, kuaiji.Reply{Text: "抱歉，部分提问记录暂时未能删除，请稍后再发送一次 /forget。"})
	}
	return out
}
