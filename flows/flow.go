// Package flows runs kuaiji's guided dialogs: eligibility checks, material
// checklists, transfers, walkthroughs and info changes. A [Flow] is data read
// from YAML by [Load]; the [Engine] is the only code. State lives behind
// [Store] (see flows/redisstore) so any process can continue any chat.
//
// Package flows imports neither knowledge nor bot: it declares what it
// consumes ([Places], [Documents], [Store], [AnswerFunc]).
package flows

// Flow is one guided dialog as declared in policies/flows/*.yaml.
type Flow struct {
	// ID names the flow in state and in button data; [a-z0-9_], short.
	ID string `yaml:"id"`
	// Title is shown in menus and in "继续上次的「…」？".
	Title string `yaml:"title"`
	// Label, when set, is the flow's button on a channel's start menu,
	// where buttons sit two to a row and the title may not fit
	// (是否需要采集 for 是否需要信息采集).
	Label string `yaml:"label"`
	// Command, when set, starts the flow from "/command" (without the slash).
	Command string `yaml:"command"`
	// Menu orders the flow in the menu; 0 keeps it out of the menu.
	Menu int `yaml:"menu"`
	// Description is one line for /help.
	Description string `yaml:"description"`
	// Version is bumped when steps change incompatibly; sessions of an older
	// version are reset with an apology.
	Version int `yaml:"version"`
	// Intro is said once when the flow starts.
	Intro string `yaml:"intro"`
	// Start is the first step.
	Start string `yaml:"start"`
	// Steps by id.
	Steps map[string]*Step `yaml:"steps"`
	// Requests are what people type to ask for this flow rather than ask a
	// question: each entry is words joined by "+" that must all occur in
	// the message ("帮我+判断"). The router starts the flow on a match.
	Requests []string `yaml:"requests"`
	// Suggest offers the flow at the end of an answer about its subject.
	Suggest *Suggest `yaml:"suggest"`

	docs Documents
}

// Suggest is the offer of a flow after an answer.
type Suggest struct {
	// Text ends the answer ("需要的话，我可以一步步帮您判断是否需要采集。").
	Text string `yaml:"text"`
	// Label is the button that starts the flow.
	Label string `yaml:"label"`
	// When lists the subjects, as Requests do ("要不要+采集"), found in
	// the question.
	When []string `yaml:"when"`
}

// Step is a question, a piece of information, or a result.
type Step struct {
	ID string `yaml:"-"`
	// Say is shown before Ask (information, or a result when End is set).
	// Templates: {key} is the display form of an answer or profile value,
	// {key.code} its stored value, {key.year}/{key.next_year} for dates.
	Say string `yaml:"say"`
	// Ask is the question; a step with Ask waits for an answer.
	Ask string `yaml:"ask"`
	// Parse says how free text is understood: yesno, level, place, date or
	// choice (the default when Choices are given).
	Parse string `yaml:"parse"`
	// Save is the key the answer is stored under.
	Save string `yaml:"save"`
	// Profile also keeps the answer in the user's profile under Save, and
	// skips the question when the profile already holds a value.
	Profile bool `yaml:"profile"`
	// Cues, for a place step, are the words a place follows when it
	// answers this step inside a sentence (到 in 从北京调到上海 for the
	// destination).
	Cues []string `yaml:"cues"`
	// AskAgain asks even when the profile holds a value (used by /province).
	AskAgain bool `yaml:"ask_again"`
	// Choices are rendered as buttons; Value is what is saved.
	Choices []Choice `yaml:"choices"`
	// Branch picks the next step from the answers so far; the first match wins.
	Branch []Branch `yaml:"branch"`
	// Next is the default next step.
	Next string `yaml:"next"`
	// Items are a numbered list shown after Say (a checklist or ordered steps).
	Items []Item `yaml:"items"`
	// Extras add jurisdiction-specific items from data, keyed by an answer.
	Extras []Extras `yaml:"extras"`
	// Note is shown after the items.
	Note string `yaml:"note"`
	// Cite lists document ids the result rests on; {key} templates allowed,
	// as in jur-{jurisdiction}. A result or a step that informs needs at
	// least one fixed id. The document is the authority: every number,
	// date, URL, document number and platform name in the step's texts must
	// appear in a cited document (extras keyed by a place may rest on that
	// place's guideline), which policies/facts_test.go checks.
	Cite []string `yaml:"cite"`
	// Offer adds buttons to a result: start another flow or ask for a human.
	Offer []Offer `yaml:"offer"`
	// Export offers the result as a text file (/export or a button).
	Export string `yaml:"export"`
	// Handoff marks a result that needs a person (the adapter may open a ticket).
	Handoff bool `yaml:"handoff"`
	// End finishes the flow after this step is shown.
	End bool `yaml:"end"`
	// Plain marks a step that states no policy fact (a confirmation, how to
	// send a photo): it needs no citation, and internal/factcheck checks
	// that it really states no number, date, URL or document number.
	Plain bool `yaml:"plain"`
}

// Choice is one button of a [Step].
type Choice struct {
	Label string `yaml:"label"`
	// Value is saved under the step's Save key; it defaults to Label.
	Value string `yaml:"value"`
	// Match lists more words that select this choice when typed alone;
	// inside a longer message the longest word found wins, so 不是派遣
	// beats 派遣.
	Match []string `yaml:"match"`
	// Noted is how the answer reads in 已记下：… (在职 rather than 是).
	Noted string `yaml:"noted"`
	// Next overrides the step's branching for this choice.
	Next string `yaml:"next"`
	// Back makes the button go one step back (上一步).
	Back bool `yaml:"back"`
	// Exit leaves the flow (退出).
	Exit bool `yaml:"exit"`
}

// Branch sends the dialog to Next when If holds.
type Branch struct {
	If   Cond   `yaml:"if"`
	Next string `yaml:"next"`
}

// Cond is a condition on answers and profile values; all its parts must hold.
type Cond struct {
	// Is requires each key's value to be one of the listed values ("" = unset).
	Is map[string][]string `yaml:"is"`
	// Not requires each key's value to be none of the listed values.
	Not map[string][]string `yaml:"not"`
	// Same requires all listed keys to hold the same, non-empty value.
	Same []string `yaml:"same"`
	// Related requires two place keys where one is the other's parent
	// (深圳 and 广东), which run separate registries.
	Related []string `yaml:"related"`
	// Earlier requires two date keys where the first falls in an earlier
	// year than the second; NotEarlier requires both dates and the first
	// in the same or a later year. Rules such as 海南's 孰早 compare years,
	// so months are ignored; an unset or skipped date satisfies neither.
	Earlier    []string `yaml:"earlier"`
	NotEarlier []string `yaml:"not_earlier"`
}

// Item is one entry of a numbered list, shown when If holds.
type Item struct {
	Text string `yaml:"text"`
	If   *Cond  `yaml:"if"`
}

// Extras are items that apply only to some jurisdictions, keyed by the
// code held in the answer Key.
type Extras struct {
	Key   string            `yaml:"key"`
	Items map[string][]Item `yaml:"items"`
}

// Offer is a button on a result.
type Offer struct {
	Label string `yaml:"label"`
	// Start names a flow to start.
	Start string `yaml:"start"`
	// Human asks for a person.
	Human bool `yaml:"human"`
}

// Waits reports whether the step waits for an answer.
func (s *Step) Waits() bool { return s.Ask != "" }

// ParseKind returns how free text is parsed at this step.
func (s *Step) ParseKind() string {
	if s.Parse != "" {
		return s.Parse
	}
	return "choice"
}
