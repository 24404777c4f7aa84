// Package bot is kuaiji's channel-neutral front: a [Router] turns a
// [Message] from any adapter (terminal, Telegram, web) into [kuaiji.Reply]
// values, driving the flows engine and the knowledge core.
package bot

import (
	"context"

	"github.com/kuaiji/kuaiji/knowledge"
)

// Message is one user action: a text (Callback "") or a button press.
type Message struct {
	ChatID, UserID int64
	Text           string
	// Callback is the pressed button's Data, "" for text.
	Callback string
	// Draft, when set, is called with the answer text written so far while
	// an answer is generated, for channels that can show a draft; the
	// final answer still arrives as a [kuaiji.Reply].
	Draft func(text string)
}

// Answerer answers a free-text policy question from the corpus;
// *knowledge.Index implements it.
type Answerer interface {
	Answer(ctx context.Context, q knowledge.Question) (knowledge.Answer, error)
}

// StreamAnswerer is an [Answerer] that can pass its answer on while it is
// written, such as a language model; onDelta gets each new piece of text.
type StreamAnswerer interface {
	Answerer
	AnswerStream(ctx context.Context, q knowledge.Question, onDelta func(string)) (knowledge.Answer, error)
}
