package web

import "github.com/kuaiji/kuaiji/knowledge"

// CorpusDocInfo dates citations from the corpus's documents: when a
// document took effect, else when it was last checked; and whether it is
// still in force.
func CorpusDocInfo(c *knowledge.Corpus) DocInfo {
	docs := map[string]*knowledge.Document{}
	for _, d := range c.Docs {
		docs[d.ID] = d
	}
	return func(id string) (date, status string) {
		d := docs[id]
		if d == nil {
			return "", ""
		}
		switch {
		case d.Effective != "":
			date = d.Effective + " 起施行"
		case d.Reviewed != "":
			date = "核对于 " + d.Reviewed
		}
		switch d.Status {
		case knowledge.StatusSuperseded:
			status = "已被新规定替代"
		case knowledge.StatusInForce:
			status = "现行有效"
		}
		return date, status
	}
}
