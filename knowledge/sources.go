package knowledge

import (
	"fmt"
	"regexp"
	"strings"
)

// chunkSource is how a retrieved passage is cited.
func (ix *Index) chunkSource(h Hit) Source {
	return ix.source(h.Chunk.DocID, h.Chunk.Section, h.Score)
}

// source cites a section of a document, with its title, status and province.
func (ix *Index) source(docID, section string, score float64) Source {
	s := Source{ID: docID, Section: section, Score: round3(score), Status: StatusInForce}
	if d, ok := ix.docs[docID]; ok {
		s.Title, s.Status = d.Title, d.Status
		// A document's opening paragraphs sit under its title; "标题 · 标题"
		// says nothing more than the title.
		if s.Section == d.Title {
			s.Section = ""
		}
		if d.Jurisdiction != "" {
			if j, ok := ix.corpus.Places.ByCode(d.Jurisdiction); ok {
				s.Province = j.Name
			}
		}
	}
	return s
}

// appendSource adds s unless that section of that document is cited already.
func appendSource(list []Source, s Source) []Source {
	for _, x := range list {
		if x.ID == s.ID && x.Section == s.Section {
			return list
		}
	}
	return append(list, s)
}

// noteSuperseded warns when an answer rests on a superseded document and
// cites what replaced it: before the answer when its lead comes from that
// document, after it when only a supporting point does, so the first
// sentence stays the answer. Each document is noted once.
func (ix *Index) noteSuperseded(a *Answer) {
	noted := map[string]bool{}
	for i, s := range a.Sources {
		if s.Status != StatusSuperseded || noted[s.ID] {
			continue
		}
		noted[s.ID] = true
		d := ix.docs[s.ID]
		note := fmt.Sprintf("《%s》已不再适用，其中出自该文件的内容仅供了解过去的做法。", d.Title)
		if repl, ok := ix.docs[d.SupersededBy]; ok {
			note = fmt.Sprintf("《%s》已被《%s》取代，其中出自该文件的内容仅供了解过去的做法，现行办法请以后者为准。", d.Title, repl.Title)
			a.Sources = appendSource(a.Sources, ix.source(repl.ID, "", s.Score))
		}
		if saysSuperseded.MatchString(a.Text) {
			// The answer already says the way it quotes is the old one
			// ("该做法现已被全国平台的属地调转取代"): a note would only say it
			// again, before or after the answer.
			continue
		}
		note = "（" + strings.TrimSuffix(note, "。") + "。）"
		if i == 0 {
			// The answer rests on it: said beside its first sentence, which
			// still comes first.
			if lead, rest, ok := strings.Cut(a.Text, "\n"); ok {
				a.Text = lead + note + "\n" + rest
			} else {
				a.Text += note
			}
			continue
		}
		a.Text += "\n" + note
	}
}

// saysSuperseded matches an answer that already tells its way is the old one.
var saysSuperseded = regexp.MustCompile(`已被.{0,40}取代|已不再适用|不再按.{0,20}办理|仅作为历史|仅供了解|仅供参考`)

func round3(x float64) float64 { return float64(int(x*1000+0.5)) / 1000 }
