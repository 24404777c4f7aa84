package tgfake

// The Bot API objects the fake sends and receives, with the field names of
// https://core.telegram.org/bots/api. They are declared here rather than
// borrowed from go-telegram/bot so that the tests check the library against
// the wire format, not against itself.

// User is a Telegram user or bot.
type User struct {
	ID        int64  `json:"id"`
	IsBot     bool   `json:"is_bot"`
	FirstName string `json:"first_name"`
	Username  string `json:"username,omitempty"`
	// CanReadAllGroupMessages is getMe's privacy-mode flag (false: on).
	CanReadAllGroupMessages bool `json:"can_read_all_group_messages,omitempty"`
}

// Chat is a private chat, group, supergroup or channel.
type Chat struct {
	ID        int64  `json:"id"`
	Type      string `json:"type"`
	Title     string `json:"title,omitempty"`
	FirstName string `json:"first_name,omitempty"`
	IsForum   bool   `json:"is_forum,omitempty"`
}

// Entity is a special part of a text, such as a bot command or a mention.
type Entity struct {
	Type   string `json:"type"`
	Offset int    `json:"offset"`
	Length int    `json:"length"`
}

// PhotoSize is one size of a photo.
type PhotoSize struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
	FileSize     int    `json:"file_size,omitempty"`
}

// Document is a general file.
type Document struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	FileName     string `json:"file_name,omitempty"`
	MimeType     string `json:"mime_type,omitempty"`
	FileSize     int    `json:"file_size,omitempty"`
}

// Button is an inline keyboard button.
type Button struct {
	Text         string    `json:"text"`
	CallbackData string    `json:"callback_data,omitempty"`
	URL          string    `json:"url,omitempty"`
	CopyText     *CopyText `json:"copy_text,omitempty"`
}

// CopyText is the copy_text field of a [Button].
type CopyText struct {
	Text string `json:"text"`
}

// Keyboard is an inline keyboard.
type Keyboard struct {
	InlineKeyboard [][]Button `json:"inline_keyboard"`
}

// Message is a message in a chat.
type Message struct {
	MessageID       int         `json:"message_id"`
	MessageThreadID int         `json:"message_thread_id,omitempty"`
	From            *User       `json:"from,omitempty"`
	Date            int64       `json:"date"`
	Chat            Chat        `json:"chat"`
	IsTopicMessage  bool        `json:"is_topic_message,omitempty"`
	ReplyToMessage  *Message    `json:"reply_to_message,omitempty"`
	EditDate        int64       `json:"edit_date,omitempty"`
	Text            string      `json:"text,omitempty"`
	Entities        []Entity    `json:"entities,omitempty"`
	Photo           []PhotoSize `json:"photo,omitempty"`
	Document        *Document   `json:"document,omitempty"`
	Caption         string      `json:"caption,omitempty"`
	ReplyMarkup     *Keyboard   `json:"reply_markup,omitempty"`

	// HTML is the text as the bot sent it, before entity parsing (not on
	// the wire).
	HTML string `json:"-"`
	// File holds an uploaded document's bytes (not on the wire).
	File []byte `json:"-"`
}

// Buttons returns the message's inline buttons in order.
func (m *Message) Buttons() []Button {
	if m.ReplyMarkup == nil {
		return nil
	}
	var out []Button
	for _, row := range m.ReplyMarkup.InlineKeyboard {
		out = append(out, row...)
	}
	return out
}

// Button returns the first button whose label is label.
func (m *Message) Button(label string) (Button, bool) {
	for _, b := range m.Buttons() {
		if b.Text == label {
			return b, true
		}
	}
	return Button{}, false
}

// CallbackQuery is a button press.
type CallbackQuery struct {
	ID           string   `json:"id"`
	From         User     `json:"from"`
	Message      *Message `json:"message,omitempty"`
	ChatInstance string   `json:"chat_instance"`
	Data         string   `json:"data,omitempty"`
}

// Update is one incoming event.
type Update struct {
	UpdateID      int64          `json:"update_id"`
	Message       *Message       `json:"message,omitempty"`
	CallbackQuery *CallbackQuery `json:"callback_query,omitempty"`
}

// ForumTopic is a topic of a forum supergroup.
type ForumTopic struct {
	MessageThreadID int    `json:"message_thread_id"`
	Name            string `json:"name"`
	IconColor       int    `json:"icon_color"`
}

// BotCommand is one entry of setMyCommands.
type BotCommand struct {
	Command     string `json:"command"`
	Description string `json:"description"`
}

type envelope struct {
	OK          bool        `json:"ok"`
	Result      any         `json:"result,omitempty"`
	ErrorCode   int         `json:"error_code,omitempty"`
	Description string      `json:"description,omitempty"`
	Parameters  *parameters `json:"parameters,omitempty"`
}

type parameters struct {
	RetryAfter int `json:"retry_after,omitempty"`
}
