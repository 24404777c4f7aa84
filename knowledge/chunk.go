package knowledge

import (
	"fmt"
	"strings"
)

// Chunk is a retrievable passage: the body text under one heading path,
// cut to a size limit.
type Chunk struct {
	ID           string // "<doc id>#<n>", stable while the document is unchanged
	DocID        string
	Jurisdiction string
	// Section is the heading path below the document title, e.g.
	// "第三章 学分管理 > 第十三条 学分折算".
	Section string
	Text    string
	// Hash covers everything indexed, so a re-ingest re-indexes only chunks
	// whose hash changed.
	Hash   string
	Tokens []string
}

// maxChunkRunes keeps passages short enough for sentence extraction to
// stay on topic, and long enough to hold a whole article of a rule.
const maxChunkRunes = 480

// ChunkDocument splits doc into chunks by headings and paragraphs.
func ChunkDocument(doc *Document) []Chunk {
	var (
		chunks []Chunk
		path   []string // heading texts by level-1 index
		levels []int
		body   []string
		size   int
	)
	section := func() string { return strings.Join(path, " > ") }
	flush := func() {
		if len(body) == 0 {
			return
		}
		text := strings.Join(body, "\n")
		sec := section()
		chunks = append(chunks, Chunk{
			ID:           fmt.Sprintf("%s#%d", doc.ID, len(chunks)),
			DocID:        doc.ID,
			Jurisdiction: doc.Jurisdiction,
			Section:      sec,
			Text:         text,
			Hash:         hashBytes([]byte(doc.ID + "\x00" + doc.Title + "\x00" + doc.Jurisdiction + "\x00" + sec + "\x00" + text)),
		})
		body, size = nil, 0
	}
	for i, b := range doc.Blocks {
		text := strings.TrimSpace(b.Text)
		if text == "" {
			continue
		}
		if b.Level > 0 {
			flush()
			// The first top-level heading restates the title; it is not a section.
			if i == 0 && b.Level == 1 || text == doc.Title {
				continue
			}
			for len(levels) > 0 && levels[len(levels)-1] >= b.Level {
				levels, path = levels[:len(levels)-1], path[:len(path)-1]
			}
			levels, path = append(levels, b.Level), append(path, text)
			continue
		}
		n := runeLen(text)
		if size > 0 && size+n > maxChunkRunes {
			flush()
		}
		for n > maxChunkRunes {
			// A single huge paragraph (a PDF page without breaks) is cut at a
			// sentence end near the limit.
			cut := sentenceCut(text, maxChunkRunes)
			body = append(body, text[:cut])
			size = maxChunkRunes
			flush()
			text = strings.TrimSpace(text[cut:])
			n = runeLen(text)
		}
		if text != "" {
			body = append(body, text)
			size += n
		}
	}
	flush()
	return chunks
}

// sentenceCut returns a byte offset at most limit runes into s, preferably
// just after a sentence-ending mark.
func sentenceCut(s string, limit int) int {
	best, count := 0, 0
	for i, r := range s {
		if count == limit {
			if best > 0 {
				return best
			}
			return i
		}
		count++
		if strings.ContainsRune("。！？；.!?;\n", r) {
			best = i + len(string(r))
		}
	}
	return len(s)
}
