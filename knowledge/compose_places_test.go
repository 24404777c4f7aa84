package knowledge

import (
	"strings"
	"testing"
)

// A list of places' practice is told to an asker of one of them with that
// place's part, its frame kept; anything else stays whole.
func TestOwnClauses(t *testing.T) {
	t.Parallel()
	ix := builtin(t)
	for _, tt := range []struct {
		name, place, in, want string
	}{
		{"list with a frame", "qinghai",
			"全国平台上线前的地方规定有：山西规定5个工作日内审核；青海提交后大约等3个工作日；上海2021年规定10个工作日后可查结果。",
			"全国平台上线前的地方规定有：青海提交后大约等3个工作日。"},
		{"the asker's place first", "shanxi",
			"山西规定5个工作日内审核；青海提交后大约等3个工作日。",
			"山西规定5个工作日内审核。"},
		// A clause naming no place may continue the one before it.
		{"a clause without a place", "hunan",
			"辽宁规定以工作单位优先；审核不通过的会退回。",
			"辽宁规定以工作单位优先；审核不通过的会退回。"},
		// Commas never part a rule from the place that states it.
		{"comma clauses", "chongqing",
			"湖南规定选地区只看工作地点，与证书在哪领取无关。",
			"湖南规定选地区只看工作地点，与证书在哪领取无关。"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sc := scope{places: []string{tt.place}}
			other := func(c string) bool { return ix.aboutOtherPlace(c, sc) }
			if got := ix.ownClauses(tt.in, other); got != tt.want {
				t.Errorf("ownClauses(%q) for %s = %q, want %q", tt.in, tt.place, got, tt.want)
			}
		})
	}
}

// Told to an asker of any place, a national entry's answer keeps whole
// clauses of its own text only: nothing is cut inside a clause, so no rule
// loses the place that states it.
func TestNationalAnswersKeepWholeClauses(t *testing.T) {
	t.Parallel()
	ix := builtin(t)
	for _, f := range ix.corpus.FAQ {
		if f.Jurisdiction != "" {
			continue
		}
		for _, j := range ix.corpus.Places.All() {
			out := ix.withoutOtherPlaces(f.Answer, scope{places: []string{j.Code}})
			for _, s := range splitSentences(out) {
				body := strings.TrimSuffix(s, "。")
				if i := strings.Index(body, "："); i >= 0 {
					body = body[i+len("："):]
				}
				for _, c := range strings.Split(body, "；") {
					if !wholeClauseOf(f.Answer, c) {
						t.Fatalf("%s for %s: %q is no whole clause of %q", f.ID, j.Code, c, f.Answer)
					}
				}
			}
		}
	}
}

// wholeClauseOf reports whether c stands in text between clause or
// sentence boundaries.
func wholeClauseOf(text, c string) bool {
	for from := 0; ; {
		i := strings.Index(text[from:], c)
		if i < 0 {
			return false
		}
		i += from
		before, after := text[:i], text[i+len(c):]
		okBefore := before == "" || strings.HasSuffix(before, "；") || strings.HasSuffix(before, "。") || strings.HasSuffix(before, "：")
		okAfter := after == "" || strings.HasPrefix(after, "；") || strings.HasPrefix(after, "。")
		if okBefore && okAfter {
			return true
		}
		from = i + 1
	}
}

// TestOwnRuleBeforeNoNationalRule: where no national rule exists and the
// asker's own place has one, the first sentence is the place's rule, not
// "no national rule was found".
func TestOwnRuleBeforeNoNationalRule(t *testing.T) {
	for _, tt := range []struct{ place, q, want string }{
		{"山西", "提交了采集信息，一般多久能审核完？", "5个工作日"},
		{"青海", "采集提交以后要等几天才有审核结果", "3个工作日"},
	} {
		a := ask(t, Question{Text: tt.q, Jurisdiction: tt.place})
		if lead := leadSentence(a.Text); !strings.Contains(lead, tt.want) || strings.Contains(lead, "没有查到") {
			t.Errorf("%s %q: want %q in the first sentence, got: %s", tt.place, tt.q, tt.want, a.Text)
		}
	}
}

// TestMoveInWithoutEmployer: who may move in is the answer to a move's
// conditions, not the steps of the move.
func TestMoveInWithoutEmployer(t *testing.T) {
	a := ask(t, Question{Text: "还没找到单位，想把会计信息调入内蒙古，需要什么条件", Jurisdiction: "内蒙古"})
	if lead := leadSentence(a.Text); !strings.Contains(lead, "户籍") {
		t.Errorf("want the condition (户籍或居住地) first, got: %s", a.Text)
	}
}
