package knowledge

import (
	"bufio"
	"encoding/gob"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
)

// The FAQ matcher segments every phrasing of every entry and computes its
// local vector: with hundreds of entries and over a thousand phrasings that
// was most of a warm start, while the chunks' terms and vectors came from
// the index file. What it derives from a phrasing depends only on the
// phrasing's text, the dictionary and the local embedder, so it is kept in
// faq.bin beside the index, by text: a start segments only the phrasings
// that are new or were reworded, and a new dictionary or embedder
// ([faqFeaturesVersion]) discards the file. It is a file of its own, not a
// part of index.bin: a process that only opens the index never rewrites
// the index an ingest may be writing, and a cache that cannot be written
// costs time, never the start.

// faqFile is the FAQ phrasings' features inside the data directory.
const faqFile = "faq.bin"

// phrasing is what the matcher derives from a phrasing's text.
type phrasing struct {
	Tokens []string
	// Idx and Val are the local vector's non-zero features, ascending.
	Idx []int32
	Val []float32
}

func newPhrasing(seg *Segmenter, text string) phrasing {
	idx, val := sparse(seg.vector(text))
	return phrasing{Tokens: seg.Tokens(text), Idx: idx, Val: val}
}

// faqFeatures are the phrasings' features read from faq.bin, and those a
// build of the matcher used. A nil *faqFeatures computes every phrasing.
type faqFeatures struct {
	known map[string]phrasing
	used  map[string]phrasing
	added int // phrasings computed because faq.bin did not have them
}

// faqState is faq.bin's content.
type faqState struct {
	Version string // faqFeaturesVersion() when written
	Texts   map[string]phrasing
}

// faqFeaturesVersion changes whenever a phrasing's features would: with
// the segmentation (dictVersion) and with the local embedder.
func faqFeaturesVersion() string {
	return fmt.Sprintf("%s/%s/%d", dictVersion(), LocalEmbedderName, localDims)
}

// loadFAQFeatures reads dir's faq.bin. A missing, unreadable or outdated
// file gives no known phrasings (an unreadable one is logged): they are
// computed and the file written again.
func loadFAQFeatures(dir string, log *slog.Logger) *faqFeatures {
	f := &faqFeatures{known: map[string]phrasing{}, used: map[string]phrasing{}}
	file, err := os.Open(filepath.Join(dir, faqFile))
	if errors.Is(err, os.ErrNotExist) {
		return f
	} else if err != nil {
		log.Warn("FAQ features unreadable, segmenting the FAQ", "dir", dir, "err", err)
		return f
	}
	defer file.Close()
	var st faqState
	if err := gob.NewDecoder(bufio.NewReader(file)).Decode(&st); err != nil {
		log.Warn("FAQ features unreadable, segmenting the FAQ", "dir", dir, "err", err)
		return f
	}
	if st.Version != faqFeaturesVersion() || st.Texts == nil {
		return f
	}
	for text, p := range st.Texts {
		if !p.valid() {
			log.Warn("FAQ features corrupt, segmenting the FAQ", "dir", dir, "phrasing", text)
			return f
		}
	}
	f.known = st.Texts
	return f
}

// valid reports whether p's vector fits the local embedder's: a feature
// out of range would fail the first question, not the start.
func (p phrasing) valid() bool {
	if len(p.Idx) != len(p.Val) {
		return false
	}
	last := int32(-1)
	for _, i := range p.Idx {
		if i <= last || i >= localDims {
			return false
		}
		last = i
	}
	return true
}

// of returns text's features: the known ones, or computed now.
func (f *faqFeatures) of(seg *Segmenter, text string) phrasing {
	if f == nil {
		return newPhrasing(seg, text)
	}
	p, ok := f.known[text]
	if !ok {
		p = newPhrasing(seg, text)
		f.added++
	}
	f.used[text] = p
	return p
}

// save writes the phrasings used to dir's faq.bin when they differ from
// what it held: some were computed, or some are no longer used. A failure
// is logged and the next start segments them again.
func (f *faqFeatures) save(dir string, log *slog.Logger) {
	if f.added == 0 && len(f.used) == len(f.known) {
		return
	}
	if err := writeFAQFeatures(dir, faqState{Version: faqFeaturesVersion(), Texts: f.used}); err != nil {
		log.Warn("FAQ features not saved; the next start segments the FAQ again", "dir", dir, "err", err)
	}
}

func writeFAQFeatures(dir string, st faqState) error {
	// A temporary file of its own: two processes may start at once.
	file, err := os.CreateTemp(dir, faqFile+".*.tmp")
	if err != nil {
		return err
	}
	tmp := file.Name()
	w := bufio.NewWriter(file)
	err = gob.NewEncoder(w).Encode(st)
	if err == nil {
		err = w.Flush()
	}
	if cerr := file.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(dir, faqFile))
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}
