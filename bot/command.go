package bot

import (
	"strings"

	"github.com/kuaiji/kuaiji/flows"
)

// ParseCommand splits a command such as "/province@kuaiji_bot 深圳" into
// "province" and "深圳"; a text that is not a command gives "", "". Every
// adapter and the router read commands with it.
func ParseCommand(text string) (cmd, arg string) {
	if !strings.HasPrefix(text, "/") {
		return "", ""
	}
	cmd, arg, _ = strings.Cut(strings.TrimPrefix(text, "/"), " ")
	cmd, _, _ = strings.Cut(cmd, "@")
	return strings.ToLower(cmd), strings.TrimSpace(arg)
}

// AsksForPerson reports whether m asks for a person — /human, the deep
// link /start human, or a 人工服务/转人工 button — and why: "cmd" for the
// command, else the reason the button carries ("menu", "low", "flow",
// "stuck" or ""). This is the one place that decides it: adapters with a
// help desk open a ticket, and the router answers the others with its
// hand-off text.
func AsksForPerson(m Message) (why string, ok bool) {
	if m.Callback != "" {
		rest, ok := strings.CutPrefix(m.Callback, flows.HumanData)
		if !ok || rest != "" && rest[0] != '|' {
			return "", false
		}
		return strings.TrimPrefix(rest, "|"), true
	}
	switch cmd, arg := ParseCommand(strings.TrimSpace(m.Text)); {
	case cmd == "human", cmd == "start" && arg == "human":
		return "cmd", true
	}
	return "", false
}
