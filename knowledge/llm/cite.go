package llm

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kuaiji/kuaiji/knowledge"
)

// citeRe matches a citation marker: [1], ［2］, 【3】, [1,3], [1、2]. The
// numbers may be of any length so that [9999] is judged, not overlooked.
var citeRe = regexp.MustCompile(`[\[［【]\s*(\d+(?:\s*[,，、]\s*\d+)*)\s*[\]］】]`)

// suspectRe matches what a reader would take for a citation: a short
// bracketed group holding a digit ([12a], [1 a], [^1], [1-3], ［１］) or a
// run of superscript digits (¹²). Each such token must be a citeRe marker
// naming given passages, or the reply is rejected: a reader cannot tell a
// made-up reference from a real one. Document numbers use 〔〕 (财会〔2018〕
// 10号) and list items （1）, so neither counts.
var suspectRe = regexp.MustCompile(`[\[［【][^\[\]［］【】\n]{0,24}[\]］】]|[⁰¹²³⁴⁵⁶⁷⁸⁹]+`)

// forgedCitation reports whether text holds a citation-like token that is
// not a well-formed marker.
func forgedCitation(text string) bool {
	for _, tok := range suspectRe.FindAllString(text, -1) {
		if !strings.ContainsFunc(tok, isDigitLike) {
			continue // 【注意】, [说明]: no number, no reference
		}
		if m := citeRe.FindString(tok); m != tok {
			return true
		}
	}
	return false
}

// isDigitLike reports digits of any script and superscript digits.
func isDigitLike(r rune) bool {
	return unicode.IsDigit(r) || strings.ContainsRune("⁰¹²³⁴⁵⁶⁷⁸⁹", r)
}

// Why a generated answer was replaced by the extractive one.
const (
	reasonNoCitation  = "no_citation"
	reasonBadCitation = "citation_out_of_range"
	reasonForeign     = "foreign_jurisdiction"
	reasonEmpty       = "empty"
)

// citer renumbers citations in order of first appearance, merging
// passages that are the same source, and collects the cited sources.
type citer struct {
	passages []knowledge.Passage
	renum    map[int]int // 1-based passage number → 1-based shown number
	sources  []knowledge.Source
	invalid  bool
}

func newCiter(p []knowledge.Passage) *citer {
	return &citer{passages: p, renum: map[int]int{}}
}

// number returns the shown number of passage n, or 0 when n is no passage.
func (c *citer) number(n int) int {
	if n < 1 || n > len(c.passages) {
		c.invalid = true
		return 0
	}
	if k, ok := c.renum[n]; ok {
		return k
	}
	s := c.passages[n-1].Source
	for i, x := range c.sources {
		if x.ID == s.ID && x.Section == s.Section {
			c.renum[n] = i + 1
			return i + 1
		}
	}
	c.sources = append(c.sources, s)
	c.renum[n] = len(c.sources)
	return len(c.sources)
}

// rewrite replaces every marker in s with renumbered [k] markers, leaving
// out a number the markers right before already gave; a marker naming no
// passage is kept as written.
func (c *citer) rewrite(s string) string {
	var out strings.Builder
	last := 0
	var run map[int]bool // numbers of the markers directly before
	for _, loc := range citeRe.FindAllStringSubmatchIndex(s, -1) {
		between := s[last:loc[0]]
		if strings.TrimSpace(between) != "" {
			run = nil
		}
		out.WriteString(between)
		last = loc[1]
		var ks []int
		for _, f := range splitNumbers(s[loc[2]:loc[3]]) {
			n, _ := strconv.Atoi(f)
			k := c.number(n)
			if k == 0 {
				ks = nil
				break
			}
			ks = append(ks, k)
		}
		if ks == nil {
			out.WriteString(s[loc[0]:loc[1]])
			run = nil
			continue
		}
		if run == nil {
			run = map[int]bool{}
		}
		for _, k := range ks {
			if !run[k] {
				run[k] = true
				out.WriteString("[" + strconv.Itoa(k) + "]")
			}
		}
	}
	out.WriteString(s[last:])
	return out.String()
}

func splitNumbers(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == ' ' })
}

// grounded is a checked model reply.
type grounded struct {
	Text     string
	Sources  []knowledge.Source
	NoAnswer bool
	// Reject is why the reply must not be shown, "" when it may.
	Reject string
}

// check verifies a model reply against the passages it was given: every
// citation-like token is a marker that names a passage, at least one does (unless the model says the
// sources do not answer), and a passage of another jurisdiction than the
// asker's is cited only in a sentence that names that jurisdiction.
// userPlace is the asker's jurisdiction code, "" when unknown.
func check(reply string, passages []knowledge.Passage, places *knowledge.Jurisdictions, userPlace string) grounded {
	text := strings.TrimSpace(stripThink(reply))
	g := grounded{}
	if rest, ok := strings.CutPrefix(text, noAnswerMarker); ok {
		g.NoAnswer, text = true, strings.TrimSpace(rest)
	}
	if text == "" {
		g.Reject = reasonEmpty
		return g
	}
	c := newCiter(passages)
	g.Text = c.rewrite(text)
	g.Sources = c.sources
	switch {
	case c.invalid || forgedCitation(text):
		g.Reject = reasonBadCitation
	case len(c.sources) == 0 && !g.NoAnswer:
		g.Reject = reasonNoCitation
	case foreignCitation(text, passages, places, userPlace):
		g.Reject = reasonForeign
	}
	return g
}

// foreignCitation reports whether text cites a passage of a jurisdiction
// other than userPlace in a sentence that does not name that jurisdiction,
// that is, as if it applied to the asker.
func foreignCitation(text string, passages []knowledge.Passage, places *knowledge.Jurisdictions, userPlace string) bool {
	if places == nil {
		return false
	}
	for _, loc := range citeRe.FindAllStringSubmatchIndex(text, -1) {
		for _, f := range splitNumbers(text[loc[2]:loc[3]]) {
			n, _ := strconv.Atoi(f)
			if n < 1 || n > len(passages) || passages[n-1].Source.Province == "" {
				continue
			}
			j, ok := places.Resolve(passages[n-1].Source.Province)
			if !ok || j.Code == userPlace {
				continue
			}
			named := false
			for _, m := range places.Mentions(sentenceBefore(text, loc[0])) {
				if m.Code == j.Code {
					named = true
				}
			}
			if !named {
				return true
			}
		}
	}
	return false
}

// sentenceBefore returns the sentence that ends at byte offset end, with
// the sentence before it, since a place is often named once for two.
func sentenceBefore(text string, end int) string {
	s := text[:end]
	cut := func(s string) int {
		return strings.LastIndexAny(s, "。！？!?；;\n")
	}
	i := cut(s)
	if i < 0 {
		return s
	}
	j := cut(s[:i])
	if j < 0 {
		return s
	}
	_, size := utf8.DecodeRuneInString(s[j:])
	return s[j+size:]
}

// stripThink removes the <think>…</think> block that reasoning models
// served through Ollama or vLLM put before the answer.
func stripThink(s string) string {
	t := strings.TrimSpace(s)
	if !strings.HasPrefix(t, "<think>") {
		return s
	}
	if _, after, ok := strings.Cut(t, "</think>"); ok {
		return after
	}
	return ""
}
