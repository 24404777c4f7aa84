package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kuaiji/kuaiji/internal/tgfake"
	"github.com/kuaiji/kuaiji/privacy/privacytest"
)

// TestServeFAQEntryLeaksNoIdentifiers proves that nothing personal
// reaches a help-desk FAQ entry. Through kuaiji serve on the fake Bot API
// and a real Redis, a ticket's user messages and staff replies carry
// identifiers of every kind, written every way the generator writes them
// (grouped, full-width, with invisible characters, +86, glued to
// letters); the draft made from the closed ticket is edited with more of
// them (question, answer, paraphrases) and published. The staff chat, the
// entry as `faq show` and `faq list` print it, the export and every
// Redis key are then scanned by the independent detector.
func TestServeFAQEntryLeaksNoIdentifiers(t *testing.T) {
	// A Redis database (the dump sees only this test's keys), a fake Bot
	// API and a data directory of its own.
	t.Parallel()
	h := newServeHarness(t, withRedisDB(10), withStaff(-100780), withEnv("HTTP_ADDR", "off"))
	staff := h.staff.ID

	g := privacytest.New(16)
	var planted []privacytest.ID
	// with is text with identifiers of every kind written into it, each
	// kind twice so that more of the ways of writing them come up.
	with := func(text string) string {
		var ids []privacytest.ID
		for range 2 {
			ids = append(ids, g.Mobile(), g.IDCard18(), g.IDCard18X(), g.IDCard15(), g.BankCard(), g.EmailAddr())
		}
		planted = append(planted, ids...)
		return text + g.Text(ids)
	}
	seen := h.api.Count

	user := newUser("王会计")
	n := seen(user.ID)
	h.api.Text(user, with("您好，我的信息：")+"。继续教育发票怎么开？"+with("麻烦核对"))
	h.waitFrom(user.ID, n, "来源")
	h.api.Text(user, "/human")
	card := h.wait(staff, "工单 #1")
	n = seen(staff)
	h.api.Text(user, with("补充一下，")+"，发票抬头能写单位吗？")
	h.waitFrom(staff, n, "补充一下")
	for _, reply := range []string{
		with("已核对您的信息") + "。缴费后可以在所选学习平台的个人中心申请电子发票。",
		"抬头可写单位名称，" + with("如有问题请联系"),
	} {
		n = seen(user.ID)
		h.staffReply(card, reply)
		h.waitFrom(user.ID, n, "工作人员回复")
	}
	n = seen(staff)
	h.staffReply(card, "/close")
	offer := h.waitFrom(staff, n, "整理为常见问题？")
	h.press(offer, "整理为常见问题")
	draft := h.wait(staff, "常见问题 FAQ-1") // the offer may become the card

	edit := func(label, prompt, text string) {
		t.Helper()
		n := seen(staff)
		h.press(draft, label)
		p := h.waitFrom(staff, n, prompt)
		n = seen(staff)
		h.staffReply(p, text)
		draft = h.waitFrom(staff, n, "已修改")
	}
	edit("改问题", "写出新的问题", "继续教育发票怎么开？"+with("例如"))
	edit("改答复", "写出新的答复全文", "缴费后可在所选学习平台的个人中心申请电子发票，抬头可写单位名称。"+with("示例："))
	edit("加问法", "写出另一种问法", with("继教交完钱发票在哪开")+"\n"+with("继续教育的发票怎么申请"))
	h.press(draft, "发布")
	// Publishing over a built-in entry asks to confirm first; the card
	// may be edited in place.
	var confirm *tgfake.Message
	h.waitMatch(staff, 0, "answer to publishing FAQ-1", func(m tgfake.Message) bool {
		if strings.Contains(m.Text, "已发布 FAQ-1") {
			return true
		}
		if _, ok := m.Button("仍然发布"); ok {
			confirm = &m
			return true
		}
		return false
	})
	if confirm != nil {
		h.press(*confirm, "仍然发布")
		h.wait(staff, "已发布 FAQ-1")
	}

	scan := func(where, text string) {
		t.Helper()
		if len(planted) < 60 {
			t.Fatalf("only %d identifiers planted", len(planted))
		}
		if leaks := privacytest.Leaks(text, planted); len(leaks) > 0 {
			t.Errorf("%s holds identifiers in clear: %v\n%s", where, leaks, text)
		}
	}
	shown := h.cli("faq", "show", "1")
	// The entry is the ticket's, edited: what the check is about is there.
	for _, want := range []string{"继续教育发票怎么开", "个人中心申请电子发票", "继教交完钱发票在哪开"} {
		if !strings.Contains(shown, want) {
			t.Errorf("faq show 1 lacks %q:\n%s", want, shown)
		}
	}
	scan("kuaiji faq show", shown)
	scan("kuaiji faq list", h.cli("faq", "list", "--all"))
	file := filepath.Join(t.TempDir(), "desk.yaml")
	h.cli("faq", "export", file)
	exported, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(exported), "个人中心申请电子发票") {
		t.Errorf("the export lacks the entry:\n%s", exported)
	}
	scan("kuaiji faq export", string(exported))

	var staffSaw strings.Builder
	for _, m := range h.api.Messages(staff) {
		staffSaw.WriteString(m.Text + "\n")
		for _, b := range m.Buttons() {
			staffSaw.WriteString(b.Text + " " + b.CallbackData + "\n")
		}
	}
	scan("the staff chat", staffSaw.String())
	if err := h.stop(); err != nil {
		t.Errorf("serve: %v", err)
	}
	scan("Redis", h.redisDump())
}
