package knowledge

import (
	"encoding/gob"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/kuaiji/kuaiji/policies"
)

// faqCorpusFS is the small corpus with two FAQ entries, the second
// phrased as variant.
func faqCorpusFS(variant string) fstest.MapFS {
	fsys := smallCorpusFS()
	fsys["faq/faq.yaml"] = &fstest.MapFile{Data: []byte(`
- id: credits
  question: 继续教育每年要多少学分
  variants: [一年需要多少学分]
  answer: 每年不少于90学分。
  source: national
- id: photo
  question: 证件照有什么要求
  variants: [` + variant + `]
  answer: 证件照不小于10KB。
  source: national
`)}
	return fsys
}

// openFAQDir opens the corpus in fsys persisted in dir, logging to log,
// as a new process would: the FAQ matcher is built, not shared.
func openFAQDir(t *testing.T, fsys fstest.MapFS, dir string, log *slog.Logger) *Index {
	t.Helper()
	return openCorpus(t, fsys, Options{Dir: dir, Logger: log, unshared: true})
}

func readFAQFile(t *testing.T, dir string) faqState {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, faqFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var st faqState
	if err := gob.NewDecoder(f).Decode(&st); err != nil {
		t.Fatal(err)
	}
	return st
}

// plant rewrites faq.bin with version and text's words replaced by a word
// no segmentation yields: a matcher holding it read the file.
func plant(t *testing.T, dir, version, text string) {
	t.Helper()
	st := readFAQFile(t, dir)
	p, ok := st.Texts[text]
	if !ok {
		t.Fatalf("faq.bin has no %q", text)
	}
	p.Tokens = []string{"篡改"}
	st.Texts[text], st.Version = p, version
	if err := writeFAQFeatures(dir, st); err != nil {
		t.Fatal(err)
	}
}

// vocabOf is the words the matcher holds for the entry with id.
func vocabOf(ix *Index, id string) map[string]bool {
	for i, f := range ix.faq.entries {
		if f.ID == id {
			return ix.faq.vocab[i]
		}
	}
	return nil
}

func TestOpenReusesTheFAQsWordsAndSegmentsWhatChanged(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fsys := faqCorpusFS("照片要多大")
	openFAQDir(t, fsys, dir, nil)
	if st := readFAQFile(t, dir); len(st.Texts) != 4 || st.Version != faqFeaturesVersion() {
		t.Fatalf("faq.bin holds %d phrasings of version %q, want the 4 of %q", len(st.Texts), st.Version, faqFeaturesVersion())
	}

	// A restart takes the words from faq.bin instead of segmenting.
	plant(t, dir, faqFeaturesVersion(), "照片要多大")
	if ix := openFAQDir(t, fsys, dir, nil); !vocabOf(ix, "photo")["篡改"] {
		t.Error("a restart segmented the FAQ again instead of reading faq.bin")
	}

	// A reworded phrasing is segmented; the others are still read, and
	// the old wording leaves the file.
	plant(t, dir, faqFeaturesVersion(), "一年需要多少学分")
	fsys = faqCorpusFS("照片多大合适")
	ix := openFAQDir(t, fsys, dir, nil)
	if v := vocabOf(ix, "photo"); v["篡改"] || !v["照片"] {
		t.Errorf("the reworded entry's words are %v, want its new phrasing segmented", v)
	}
	if !vocabOf(ix, "credits")["篡改"] {
		t.Error("an unchanged entry was segmented again")
	}
	st := readFAQFile(t, dir)
	if _, ok := st.Texts["照片要多大"]; ok {
		t.Error("faq.bin keeps a phrasing no entry has")
	}
	if _, ok := st.Texts["照片多大合适"]; !ok || len(st.Texts) != 4 {
		t.Errorf("faq.bin holds %d phrasings, not the new one", len(st.Texts))
	}
}

func TestOpenSegmentsTheFAQAgainWithAnotherDictionary(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fsys := faqCorpusFS("照片要多大")
	openFAQDir(t, fsys, dir, nil)
	plant(t, dir, "tokens-v0/another dictionary", "照片要多大")
	ix := openFAQDir(t, fsys, dir, nil)
	if v := vocabOf(ix, "photo"); v["篡改"] || !v["照片"] {
		t.Errorf("words from another dictionary were used: %v", v)
	}
	if st := readFAQFile(t, dir); st.Version != faqFeaturesVersion() {
		t.Errorf("faq.bin not rewritten: version %q", st.Version)
	}
}

// A faq.bin whose vectors do not fit the local embedder's is not used.
func TestOpenSegmentsTheFAQAgainWhenItsFileIsCorrupt(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fsys := faqCorpusFS("照片要多大")
	openFAQDir(t, fsys, dir, nil)
	plant(t, dir, faqFeaturesVersion(), "照片要多大")
	st := readFAQFile(t, dir)
	p := st.Texts["一年需要多少学分"]
	p.Idx[len(p.Idx)-1] = localDims
	if err := writeFAQFeatures(dir, st); err != nil {
		t.Fatal(err)
	}
	var logs strings.Builder
	ix := openFAQDir(t, fsys, dir, slog.New(slog.NewTextHandler(&logs, nil)))
	if v := vocabOf(ix, "photo"); v["篡改"] || !v["照片"] {
		t.Errorf("words from a corrupt file were used: %v", v)
	}
	if !strings.Contains(logs.String(), "FAQ features corrupt") {
		t.Errorf("not logged:\n%s", logs.String())
	}
	if st := readFAQFile(t, dir); !st.Texts["一年需要多少学分"].valid() {
		t.Error("faq.bin not rewritten")
	}
}

// A faq.bin that cannot be read or written costs the segmentation, never
// the start.
func TestOpenWithAnUnusableFAQFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, faqFile), 0o755); err != nil {
		t.Fatal(err)
	}
	var logs strings.Builder
	log := slog.New(slog.NewTextHandler(&logs, nil))
	ix := openFAQDir(t, faqCorpusFS("照片要多大"), dir, log)
	if !vocabOf(ix, "photo")["照片"] {
		t.Error("the FAQ was not segmented")
	}
	for _, want := range []string{"FAQ features unreadable", "FAQ features not saved"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("no %q in the log:\n%s", want, logs.String())
		}
	}
	tmps, _ := filepath.Glob(filepath.Join(dir, faqFile+".*.tmp"))
	if len(tmps) != 0 {
		t.Errorf("temporary files left: %v", tmps)
	}
}

// The built-in FAQ's matcher is the same whether its phrasings were
// segmented now or read from faq.bin, and its entries' intents the same
// whenever they are detected.
func TestFAQMatcherFromFeaturesIsTheSegmentedOne(t *testing.T) {
	t.Parallel()
	c, err := LoadCorpus(policies.FS)
	if err != nil {
		t.Fatal(err)
	}
	seg, log, dir := DefaultSegmenter(), slog.New(slog.DiscardHandler), t.TempDir()
	want := newFAQMatcher(seg, c.FAQ, c.Places, nil)
	first := loadFAQFeatures(dir, log)
	newFAQMatcher(seg, c.FAQ, c.Places, first)
	first.save(dir, log)
	known := loadFAQFeatures(dir, log)
	got := newFAQMatcher(seg, c.FAQ, c.Places, known)
	if known.added != 0 || len(known.known) == 0 {
		t.Fatalf("%d of %d phrasings segmented again", known.added, len(known.known))
	}
	for name, pair := range map[string][2]any{
		"phrasings": {want.texts, got.texts}, "vocabularies": {want.vocab, got.vocab},
		"weights": {want.idf, got.idf}, "negations": {want.negated, got.negated},
	} {
		if !reflect.DeepEqual(pair[0], pair[1]) {
			t.Errorf("the %s differ", name)
		}
	}
	for i, f := range c.FAQ {
		eager := map[intent]bool{}
		for _, t := range append([]string{f.Question}, f.Variants...) {
			eager[detectIntent(Normalize(t))] = true
		}
		for in := intentOther; in <= intentWhat; in++ {
			if got.intents[i].has(in) != eager[in] {
				t.Errorf("entry %s: intent %v detected %v, want %v", f.ID, in, !eager[in], eager[in])
			}
		}
	}
	if !slices.EqualFunc(want.entries, got.entries, func(a, b FAQ) bool { return a.ID == b.ID }) {
		t.Error("the entries differ")
	}
}
