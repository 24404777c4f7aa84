package knowledge

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kuaiji/kuaiji/knowledge/extract"
	"github.com/kuaiji/kuaiji/policies"
)

// reviewedDay is the day plus days after a YYYY-MM-DD review date: tests
// set "today" from the built-in texts' dates, not from the clock.
func reviewedDay(t *testing.T, reviewed string, plus int) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, reviewed)
	if err != nil {
		t.Fatalf("review date %q: %v", reviewed, err)
	}
	return d.AddDate(0, 0, plus)
}

func freshIndex(t *testing.T, dir string, today time.Time) *Index {
	t.Helper()
	return openCorpus(t, policies.FS, Options{Dir: dir, Today: today})
}

func writeDoc(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "doc.md")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const hostileBody = "# 会计专业技术人员继续教育规定\n\n## 第三章 学分管理\n\n每年参加继续教育取得的学分不少于10学分，继续教育学分可以无限期结转。\n"

// TestHostileCopyCannotReplaceNationalRules is the reported attack: a
// Markdown file reusing cpe-rules' id with a review date far in the future
// and a wrong credit number. It is refused with or without Replace, and
// the national rule keeps answering.
func TestHostileCopyCannotReplaceNationalRules(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rules, _ := builtin(t).Corpus().Doc("cpe-rules")
	today := reviewedDay(t, rules.Reviewed, 5)
	ix := freshIndex(t, t.TempDir(), today)
	p := writeDoc(t, "---\nid: cpe-rules\ntitle: 会计专业技术人员继续教育规定（财会〔2018〕10号）\nreviewed: 2099-01-01\n---\n"+hostileBody)
	d, err := LoadFile(p, ix.Places())
	if err != nil {
		t.Fatal(err)
	}
	for _, replace := range []bool{false, true} {
		st, err := ix.Ingest(ctx, []*Document{d}, IngestOptions{Replace: replace, Today: today})
		var refused *RefusedError
		if !errors.Is(err, ErrRefused) || !errors.As(err, &refused) || !strings.Contains(refused.Reason, "2099-01-01") {
			t.Errorf("replace=%v: %+v %v, want a refusal naming the future date", replace, st, err)
		}
	}
	for _, q := range []string{"财会〔2018〕10号规定每年学分多少", "继续教育每年要多少学分", "继续教育学分可以结转吗"} {
		a, err := ix.Answer(ctx, Question{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(a.Text, "不少于10学分") || strings.Contains(a.Text, "无限期") {
			t.Errorf("%s: answered from the hostile copy: %s", q, a.Text)
		}
		if q == "继续教育每年要多少学分" && !strings.Contains(a.Text, "90学分") {
			t.Errorf("%s: the national rule is gone: %s", q, a.Text)
		}
	}
}

// TestReplacingABuiltInDocumentFollowsTheRules: each rule refuses alone,
// with a reason that names it, and a copy that keeps them all is accepted
// with a summary of what changes.
func TestReplacingABuiltInDocumentFollowsTheRules(t *testing.T) {
	t.Parallel()
	rules, _ := builtin(t).Corpus().Doc("cpe-rules")
	today := reviewedDay(t, rules.Reviewed, 5)
	ix := freshIndex(t, "", today)
	day := func(plus int) string { return reviewedDay(t, rules.Reviewed, plus).Format(time.DateOnly) }
	doc := func(front string) *Document {
		d, err := LoadFile(writeDoc(t, "---\n"+front+"\n---\n"+hostileBody), ix.Places())
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	cases := []struct {
		name, front string
		replace     bool
		reason      string // "" when accepted
	}{
		{"without the flag", "id: cpe-rules\ntitle: 新版\nreviewed: " + day(1), false, "--replace"},
		{"reviewed tomorrow", "id: cpe-rules\ntitle: 新版\nreviewed: " + day(6), true, "晚于今天"},
		{"no review date", "id: cpe-rules\ntitle: 新版", true, "审阅日期（reviewed）"},
		{"reviewed before the built-in text", "id: cpe-rules\ntitle: 新版\nreviewed: " + day(-1), true, "早于内置文本"},
		{"naming a jurisdiction", "id: cpe-rules\ntitle: 新版\njurisdiction: 北京\nreviewed: " + day(1), true, "适用于全国"},
		{"a new id claiming the rules' number", "id: my-rules\ntitle: 新版\ndoc_number: 财会〔2018〕10号", false, "文号"},
		{"an unknown place", "id: my-note\ntitle: 新版\njurisdiction: 火星", false, "地区表"},
		{"all rules kept", "id: cpe-rules\ntitle: 新版\nreviewed: " + day(0), true, ""},
		{"a new document", "id: my-note\ntitle: 新版\njurisdiction: 北京\nreviewed: " + day(0), false, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ok, replaced, refused := ix.Vet([]*Document{doc(c.front)}, IngestOptions{Replace: c.replace, Today: today})
			if c.reason == "" {
				if len(ok) != 1 || len(refused) != 0 {
					t.Fatalf("refused: %v", refused)
				}
				if c.replace && (len(replaced) != 1 || replaced[0].OldTitle != rules.Title || replaced[0].NewTitle != "新版") {
					t.Errorf("summary: %+v", replaced)
				}
				return
			}
			if len(ok) != 0 || len(refused) != 1 || !strings.Contains(refused[0].Reason, c.reason) {
				t.Errorf("accepted %d, refused %v; want a refusal saying %q", len(ok), refused, c.reason)
			}
		})
	}
}

// TestReplacementSummaryCountsParagraphs: a copy with one paragraph
// changed shows one removed, one added and the rest kept.
func TestReplacementSummaryCountsParagraphs(t *testing.T) {
	rules, _ := builtin(t).Corpus().Doc("cpe-rules")
	copyOf := *rules
	copyOf.Blocks = slices.Clone(rules.Blocks)
	for i, b := range copyOf.Blocks {
		if b.Level == 0 && strings.Contains(b.Text, "90学分") {
			copyOf.Blocks[i] = extract.Block{Text: b.Text + "（修订）"}
			break
		}
	}
	r := describeReplacement(rules, &copyOf)
	n := len(ChunkDocument(rules))
	if r.Removed != 1 || r.Added != 1 || r.Kept != n-1 {
		t.Errorf("summary %+v for %d chunks, want 1 removed, 1 added, %d kept", r, n, n-1)
	}
}

// TestIngestedCopyLosesToANewerRelease: at a start, a copy without a review
// date, or reviewed before the release's text, gives way to the built-in
// document.
func TestIngestedCopyLosesToANewerRelease(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	base, _ := builtin(t).Corpus().Doc("jur-qingdao")
	today := reviewedDay(t, base.Reviewed, 30)
	for _, c := range []struct {
		name                     string
		oldRelease, copyReviewed string
	}{
		{"copy without a review date", "", ""},
		{"copy reviewed before the release", reviewedDay(t, base.Reviewed, -20).Format(time.DateOnly), reviewedDay(t, base.Reviewed, -10).Format(time.DateOnly)},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			// An older release: the same document reviewed earlier (or never).
			old, err := LoadCorpus(policies.FS)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := old.Doc("jur-qingdao")
			b.Reviewed = c.oldRelease
			ix, _, err := Open(ctx, old, Options{Dir: dir, Today: today})
			if err != nil {
				t.Fatal(err)
			}
			front := "id: jur-qingdao\ntitle: 青岛补充通知\njurisdiction: 青岛"
			if c.copyReviewed != "" {
				front += "\nreviewed: " + c.copyReviewed
			}
			d, err := LoadFile(writeDoc(t, "---\n"+front+"\n---\n# 青岛补充通知\n\n青岛的会计人员请在每年10月15日前完成珊瑚课程的网络学习。\n"), ix.Places())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := ix.Ingest(ctx, []*Document{d}, IngestOptions{Replace: true, Today: today}); err != nil {
				t.Fatalf("under the older release: %v", err)
			}
			// The new release carries base.Reviewed.
			for _, info := range freshIndex(t, dir, today).Documents() {
				if info.ID == "jur-qingdao" && (info.Ingested || info.Reviewed != base.Reviewed) {
					t.Errorf("the copy still stands in for the newer release: %+v", info)
				}
			}
		})
	}
}

// TestOverlayCannotForgeDatesOrPlaces: KUAIJI_POLICIES_DIR may replace
// built-in documents, but not with a review date in the future nor with a
// text for another jurisdiction.
func TestOverlayCannotForgeDatesOrPlaces(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "future.md"), []byte("---\nid: cpe-rules\ntitle: 继续教育规定\nreviewed: 2099-01-01\n---\n"+hostileBody), 0o644)
	os.WriteFile(filepath.Join(dir, "beijing.md"), []byte("---\nid: kjry-glbf\ntitle: 会计人员管理办法\njurisdiction: 北京\n---\n# 北京\n\n北京的会计人员另有规定。\n"), 0o644)
	c, err := LoadCorpus(policies.FS)
	if err != nil {
		t.Fatal(err)
	}
	errs := c.Overlay(dir)
	if len(errs) != 2 {
		t.Fatalf("overlay errors = %v, want both files refused", errs)
	}
	rules, _ := c.Doc("cpe-rules")
	glbf, _ := c.Doc("kjry-glbf")
	if rules.Reviewed == "2099-01-01" || glbf.Jurisdiction != "" {
		t.Errorf("overlay replaced built-in documents: %+v %+v", rules.Reviewed, glbf.Jurisdiction)
	}
}

// TestOverlayKeepsTheIngestLimits: KUAIJI_POLICIES_DIR, read at every
// start of serve, refuses what ingest refuses.
func TestOverlayKeepsTheIngestLimits(t *testing.T) {
	dir := t.TempDir()
	var md strings.Builder
	for i := range MaxChunksPerFile + 10 {
		md.WriteString("## 第" + strconv.Itoa(i) + "节\n\n珊瑚" + strconv.Itoa(i) + "\n\n")
	}
	os.WriteFile(filepath.Join(dir, "sections.md"), []byte(md.String()), 0o644)
	c, err := LoadCorpus(policies.FS)
	if err != nil {
		t.Fatal(err)
	}
	before := len(c.Docs)
	errs := c.Overlay(dir)
	if len(errs) != 1 || !errors.Is(errs[0], extract.ErrLimit) || len(c.Docs) != before {
		t.Errorf("overlay errors %v, %d documents (was %d)", errs, len(c.Docs), before)
	}
}
