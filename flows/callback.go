package flows

import (
	"strconv"
	"strings"
)

// Callback data, spelled here only. Every button carries "v1|…": a press
// on a button of an older release is recognised as stale instead of being
// misread, and the adapters' own buttons ("v1|ask") share the version. The
// loader checks that the longest data fits [MaxButtonData].

const dataPrefix = "v1|"

// Data of the engine's fixed buttons.
const (
	// MenuData shows the menu of flows.
	MenuData = dataPrefix + "menu"
	// HumanData asks for a person; adapters append "|" and the reason a
	// button is offered for.
	HumanData = dataPrefix + "human"
	// ExitData leaves the current flow.
	ExitData = dataPrefix + "exit"
	// ExportData sends the last finished result as a file.
	ExportData = dataPrefix + "export"
)

// StartData is the data of a button that starts flow id.
func StartData(id string) string { return dataPrefix + "go|" + id }

// IsStartData reports whether data starts a flow.
func IsStartData(data string) bool { return strings.HasPrefix(data, dataPrefix+"go|") }

// ResumeData is the data of a button for a paused flow: how is "go"
// (continue), "restart" or "end".
func ResumeData(how string) string { return dataPrefix + "resume|" + how }

// choiceData answers step with its i-th choice.
func choiceData(flow, step string, i int) string { return stepData(flow, step, strconv.Itoa(i)) }

// valueData answers step with a stored value (a suggested place, a
// profile answer to keep).
func valueData(flow, step, v string) string { return stepData(flow, step, "="+v) }

// redoData asks step again (修改 of a prefilled answer).
func redoData(flow, step string) string { return stepData(flow, step, "redo") }

func stepData(flow, step, arg string) string { return dataPrefix + flow + "|" + step + "|" + arg }

// press is pressed button data, decoded: kind is the word after the
// version (menu, human, exit, export, back, help, go, resume, or the flow
// of a step's button) and args the parts after it.
type press struct {
	kind string
	args []string
}

// decodePress reads data; false for data of another version.
func decodePress(data string) (press, bool) {
	rest, ok := strings.CutPrefix(data, dataPrefix)
	if !ok {
		return press{}, false
	}
	parts := strings.Split(rest, "|")
	return press{kind: parts[0], args: parts[1:]}, true
}
