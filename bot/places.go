package bot

import (
	"github.com/kuaiji/kuaiji/flows"
	"github.com/kuaiji/kuaiji/knowledge"
)

// PlacesFrom adapts the knowledge jurisdictions to [flows.Places].
func PlacesFrom(js *knowledge.Jurisdictions) flows.Places { return places{js} }

type places struct{ js *knowledge.Jurisdictions }

func place(j knowledge.Jurisdiction) flows.Place {
	return flows.Place{Code: j.Code, Name: j.Name, Parent: j.Parent}
}

func (p places) Resolve(s string) (flows.Place, bool) {
	j, ok := p.js.Resolve(s)
	if !ok {
		return flows.Place{}, false
	}
	return place(j), true
}

func (p places) Suggest(s string, n int) []flows.Place {
	var out []flows.Place
	for _, j := range p.js.Suggest(s, n) {
		out = append(out, place(j))
	}
	return out
}
