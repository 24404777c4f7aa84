package main

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/kuaiji/kuaiji/internal/tgfake"
)

// action is one turn of the script: typed text, or "[label]" to press the
// newest button with that label.
type action string

// script mixes questions and flows, by buttons and by free text.
var script = []action{
	"/start",
	"[政策问答]",
	"继续教育每年要多少学分？",
	"/check",
	"[中级]",
	"[是]",
	"不是",
	"[跳过]",
	"深圳的公需课去哪里学？",
	"/transfer",
	"深圳",
	"内蒙古",
	"/cancel",
	"/human",
	"/cancel",
	"/forget",
}

// steps is the script, without its hand-off (a ticket opened with /human,
// then closed by the user with /cancel: turns 13 and 14) when handoff is
// false.
func steps(handoff bool) []action {
	if handoff {
		return script
	}
	return append(append([]action(nil), script[:13]...), script[15:]...)
}

// reference runs the script in a lone chat and returns how many messages
// the chat holds after each turn: it waits for the first reply, then for
// quiet.
func reference(api *tgfake.Server, chat int64, steps []action, timeout time.Duration) ([]int, error) {
	var counts []int
	for i, a := range steps {
		before := api.Count(chat)
		if err := act(api, chat, a); err != nil {
			return nil, err
		}
		if !api.WaitCount(chat, before+1, timeout) {
			return nil, fmt.Errorf("chat %d turn %d: no reply", chat, i)
		}
		for n := api.Count(chat); ; n = api.Count(chat) {
			time.Sleep(200 * time.Millisecond)
			if api.Count(chat) == n {
				break
			}
		}
		counts = append(counts, api.Count(chat))
	}
	return counts, nil
}

// drive runs the script in chat, calling before(i) ahead of turn i, pausing think() between turns as a
// person reading would, and returns each turn's latency: from the update
// being queued to the turn's last message (counts, from [reference])
// arriving.
func drive(api *tgfake.Server, chat int64, steps []action, counts []int, timeout time.Duration, think func() time.Duration, before func(turn int)) ([]time.Duration, error) {
	var out []time.Duration
	base := api.Count(chat)
	for i, a := range steps {
		before(i)
		time.Sleep(think())
		t0 := time.Now()
		if err := act(api, chat, a); err != nil {
			return out, err
		}
		want := base + counts[i]
		if !api.WaitCount(chat, want, timeout) {
			return out, fmt.Errorf("chat %d turn %d: %d messages missing", chat, i, want-api.Count(chat))
		}
		out = append(out, time.Since(t0))
	}
	return out, nil
}

// act types a text or presses the newest button with a label.
func act(api *tgfake.Server, chat int64, a action) error {
	user := tgfake.User{ID: chat, FirstName: fmt.Sprintf("用户%d", chat)}
	label, ok := strings.CutPrefix(string(a), "[")
	if !ok {
		api.Text(user, string(a))
		return nil
	}
	label = strings.TrimSuffix(label, "]")
	msg, data, ok := newestButton(api.Messages(chat), label)
	if !ok {
		return fmt.Errorf("chat %d: no button %q", chat, label)
	}
	api.Press(user, msg, data)
	return nil
}

func newestButton(ms []tgfake.Message, label string) (tgfake.Message, string, bool) {
	for i := len(ms) - 1; i >= 0; i-- {
		if b, ok := ms[i].Button(label); ok {
			return ms[i], b.CallbackData, true
		}
	}
	return tgfake.Message{}, "", false
}

// sameTranscript reports whether got is want repeated rounds times, text
// for text (user names differ nowhere in replies).
func sameTranscript(got, want []tgfake.Message, rounds int) bool {
	if len(got) != len(want)*rounds {
		return false
	}
	for i, m := range got {
		if ticketRef.ReplaceAllString(m.Text, "#N") != ticketRef.ReplaceAllString(want[i%len(want)].Text, "#N") {
			return false
		}
	}
	return true
}

// ticketRef is a ticket number, which differs between chats.
var ticketRef = regexp.MustCompile(`#\d+`)
