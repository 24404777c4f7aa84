package main

import (
	"strings"
	"testing"
	"time"

	"github.com/kuaiji/kuaiji/privacy/privacytest"
)

// TestServeLeaksNoIdentifiers is a conversation full of identifiers
// written the ways users write them (in pieces, glued to letters, with
// invisible characters) through kuaiji serve on the fake Bot API and a
// real Redis: questions, a flow, a hand-off with staff replies, and
// /forget. Every value in Redis, the logs, kuaiji gaps, kuaiji tickets and
// every message the staff chat received are then scanned by the
// independent detector.
func TestServeLeaksNoIdentifiers(t *testing.T) {
	// A Redis database (so that the scan sees only this test's keys), a
	// fake Bot API and a data directory of its own.
	t.Parallel()
	h := newServeHarness(t, withRedisDB(7), withStaff(-100778), withEnv("KUAIJI_LOG_LEVEL", "debug", "HTTP_ADDR", "off"))

	g := privacytest.New(2026)
	var planted []privacytest.ID
	phone := g.Mobile()
	planted = append(planted, phone)
	user := newUser("王 tel" + phone.Value)
	say := func(text string) {
		t.Helper()
		h.say(user, text)
	}
	message := func(prefix string) string {
		ids := []privacytest.ID{g.Any(), g.Any()}
		planted = append(planted, ids...)
		return prefix + g.Text(ids)
	}
	fixed := []privacytest.ID{{Kind: privacytest.Phone, Value: "13812345678"}, {Kind: privacytest.Phone, Value: "13912345678"},
		{Kind: privacytest.ID18, Value: "110105199001011234"}}
	planted = append(planted, fixed...)

	say("/start")
	say("电话 13812345678 13912345678，继续教育每年要多少学分？")
	say("110105199001011234 13812345678 外籍人员怎样办理信息采集")
	for range 3 {
		say(message("继续教育学分怎么查？"))
	}
	say("/transfer")
	say("深圳")
	say(message("我的情况："))
	say("/human")
	card := h.wait(h.staff.ID, "工单 #1")
	for range 2 {
		text := message("请帮我核对：")
		h.next(h.staff.ID, func() { h.api.Text(user, text) })
	}
	text := "好的，已收到，" + message("请确认：")
	h.next(user.ID, func() { h.staffReply(card, text) })

	scan := func(where, text string) {
		t.Helper()
		if leaks := privacytest.Leaks(text, planted); len(leaks) > 0 {
			t.Errorf("%s holds identifiers in clear: %v\n%s", where, leaks, text)
		}
	}
	scan("kuaiji gaps", h.cli("gaps", "--since", "1d", "--min-confidence", "1.01"))
	scan("kuaiji tickets", h.cli("tickets", "--status", "all"))
	scan("kuaiji tickets show", h.cli("tickets", "show", "1"))
	scan("Redis before /forget", h.redisDump())

	say("/forget")
	time.Sleep(200 * time.Millisecond) // the turn's own bookkeeping
	if err := h.stop(); err != nil {
		t.Errorf("serve: %v", err)
	}

	var staffSaw strings.Builder
	for _, m := range h.api.Messages(h.staff.ID) {
		staffSaw.WriteString(m.Text + "\n")
	}
	scan("staff chat", staffSaw.String())
	logs := h.logs()
	scan("logs", logs)
	after := h.redisDump()
	scan("Redis after /forget", after)
	scan("kuaiji gaps after /forget", h.cli("gaps", "--since", "1d", "--min-confidence", "1.01"))
	scan("kuaiji tickets show after /forget", h.cli("tickets", "show", "1"))
	for _, clear := range []string{"继续教育学分怎么查", "请帮我核对", "外籍人员怎样办理"} {
		if strings.Contains(after, clear) {
			t.Errorf("Redis keeps the user's text %q after /forget", clear)
		}
	}
	if strings.Count(logs, "\n") < 5 {
		t.Errorf("too few log lines to mean anything:\n%s", logs)
	}
}
