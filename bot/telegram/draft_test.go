package telegram_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kuaiji/kuaiji/bot/telegram"
)

func TestStreamedAnswerUsesDraftsThenOneFinalMessage(t *testing.T) {
	h := newHarness(t, telegram.WithDraftInterval(10*time.Millisecond))
	u := h.user(2301, "小流")
	u.send("流式：继续教育每年多少学分")
	final := u.wait("来源：")
	if !strings.Contains(final.Text, "90学分") {
		t.Fatalf("final message: %q", final.Text)
	}
	drafts := h.api.Calls("sendMessageDraft")
	if len(drafts) == 0 {
		t.Fatal("no sendMessageDraft while the answer was written")
	}
	for _, d := range drafts {
		if id, err := strconv.ParseInt(d.Params["draft_id"], 10, 64); err != nil || id == 0 {
			t.Errorf("draft_id %q is not a non-zero integer", d.Params["draft_id"])
		}
	}
	if n := len(h.api.Calls("editMessageText")); n != 0 {
		t.Errorf("drafts were refused: %d edits instead", n)
	}
	if !strings.Contains(drafts[len(drafts)-1].Params["text"], "继续教育") {
		t.Errorf("draft text %q", drafts[len(drafts)-1].Params["text"])
	}
	if n := countWith(h, u, "90学分"); n != 1 {
		t.Errorf("%d messages carry the answer, want exactly the final one", n)
	}
}

func TestStreamingFallsBackToEditsAndRemovesThePlaceholder(t *testing.T) {
	h := newHarness(t, telegram.WithDraftInterval(10*time.Millisecond))
	h.api.Fail("sendMessageDraft", 400, 0)
	u := h.user(2302, "小编")
	u.send("流式：继续教育每年多少学分")
	u.wait("来源：")
	if len(h.api.Calls("editMessageText")) == 0 || len(h.api.Calls("deleteMessage")) != 1 {
		t.Errorf("edits %d, deletes %d; want edits of a placeholder and one delete",
			len(h.api.Calls("editMessageText")), len(h.api.Calls("deleteMessage")))
	}
	if n := countWith(h, u, "继续教育"); n != 1 {
		t.Errorf("%d messages left with the answer text, want 1:\n%s", n, transcript(h.api.Messages(u.chat.ID)))
	}
}

func TestNonStreamedAnswerSendsNoDraft(t *testing.T) {
	h := newHarness(t, telegram.WithDraftInterval(10*time.Millisecond))
	u := h.user(2303, "小静")
	u.send("继续教育每年要多少学分？")
	u.wait("90学分")
	if n := len(h.api.Calls("sendMessageDraft")); n != 0 {
		t.Errorf("%d drafts for an answer that was not streamed", n)
	}
}

func countWith(h *harness, u *person, s string) int {
	n := 0
	for _, m := range h.api.Messages(u.chat.ID) {
		if strings.Contains(m.Text, s) {
			n++
		}
	}
	return n
}
