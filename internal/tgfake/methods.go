package tgfake

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"
)

func (s *Server) dispatch(r *http.Request, method string, p map[string]string, files map[string]UploadedFile) (any, error) {
	switch method {
	case "getMe":
		return s.me, nil
	case "getFile":
		return s.getFile(p) // files.go
	case "getUpdates":
		return s.getUpdates(r, p)
	case "setMyCommands":
		var cmds []BotCommand
		if err := json.Unmarshal([]byte(p["commands"]), &cmds); err != nil || len(cmds) == 0 {
			return nil, badRequest("commands must be a non-empty JSON array")
		}
		for _, c := range cmds {
			if c.Command == "" || len(c.Command) > 32 || c.Description == "" || utf8.RuneCountInString(c.Description) > 256 {
				return nil, badRequest("BOT_COMMAND_INVALID")
			}
		}
		return true, nil
	case "getChatMember":
		return s.getChatMember(p) // admin.go
	case "getWebhookInfo":
		return s.webhookInfo()
	case "setWebhook", "deleteWebhook":
		s.mu.Lock()
		defer s.mu.Unlock()
		if method == "setWebhook" && p["url"] == "" {
			return nil, badRequest("bad webhook: an HTTPS URL must be provided for webhook")
		}
		s.webhook = p["url"]
		return true, nil
	case "sendChatAction":
		if p["action"] == "" {
			return nil, badRequest("action is empty")
		}
		return true, nil
	case "answerCallbackQuery":
		id := p["callback_query_id"]
		s.mu.Lock()
		defer s.mu.Unlock()
		if _, dup := s.answered[id]; dup {
			return nil, badRequest("query is too old and response timeout expired or query ID is invalid")
		}
		s.answered[id] = p["text"]
		return true, nil
	case "getChat":
		id, err := strconv.ParseInt(p["chat_id"], 10, 64)
		if err != nil {
			return nil, badRequest("chat not found")
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		c, ok := s.chats[id]
		if !ok {
			return nil, badRequest("chat not found")
		}
		return c, nil
	case "createForumTopic":
		id, _ := strconv.ParseInt(p["chat_id"], 10, 64)
		s.mu.Lock()
		defer s.mu.Unlock()
		if !s.chats[id].IsForum {
			return nil, badRequest("the chat is not a forum")
		}
		if p["name"] == "" || utf8.RuneCountInString(p["name"]) > 128 {
			return nil, badRequest("TOPIC_NAME_INVALID")
		}
		s.nextTopic++
		return ForumTopic{MessageThreadID: s.nextTopic, Name: p["name"], IconColor: 7322096}, nil
	case "sendMessage":
		return s.sendMessage(p)
	case "sendDocument":
		f, ok := files["document"]
		if !ok || len(f.Data) == 0 {
			return nil, badRequest("there is no document in the request")
		}
		m := &Message{Caption: p["caption"], File: f.Data,
			Document: &Document{FileID: "doc-" + f.Name, FileUniqueID: f.Name, FileName: f.Name, FileSize: len(f.Data)}}
		return s.store(p, m)
	case "editMessageText", "editMessageReplyMarkup":
		return s.edit(method, p)
	case "sendMessageDraft":
		// Drafts are shown while typing and never stored as messages.
		// As the real Bot API: draft_id is a non-zero integer.
		if id, err := strconv.ParseInt(p["draft_id"], 10, 64); err != nil || id == 0 {
			return nil, badRequest("invalid draft_id specified")
		}
		if _, err := s.text(p); err != nil {
			return nil, err
		}
		return true, nil
	case "deleteMessage":
		return s.deleteMessage(p)
	}
	return nil, &apiError{404, "Not Found: method not found"}
}

func (s *Server) sendMessage(p map[string]string) (any, error) {
	text, err := s.text(p)
	if err != nil {
		return nil, err
	}
	m := &Message{Text: text, HTML: p["text"]}
	if m.ReplyMarkup, err = keyboard(p["reply_markup"]); err != nil {
		return nil, err
	}
	return s.store(p, m)
}

// text parses and checks a text parameter as the Bot API does.
func (s *Server) text(p map[string]string) (string, error) {
	text := p["text"]
	if p["parse_mode"] == "HTML" {
		t, err := ParseHTML(text)
		if err != nil {
			return "", badRequest("%v", err)
		}
		text = t
	}
	if text == "" {
		return "", badRequest("message text is empty")
	}
	if Length(text) > MaxMessageLength {
		return "", badRequest("message is too long")
	}
	return text, nil
}

// keyboard decodes reply_markup and checks every button as Telegram does:
// callback_data of 1–64 bytes, and no copy_text button with empty text.
func keyboard(raw string) (*Keyboard, error) {
	if raw == "" {
		return nil, nil
	}
	var k Keyboard
	if err := json.Unmarshal([]byte(raw), &k); err != nil {
		return nil, badRequest("can't parse reply keyboard markup JSON object")
	}
	for _, row := range k.InlineKeyboard {
		for _, b := range row {
			if b.Text == "" {
				return nil, badRequest("BUTTON_TEXT_INVALID")
			}
			if len(b.CallbackData) > 64 {
				return nil, badRequest("BUTTON_DATA_INVALID")
			}
			if b.CallbackData == "" && b.URL == "" {
				if b.CopyText != nil && b.CopyText.Text == "" {
					return nil, badRequest("BUTTON_COPY_TEXT_INVALID")
				}
				return nil, badRequest("BUTTON_TYPE_INVALID")
			}
		}
	}
	for i := range k.InlineKeyboard {
		for j := range k.InlineKeyboard[i] {
			k.InlineKeyboard[i][j].CopyText = nil
		}
	}
	return &k, nil
}

func (s *Server) store(p map[string]string, m *Message) (any, error) {
	chat, err := strconv.ParseInt(p["chat_id"], 10, 64)
	if err != nil || chat == 0 {
		return nil, badRequest("chat not found")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.chats[chat]
	if !ok {
		c = Chat{ID: chat, Type: "private", FirstName: "user"}
		if chat < 0 {
			c = Chat{ID: chat, Type: "supergroup", Title: "group"}
		}
	}
	if p["reply_parameters"] != "" {
		var rp struct {
			MessageID                int  `json:"message_id"`
			AllowSendingWithoutReply bool `json:"allow_sending_without_reply"`
		}
		json.Unmarshal([]byte(p["reply_parameters"]), &rp)
		for _, old := range s.msgs[chat] {
			if old.MessageID == rp.MessageID {
				cp := *old
				cp.ReplyToMessage = nil
				m.ReplyToMessage = &cp
			}
		}
		for _, old := range s.users[chat] {
			if old.MessageID == rp.MessageID {
				cp := old
				cp.ReplyToMessage = nil
				m.ReplyToMessage = &cp
			}
		}
		if m.ReplyToMessage == nil && !rp.AllowSendingWithoutReply {
			return nil, badRequest("message to be replied not found")
		}
	}
	m.MessageThreadID, _ = strconv.Atoi(p["message_thread_id"])
	m.IsTopicMessage = m.MessageThreadID != 0
	s.nextMsg[chat]++
	m.MessageID = s.nextMsg[chat] + 1000
	m.Chat, m.From, m.Date = c, &s.me, time.Now().Unix()
	s.msgs[chat] = append(s.msgs[chat], m)
	s.wakeLocked(chat)
	cp := *m
	return cp, nil
}

func (s *Server) edit(method string, p map[string]string) (any, error) {
	chat, _ := strconv.ParseInt(p["chat_id"], 10, 64)
	id, _ := strconv.Atoi(p["message_id"])
	kb, err := keyboard(p["reply_markup"])
	if err != nil {
		return nil, err
	}
	var text string
	if method == "editMessageText" {
		if text, err = s.text(p); err != nil {
			return nil, err
		}
	}
	if p["inline_message_id"] == "" && (p["chat_id"] == "" || id == 0) {
		return nil, badRequest("message identifier is not specified")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range s.msgs[chat] {
		if m.MessageID != id {
			continue
		}
		// As the real API: an edit that changes nothing is refused, for
		// the keyboard alone too, and a text edit keeps no keyboard it
		// is not sent again.
		same := sameKeyboard(m.ReplyMarkup, kb)
		if method == "editMessageText" {
			same = same && m.Text == text
		}
		if same {
			return nil, badRequest("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
		}
		if method == "editMessageText" {
			m.Text, m.HTML = text, p["text"]
		}
		m.ReplyMarkup = kb
		m.EditDate = time.Now().Unix()
		return *m, nil
	}
	for _, m := range s.users[chat] {
		if m.MessageID == id {
			return nil, badRequest("message can't be edited")
		}
	}
	return nil, badRequest("message to edit not found")
}

func sameKeyboard(a, b *Keyboard) bool {
	if len(a.buttons()) == 0 && len(b.buttons()) == 0 {
		return true // no keyboard and an empty one look the same
	}
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// deleteMessage removes one of the bot's messages from a chat.
func (s *Server) deleteMessage(p map[string]string) (any, error) {
	chat, _ := strconv.ParseInt(p["chat_id"], 10, 64)
	id, _ := strconv.Atoi(p["message_id"])
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, m := range s.msgs[chat] {
		if m.MessageID == id {
			s.msgs[chat] = append(s.msgs[chat][:i:i], s.msgs[chat][i+1:]...)
			s.changedLocked()
			return true, nil
		}
	}
	return nil, badRequest("message to delete not found")
}

func (k *Keyboard) buttons() []Button {
	if k == nil {
		return nil
	}
	var out []Button
	for _, row := range k.InlineKeyboard {
		out = append(out, row...)
	}
	return out
}
