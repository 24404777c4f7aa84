// Package kuaiji is the vocabulary every part of a conversation speaks:
// the [Reply] that the flows engine and the router write and every
// adapter renders, its [Button]s and [Document], the [Source]s an answer
// rests on, and the [Turn]s a chat's history keeps. The flows engine, the
// knowledge core, the router and the adapters all use these types, so a
// reply travels from the engine to Telegram, the terminal or the web page
// unchanged. It imports nothing, which lets flows and knowledge share it
// without importing each other.
package kuaiji

// Reply is one message to show. Adapters render Buttons as keyboards or
// numbered options and Sources as numbered citations.
type Reply struct {
	Text     string
	Buttons  [][]Button
	Sources  []Source
	Document *Document
	// Handoff asks the adapter to involve a person (the Telegram and web
	// adapters offer or open a ticket).
	Handoff bool
	// Stale marks the answer to a pressed button that no longer applies (an
	// old menu, an answered question); the text says so and re-asks.
	Stale bool
	// Rate is the token of a knowledge answer that can be rated: adapters
	// offer 👍 / 👎 under it (bot.RateButtons); "" for none.
	Rate string
	// Notice marks a short acknowledgement (谢谢您的反馈) that a channel
	// may show briefly instead of as a message, as Telegram's toast on
	// the pressed button.
	Notice bool
}

// Button is an option. Data is at most 64 bytes (Telegram's limit for
// callback data) and starts with a version ("v1|…", see flows/callback.go)
// so that a button of an older release is recognised as stale.
type Button struct {
	Label string
	Data  string
}

// Document is a file offered for download, such as an exported checklist.
type Document struct {
	Name string
	Data []byte
}

// Source is a document, or a passage of one, that a reply rests on, as
// shown to the user. A flow's result cites whole documents (ID and Title);
// an answer from the corpus also tells the section, the province, the
// retrieval score and whether the document is still in force.
type Source struct {
	ID       string  `json:"id"`
	Title    string  `json:"title"`
	Province string  `json:"province"`
	Section  string  `json:"section"`
	Score    float64 `json:"score"`
	// Status is "in_force" or "superseded".
	Status string `json:"-"`
}

// Turn is one earlier message of a chat, oldest first in a history:
// what the user typed (User) or the start of what kuaiji replied. The
// JSON names are short because sessions store the last few turns.
type Turn struct {
	User bool   `json:"u,omitempty"`
	Text string `json:"x"`
}
