package knowledge

import (
	"errors"
	"fmt"
	"time"
)

// The built-in documents carry the national rules and each place's
// guideline, and answers cite them by their document numbers. An ingested
// file could otherwise replace one just by reusing its id, and a forged
// review date kept it ahead of every later release: so replacing one is an
// explicit act (IngestOptions.Replace, which the CLI shows as a summary of
// what changes), a review date after today is refused, a copy must be
// reviewed no earlier than the text it replaces, and it must be of the same
// jurisdiction. Documents of new ids are not affected, except that they may
// not claim a built-in document's number.

// IngestOptions configure [Index.Ingest] and [Index.Vet].
type IngestOptions struct {
	// Replace allows documents to replace built-in ones of the same id.
	Replace bool
	// Today is the date review dates are checked against; zero means now.
	Today time.Time
}

func (o IngestOptions) today() string { return dateOf(o.Today) }

func dateOf(t time.Time) string {
	if t.IsZero() {
		t = time.Now()
	}
	return t.Format(time.DateOnly)
}

// RefusedError says why a document was not ingested.
type RefusedError struct {
	ID, Path string
	// Reason is for the operator, in Chinese.
	Reason string
	why    string
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("%s (%s): not ingested: %s", e.Path, e.ID, e.why)
}

// ErrRefused is wrapped by the error [Index.Ingest] returns when any
// document is refused; the [*RefusedError] values say which and why.
var ErrRefused = errors.New("documents refused")

// Replacement describes a built-in document an ingest replaces.
type Replacement struct {
	ID                       string
	OldTitle, NewTitle       string
	OldReviewed, NewReviewed string
	OldNumber, NewNumber     string // document numbers (文号)
	// Kept, Added and Removed count paragraphs (chunks) by their text.
	Kept, Added, Removed int
}

// Vet sorts docs into those [Index.Ingest] with opt accepts and those it
// refuses, and describes the built-in documents the accepted ones replace.
func (ix *Index) Vet(docs []*Document, opt IngestOptions) (ok []*Document, replaced []Replacement, refused []*RefusedError) {
	today := opt.today()
	numbers := map[string]*Document{}
	for _, b := range ix.corpus.Docs {
		if b.DocNumber != "" {
			numbers[b.DocNumber] = b
		}
	}
	for _, d := range docs {
		refuse := func(why, reason string) {
			refused = append(refused, &RefusedError{ID: d.ID, Path: d.Path, Reason: reason, why: why})
		}
		if d.Jurisdiction != "" {
			j, found := ix.corpus.Places.Resolve(d.Jurisdiction)
			if !found {
				refuse("unknown jurisdiction", fmt.Sprintf("地区“%s”不在地区表中，请写省、自治区、直辖市或计划单列市的名称。", d.Jurisdiction))
				continue
			}
			d.Jurisdiction = j.Code
		}
		if d.Reviewed > today {
			refuse("review date in the future", fmt.Sprintf("审阅日期 %s 晚于今天（%s），不予导入；请填写实际审阅的日期。", d.Reviewed, today))
			continue
		}
		b, builtIn := ix.corpus.Doc(d.ID)
		if !builtIn {
			if o := numbers[d.DocNumber]; o != nil {
				refuse("claims a built-in document's number", fmt.Sprintf("文号 %s 属于内置文档 %s《%s》；如果这是它的新文本，请使用编号 %s 并加 --replace。", d.DocNumber, o.ID, o.Title, o.ID))
				continue
			}
			ok = append(ok, d)
			continue
		}
		if cur := ix.docs[d.ID]; cur != nil && ix.origin[d.ID] == originIngest && cur.Hash == d.Hash {
			// The same copy again: nothing changes.
			ok = append(ok, d)
			continue
		}
		if !opt.Replace {
			refuse("would replace a built-in document", fmt.Sprintf("编号 %s 与内置文档《%s》相同，导入会替换它；如确需替换，请加 --replace 并核对列出的变更。", d.ID, b.Title))
			continue
		}
		if why, reason := ix.replacementProblem(b, d, today); why != "" {
			refuse(why, reason)
			continue
		}
		ok = append(ok, d)
		replaced = append(replaced, describeReplacement(b, d))
	}
	return ok, replaced, refused
}

// replacementProblem says why d may not stand in for the built-in b, or
// returns "" when it may.
func (ix *Index) replacementProblem(b, d *Document, today string) (why, reason string) {
	switch {
	case d.Reviewed > today:
		return "review date in the future", fmt.Sprintf("审阅日期 %s 晚于今天（%s）。", d.Reviewed, today)
	case d.Jurisdiction != b.Jurisdiction:
		return "jurisdiction differs from the built-in document's", fmt.Sprintf("内置文档《%s》适用于%s，不能被适用于%s的文档替换。",
			b.Title, ix.placeName(b.Jurisdiction), ix.placeName(d.Jurisdiction))
	case b.Reviewed != "" && d.Reviewed == "":
		return "no review date", fmt.Sprintf("替换内置文档须在文件头注明审阅日期（reviewed），且不早于内置文本的 %s。", b.Reviewed)
	case d.Reviewed < b.Reviewed:
		return "reviewed before the built-in text", fmt.Sprintf("审阅日期 %s 早于内置文本的 %s，内置文本更新。", d.Reviewed, b.Reviewed)
	}
	return "", ""
}

func (ix *Index) placeName(code string) string {
	if code == "" {
		return "全国"
	}
	if j, ok := ix.corpus.Places.ByCode(code); ok {
		return j.Name
	}
	return code
}

func describeReplacement(b, d *Document) Replacement {
	r := Replacement{ID: b.ID, OldTitle: b.Title, NewTitle: d.Title, OldReviewed: b.Reviewed, NewReviewed: d.Reviewed,
		OldNumber: b.DocNumber, NewNumber: d.DocNumber}
	old := map[string]int{}
	for _, ch := range ChunkDocument(b) {
		old[ch.Text]++
	}
	for _, ch := range ChunkDocument(d) {
		if old[ch.Text] > 0 {
			old[ch.Text]--
			r.Kept++
		} else {
			r.Added++
		}
	}
	for _, n := range old {
		r.Removed += n
	}
	return r
}
