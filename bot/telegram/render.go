package telegram

import (
	"html"
	"strconv"
	"strings"

	"github.com/go-telegram/bot/models"

	"github.com/kuaiji/kuaiji"
	"github.com/kuaiji/kuaiji/bot"
)

// escape makes user or document text safe for parse_mode HTML: Telegram
// needs <, > and & escaped; quotes are escaped too, for attributes.
func escape(s string) string { return html.EscapeString(s) }

// plain is a reply's text with its sources numbered below it.
func plain(r kuaiji.Reply) string {
	text := strings.TrimSpace(r.Text)
	if len(r.Sources) == 0 {
		return text
	}
	var b strings.Builder
	b.WriteString(text)
	b.WriteString("\n\n来源：")
	for i, s := range r.Sources {
		b.WriteString("\n[" + strconv.Itoa(i+1) + "] " + s.Title)
		if s.Section != "" {
			b.WriteString(" · " + s.Section)
		}
	}
	return b.String()
}

// Callback data the adapter handles itself. The engine's data is "v1|…";
// these share the version so a stale one reads as stale there too.
const (
	dataAsk   = bot.DataAsk
	dataHuman = bot.DataHuman // the engine's; the adapter adds a reason
	dataClaim = "tk|claim|"
	dataClose = "tk|close|"
)

// The reasons a 转人工 button carries, and what staff read for them.
var reasons = map[string]string{
	"":      "用户点击了转人工按钮",
	"cmd":   "用户发送了 /human",
	"menu":  "用户在菜单中选择了转人工",
	"low":   "机器人回答把握不大，用户接受了转人工",
	"flow":  "流程结果需要人工处理，用户选择了转人工",
	"stuck": "流程中多次未能识别用户的回答，用户选择了转人工",
}

// keyboard renders rows of buttons. Buttons without a label or with data
// that is empty or longer than 64 bytes are dropped (and reported): an
// empty callback_data would turn into an invalid copy-text button.
func keyboard(rows [][]kuaiji.Button, bad func(kuaiji.Button)) *models.InlineKeyboardMarkup {
	var kb [][]models.InlineKeyboardButton
	for _, row := range rows {
		var out []models.InlineKeyboardButton
		for _, b := range row {
			if b.Label == "" || b.Data == "" || len(b.Data) > 64 {
				bad(b)
				continue
			}
			out = append(out, models.InlineKeyboardButton{Text: b.Label, CallbackData: b.Data})
		}
		if len(out) > 0 {
			kb = append(kb, out)
		}
	}
	if len(kb) == 0 {
		return nil
	}
	return &models.InlineKeyboardMarkup{InlineKeyboard: kb}
}

// label finds the label of the button with data on a message.
func label(m *models.Message, data string) string {
	if m == nil || m.ReplyMarkup == nil {
		return ""
	}
	for _, row := range m.ReplyMarkup.InlineKeyboard {
		for _, b := range row {
			if b.CallbackData == data {
				return b.Text
			}
		}
	}
	return ""
}

// stale reports whether the engine answered a press as a stale button.
func stale(rs []kuaiji.Reply) bool {
	return len(rs) > 0 && rs[0].Stale
}
