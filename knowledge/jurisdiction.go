package knowledge

import (
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Jurisdiction is one of the 36 places that run their own accountant
// registration: the 31 provinces, regions and municipalities and the five
// 计划单列市.
type Jurisdiction struct {
	Code    string   `yaml:"code"`
	Name    string   `yaml:"name"`
	Short   string   `yaml:"short"`
	Abbr    []string `yaml:"abbr"`
	Aliases []string `yaml:"aliases"`
	// Cities are places inside the jurisdiction (杭州 for 浙江), only used to
	// tell which jurisdiction a question is about.
	Cities       []string   `yaml:"cities"`
	Type         string     `yaml:"type"`
	Parent       string     `yaml:"parent"`
	Doc          string     `yaml:"doc"`
	Platforms    []Platform `yaml:"platforms"`
	UploadLimits []string   `yaml:"upload_limits"`
}

// names are all the multi-character ways of naming j or a place in it.
func (j Jurisdiction) names() []string {
	return slices.Concat([]string{j.Name, j.Short}, j.Aliases, j.Cities)
}

// Platform is a web system a jurisdiction uses or used.
type Platform struct {
	Name     string `yaml:"name"`
	URL      string `yaml:"url"`
	Role     string `yaml:"role"`
	Verified bool   `yaml:"verified"`
}

// SeparatelyPlanned reports whether j is a 计划单列市, managed apart from its province.
func (j Jurisdiction) SeparatelyPlanned() bool { return j.Parent != "" }

// Jurisdictions resolves the many ways people name a place.
type Jurisdictions struct {
	list   []Jurisdiction
	byCode map[string]int
	// names maps every multi-character name and alias to an index in list,
	// sorted longest first in order so that 内蒙古自治区 wins over 内蒙古.
	names []nameRef
	// abbr maps single-character abbreviations, used only when they stand
	// alone (the whole input, or set off by spaces or punctuation as in
	// "豫 继续教育在哪学"), since 新, 青 or 宁 inside a sentence are rarely
	// places.
	abbr map[string]int
}

type nameRef struct {
	name string
	idx  int
}

// LoadJurisdictions reads jurisdictions.yaml from fsys.
func LoadJurisdictions(fsys fs.FS, path string) (*Jurisdictions, error) {
	b, err := fs.ReadFile(fsys, path)
	if err != nil {
		return nil, fmt.Errorf("read jurisdictions: %w", err)
	}
	var list []Jurisdiction
	if err := yaml.Unmarshal(b, &list); err != nil {
		return nil, fmt.Errorf("parse %s: %w", path, err)
	}
	return NewJurisdictions(list)
}

// NewJurisdictions indexes list; codes must be unique and names unambiguous.
func NewJurisdictions(list []Jurisdiction) (*Jurisdictions, error) {
	js := &Jurisdictions{list: list, byCode: map[string]int{}, abbr: map[string]int{}}
	seen := map[string]int{}
	for i, j := range list {
		if j.Code == "" || j.Name == "" {
			return nil, fmt.Errorf("jurisdiction %d: code and name are required", i+1)
		}
		if _, dup := js.byCode[j.Code]; dup {
			return nil, fmt.Errorf("jurisdiction %s: duplicate code", j.Code)
		}
		js.byCode[j.Code] = i
		for _, n := range j.names() {
			n = strings.TrimSpace(n)
			if utf8.RuneCountInString(n) < 2 {
				continue
			}
			if k, ok := seen[n]; ok {
				if k != i {
					return nil, fmt.Errorf("jurisdiction name %q belongs to both %s and %s", n, list[k].Code, j.Code)
				}
				continue
			}
			seen[n] = i
			js.names = append(js.names, nameRef{n, i})
		}
		for _, a := range j.Abbr {
			js.abbr[strings.TrimSpace(a)] = i
		}
	}
	sort.SliceStable(js.names, func(a, b int) bool {
		return utf8.RuneCountInString(js.names[a].name) > utf8.RuneCountInString(js.names[b].name)
	})
	return js, nil
}

// All returns every jurisdiction in file order.
func (js *Jurisdictions) All() []Jurisdiction { return js.list }

// ByCode returns the jurisdiction with the given code.
func (js *Jurisdictions) ByCode(code string) (Jurisdiction, bool) {
	i, ok := js.byCode[code]
	if !ok {
		return Jurisdiction{}, false
	}
	return js.list[i], true
}

// Resolve understands an input that is meant to be a place: a code, a full
// or short name, an alias or a one-character abbreviation, with a trailing
// 市/省 or surrounding words such as "我在深圳" tolerated.
func (js *Jurisdictions) Resolve(s string) (Jurisdiction, bool) {
	s = strings.TrimSpace(Simplify(s))
	if s == "" {
		return Jurisdiction{}, false
	}
	if i, ok := js.byCode[strings.ToLower(s)]; ok {
		return js.list[i], true
	}
	if i, ok := js.abbr[s]; ok {
		return js.list[i], true
	}
	if m := js.Mentions(s); len(m) > 0 {
		return m[0], true
	}
	return Jurisdiction{}, false
}

// Mentions returns the places named in free text, in order of appearance,
// each once. Longer names win, so 深圳 is found as 深圳 and never as 广东.
func (js *Jurisdictions) Mentions(text string) []Jurisdiction {
	type hit struct{ pos, idx int }
	var hits []hit
	taken := make([]bool, len(text))
	for _, n := range js.names {
		for from := 0; from < len(text); {
			k := strings.Index(text[from:], n.name)
			if k < 0 {
				break
			}
			start, end := from+k, from+k+len(n.name)
			free := true
			for p := start; p < end; p++ {
				if taken[p] {
					free = false
					break
				}
			}
			if free {
				for p := start; p < end; p++ {
					taken[p] = true
				}
				hits = append(hits, hit{start, n.idx})
			}
			from = end
		}
	}
	for start, r := range text {
		i, ok := js.abbr[string(r)]
		end := start + utf8.RuneLen(r)
		if !ok || taken[start] || !standsAlone(text, start, end) {
			continue
		}
		hits = append(hits, hit{start, i})
	}
	sort.Slice(hits, func(a, b int) bool { return hits[a].pos < hits[b].pos })
	var out []Jurisdiction
	seen := map[int]bool{}
	for _, h := range hits {
		if !seen[h.idx] {
			seen[h.idx] = true
			out = append(out, js.list[h.idx])
		}
	}
	return out
}

// standsAlone reports whether text[start:end] is set off from words on
// both sides: by the ends of the text, spaces or punctuation.
func standsAlone(text string, start, end int) bool {
	word := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	before, _ := utf8.DecodeLastRuneInString(text[:start])
	after, _ := utf8.DecodeRuneInString(text[end:])
	return (start == 0 || !word(before)) && (end == len(text) || !word(after))
}

// strip removes every name of the places mentioned in s.
func (js *Jurisdictions) strip(s string) string {
	for _, j := range js.Mentions(s) {
		for _, n := range j.names() {
			s = strings.ReplaceAll(s, Normalize(n), "")
		}
	}
	return s
}

// Suggest returns up to n places whose names look like s, for a reply to an
// input that did not resolve, such as 广州 or 湖 or a typo like 广冬.
func (js *Jurisdictions) Suggest(s string, n int) []Jurisdiction {
	s = strings.TrimSpace(s)
	type scored struct {
		idx   int
		score int
	}
	var cands []scored
	for i, j := range js.list {
		best := 0
		for _, name := range j.names() {
			if sc := sharedRunes(s, name); sc > best {
				best = sc
			}
		}
		if best > 0 {
			cands = append(cands, scored{i, best})
		}
	}
	sort.SliceStable(cands, func(a, b int) bool { return cands[a].score > cands[b].score })
	var out []Jurisdiction
	for _, c := range cands {
		if len(out) == n {
			break
		}
		out = append(out, js.list[c.idx])
	}
	return out
}

// sharedRunes counts the runes of a that occur in b, ignoring the generic
// 省/市/自治区 suffixes that every name shares.
func sharedRunes(a, b string) int {
	n := 0
	for _, r := range a {
		if strings.ContainsRune("省市区自治回族维吾尔壮", r) {
			continue
		}
		if strings.ContainsRune(b, r) {
			n++
		}
	}
	return n
}
