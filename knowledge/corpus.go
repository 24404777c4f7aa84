package knowledge

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/kuaiji/kuaiji/knowledge/extract"
)

// Corpus is everything kuaiji answers from: documents, the FAQ and the
// jurisdiction table.
type Corpus struct {
	Docs   []*Document
	FAQ    []FAQ
	Places *Jurisdictions
}

// LoadCorpus reads the built-in corpus laid out as policies/ is: docs/**.md,
// faq/**.yaml and jurisdictions.yaml. Any error is fatal, since a broken
// built-in corpus is a bug.
func LoadCorpus(fsys fs.FS) (*Corpus, error) {
	places, err := LoadJurisdictions(fsys, "jurisdictions.yaml")
	if err != nil {
		return nil, err
	}
	c := &Corpus{Places: places}
	err = fs.WalkDir(fsys, "docs", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		ext := strings.ToLower(path.Ext(p))
		if ext != ".md" && ext != ".txt" {
			return nil
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return fmt.Errorf("read %s: %w", p, err)
		}
		doc, err := ParseMarkdown(p, b, ext == ".txt")
		if err != nil {
			return err
		}
		return c.put(doc)
	})
	if err != nil {
		return nil, fmt.Errorf("load documents: %w", err)
	}
	if c.FAQ, err = LoadFAQDir(fsys, "faq"); err != nil {
		return nil, err
	}
	if err := c.Check(); err != nil {
		return nil, err
	}
	return c, nil
}

// put adds doc, replacing a document with the same id.
func (c *Corpus) put(doc *Document) error {
	if doc.Jurisdiction != "" {
		j, ok := c.Places.Resolve(doc.Jurisdiction)
		if !ok {
			return fmt.Errorf("%s: unknown jurisdiction %q", doc.Path, doc.Jurisdiction)
		}
		doc.Jurisdiction = j.Code
	}
	for i, d := range c.Docs {
		if d.ID == doc.ID {
			c.Docs[i] = doc
			return nil
		}
	}
	c.Docs = append(c.Docs, doc)
	sort.Slice(c.Docs, func(a, b int) bool { return c.Docs[a].ID < c.Docs[b].ID })
	return nil
}

func (c *Corpus) putFAQ(list []FAQ) {
	for _, f := range list {
		replaced := false
		for i := range c.FAQ {
			if c.FAQ[i].ID == f.ID {
				c.FAQ[i], replaced = f, true
			}
		}
		if !replaced {
			c.FAQ = append(c.FAQ, f)
		}
	}
}

// Doc returns the document with the given id.
func (c *Corpus) Doc(id string) (*Document, bool) {
	for _, d := range c.Docs {
		if d.ID == id {
			return d, true
		}
	}
	return nil, false
}

// Check verifies that references between documents, the FAQ and the
// jurisdiction table resolve.
func (c *Corpus) Check() error {
	var errs []error
	for _, d := range c.Docs {
		if d.SupersededBy != "" {
			if _, ok := c.Doc(d.SupersededBy); !ok {
				errs = append(errs, fmt.Errorf("%s: superseded_by %q is not a known document", d.Path, d.SupersededBy))
			}
		}
	}
	for _, f := range c.FAQ {
		if _, ok := c.Doc(f.Source); !ok {
			errs = append(errs, fmt.Errorf("faq %s: source %q is not a known document", f.ID, f.Source))
		}
		if f.Jurisdiction != "" {
			if _, ok := c.Places.ByCode(f.Jurisdiction); !ok {
				errs = append(errs, fmt.Errorf("faq %s: unknown jurisdiction %q", f.ID, f.Jurisdiction))
			}
		}
	}
	return errors.Join(errs...)
}

// Overlay adds or replaces documents and FAQ entries from a directory
// (KUAIJI_POLICIES_DIR). It is lenient: each bad file is reported and
// skipped, the rest is still used. Configuring the directory is the
// explicit act that lets its files replace built-in documents, but not
// with a review date after today nor for another jurisdiction.
func (c *Corpus) Overlay(dir string) []error {
	var errs []error
	today := dateOf(time.Time{})
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			errs = append(errs, err)
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if strings.EqualFold(filepath.Ext(p), ".yaml") || strings.EqualFold(filepath.Ext(p), ".yml") {
			if filepath.Base(filepath.Dir(p)) != "faq" {
				return nil
			}
			list, err := LoadFAQ(os.DirFS(filepath.Dir(p)), filepath.Base(p))
			if err != nil {
				errs = append(errs, err)
				return nil
			}
			c.putFAQ(list)
			return nil
		}
		doc, err := LoadFile(p, c.Places)
		if err != nil {
			errs = append(errs, err)
			return nil
		}
		if Unplaced(doc) {
			errs = append(errs, fmt.Errorf("%s: no jurisdiction in front matter, sidecar, title or text; skipped so that it is not read as a national rule", p))
			return nil
		}
		if err := c.checkOverlay(doc, today); err != nil {
			errs = append(errs, err)
			return nil
		}
		if err := c.put(doc); err != nil {
			errs = append(errs, err)
		}
		return nil
	})
	if err != nil {
		errs = append(errs, err)
	}
	if err := c.Check(); err != nil {
		errs = append(errs, err)
	}
	return errs
}

// checkOverlay refuses an overlay document dated in the future, or
// replacing a built-in one of another jurisdiction.
func (c *Corpus) checkOverlay(doc *Document, today string) error {
	if doc.Reviewed > today {
		return fmt.Errorf("%s: reviewed %s is after today", doc.Path, doc.Reviewed)
	}
	b, ok := c.Doc(doc.ID)
	if !ok {
		return nil
	}
	code := doc.Jurisdiction
	if j, ok := c.Places.Resolve(code); ok {
		code = j.Code
	}
	if code != b.Jurisdiction {
		return fmt.Errorf("%s: jurisdiction %q differs from built-in document %s's %q", doc.Path, doc.Jurisdiction, b.ID, b.Jurisdiction)
	}
	return nil
}

// maxFileSize bounds what one ingested file may occupy in memory.
const maxFileSize = 50 << 20

// MaxChunksPerFile caps the passages one ingested file may add: a long
// national rule makes about 60, and a file of tens of thousands of tiny
// sections would swamp retrieval and every later start.
const MaxChunksPerFile = 2000

// checkSize refuses a document over the text or passage limits.
func checkSize(doc *Document) error {
	if err := extract.CheckText(extract.Doc{Title: doc.Title, Blocks: doc.Blocks}); err != nil {
		return fmt.Errorf("%s: %w", doc.Path, err)
	}
	if n := len(ChunkDocument(doc)); n > MaxChunksPerFile {
		return fmt.Errorf("%s: %w", doc.Path, extract.NewLimitError(
			fmt.Sprintf("%d passages, more than %d", n, MaxChunksPerFile),
			fmt.Sprintf("会切分成 %d 段，超过每个文件 %d 段的上限，不予导入；请检查文件或按章节拆分。", n, MaxChunksPerFile)))
	}
	return nil
}

// LoadFile reads one document of any supported format. Files without front
// matter get an id derived from their path, their title from the text and a
// jurisdiction when exactly one place is named in the title or file name.
// A file over 50 MB, over [extract.MaxTextRunes] characters or
// [MaxChunksPerFile] passages, or over the decompression limits of
// [extract.File], is refused with an error wrapping [extract.ErrLimit].
func LoadFile(p string, places *Jurisdictions) (*Document, error) {
	info, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	if info.Size() > maxFileSize {
		return nil, fmt.Errorf("%s: %w", p, extract.NewLimitError(fmt.Sprintf("file is larger than %d MB", maxFileSize>>20),
			fmt.Sprintf("文件超过 %d MB 的上限，不予导入。", maxFileSize>>20)))
	}
	ext := strings.ToLower(filepath.Ext(p))
	if ext == ".md" || ext == ".markdown" || ext == ".txt" {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		doc, err := ParseMarkdown(p, b, ext == ".txt")
		if err != nil {
			return nil, err
		}
		if doc.ID == "" {
			if err := readSidecar(doc, p); err != nil {
				return nil, err
			}
		}
		fillDerived(doc, p, places)
		if err := checkSize(doc); err != nil {
			return nil, err
		}
		return doc, nil
	}
	d, err := extract.File(p)
	if err != nil {
		// extract's errors already name the file.
		return nil, err
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	doc := &Document{Path: p, Hash: hashBytes(b), Status: StatusInForce, Title: d.Title, Blocks: d.Blocks}
	if err := readSidecar(doc, p); err != nil {
		return nil, err
	}
	fillDerived(doc, p, places)
	if err := checkSize(doc); err != nil {
		return nil, err
	}
	return doc, nil
}

// Sidecar is the front matter of a file that cannot carry its own (a PDF,
// a DOCX): notice.pdf.yaml beside notice.pdf, with the fields of a
// Markdown document's front matter.
func Sidecar(p string) string { return p + ".yaml" }

// IsSidecar reports whether p is the sidecar of a file beside it.
func IsSidecar(p string) bool {
	stem, ok := strings.CutSuffix(p, ".yaml")
	return ok && fileExists(stem)
}

func readSidecar(doc *Document, p string) error {
	b, err := os.ReadFile(Sidecar(p))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s: %w", Sidecar(p), err)
	}
	// Any field may be left out (an id and a title are derived as for a
	// file without front matter), none may be unknown.
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(doc); err != nil && !errors.Is(err, io.EOF) {
		return &FrontMatterError{Path: Sidecar(p), Line: 1, Msg: strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	switch {
	case doc.ID != "" && !validID.MatchString(doc.ID):
		return &FrontMatterError{Sidecar(p), 1, fmt.Sprintf("id %q may only use a-z, 0-9, - and _", doc.ID)}
	case doc.Status != StatusInForce && doc.Status != StatusSuperseded:
		return &FrontMatterError{Sidecar(p), 1, fmt.Sprintf("status %q must be in_force or superseded", doc.Status)}
	}
	return nil
}

func fillDerived(doc *Document, p string, places *Jurisdictions) {
	base := strings.TrimSuffix(filepath.Base(p), filepath.Ext(p))
	if doc.Title == "" {
		// A notice converted from plain text has no styled title: its
		// first line is one.
		doc.Title = firstLineTitle(doc.Blocks)
	}
	if doc.Title == "" {
		doc.Title = base
	}
	if doc.ID == "" {
		abs, err := filepath.Abs(p)
		if err != nil {
			abs = p
		}
		doc.ID = "file-" + hashBytes([]byte(abs))
	}
	if doc.Jurisdiction == "" && doc.Source == "" {
		doc.Source = filepath.Base(p)
		if m := places.Mentions(doc.Title + " " + base); len(m) == 1 {
			doc.Jurisdiction, doc.PlaceFrom = m[0].Code, PlaceFromTitle
		} else if code := dominantPlace(places, doc.Blocks); code != "" {
			doc.Jurisdiction, doc.PlaceFrom = code, PlaceFromText
		}
	}
}

// Unplaced reports whether a file without front matter names no place in
// its title, file name or text: ingesting it as it is would present a
// local notice as a national rule, so ingest and the policies overlay ask
// for its place instead.
func Unplaced(d *Document) bool {
	// A derived id means no front matter (which requires one) and no
	// sidecar naming one.
	return d.Jurisdiction == "" && d.PlaceFrom == "" && strings.HasPrefix(d.ID, "file-")
}

// How an ingested document's jurisdiction was decided, for the ingest
// report: declared in front matter (""), read from its title or file
// name, or inferred from the places its text names.
const (
	PlaceFromTitle = "title"
	PlaceFromText  = "text"
)

// firstLineTitle is the first line of the first paragraph when it reads
// as a title: short, and not a sentence.
func firstLineTitle(blocks []extract.Block) string {
	for _, b := range blocks {
		line, _, _ := strings.Cut(strings.TrimSpace(b.Text), "\n")
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if n := utf8.RuneCountInString(line); n > 60 || strings.ContainsAny(line, "。；：！？") || n < 4 {
			return ""
		}
		return line
	}
	return ""
}

// dominantPlace is the place a text is about when its paragraphs name one
// place clearly more than any other (at least twice, and twice as often
// as the next), else "".
func dominantPlace(places *Jurisdictions, blocks []extract.Block) string {
	count := map[string]int{}
	for i, b := range blocks {
		if i == 200 {
			break
		}
		for _, j := range places.Mentions(Normalize(b.Text)) {
			count[j.Code]++
		}
	}
	best, second := "", 0
	for code, n := range count {
		if best == "" || n > count[best] || n == count[best] && code < best {
			if best != "" {
				second = max(second, count[best])
			}
			best = code
		} else {
			second = max(second, n)
		}
	}
	if best == "" || count[best] < 2 || count[best] < 2*second {
		return ""
	}
	return best
}
