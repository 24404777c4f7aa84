package telegram

import (
	"bytes"
	"context"
	"errors"
	"strings"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/kuaiji/kuaiji"
)

// target is where a message goes: a chat, optionally a forum topic and a
// message to reply to.
type target struct {
	chat    int64
	thread  int
	replyTo int
}

// sendText sends plain text, escaped and split at paragraph boundaries;
// the keyboard goes on the last part. It returns the last message sent.
func (a *Adapter) sendText(ctx context.Context, to target, text string, rows [][]kuaiji.Button) (*models.Message, error) {
	return a.sendHTMLParts(ctx, to, escapeAll(split(text, MaxText)), rows)
}

func escapeAll(parts []string) []string {
	for i, p := range parts {
		parts[i] = escape(p)
	}
	return parts
}

// sendHTMLParts sends ready HTML parts in order.
func (a *Adapter) sendHTMLParts(ctx context.Context, to target, parts []string, rows [][]kuaiji.Button) (*models.Message, error) {
	if len(parts) == 0 {
		if len(rows) == 0 {
			return nil, nil
		}
		parts = []string{"请选择："}
	}
	var last *models.Message
	for i, p := range parts {
		params := &tg.SendMessageParams{
			ChatID: to.chat, MessageThreadID: to.thread, Text: p, ParseMode: models.ParseModeHTML,
			LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tg.True()},
		}
		if i == 0 && to.replyTo != 0 {
			params.ReplyParameters = &models.ReplyParameters{MessageID: to.replyTo, AllowSendingWithoutReply: true}
		}
		if i == len(parts)-1 {
			if kb := a.keyboard(rows); kb != nil {
				params.ReplyMarkup = kb
			}
		}
		err := a.out.do(ctx, "sendMessage", to.chat, func(ctx context.Context) error {
			m, err := a.b.SendMessage(ctx, params)
			last = m
			return err
		})
		if err != nil {
			a.log.Error("message not delivered", "chat_id", to.chat, "part", i+1, "parts", len(parts), "err", a.redact(err))
			return last, err
		}
	}
	return last, nil
}

func (a *Adapter) keyboard(rows [][]kuaiji.Button) *models.InlineKeyboardMarkup {
	return keyboard(rows, func(b kuaiji.Button) {
		a.log.Error("button dropped: empty label or callback data not 1-64 bytes", "data_len", len(b.Data))
	})
}

// sendDocument sends a file with a short caption.
func (a *Adapter) sendDocument(ctx context.Context, to target, f *kuaiji.Document, caption string) error {
	params := &tg.SendDocumentParams{ChatID: to.chat, MessageThreadID: to.thread}
	if length(caption) <= 1024 {
		params.Caption, params.ParseMode = escape(caption), models.ParseModeHTML
	}
	err := a.out.do(ctx, "sendDocument", to.chat, func(ctx context.Context) error {
		// The reader is consumed by each attempt: give every attempt its own.
		params.Document = &models.InputFileUpload{Filename: f.Name, Data: bytes.NewReader(f.Data)}
		_, err := a.b.SendDocument(ctx, params)
		return err
	})
	if err != nil {
		a.log.Error("document not delivered", "chat_id", to.chat, "err", a.redact(err))
	}
	return err
}

// editText replaces a message's text and keyboard. "message is not
// modified" counts as done.
func (a *Adapter) editText(ctx context.Context, chat int64, id int, text string, rows [][]kuaiji.Button) error {
	parts := split(text, MaxText)
	if len(parts) == 0 {
		return nil
	}
	params := &tg.EditMessageTextParams{ChatID: chat, MessageID: id, Text: escape(parts[0]), ParseMode: models.ParseModeHTML,
		LinkPreviewOptions: &models.LinkPreviewOptions{IsDisabled: tg.True()}}
	if kb := a.keyboard(rows); kb != nil {
		params.ReplyMarkup = kb
	}
	return a.edit(ctx, chat, func(ctx context.Context) error {
		_, err := a.b.EditMessageText(ctx, params)
		return err
	})
}

// editHTML replaces a message's text with ready HTML.
func (a *Adapter) editHTML(ctx context.Context, chat int64, id int, htmlText string, rows [][]kuaiji.Button) error {
	params := &tg.EditMessageTextParams{ChatID: chat, MessageID: id, Text: htmlText, ParseMode: models.ParseModeHTML}
	if kb := a.keyboard(rows); kb != nil {
		params.ReplyMarkup = kb
	}
	return a.edit(ctx, chat, func(ctx context.Context) error {
		_, err := a.b.EditMessageText(ctx, params)
		return err
	})
}

// dropKeyboard removes a message's inline keyboard.
func (a *Adapter) dropKeyboard(ctx context.Context, chat int64, id int) error {
	return a.editKeyboard(ctx, chat, id, nil)
}

func (a *Adapter) edit(ctx context.Context, chat int64, call func(context.Context) error) error {
	err := a.out.do(ctx, "editMessage", chat, call)
	if err != nil && errors.Is(err, tg.ErrorBadRequest) && strings.Contains(err.Error(), "not modified") {
		return nil
	}
	if err != nil {
		a.log.Warn("edit failed", "chat_id", chat, "err", a.redact(err))
	}
	return err
}

// answerCallback stops the button's spinner, with an optional toast.
func (a *Adapter) answerCallback(ctx context.Context, id, text string) {
	err := a.out.do(ctx, "answerCallbackQuery", 0, func(ctx context.Context) error {
		_, err := a.b.AnswerCallbackQuery(ctx, &tg.AnswerCallbackQueryParams{CallbackQueryID: id, Text: text})
		return err
	})
	if err != nil {
		a.log.Warn("answerCallbackQuery failed", "err", a.redact(err))
	}
}

// typing shows "typing…" while an answer is prepared; best effort.
func (a *Adapter) typing(ctx context.Context, to target) {
	err := a.out.try(ctx, func(ctx context.Context) error {
		_, err := a.b.SendChatAction(ctx, &tg.SendChatActionParams{ChatID: to.chat, MessageThreadID: to.thread, Action: models.ChatActionTyping})
		return err
	})
	if err != nil {
		a.log.Debug("sendChatAction failed", "chat_id", to.chat, "err", a.redact(err))
	}
}
