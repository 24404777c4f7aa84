package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/kuaiji/kuaiji/internal/redistest"
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
	// A Redis database, a fake Bot API and a data directory of its own.
	t.Parallel()
	base := os.Getenv(redistest.EnvURL)
	if base == "" {
		t.Skip(redistest.EnvURL + " not set")
	}
	opt, err := redis.ParseURL(base)
	if err != nil {
		t.Fatal(err)
	}
	opt.DB = 10 // a database of its own: the dump sees only this test's keys
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	if err := rdb.FlushDB(context.Background()).Err(); err != nil {
		t.Fatal(err)
	}
	redisURL := fmt.Sprintf("redis://%s/10", opt.Addr)
	if opt.Password != "" {
		redisURL = fmt.Sprintf("redis://%s:%s@%s/10", opt.Username, opt.Password, opt.Addr)
	}
	token := fmt.Sprintf("%d:desk-privacy", rand.Int64N(1e9))
	api := tgfake.New(token)
	defer api.Close()
	staff := tgfake.Chat{ID: -100780, Type: "supergroup", Title: "帮助台"}
	api.SetChat(staff)
	agent := tgfake.User{ID: 501, FirstName: "客服小陈"}
	env := map[string]string{
		"TELEGRAM_BOT_TOKEN": token, "TELEGRAM_API_URL": api.URL(),
		"KUAIJI_STAFF_CHAT_ID": "-100780", "KUAIJI_STAFF_USER_IDS": "501",
		"REDIS_URL": redisURL, "KUAIJI_DATA_DIR": dataDir(t), "HTTP_ADDR": "off",
	}
	stop := onceStop(serveEnv(t, env))
	defer stop()

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
	wait := func(chat int64, from int, want string) tgfake.Message {
		t.Helper()
		var got tgfake.Message
		if !api.Until(20*time.Second, func() bool {
			for _, m := range api.Messages(chat)[from:] {
				if strings.Contains(m.Text, want) {
					got = m
					return true
				}
			}
			return false
		}) {
			var b strings.Builder
			for _, m := range api.Messages(chat)[from:] {
				b.WriteString(m.Text + "\n---\n")
			}
			t.Fatalf("no %q in chat %d after:\n%s", want, chat, b.String())
		}
		return got
	}
	seen := func(chat int64) int { return len(api.Messages(chat)) }
	button := func(m tgfake.Message, label string) string {
		t.Helper()
		for _, b := range m.Buttons() {
			if b.Text == label {
				return b.CallbackData
			}
		}
		t.Fatalf("no button %q on %q", label, m.Text)
		return ""
	}

	user := tgfake.User{ID: rand.Int64N(1e9) + 1, FirstName: "王会计"}
	n := seen(user.ID)
	api.Text(user, with("您好，我的信息：")+"。继续教育发票怎么开？"+with("麻烦核对"))
	wait(user.ID, n, "来源")
	api.Text(user, "/human")
	card := wait(staff.ID, 0, "工单 #1")
	n = seen(staff.ID)
	api.Text(user, with("补充一下，")+"，发票抬头能写单位吗？")
	wait(staff.ID, n, "补充一下")
	for _, reply := range []string{
		with("已核对您的信息") + "。缴费后可以在所选学习平台的个人中心申请电子发票。",
		"抬头可写单位名称，" + with("如有问题请联系"),
	} {
		n = seen(user.ID)
		api.Send(tgfake.Message{From: &agent, Chat: staff, Text: reply, ReplyToMessage: &card})
		wait(user.ID, n, "工作人员回复")
	}
	n = seen(staff.ID)
	api.Send(tgfake.Message{From: &agent, Chat: staff, Text: "/close", ReplyToMessage: &card})
	offer := wait(staff.ID, n, "整理为常见问题？")
	api.Press(agent, offer, button(offer, "整理为常见问题"))
	draft := wait(staff.ID, 0, "常见问题 FAQ-1") // the offer may become the card

	edit := func(label, prompt, text string) {
		t.Helper()
		n := seen(staff.ID)
		api.Press(agent, draft, button(draft, label))
		p := wait(staff.ID, n, prompt)
		n = seen(staff.ID)
		api.Send(tgfake.Message{From: &agent, Chat: staff, Text: text, ReplyToMessage: &p})
		draft = wait(staff.ID, n, "已修改")
	}
	edit("改问题", "写出新的问题", "继续教育发票怎么开？"+with("例如"))
	edit("改答复", "写出新的答复全文", "缴费后可在所选学习平台的个人中心申请电子发票，抬头可写单位名称。"+with("示例："))
	edit("加问法", "写出另一种问法", with("继教交完钱发票在哪开")+"\n"+with("继续教育的发票怎么申请"))
	api.Press(agent, draft, button(draft, "发布"))
	// Publishing over a built-in entry asks to confirm first; the card
	// may be edited in place.
	var confirm *tgfake.Message
	if !api.Until(20*time.Second, func() bool {
		for _, m := range api.Messages(staff.ID) {
			if strings.Contains(m.Text, "已发布 FAQ-1") {
				return true
			}
			for _, b := range m.Buttons() {
				if b.Text == "仍然发布" {
					confirm = &m
					return true
				}
			}
		}
		return false
	}) {
		t.Fatal("publishing FAQ-1 was not answered")
	}
	if confirm != nil {
		api.Press(agent, *confirm, button(*confirm, "仍然发布"))
		wait(staff.ID, 0, "已发布 FAQ-1")
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
	cli := func(args ...string) string {
		t.Helper()
		out, errOut, err := runEnv(t, env, "", args...)
		if err != nil {
			t.Fatalf("%v: %v\n%s", args, err, errOut)
		}
		return out
	}
	shown := cli("faq", "show", "1")
	// The entry is the ticket's, edited: what the check is about is there.
	for _, want := range []string{"继续教育发票怎么开", "个人中心申请电子发票", "继教交完钱发票在哪开"} {
		if !strings.Contains(shown, want) {
			t.Errorf("faq show 1 lacks %q:\n%s", want, shown)
		}
	}
	scan("kuaiji faq show", shown)
	scan("kuaiji faq list", cli("faq", "list", "--all"))
	file := filepath.Join(t.TempDir(), "desk.yaml")
	cli("faq", "export", file)
	exported, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(exported), "个人中心申请电子发票") {
		t.Errorf("the export lacks the entry:\n%s", exported)
	}
	scan("kuaiji faq export", string(exported))

	var staffSaw strings.Builder
	for _, m := range api.Messages(staff.ID) {
		staffSaw.WriteString(m.Text + "\n")
		for _, b := range m.Buttons() {
			staffSaw.WriteString(b.Text + " " + b.CallbackData + "\n")
		}
	}
	scan("the staff chat", staffSaw.String())
	if err := stop(); err != nil {
		t.Errorf("serve: %v", err)
	}
	scan("Redis", dumpAll(t, rdb))
}
