package flows

import (
	"strconv"
	"strings"
)

// Conditions ([Cond]) on the answers so far and the profile: they choose
// a step's branch and the items of a result that apply.

func (t *turn) lookup(answers map[string]string, key string) string {
	if v, ok := answers[key]; ok {
		return v
	}
	return t.snap.Profile[key]
}

func (t *turn) holds(c *Cond, answers map[string]string) bool {
	in := func(v string, list []string) bool {
		for _, x := range list {
			if x == v {
				return true
			}
		}
		return false
	}
	for k, list := range c.Is {
		if !in(t.lookup(answers, k), list) {
			return false
		}
	}
	for k, list := range c.Not {
		if in(t.lookup(answers, k), list) {
			return false
		}
	}
	if len(c.Same) > 0 {
		first := t.lookup(answers, c.Same[0])
		for _, k := range c.Same {
			if v := t.lookup(answers, k); v == "" || v != first {
				return false
			}
		}
	}
	if len(c.Related) == 2 {
		a, okA := t.place(t.lookup(answers, c.Related[0]))
		b, okB := t.place(t.lookup(answers, c.Related[1]))
		if !okA || !okB || !(a.Parent == b.Code && a.Parent != "" || b.Parent == a.Code && b.Parent != "") {
			return false
		}
	}
	if len(c.Earlier) == 2 {
		a, okA := answerYear(t.lookup(answers, c.Earlier[0]))
		b, okB := answerYear(t.lookup(answers, c.Earlier[1]))
		if !okA || !okB || a >= b {
			return false
		}
	}
	if len(c.NotEarlier) == 2 {
		a, okA := answerYear(t.lookup(answers, c.NotEarlier[0]))
		b, okB := answerYear(t.lookup(answers, c.NotEarlier[1]))
		if !okA || !okB || a < b {
			return false
		}
	}
	return true
}

// answerYear is the year of a stored date answer ("2023-05", "2023-00");
// other answers ("skip", "") have none.
func answerYear(v string) (int, bool) {
	y, err := strconv.Atoi(strings.SplitN(v, "-", 2)[0])
	return y, err == nil && v != ""
}

func (t *turn) place(code string) (Place, bool) { return placeOf(t.e.places, code) }

// placeOf is the place whose code is code.
func placeOf(places Places, code string) (Place, bool) {
	if code == "" || places == nil {
		return Place{}, false
	}
	p, ok := places.Resolve(code)
	return p, ok && p.Code == code
}
