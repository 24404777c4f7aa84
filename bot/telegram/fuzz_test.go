package telegram

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"

	"github.com/kuaiji/kuaiji"
	"github.com/kuaiji/kuaiji/bot"
	"github.com/kuaiji/kuaiji/internal/tgfake"
)

// Seed corpora live in testdata/fuzz/<Fuzz name>; `make fuzz` runs every
// target for a short while.

// FuzzCallbackData: whatever a button's data is, the keyboard never sends
// Telegram an empty or over-long callback_data, the 转人工 reason and
// ticket ids decode without panicking, and the data survives the trip
// through the chat's Redis queue (JSON) unchanged.
func FuzzCallbackData(f *testing.F) {
	for _, s := range []string{"v1|human", "v1|human|low", "tk|claim|12", "tk|close|-1", "v1|go|check", "", "v1|resume|go",
		"tk|claim|99999999999999999999", strings.Repeat("长", 30)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		r := kuaiji.Reply{Text: "问", Buttons: [][]kuaiji.Button{{{Label: "是", Data: data}, {Label: "人工", Data: dataHuman}}}, Handoff: true}
		kb := keyboard(bot.HandoffButtons(r), func(kuaiji.Button) {})
		if kb != nil {
			for _, row := range kb.InlineKeyboard {
				for _, b := range row {
					if b.CallbackData == "" || len(b.CallbackData) > 64 {
						t.Fatalf("button %q with data %q sent", b.Text, b.CallbackData)
					}
				}
			}
		}
		for _, p := range []string{dataClaim, dataClose} {
			if rest, ok := strings.CutPrefix(data, p); ok {
				if id := parseID(rest); id != 0 && strings.TrimLeft(rest, "+-0123456789") != "" {
					t.Fatalf("parseID(%q) = %d", rest, id)
				}
			}
		}
		msg := &models.Message{ID: 3, Chat: models.Chat{ID: 5}, Date: 1, Text: "问",
			ReplyMarkup: &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "是", CallbackData: data}}}}}
		if data != "" && label(msg, data) != "是" {
			t.Fatalf("label of %q not found", data)
		}
		u := &models.Update{ID: 9, CallbackQuery: &models.CallbackQuery{ID: "cb", From: models.User{ID: 5}, Data: data,
			Message: models.MaybeInaccessibleMessage{Type: models.MaybeInaccessibleMessageTypeMessage, Message: msg}}}
		b, err := json.Marshal(u)
		if err != nil {
			t.Fatal(err)
		}
		var back models.Update
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if utf8.ValidString(data) && back.CallbackQuery.Data != data || chatKey(&back) != 5 {
			t.Fatalf("queued update changed: %q → %q (chat %d)", data, back.CallbackQuery.Data, chatKey(&back))
		}
	})
}

// FuzzEscape: escaped text always parses as Telegram HTML and shows
// exactly the original text.
func FuzzEscape(f *testing.F) {
	for _, s := range []string{"<b>粗体</b> & 附件", "a &amp; b", "第<1>条", `"引号" 'x'`, "&#39;", "<", "&", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			t.Skip()
		}
		got, err := tgfake.ParseHTML(escape(s))
		if err != nil {
			t.Fatalf("escape(%q) = %q rejected: %v", s, escape(s), err)
		}
		if got != s {
			t.Fatalf("escape(%q) shows %q", s, got)
		}
	})
}

// FuzzSplit: every part fits the limit, none is empty, and together they
// hold all the text (only whitespace at the cuts may go).
func FuzzSplit(f *testing.F) {
	for _, s := range []string{"第一段。\n\n第二段！", strings.Repeat("继续教育学分按年度计算。", 400), strings.Repeat("😀", 3000),
		"a\nb\nc", strings.Repeat("x", 5000)} {
		f.Add(s, 4096)
		f.Add(s, 7)
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		if !utf8.ValidString(s) {
			t.Skip()
		}
		if max < 2 || max > 5000 {
			max = 2 + abs(max)%5000
		}
		parts := split(s, max)
		var joined strings.Builder
		for i, p := range parts {
			if p == "" {
				t.Fatalf("part %d empty", i)
			}
			if length(p) > max {
				t.Fatalf("part %d has %d units, limit %d", i, length(p), max)
			}
			joined.WriteString(p)
		}
		if strip(joined.String()) != strip(s) {
			t.Fatalf("text changed by splitting at %d:\n%q\n%q", max, s, joined.String())
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func strip(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}
