// Package bot is kuaiji's channel-neutral front: a [Router] turns a
// [Message] from any adapter (terminal, Telegram, web) into [Reply]
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
	// final answer still arrives as a [Reply].
	Draft func(text string)
}

// Reply is one message to show. Adapters render Buttons as keyboards or
// numbered options and Sources as citations.
type Reply struct {
	Text     string
	Buttons  [][]Button
	Sources  []knowledge.Source
	Document *File
	// Handoff asks the adapter to involve a person (the Telegram adapter
	// opens a ticket).
	Handoff bool
	// Stale marks the answer to a button that no longer applies.
	Stale bool
	// Rate is the token of a knowledge answer that can be rated: adapters
	// offer [RateButtons] under it ("" for none).
	Rate string
	// Notice marks a short acknowledgement (谢谢您的反馈) that a channel
	// may show briefly instead of as a message, as Telegram's toast on
	// the pressed button.
	Notice bool
}

// Button is an option; Data is at most 64 bytes and versioned ("v1|…").
type Button struct {
	Label string
	Data  string
}

// File is a document to send, such as an exported checklist.
type File struct {
	Name string
	Data []byte
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
