package tgfake_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/kuaiji/kuaiji/internal/tgfake"
)

func TestParseHTML(t *testing.T) {
	for in, want := range map[string]string{
		"&lt;script&gt; &amp; <b>粗</b> &quot;x&quot; &#20320;": `<script> & 粗 "x" 你`,
		`<a href="https://x">链接</a><tg-spoiler>s</tg-spoiler>`: "链接s",
	} {
		got, err := tgfake.ParseHTML(in)
		if err != nil || got != want {
			t.Errorf("ParseHTML(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"<script>x</script>", "<b>open", "a & b", "x</i>", "&nbsp;", "<b><i>x</b></i>"} {
		if _, err := tgfake.ParseHTML(bad); err == nil || !strings.Contains(err.Error(), "can't parse entities") {
			t.Errorf("ParseHTML(%q) accepted: %v", bad, err)
		}
	}
}

// TestWireFormat checks the envelope as raw JSON, the way Telegram sends it.
func TestWireFormat(t *testing.T) {
	s := tgfake.New("1:tok")
	defer s.Close()
	post := func(method string, form url.Values) map[string]any {
		resp, err := http.PostForm(s.URL()+"/bot1:tok/"+method, form)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: not JSON: %s", method, b)
		}
		return m
	}
	if m := post("getMe", nil); m["ok"] != true || m["result"].(map[string]any)["username"] != "kuaiji_test_bot" {
		t.Errorf("getMe: %v", m)
	}
	s.Fail("sendMessage", 429, 7)
	m := post("sendMessage", url.Values{"chat_id": {"5"}, "text": {"hi"}})
	if m["ok"] != false || m["error_code"] != float64(429) || m["parameters"].(map[string]any)["retry_after"] != float64(7) {
		t.Errorf("429: %v", m)
	}
	kb := `{"inline_keyboard":[[{"text":"x","callback_data":"","copy_text":{"text":""}}]]}`
	if m := post("sendMessage", url.Values{"chat_id": {"5"}, "text": {"hi"}, "reply_markup": {kb}}); m["error_code"] != float64(400) ||
		!strings.Contains(m["description"].(string), "BUTTON_COPY_TEXT_INVALID") {
		t.Errorf("empty callback_data accepted: %v", m)
	}
	if m := post("nope", nil); m["error_code"] != float64(404) {
		t.Errorf("unknown method: %v", m)
	}
	resp, _ := http.PostForm(s.URL()+"/bot9:other/getMe", nil)
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong token: %d", resp.StatusCode)
	}
	resp.Body.Close()
}

// TestLibraryAgainstFake drives go-telegram/bot: multipart requests, long
// polling, and the 429 error type.
func TestLibraryAgainstFake(t *testing.T) {
	s := tgfake.New("1:tok")
	defer s.Close()
	got := make(chan *models.Update, 1)
	b, err := tg.New("1:tok", tg.WithServerURL(s.URL()), tg.WithDefaultHandler(func(_ context.Context, _ *tg.Bot, u *models.Update) { got <- u }))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go b.Start(ctx)
	user := tgfake.User{ID: 5, FirstName: "u"}
	s.Text(user, "/start hello")
	select {
	case u := <-got:
		if u.Message == nil || u.Message.Text != "/start hello" || u.Message.Chat.ID != 5 || len(u.Message.Entities) != 1 {
			t.Errorf("update: %+v", u.Message)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no update")
	}
	s.Fail("sendMessage", 429, 3)
	_, err = b.SendMessage(ctx, &tg.SendMessageParams{ChatID: 5, Text: "x"})
	var tooMany *tg.TooManyRequestsError
	if !errors.As(err, &tooMany) || tooMany.RetryAfter != 3 {
		t.Errorf("429 error: %v", err)
	}
	msg, err := b.SendMessage(ctx, &tg.SendMessageParams{ChatID: 5, Text: "<b>粗</b>", ParseMode: models.ParseModeHTML,
		ReplyMarkup: &models.InlineKeyboardMarkup{InlineKeyboard: [][]models.InlineKeyboardButton{{{Text: "是", CallbackData: "v1|a|b|0"}}}}})
	if err != nil || msg.Text != "粗" {
		t.Fatalf("send: %+v %v", msg, err)
	}
	last, _ := s.Last(5)
	if b, ok := last.Button("是"); !ok || b.CallbackData != "v1|a|b|0" {
		t.Errorf("keyboard: %+v", last.ReplyMarkup)
	}
}

// TestDraftIDIsANonZeroInteger: the real Bot API refuses a draft_id that is
// not a non-zero integer, and so does the fake.
func TestDraftIDIsANonZeroInteger(t *testing.T) {
	s := tgfake.New("1:tok")
	defer s.Close()
	for id, ok := range map[string]bool{"12345": true, "": false, "0": false, "lz3k9a": false, "1.5": false} {
		resp, err := http.PostForm(s.URL()+"/bot1:tok/sendMessageDraft", url.Values{"chat_id": {"5"}, "draft_id": {id}, "text": {"写作中"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.StatusCode == http.StatusOK; got != ok {
			t.Errorf("draft_id %q: status %d, want accepted=%v", id, resp.StatusCode, ok)
		}
	}
}

// TestEditsRefusedAsTelegramDoes: editMessageReplyMarkup and
// editMessageText refuse what the Bot API refuses.
func TestEditsRefusedAsTelegramDoes(t *testing.T) {
	s := tgfake.New("1:tok")
	defer s.Close()
	post := func(method string, form url.Values) (bool, string) {
		resp, err := http.PostForm(s.URL()+"/bot1:tok/"+method, form)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m struct {
			OK          bool   `json:"ok"`
			Description string `json:"description"`
		}
		json.NewDecoder(resp.Body).Decode(&m)
		return m.OK, m.Description
	}
	kb := func(label, data string) string {
		return `{"inline_keyboard":[[{"text":"` + label + `","callback_data":"` + data + `"}]]}`
	}
	if ok, d := post("sendMessage", url.Values{"chat_id": {"5"}, "text": {"答"}, "reply_markup": {kb("👍", "v1|rate|x|up")}}); !ok {
		t.Fatal(d)
	}
	id := "1001"
	user, _ := s.Send(tgfake.Message{From: &tgfake.User{ID: 5}, Chat: tgfake.Chat{ID: 5, Type: "private"}, Text: "问"})
	for _, c := range []struct {
		name, method string
		form         url.Values
		want         string // "" for accepted
	}{
		{"same keyboard", "editMessageReplyMarkup", url.Values{"chat_id": {"5"}, "message_id": {id}, "reply_markup": {kb("👍", "v1|rate|x|up")}}, "message is not modified"},
		{"new keyboard", "editMessageReplyMarkup", url.Values{"chat_id": {"5"}, "message_id": {id}, "reply_markup": {kb("谢谢", "v1|rate|x|done")}}, ""},
		{"data over 64 bytes", "editMessageReplyMarkup", url.Values{"chat_id": {"5"}, "message_id": {id}, "reply_markup": {kb("x", strings.Repeat("d", 65))}}, "BUTTON_DATA_INVALID"},
		{"empty label", "editMessageReplyMarkup", url.Values{"chat_id": {"5"}, "message_id": {id}, "reply_markup": {kb("", "d")}}, "BUTTON_TEXT_INVALID"},
		{"no message id", "editMessageReplyMarkup", url.Values{"chat_id": {"5"}}, "message identifier is not specified"},
		{"a user's message", "editMessageReplyMarkup", url.Values{"chat_id": {"5"}, "message_id": {strconv.Itoa(user.MessageID)}}, "message can't be edited"},
		{"unknown message", "editMessageReplyMarkup", url.Values{"chat_id": {"5"}, "message_id": {"77"}}, "message to edit not found"},
		{"drop keyboard", "editMessageReplyMarkup", url.Values{"chat_id": {"5"}, "message_id": {id}}, ""},
		{"drop it again", "editMessageReplyMarkup", url.Values{"chat_id": {"5"}, "message_id": {id}, "reply_markup": {`{"inline_keyboard":[]}`}}, "message is not modified"},
		{"same text", "editMessageText", url.Values{"chat_id": {"5"}, "message_id": {id}, "text": {"答"}}, "message is not modified"},
		{"empty text", "editMessageText", url.Values{"chat_id": {"5"}, "message_id": {id}, "text": {""}}, "message text is empty"},
		{"new text", "editMessageText", url.Values{"chat_id": {"5"}, "message_id": {id}, "text": {"答\n\n✅ 不完整"}}, ""},
	} {
		ok, d := post(c.method, c.form)
		if c.want == "" && !ok || c.want != "" && (ok || !strings.Contains(d, c.want)) {
			t.Errorf("%s: ok %v %q, want %q", c.name, ok, d, c.want)
		}
	}
}
