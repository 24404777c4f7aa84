package flows

import (
	"sort"

	"github.com/kuaiji/kuaiji"
)

// What a channel shows before the first message — its menu, its list of
// commands and its deep links — comes from the flows' YAML (title:,
// label:, menu:, command:, description:) and the engine's own commands,
// here. A flow added as YAML alone appears in all three; adapters add only
// what is theirs (政策问答, 转人工).

// Command is a slash command the engine answers, as a channel announces
// it (Telegram's setMyCommands).
type Command struct {
	// Name is the command without the slash.
	Name string
	// Description is one line: a flow's description:, else its title.
	Description string
}

// Surface is what a channel shows of the engine before any message.
type Surface struct {
	// Menu holds one button per menu flow, in menu order, labelled for a
	// keyboard (label:, else title:).
	Menu []kuaiji.Button
	// Commands are the commands to announce, in order: start, help, the
	// flows' commands (menu flows first), profile, human and cancel.
	Commands []Command
	// Links maps a deep-link payload (t.me/<bot>?start=<payload>) to the
	// command it runs ("transfer" → "/transfer"): each flow's command,
	// profile and help.
	Links map[string]string
}

// builtins are the engine's own commands that a channel announces, with
// where the flows' commands go between them; /back, /export and /forget
// are listed by /help only.
var builtins = []Command{
	{"start", "开始使用，显示服务菜单"},
	{"help", "使用帮助"},
	{"", ""}, // the flows' commands
	{"profile", "查看我记住的资料"},
	{"human", "转人工服务"},
	{"cancel", "退出当前流程或结束人工服务"},
}

// reservedCommands are the engine's commands that no flow may take.
var reservedCommands = map[string]bool{
	"start": true, "help": true, "menu": true, "cancel": true, "back": true,
	"profile": true, "forget": true, "export": true, "human": true,
}

// Surface returns the engine's [Surface].
func (e *Engine) Surface() Surface { return e.surface }

// commandFlows are the flows with a command: menu flows in menu order,
// then the others by id.
func (e *Engine) commandFlows() []*Flow {
	var out, rest []*Flow
	for _, f := range e.menu {
		if f.Command != "" {
			out = append(out, f)
		}
	}
	for _, f := range e.flows {
		if f.Menu == 0 && f.Command != "" {
			rest = append(rest, f)
		}
	}
	sort.Slice(rest, func(a, b int) bool { return rest[a].ID < rest[b].ID })
	return append(out, rest...)
}

func (e *Engine) buildSurface() Surface {
	s := Surface{Links: map[string]string{"profile": "/profile", "help": "/help"}}
	for _, f := range e.menu {
		label := f.Label
		if label == "" {
			label = f.Title
		}
		s.Menu = append(s.Menu, kuaiji.Button{Label: label, Data: StartData(f.ID)})
	}
	for _, c := range builtins {
		if c.Name != "" {
			s.Commands = append(s.Commands, c)
			continue
		}
		for _, f := range e.commandFlows() {
			desc := f.Description
			if desc == "" {
				desc = f.Title
			}
			s.Commands = append(s.Commands, Command{Name: f.Command, Description: desc})
			s.Links[f.Command] = "/" + f.Command
		}
	}
	return s
}
