package flows

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// MaxButtonData is the most bytes a button may carry (Telegram's limit).
const MaxButtonData = 64

var (
	flowIDRe = regexp.MustCompile(`^[a-z][a-z0-9_]{0,15}$`)
	stepIDRe = regexp.MustCompile(`^[a-z][a-z0-9_]{0,23}$`)
	tmplRe   = regexp.MustCompile(`\{([a-z_]+)(?:\.([a-z_]+))?\}`)
	// reserved are the button verbs that share the first field with flow ids.
	reserved = map[string]bool{"go": true, "menu": true, "human": true, "resume": true, "exit": true,
		"export": true, "help": true, "back": true}
	parseKinds = map[string]bool{"yesno": true, "level": true, "place": true, "date": true, "choice": true}
)

// Load reads every *.yaml file in dir of fsys as a [Flow] and validates it:
// ids are well-formed and unique, every next names a step, every button fits
// in [MaxButtonData] bytes, every cited document exists in docs, every
// result and every step that informs cites at least one fixed document
// (unless marked plain), every template names a saved answer, and every
// offer names a flow.
func Load(fsys fs.FS, dir string, docs Documents) ([]*Flow, error) {
	if docs == nil {
		return nil, errors.New("load flows: no documents to check citations against")
	}
	names, err := fs.Glob(fsys, path.Join(dir, "*.yaml"))
	if err != nil {
		return nil, fmt.Errorf("load flows: %w", err)
	}
	sort.Strings(names)
	var out []*Flow
	ids := map[string]string{}
	cmds := map[string]string{}
	var errs []error
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("load flows: %w", err)
		}
		f, err := Parse(b, docs)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
			continue
		}
		if other, dup := ids[f.ID]; dup {
			errs = append(errs, fmt.Errorf("%s: flow id %q already used by %s", name, f.ID, other))
			continue
		}
		ids[f.ID] = name
		if f.Command != "" {
			if other, dup := cmds[f.Command]; dup {
				errs = append(errs, fmt.Errorf("%s: command /%s already used by %s", name, f.Command, other))
			}
			cmds[f.Command] = name
		}
		out = append(out, f)
	}
	for _, f := range out {
		for _, s := range f.Steps {
			for _, o := range s.Offer {
				if o.Start != "" && ids[o.Start] == "" {
					errs = append(errs, fmt.Errorf("flow %s step %s: offer starts unknown flow %q", f.ID, s.ID, o.Start))
				}
			}
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("load flows: %w", errors.Join(errs...))
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("load flows: no *.yaml in %s", dir)
	}
	return out, nil
}

// Parse reads and validates one flow; offers naming other flows are checked
// by [Load].
func Parse(b []byte, docs Documents) (*Flow, error) {
	var f Flow
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("parse flow: %w", err)
	}
	f.docs = docs
	if err := f.validate(); err != nil {
		return nil, err
	}
	return &f, nil
}

func (f *Flow) validate() error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	if !flowIDRe.MatchString(f.ID) || reserved[f.ID] {
		return fmt.Errorf("flow id %q must match %s and not be one of the reserved words", f.ID, flowIDRe)
	}
	if f.Title == "" {
		bad("flow %s: title is required", f.ID)
	}
	if f.Command != "" && !flowIDRe.MatchString(f.Command) {
		bad("flow %s: command %q must match %s", f.ID, f.Command, flowIDRe)
	}
	if reservedCommands[f.Command] {
		bad("flow %s: command /%s is one of the engine's own", f.ID, f.Command)
	}
	if f.Steps[f.Start] == nil {
		bad("flow %s: start step %q does not exist", f.ID, f.Start)
	}
	f.checkWords(bad)
	keys := map[string]bool{}
	for k := range ProfileLabels {
		keys[k] = true
	}
	for id, s := range f.Steps {
		if s == nil {
			return fmt.Errorf("flow %s: step %s is empty", f.ID, id)
		}
		s.ID = id
		if s.Waits() && len(s.Choices) == 0 {
			switch s.ParseKind() {
			case "yesno":
				s.Choices = []Choice{{Label: "是", Value: "yes"}, {Label: "否", Value: "no"}}
			case "level":
				for _, l := range []string{LevelNone, LevelJunior, LevelIntermediate, LevelSenior, LevelProfessor} {
					s.Choices = append(s.Choices, Choice{Label: LevelNames[l], Value: l})
				}
			}
		}
		if s.Save != "" {
			keys[s.Save] = true
		}
	}
	ids := make([]string, 0, len(f.Steps))
	for id := range f.Steps {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		s := f.Steps[id]
		where := fmt.Sprintf("flow %s step %s", f.ID, id)
		if !stepIDRe.MatchString(id) {
			bad("%s: step id must match %s", where, stepIDRe)
		}
		checkNext := func(next, what string) {
			if next != "" && f.Steps[next] == nil {
				bad("%s: %s %q does not exist", where, what, next)
			}
		}
		checkNext(s.Next, "next")
		for _, br := range s.Branch {
			checkNext(br.Next, "branch next")
			if br.Next == "" {
				bad("%s: branch without next", where)
			}
			f.checkCond(&br.If, keys, where, bad)
		}
		for i, c := range s.Choices {
			checkNext(c.Next, "choice next")
			if c.Label == "" {
				bad("%s: choice %d has no label", where, i+1)
			}
			if n := len(choiceData(f.ID, id, i)); n > MaxButtonData {
				bad("%s: button data is %d bytes, more than %d", where, n, MaxButtonData)
			}
		}
		for _, o := range s.Offer {
			if o.Label == "" || (o.Start == "") == !o.Human {
				bad("%s: an offer needs a label and either start or human", where)
			}
			if n := len(StartData(o.Start)); n > MaxButtonData {
				bad("%s: offer button data is %d bytes", where, n)
			}
		}
		switch {
		case s.End && s.Ask != "":
			bad("%s: an end step cannot ask", where)
		case s.End && (s.Next != "" || len(s.Branch) > 0):
			bad("%s: an end step has no next", where)
		case !s.End && !s.Waits() && s.Next == "" && len(s.Branch) == 0:
			bad("%s: a step that neither asks nor ends needs next or branch", where)
		case s.Waits() && s.Next == "" && len(s.Branch) == 0 && !allChoicesRoute(s):
			bad("%s: some answers lead nowhere (add next)", where)
		}
		if s.Waits() {
			k := s.ParseKind()
			if !parseKinds[k] {
				bad("%s: unknown parse %q", where, k)
			}
			if k == "choice" && len(s.Choices) == 0 {
				bad("%s: a choice step needs choices", where)
			}
			if (k == "place" || k == "date" || k == "level" || k == "yesno") && s.Save == "" {
				bad("%s: parse %s needs save", where, k)
			}
			if k == "yesno" {
				for _, c := range s.Choices {
					if v := c.value(); !c.Back && !c.Exit && v != "yes" && v != "no" {
						bad("%s: yesno choice values are yes or no, not %q", where, v)
					}
				}
			}
			if k == "level" {
				for _, c := range s.Choices {
					if _, ok := LevelNames[c.value()]; !ok && !c.Back && !c.Exit {
						bad("%s: level choice value %q is not a level", where, c.value())
					}
				}
			}
		}
		if s.Profile && (s.Save == "" || ProfileLabels[s.Save] == "") {
			bad("%s: profile steps save one of the profile keys", where)
		}
		for _, text := range []string{s.Say, s.Ask, s.Note} {
			checkTemplate(text, keys, where, bad)
		}
		for _, it := range s.Items {
			checkTemplate(it.Text, keys, where, bad)
			if it.If != nil {
				f.checkCond(it.If, keys, where, bad)
			}
		}
		for _, ex := range s.Extras {
			if !keys[ex.Key] {
				bad("%s: extras key %q is never saved", where, ex.Key)
			}
			for _, list := range ex.Items {
				for _, it := range list {
					checkTemplate(it.Text, keys, where, bad)
					if it.If != nil {
						f.checkCond(it.If, keys, where, bad)
					}
				}
			}
		}
		// A result or a piece of information states facts, and a fact
		// without its source cannot be checked by the reader or by
		// internal/factcheck. A template alone may resolve to nothing (an
		// unknown jurisdiction), so at least one fixed document is required.
		if (s.End || s.Say != "") && !s.Plain && !citesFixed(s.Cite) {
			bad("%s: a result must cite at least one document by a fixed id", where)
		}
		for _, c := range s.Cite {
			if strings.Contains(c, "{") {
				checkTemplate(c, keys, where, bad)
				continue
			}
			if _, ok := f.docs.Title(c); !ok {
				bad("%s: cited document %q does not exist", where, c)
			}
		}
	}
	return errors.Join(errs...)
}

func citesFixed(cite []string) bool {
	for _, c := range cite {
		if !strings.Contains(c, "{") {
			return true
		}
	}
	return false
}

func allChoicesRoute(s *Step) bool {
	if len(s.Choices) == 0 {
		return false
	}
	for _, c := range s.Choices {
		if c.Next == "" && !c.Back && !c.Exit {
			return false
		}
	}
	return true
}

func (f *Flow) checkCond(c *Cond, keys map[string]bool, where string, bad func(string, ...any)) {
	for k := range c.Is {
		if !keys[k] {
			bad("%s: condition on %q, which is never saved", where, k)
		}
	}
	for k := range c.Not {
		if !keys[k] {
			bad("%s: condition on %q, which is never saved", where, k)
		}
	}
	var named []string
	for _, ks := range [][]string{c.Same, c.Related, c.Earlier, c.NotEarlier} {
		named = append(named, ks...)
	}
	for _, k := range named {
		if !keys[k] {
			bad("%s: condition on %q, which is never saved", where, k)
		}
	}
	if len(c.Related) != 0 && len(c.Related) != 2 {
		bad("%s: related takes two keys", where)
	}
	if len(c.Earlier) != 0 && len(c.Earlier) != 2 || len(c.NotEarlier) != 0 && len(c.NotEarlier) != 2 {
		bad("%s: earlier and not_earlier take two keys", where)
	}
}

func checkTemplate(text string, keys map[string]bool, where string, bad func(string, ...any)) {
	for _, m := range tmplRe.FindAllStringSubmatch(text, -1) {
		if !keys[m[1]] {
			bad("%s: template {%s} names no saved answer", where, m[1])
		}
		switch m[2] {
		case "", "code", "name", "year", "next_year":
		default:
			bad("%s: template {%s.%s}: unknown field", where, m[1], m[2])
		}
	}
}

func (c Choice) value() string {
	if c.Value != "" {
		return c.Value
	}
	return c.Label
}
