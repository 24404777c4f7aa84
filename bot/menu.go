package bot

import (
	"github.com/kuaiji/kuaiji/flows"

	"github.com/kuaiji/kuaiji"
)

// What every channel shows that the router does not write: the greeting
// and menu of /start, the prompt of 政策问答, and the 转人工 buttons,
// defined once for the Telegram and web adapters.
const (
	// Greeting opens the /start menu.
	Greeting = "您好！我是会计人员信息采集与继续教育助手。\n" +
		"您可以直接输入问题，例如“广东继续教育需要多少学分？”，也可以点击下面的按钮，我会一步一步帮您办理。"
	// AskPrompt answers the 政策问答 button.
	AskPrompt = "请直接输入您的问题，例如：\n- 继续教育每年需要多少学分？\n- 深圳的公需课去哪里学？\n- 调到外省工作，会计人员信息要怎么转？"

	// NoStaffText answers 转人工 where no help desk is attached.
	NoStaffText = "抱歉，目前暂未开通在线人工服务。建议您直接联系属地财政部门（会计管理机构）咨询，" +
		"联系电话和办公地址可以在当地财政局官网的“会计管理”栏目查到。您也可以继续向我提问。"
	// TicketFailText answers 转人工 when the ticket could not be opened.
	TicketFailText = "抱歉，暂时无法转接人工服务。建议您稍后再试，或直接联系属地财政部门（会计管理机构）咨询。"
	// RelayFailText says a message did not reach staff.
	RelayFailText = "抱歉，您的消息暂时未能转给工作人员，请稍后再发送一次。"
)

// Callback data that adapters handle themselves rather than the engine.
const (
	DataAsk   = "v1|ask"
	DataHuman = flows.HumanData // the engine's; adapters add "|" and a reason
)

// Menu is the /start keyboard: 政策问答, the flows' menu (from their
// YAML, see [flows.Surface]) two to a row, and 转人工.
func Menu(s flows.Surface) [][]kuaiji.Button {
	items := append([]kuaiji.Button{{Label: "政策问答", Data: DataAsk}}, s.Menu...)
	var rows [][]kuaiji.Button
	for len(items) > 0 {
		n := min(2, len(items))
		rows, items = append(rows, items[:n:n]), items[n:]
	}
	return append(rows, []kuaiji.Button{{Label: "转人工", Data: DataHuman + "|menu"}})
}

// IsMenu reports whether a reply is the engine's welcome menu (every
// button starts a flow), which adapters with keyboards replace with
// [Menu] under [Greeting].
func IsMenu(r kuaiji.Reply) bool {
	if len(r.Buttons) == 0 {
		return false
	}
	for _, row := range r.Buttons {
		for _, b := range row {
			if !flows.IsStartData(b.Data) {
				return false
			}
		}
	}
	return true
}

// HandoffButtons are a reply's buttons with the engine's 人工服务 buttons
// told why they are offered ("stuck", "flow", "low"), and a 转人工 button
// added to a reply that asks for a person without offering one.
func HandoffButtons(r kuaiji.Reply) [][]kuaiji.Button {
	why := ""
	for _, row := range r.Buttons {
		for _, b := range row {
			if b.Data == flows.ExitData {
				why = "stuck"
			}
		}
	}
	if r.Handoff {
		why = "flow"
		if len(r.Sources) > 0 && len(r.Buttons) == 0 {
			why = "low"
		}
	}
	offered := false
	rows := make([][]kuaiji.Button, 0, len(r.Buttons)+1)
	for _, row := range r.Buttons {
		out := make([]kuaiji.Button, len(row))
		for i, b := range row {
			if b.Data == DataHuman {
				b.Data += "|" + why
				offered = true
			}
			out[i] = b
		}
		rows = append(rows, out)
	}
	if r.Handoff && !offered {
		rows = append(rows, []kuaiji.Button{{Label: "转人工", Data: DataHuman + "|" + why}})
	}
	return rows
}
