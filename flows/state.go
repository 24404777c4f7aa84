package flows

import (
	"context"
	"errors"

	"github.com/kuaiji/kuaiji"
)

// SchemaVersion is the layout of [Session]; sessions stored under another
// schema are reset with an apology.
const SchemaVersion = 1

// Errors a [Store] returns.
var (
	// ErrConflict means the session changed since it was loaded; the
	// engine reloads and retries.
	ErrConflict = errors.New("session changed concurrently")
	// ErrUnavailable wraps any failure to reach the store: guided flows
	// pause, questions are still answered.
	ErrUnavailable = errors.New("flow state store unavailable")
	// ErrCorrupt wraps a session or profile that could not be decoded; the
	// snapshot returned alongside is usable with the broken part emptied.
	ErrCorrupt = errors.New("stored state is corrupt")
)

// Session is the state of one chat.
type Session struct {
	Schema int `json:"sv"`
	// Flow and Step are where the chat stands; empty outside a flow.
	Flow        string `json:"f,omitempty"`
	FlowVersion int    `json:"fv,omitempty"`
	Step        string `json:"s,omitempty"`
	// Answers of the current flow by key (codes, never free text).
	Answers map[string]string `json:"a,omitempty"`
	// Trail is the stack of steps answered in this flow, for /back.
	Trail []string `json:"t,omitempty"`
	// Misses counts unparseable answers at the current step.
	Misses int `json:"m,omitempty"`
	// Turn counts the inputs that changed this session.
	Turn int64 `json:"n,omitempty"`
	// Updated is the Unix time of the last change.
	Updated int64 `json:"u,omitempty"`
	// Last is the most recent finished flow, for /export.
	Last *Finished `json:"l,omitempty"`
	// History holds the last few question-and-answer turns, masked and
	// shortened, for follow-up questions.
	History []kuaiji.Turn `json:"h,omitempty"`
}

// Finished is a flow that reached a result.
type Finished struct {
	Flow    string            `json:"f"`
	Step    string            `json:"s"`
	Answers map[string]string `json:"a,omitempty"`
}

// Profile is what is remembered about a user across flows and chats:
// keys such as jurisdiction, level and working, with codes as values.
type Profile map[string]string

// ProfileLabels name the profile keys for /profile.
var ProfileLabels = map[string]string{
	"jurisdiction": "所在地区",
	"level":        "会计专业技术资格（职称）",
	"working":      "是否从事会计工作",
}

// Snapshot is a session and profile as loaded, with the version the next
// save must match.
type Snapshot struct {
	Session Session
	Profile Profile
	// Version of the session when loaded; 0 when none was stored.
	Version int64
	// ProfileChanged asks Save to write the profile (an empty one is deleted).
	ProfileChanged bool
	// Replace asks Save to overwrite a stored session whose version could
	// not be read (not a number, or a key of the wrong type) instead of
	// comparing versions, which could never match. Load sets it together
	// with ErrCorrupt; Save still reports ErrConflict when another writer
	// repaired the session first.
	Replace bool
}

// Store keeps sessions per chat and profiles per user.
type Store interface {
	// Load returns the chat's session and the user's profile in one round
	// trip. A missing or expired session is a zero Session and Version 0.
	// Errors wrap ErrUnavailable or ErrCorrupt.
	Load(ctx context.Context, chat, user int64) (Snapshot, error)
	// Save writes s.Session if the stored version still equals s.Version,
	// and the profile when s.ProfileChanged, atomically. It returns
	// ErrConflict when another writer came first, or an error wrapping
	// ErrUnavailable.
	Save(ctx context.Context, chat, user int64, s Snapshot) error
}

// validState reports whether every step s names exists in f and waits for
// an answer, as the engine leaves them; the answers are codes any step may
// read, so they need no check.
func validState(f *Flow, s *Session) bool {
	waits := func(id string) bool { st := f.Steps[id]; return st != nil && st.Waits() }
	if !waits(s.Step) || s.Misses < 0 {
		return false
	}
	for _, id := range s.Trail {
		if !waits(id) {
			return false
		}
	}
	return true
}
